"""Instruments for issue 9: the benchmark (``scripts/bench``) and the fault soak (``scripts/soak``).

Both run Home Assistant through its test harness against the simulator. What differs
per cloud (how to scale its world, which requests belong to one charger, what a car
arriving looks like) is one row of the table in :mod:`bench.clouds`.
"""
