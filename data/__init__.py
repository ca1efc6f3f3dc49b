"""City packs: format, loading, validation, importers of real formats and the demo generator.

Nothing here imports Dash: every number the app shows can be computed from this package.
"""

from data.catalog import Catalog, CatalogError, City, Dataset, Temporal, read_catalog
from data.pack import CityPack, PackError, Report, load_pack, validate_pack

__all__ = [
    "Catalog",
    "CatalogError",
    "City",
    "CityPack",
    "Dataset",
    "PackError",
    "Report",
    "Temporal",
    "load_pack",
    "read_catalog",
    "validate_pack",
]
