"""Modal and full screens opened from the coding screen; see workbench/tui/app.py for the registry."""
