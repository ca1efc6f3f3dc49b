"""Heat and climate justice: surface and night temperature, the heat vulnerability index,
heat-sensitive facilities, and the charts of the heat page (who bears the heat, station
trend)."""
