"""Land use and its conflicts: today's land use, the climate and legal constraint zones, and
the planned developments with their conflicts under the pack's rules (issue 15).

* :mod:`layers.landuse.landuse` — land-use polygons by class (dataset ``landuse``);
* :mod:`layers.landuse.constraints` — constraint zones by kind (dataset ``constraints``);
* :mod:`layers.landuse.conflicts` — planned developments outlined and their conflict polygons
  by severity (datasets ``plans`` and ``constraints``, rules from
  :func:`models.conflict_rules.rules_for_pack`);
* :mod:`layers.landuse.words` — what the three share: palettes, the browser styles, texts and
  the per-pack cached assessment.
"""
