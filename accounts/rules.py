"""Loaded by rules' autodiscovery: registers the accounts rules."""

import accounts.permissions  # noqa: F401
