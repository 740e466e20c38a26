"""The demo home (``demo_home``) and the browser end-to-end test (``python -m e2e``).

``scripts/develop`` seeds the developer's ``config/`` with ``demo_home``; ``scripts/e2e``
runs ``python -m e2e`` against a fresh configuration and a Chromium it started.
"""
