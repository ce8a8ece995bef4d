"""The hostile-input suite shares the API tests' world (tests/api/conftest.py): two rural
districts with cycles in execution and in coordination, drafts, proposals public, hidden
and private, a maslikhat session, residents, staff, an akim, a moderator, a chairman.

It asks one thing, that no page or form answers a server error whatever it is sent, so
coverage is not measured while it runs (pytest-cov's no_cover): it walks every route as
every role, and tracing it cost CI about 90 seconds for 32 lines (0.2 points) that the
other tests do not reach."""

import pytest

from tests.api.conftest import data, public_data, reading  # noqa: F401


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/hostile/" in str(item.path):
            item.add_marker(pytest.mark.no_cover)
