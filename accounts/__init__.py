"""Accounts: the user model, sign-up, IIN and residency, role memberships."""
