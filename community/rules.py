"""Loaded by rules' autodiscovery: registers the community rules."""

import community.permissions  # noqa: F401
