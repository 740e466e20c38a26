"""Tests of AMPECO: the client and its contract, the integration, the simulator itself."""
