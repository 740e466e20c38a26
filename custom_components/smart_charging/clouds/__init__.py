"""The clouds Smart Charging talks to, as plain asyncio clients.

Nothing below this package imports Home Assistant: each cloud's client reads its answers
into the neutral models of :mod:`.models` (and its own, where it reports more), raises
only the typed errors of :mod:`.errors`, and sends every request through the shared HTTP
core of :mod:`.http`. It is the part one could publish on its own.
"""
