"""Demo documents at different steps of their processes."""


def documents_demo_ensure() -> None:
    """Add the demo documents (idempotent)."""
