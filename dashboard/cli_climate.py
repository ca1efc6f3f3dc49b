"""CLI for station climate data: ``allmende import climate`` and ``allmende heat trend``."""

from __future__ import annotations

import argparse
from typing import Any


def register_import(isub: Any) -> None:
    """Add ``import climate`` to the ``import`` sub-parsers."""


def register_trend(hsub: Any) -> None:
    """Add ``heat trend`` to the ``heat`` sub-parsers."""


__all__ = ["argparse", "register_import", "register_trend"]
