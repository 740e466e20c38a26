"""Tests of ViriCiti: group limits, the integration against the simulated SDK, the simulator."""
