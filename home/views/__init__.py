"""Publishing screens outside Wagtail's page serving: feeds and notice read statistics."""
