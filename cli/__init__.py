"""The ``allmende`` command line (entry point :func:`cli.main.main`).

It sits on top of the house: it may import :mod:`dashboard`, :mod:`layers`, :mod:`models` and
:mod:`data`; nothing below imports it. ``allmende import`` is generated from the importer
registry (:mod:`cli.imports`).
"""
