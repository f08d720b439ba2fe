"""Base templates, static assets and shared UI pieces."""
