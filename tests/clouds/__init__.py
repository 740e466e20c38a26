"""Tests of the HTTP core every cloud client shares: errors, retries, timeouts."""
