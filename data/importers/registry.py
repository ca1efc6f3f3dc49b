"""The importer registry: every importer ``allmende import`` offers, in the order it lists them.

Adding an importer is its own module in :mod:`data.importers` that defines ``IMPORTER`` (an
:class:`~data.importers.base.Importer`) and one line here. The command line
(:mod:`cli.imports`) and the contract test (``tests/test_importer_contract.py``) are built
from this tuple; the test fails for an importer it has no case for.
"""

from __future__ import annotations

from data.importers import (
    constraints,
    counts,
    districts,
    dwd,
    facilities,
    landuse,
    plans,
    rasters,
    zensus,
)
from data.importers.base import Importer

IMPORTERS: tuple[Importer, ...] = (
    districts.IMPORTER,
    counts.IMPORTER,
    dwd.IMPORTER,
    zensus.IMPORTER,
    rasters.IMPORTER,
    facilities.IMPORTER,
    landuse.IMPORTER,
    plans.IMPORTER,
    constraints.IMPORTER,
)


def get(name: str) -> Importer:
    """The importer called ``name``; a ``KeyError`` listing the valid names otherwise."""
    for imp in IMPORTERS:
        if imp.name == name:
            return imp
    raise KeyError(f"no importer {name!r}; choose one of {', '.join(i.name for i in IMPORTERS)}")


_names = [imp.name for imp in IMPORTERS]
if len(set(_names)) != len(_names):  # pragma: no cover - a registry edit error
    raise RuntimeError(f"importer names repeat in the registry: {_names}")
