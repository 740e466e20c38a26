"""Tests of Jedlix: the client, the integration against the simulated API, the simulator."""
