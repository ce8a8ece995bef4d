"""Loaded by rules' autodiscovery: registers the proposals rules."""

import proposals.permissions  # noqa: F401
