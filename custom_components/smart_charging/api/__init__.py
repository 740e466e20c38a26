"""Clients for the clouds Smart Charging talks to, and the neutral model they return."""
