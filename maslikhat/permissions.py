"""Who may do what in the maslikhat's vote, and when: each rule is a role and, for opening a
session, the draft's status that allows it (portal.permissions). The session's hours are
the services' rules."""

from __future__ import annotations

import rules
from django.utils.translation import gettext_lazy as _

from accounts.permissions import is_maslikhat_chairman_of
from budgets.models import DraftStatus
from maslikhat import selectors
from portal.permissions import add_rule


@rules.predicate
def is_chairman_for_draft(user, draft) -> bool:
    return is_maslikhat_chairman_of(user, draft.cycle.unit.maslikhat_district)


@rules.predicate
def status_allows_session(_user, draft) -> bool:
    """A session opens on a draft the akim submitted, one at a time."""
    return draft.status == DraftStatus.UNDER_VOTE and not selectors.has_open_session(
        draft
    )


@rules.predicate
def is_deputy_of_session(user, session) -> bool:
    """A deputy of the maslikhat when the session opened: its members are fixed then."""
    return user.is_authenticated and session.members.filter(deputy=user).exists()


@rules.predicate
def is_any_deputy(user) -> bool:
    return user.is_authenticated and selectors.is_deputy(user)


add_rule(
    "maslikhat.open_session",
    is_chairman_for_draft,
    when=status_allows_session,
    refusal=_("Only the chairman of the district maslikhat opens a voting session."),
)
add_rule(
    "maslikhat.cast_ballot",
    is_deputy_of_session,
    refusal=_("Only the deputies of this district's maslikhat vote in its sessions."),
)
add_rule(
    "maslikhat.view_deputy_sessions",
    is_any_deputy,
    refusal=_("This page is for maslikhat deputies."),
)
