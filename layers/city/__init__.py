"""The city itself: base maps, districts, population grid and river."""
