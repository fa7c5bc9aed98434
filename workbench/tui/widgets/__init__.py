"""The widgets of the coding screen, one module per pane."""
