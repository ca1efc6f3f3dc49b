"""Thin callbacks, one module per concern, each with ``register(app, ctx)``."""
