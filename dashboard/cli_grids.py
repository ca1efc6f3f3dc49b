"""CLI for gridded data: ``allmende import census``, ``import raster`` and ``import facilities``."""

from __future__ import annotations

from typing import Any


def register_import(isub: Any) -> None:
    """Add ``import census``, ``import raster`` and ``import facilities``."""
