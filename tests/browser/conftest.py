"""Fixtures shared by the browser tests."""

from __future__ import annotations

import pytest


@pytest.fixture(scope="module")
def app(demo_ctx, heat_model):
    """The dashboard on the session's demo pack (one app per test module), its scenario page
    with the session's heat model (no fit in the background while browsers run)."""
    from dashboard.app import create_app

    demo_ctx.scenarios.use(heat_model)
    return create_app(demo_ctx.settings, context=demo_ctx)
