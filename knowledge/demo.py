"""Demo content for the knowledge center."""

from wagtail.models import Page


def knowledge_demo_ensure(home: Page) -> None:
    """Add the demo categories, articles and files (idempotent)."""
