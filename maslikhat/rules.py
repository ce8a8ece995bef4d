"""Loaded by rules' autodiscovery: registers the maslikhat rules."""

import maslikhat.permissions  # noqa: F401
