"""Every page of the app in one registry: the router, the navigation and the validation
layout all read :data:`PAGES`.

Adding a page is its module in ``dashboard/pages/`` plus one line here. The module has
``layout(ctx, view)`` (``ctx``: :class:`dashboard.context.AppContext`, ``view``:
:class:`dashboard.state.View`); its main content carries ``id="main"`` and ``data-al-main``.
A page whose components are targets or inputs of callbacks is marked ``validate=True``, and
its ``layout(ctx, view, data=False)`` gives its component ids without data: Dash's validation
layout is made of these skeletons (it is shipped with every page load, so it stays small).

The registry names each page's module rather than importing it: the page modules import
:func:`dashboard.components.header`, which draws the navigation from this registry, so an
import here would close a cycle. :meth:`Page.module` imports the module on first use.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from types import ModuleType
from typing import Any

from dash.exceptions import MissingCallbackContextException

from dashboard.context import AppContext
from dashboard.ids import URL as URL_ID
from dashboard.state import View

PACKAGE = "dashboard.pages"


@dataclass(frozen=True)
class Page:
    """One page of the app.

    * ``key``: its navigation key (the nav link's id is ``nav-<key>``; the header marks the
      link of the page it is on);
    * ``path`` and its other addresses, ``aliases`` (``/hitze`` and ``/heat``);
    * ``title``: the key of its name in :mod:`dashboard.i18n` (German and English);
    * ``module_name``: its module under ``dashboard.pages``;
    * ``validate``: its ``layout(ctx, view, data=False)`` goes into the validation layout;
    * ``embed``: the public embed for other sites (read-only, not in the navigation).
    """

    key: str
    path: str
    aliases: tuple[str, ...]
    title: str
    module_name: str
    validate: bool = False
    embed: bool = False

    @property
    def paths(self) -> tuple[str, ...]:
        return (self.path, *self.aliases)

    @property
    def nav_id(self) -> str:
        return f"nav-{self.key}"

    @property
    def in_nav(self) -> bool:
        """A link in the main navigation: every page but the embed."""
        return not self.embed

    def module(self) -> ModuleType:
        return importlib.import_module(f"{PACKAGE}.{self.module_name}")

    def layout(self, ctx: AppContext, view: View) -> Any:
        return self.module().layout(ctx, view)

    def skeleton(self, ctx: AppContext, view: View) -> Any | None:
        """The page's component ids for the validation layout (``None``: not validated)."""
        return self.module().layout(ctx, view, data=False) if self.validate else None


PAGES: tuple[Page, ...] = (
    Page("map", "/", (), "nav.map", "map_page", validate=True),
    Page(
        "footfall", "/fussverkehr", ("/footfall",), "nav.footfall", "footfall_page", validate=True
    ),
    Page("heat", "/hitze", ("/heat",), "nav.heat", "heat_page", validate=True),
    Page("scenario", "/szenario", ("/scenario",), "nav.scenario", "scenario_page", validate=True),
    Page("catalog", "/katalog", ("/catalog",), "nav.catalog", "catalog_page"),
    Page("embed", "/embed", (), "nav.embed", "embed_page", embed=True, validate=True),
)


def router_search() -> str | None:
    """The raw query of the routing callback (``url.search``), when a page's layout is
    called from it (pages read their own arguments from it: a site, a scenario)."""
    try:
        from dash import callback_context

        value = callback_context.states.get(f"{URL_ID}.search")
    except (MissingCallbackContextException, RuntimeError):
        return None
    return value if isinstance(value, str) else None


def nav_pages() -> tuple[Page, ...]:
    """The pages of the main navigation, in its order (read at call time)."""
    return tuple(page for page in PAGES if page.in_nav)


def find(pathname: object) -> Page | None:
    """The page at an address (``/hitze``, ``/heat/``; ``None``: ``/``), ``None`` if there is
    none (also for anything but a string, as only a crafted request sends)."""
    if pathname is None:
        pathname = "/"
    if not isinstance(pathname, str):
        return None
    path = pathname.rstrip("/") or "/"
    return next((page for page in PAGES if path in page.paths), None)
