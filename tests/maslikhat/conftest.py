"""Fixtures of the maslikhat's vote: the budgets fixtures it builds on (the 2027 cycle of the
rural district, its draft published and submitted, the district's maslikhat of ten seats,
the drafts adopted)."""

from tests.budgets import conftest as budgets_fixtures

akim = budgets_fixtures.akim
cycle = budgets_fixtures.cycle
draft = budgets_fixtures.draft
published = budgets_fixtures.published
submitted = budgets_fixtures.submitted
chairman = budgets_fixtures.chairman
maslikhat = budgets_fixtures.maslikhat
adoptions = budgets_fixtures.adoptions
adopted = budgets_fixtures.adopted
people = budgets_fixtures.people
