"""Pytest fixtures for the benchmark and the soak: those of the test suite."""

from tests.conftest import auto_enable_custom_integrations, simulator

__all__ = ["auto_enable_custom_integrations", "simulator"]
