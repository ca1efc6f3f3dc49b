"""The largest values each kind of data can plausibly hold, and how to say a value is bad.

An importer and :func:`data.pack.validate_pack` refuse a value that is not a finite number
(``inf``, ``-inf``, a ``NaN`` written out where a number is required) or that lies above the
ceiling of its kind, so that a pack which validates never holds a number the app cannot
show. The ceilings are deliberately generous: each lies well above anything measured in any
city, so a real value never hits one, while typing slips (a count with ten extra
zeros) and overflows (``1e300``) always do.

Every check in the importers and in the pack validation uses the constants here; nothing
else defines a ceiling.
"""

from __future__ import annotations

import math
from typing import Any

#: Pedestrians per hour past ONE counting site. The busiest shopping streets with counters
#: record about 10 000–20 000 per hour at their Saturday peak. A crowd as dense as 2 persons/m² walking at 1.3 m/s through a 10 m
#: wide street passes about 94 000 per hour, so 100 000 is beyond what one counter can see.
HOURLY_PEDESTRIANS_CEILING = 100_000.0

#: Residents per km² of any area (a census cell, a raster cell, a district). Dense inner-city
#: blocks hold about 30 000–60 000 per km² and the densest quarters on earth about 300 000, so nothing real lies above 300 000 per km²: a
#: 100 m census cell (0.01 km²) may hold at most 3 000 persons, a 1 km cell 300 000.
PERSONS_PER_KM2_CEILING = 300_000.0

#: Residents of one district (or of a whole city used as one district). 10 million is above
#: the population of most of the world's largest cities taken whole.
DISTRICT_PERSONS_CEILING = 10_000_000.0

#: Air temperatures (°C) a weather column beside the counts may hold: the highest ever
#: measured on earth is 56.7 °C, the lowest −89.2 °C.
AIR_TEMPERATURE_MAX_C = 60.0
AIR_TEMPERATURE_MIN_C = -90.0

#: A share written in per cent (Zensus ``…_A`` columns) lies in 0–100.
PERCENT_MAX = 100.0

#: Any other number in a pack (a statistic of a district, a grid variable without its own
#: range): 2**53, about 9 × 10^15. Beyond it a float no longer holds whole numbers exactly,
#: and no statistic of a city comes near it (a large city's yearly budget is about 10^10 €).
MAGNITUDE_CEILING = float(2**53)

NOT_FINITE = "not a finite number"


def persons_per_cell_ceiling(cell_area_m2: float) -> float:
    """The most persons a cell of ``cell_area_m2`` square metres can plausibly hold."""
    return PERSONS_PER_KM2_CEILING * cell_area_m2 / 1e6


def shown(value: Any) -> str:
    """A value for a message: ``inf``, ``nan``, ``1e+300``, ``12`` or the text as written."""
    if isinstance(value, str):
        return repr(value)
    try:
        number = float(value)
    except (TypeError, ValueError, OverflowError):
        return repr(value)
    if math.isfinite(number) and number.is_integer() and abs(number) < 1e15:
        return str(int(number))
    return f"{number:g}"


def ceiling_text(ceiling: float, unit: str) -> str:
    """``"above the ceiling of 100,000 pedestrians per hour"``."""
    return f"above the ceiling of {ceiling:,.0f} {unit}".rstrip()


def problem(
    value: float, ceiling: float | None, unit: str = "", floor: float | None = None
) -> str | None:
    """What is wrong with ``value``, or ``None``: not finite, above ``ceiling``, below ``floor``.

    ``NaN`` counts as not finite: callers that allow gaps test for them before.
    """
    if not math.isfinite(value):
        return NOT_FINITE
    if ceiling is not None and value > ceiling:
        return ceiling_text(ceiling, unit)
    if floor is not None and value < floor:
        return f"below the minimum of {floor:g} {unit}".rstrip()
    return None
