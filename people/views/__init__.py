"""People screens, one module per feature."""
