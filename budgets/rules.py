"""Loaded by rules' autodiscovery: registers the budgets rules."""

import budgets.permissions  # noqa: F401
