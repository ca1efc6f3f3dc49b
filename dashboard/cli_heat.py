"""CLI for heat and climate risk: ``allmende heat hvi|trend|justice``."""

from __future__ import annotations

import argparse
from typing import Any

from dashboard import cli_climate


def register(sub: Any) -> None:
    """Add the ``heat`` command with its sub-commands."""
    p: argparse.ArgumentParser = sub.add_parser("heat", help="heat vulnerability, justice, trend")
    hsub = p.add_subparsers(dest="heat_command", required=True)
    cli_climate.register_trend(hsub)
