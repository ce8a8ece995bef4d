"""Loaded by django-rules at start-up: the residents' vote's rules (votes.permissions)."""

import votes.permissions  # noqa: F401
