"""Fixtures shared by the browser tests."""

from __future__ import annotations

import pytest


@pytest.fixture(scope="module")
def app(demo_ctx):
    """The dashboard on the session's demo pack (one app per test module)."""
    from dashboard.app import create_app

    return create_app(demo_ctx.settings, context=demo_ctx)
