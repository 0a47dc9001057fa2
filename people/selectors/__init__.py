"""Read paths over the organization and accounts, split by screen."""
