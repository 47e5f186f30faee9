"""JSON API v1 for integration, scripts and tests (DESIGN.md §6)."""
