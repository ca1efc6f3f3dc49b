"""Benchmarks that print figures (not tests: nothing here asserts on speed)."""
