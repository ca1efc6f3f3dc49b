"""Tables of the demo city: which figures does each district carry, in whole persons?

* :func:`largest_remainder` splits a whole number of persons into whole-number parts that
  sum exactly (used for under-6 per district and residents per grid cell);
* :func:`slug` gives the stable ASCII ``district_id`` of an Ortsteil name;
* :func:`district_table` holds the attributes of the ``districts`` layer and
  :func:`stats_table` the ``district_stats`` table derived from it.

Units: persons (whole numbers), km² (``area_km2``), shares as fractions 0–1 (rounded to
4 decimals), density in persons per km² (rounded to 0.1).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
import shapely

from data.demo import facts

DISTRICT_COLUMNS = (
    "district_id",
    "name",
    "population",
    "pop_65plus",
    "pop_under6",
    "pop_under18",
    "area_km2",
    "planungsraum",
)


def largest_remainder(total: int, weights: Sequence[float] | np.ndarray) -> np.ndarray:
    """Split ``total`` into whole numbers proportional to ``weights`` (Hamilton method).

    Ties in the remainders go to the earlier index, so the result is deterministic.

    Parameters
    ----------
    total
        Non-negative whole number to distribute.
    weights
        Non-negative weights, not all zero.

    Returns
    -------
    numpy.ndarray
        ``int64`` counts summing exactly to ``total``.
    """
    w = np.asarray(weights, dtype=float)
    if total < 0 or w.size == 0 or np.any(w < 0) or not w.sum() > 0:
        raise ValueError("largest_remainder needs total >= 0 and non-negative, non-zero weights")
    quota = total * w / w.sum()
    base = np.floor(quota).astype(np.int64)
    short = int(total - base.sum())
    order = np.argsort(-(quota - base), kind="stable")
    base[order[:short]] += 1
    return base


_TRANSLIT = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss", "/": "-", " ": "-"})


def slug(name: str) -> str:
    """A stable ASCII id for an Ortsteil name, e.g. ``"Jenaprießnitz/Wogau"`` → ``"jenapriessnitz-wogau"``.

    Slugs (not ``"01"``-style numbers) survive a CSV round trip, which drops leading zeros.
    """
    return name.lower().translate(_TRANSLIT)


def district_table(parts: np.ndarray) -> pd.DataFrame:
    """The district attributes, in facts order; ``pop_under6`` apportioned (approximate)."""
    under18 = np.array([o.under18 for o in facts.ORTSTEILE])
    under6 = largest_remainder(facts.CITY_UNDER6_2017, under18)
    return pd.DataFrame(
        {
            "district_id": [slug(o.name) for o in facts.ORTSTEILE],
            "name": [o.name for o in facts.ORTSTEILE],
            "population": [o.population for o in facts.ORTSTEILE],
            "pop_65plus": [o.over65 for o in facts.ORTSTEILE],
            "pop_under6": under6.tolist(),
            "pop_under18": under18.tolist(),
            "area_km2": np.round(shapely.area(parts) / 1e6, 4),
            "planungsraum": [o.planungsraum for o in facts.ORTSTEILE],
        }
    )


def stats_table(table: pd.DataFrame) -> pd.DataFrame:
    pop = table["population"].astype(float)
    return pd.DataFrame(
        {
            "district_id": table["district_id"],
            "name": table["name"],
            "population": table["population"],
            "pop_under6": table["pop_under6"],
            "pop_under18": table["pop_under18"],
            "pop_65plus": table["pop_65plus"],
            "share_65plus": (table["pop_65plus"] / pop).round(4),
            "share_under6": (table["pop_under6"] / pop).round(4),
            "density_per_km2": (pop / table["area_km2"]).round(1),
        }
    )
