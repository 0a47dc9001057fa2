"""A test-only app holding a tiny flow, to drive the document engine with a flow other than
the outgoing one (viewflow resolves flows through the app that contains them)."""
