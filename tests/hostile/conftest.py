"""The hostile-input suite shares the API tests' world (tests/api/conftest.py): two rural
districts with cycles in execution and in coordination, drafts, proposals public, hidden
and private, a maslikhat session, residents, staff, an akim, a moderator, a chairman."""

from tests.api.conftest import data, public_data, reading  # noqa: F401
