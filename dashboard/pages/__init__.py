"""Pages: layout functions of (context, view) with no logic of their own."""
