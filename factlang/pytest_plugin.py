"""pytest plugin: fact files as test suites (placeholder until implemented)."""
