"""The faces of Allmende: Dash app factory, pages, components, callbacks, ids, i18n and CLI."""
