"""Footfall: pedestrian counts on the map (heatmap, counting sites) and as charts
(profiles, daily series, year over year, forecast); :mod:`layers.footfall.cube` holds the
counts both read."""
