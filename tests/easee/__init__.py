"""Tests of Easee: the integration against the simulated cloud, and the simulator itself."""
