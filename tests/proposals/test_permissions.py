"""The permission matrix of proposals through their pages: every role × every action × the
phases and statuses in which the action is and is not allowed; each case is one test.

Given the 2027 cycle of the rural district and a proposal brought to a status by the
services, when a person in a role does the act through its page on a day of a phase, then:
- anonymous: sent to sign in;
- a private draft, to anyone but its author and the unit's staff: not found;
- a role the rule refuses: 403, and the page gives the rule's reason;
- the right role in the wrong phase or status: the service refuses with its message;
- the right role in the right phase: the change happens.
Every refusal asserts that nothing changed and nobody was told anything.

Every role is tried in the first situation of each action, where the act's page (its form
or confirmation, read with GET) must answer as the act does; in a private draft, where "not
found" comes before the rule, also its readers and a neighbour; in the other situations,
the roles the rule allows, whom only the service may refuse.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

import pytest
import time_machine
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape

from accounts.models import ResidencyStatus, Role
from budgets import services as budget_services
from budgets import signals
from budgets.models import BudgetCycle, BudgetLine, DraftBudget
from portal.models import AuditEvent, Level, Notification
from portal.permissions import refusal
from proposals import services
from proposals.models import (
    AkimDecision,
    ContentReport,
    ImplementationReport,
    Proposal,
    ProposalComment,
    ProposalFollower,
    ProposalStatus,
    Review,
    Support,
)
from tests.accounts.factories import MembershipFactory, ResidencyFactory, make_iin
from tests.budgets.conftest import BALANCED, DAY_IN, at
from tests.budgets.factories import lines
from tests.portal.factories import UnitFactory
from tests.proposals.conftest import (
    ASSESSMENT,
    PROPOSAL_ROWS,
    make_draft,
    make_submitted,
    start_review,
)
from tests.refusals import refused, rows, unchanged

S = ProposalStatus

ROLES = (
    "anonymous",
    "outsider",
    "resident",
    "neighbour",
    "other_staff",
    "staff",
    "akim",
    "other_deputy",
    "deputy",
    "moderator",
)
SIGNED_IN = frozenset(ROLES) - {"anonymous"}
RESIDENTS = frozenset({"resident", "neighbour"})
STAFF_AND_AKIM = frozenset({"staff", "akim"})
# Who reads a private draft: its author (the resident) and the unit's staff.
DRAFT_READERS = frozenset({"resident", "staff", "akim"})

# Days of the acts: those of DAY_IN, minutes after a comment, and after the adoption.
DAYS = {
    **DAY_IN,
    "comment_plus_5": DAY_IN["proposals_open"] + timedelta(minutes=5),
    "comment_plus_16": DAY_IN["proposals_open"] + timedelta(minutes=16),
    "adoption": at(2026, 12, 20),
    "after_adoption": at(2027, 6, 1),
}


def _at(day: str):
    return time_machine.travel(DAYS[day], tick=False)


# The people, each made only when a case asks for them.

_serials = itertools.count(1)


def fresh_iin() -> str:
    """An IIN of nobody else: born on another day than the factory's users, whose IINs
    can repeat when a serial without a check digit is bumped to the next one."""
    return make_iin(next(_serials), born="850505")


@pytest.fixture
def neighbour(territory):
    """A second verified resident of the rural district, not the author."""
    return ResidencyFactory(
        user__iin=fresh_iin(),
        place=territory["village"],
        budget_unit=territory["rural_district"],
    ).user


@pytest.fixture
def outsider(territory):
    """A verified resident of another rural district of the same district."""
    unit = territory["other_rural_district"]
    return ResidencyFactory(user__iin=fresh_iin(), place=unit, budget_unit=unit).user


@pytest.fixture
def people(request, territory):
    made: dict[str, object] = {}

    def person(role: str):
        if role == "anonymous":
            return None
        if role not in made:
            if role == "deputy":
                made[role] = MembershipFactory(
                    role=Role.MASLIKHAT_DEPUTY, unit=territory["district"]
                ).user
            elif role == "other_deputy":
                elsewhere = UnitFactory(
                    kato_code="113200000",
                    level=Level.DISTRICT,
                    name_kk="Бурабай ауданы",
                    name_ru="Бурабайский район",
                    parent=territory["region"],
                )
                made[role] = MembershipFactory(
                    role=Role.MASLIKHAT_DEPUTY, unit=elsewhere
                ).user
            else:
                made[role] = request.getfixturevalue(role)
        return made[role]

    return person


# The world: the cycle, and a proposal brought to a status step by step.


@dataclass
class World:
    cycle: BudgetCycle
    function: object
    person: Callable
    role: str
    proposal: Proposal | None = None
    comment: ProposalComment | None = None
    report: ContentReport | None = None
    budget_draft: DraftBudget | None = None
    line: BudgetLine | None = None

    @property
    def actor(self):
        return self.person(self.role)

    @property
    def cycle_kwargs(self) -> dict:
        return {"kato_code": self.cycle.unit.kato_code, "fiscal_year": 2027}

    def url(self, name: str, **kwargs) -> str:
        return reverse(f"proposals:{name}", kwargs={"pk": self.proposal.pk, **kwargs})


def step_draft(world: World) -> None:
    world.proposal = make_draft(world.cycle, world.person("resident"), world.function)


def step_draft_planned(world: World) -> None:
    world.proposal = make_draft(
        world.cycle, world.person("resident"), world.function, on=DAY_IN["planned"]
    )


def step_submitted(world: World) -> None:
    world.proposal = make_submitted(
        world.cycle, world.person("resident"), world.function
    )


def step_under_review(world: World) -> None:
    start_review(world.cycle)


def step_recommended(world: World) -> None:
    with time_machine.travel(at(2026, 5, 6), tick=False):
        services.review_complete(
            proposal=world.proposal, actor=world.person("staff"), data=ASSESSMENT
        )


def step_approved(world: World) -> None:
    with time_machine.travel(at(2026, 5, 8), tick=False):
        services.proposal_decide(
            proposal=world.proposal,
            actor=world.person("akim"),
            decision="approved",
            reason="Lighting is the first need residents named.",
        )


def step_budget_draft(world: World) -> None:
    staff = world.person("staff")
    with _at("drafting"):
        draft = budget_services.draft_create(cycle=world.cycle, actor=staff)
        world.budget_draft = budget_services.draft_update(
            draft=draft,
            lines=lines(**BALANCED),
            cash_balance_used=0,
            note="",
            actor=staff,
        )
    world.line = world.budget_draft.lines.get(classification__code="E701")


def step_included(world: World) -> None:
    with _at("drafting"):
        services.proposal_include(
            proposal=world.proposal, actor=world.person("staff"), line=world.line
        )


def step_funded(world: World) -> None:
    with _at("adoption"):
        signals.draft_adopted.send(sender=DraftBudget, draft=world.budget_draft)


def step_in_progress(world: World) -> None:
    with _at("after_adoption"):
        services.proposal_start(proposal=world.proposal, actor=world.person("staff"))


def step_hidden(world: World) -> None:
    with _at("proposals_open"):
        services.proposal_hide(
            proposal=world.proposal,
            actor=world.person("moderator"),
            reason="Insults a neighbour by name.",
        )


def step_comment(world: World) -> None:
    with _at("proposals_open"):
        world.comment = services.comment_post(
            proposal=world.proposal,
            author=world.person("resident"),
            body="Lamps with motion sensors would cost less.",
        )


def step_comment_hidden(world: World) -> None:
    with _at("proposals_open"):
        services.comment_hide(
            comment=world.comment,
            actor=world.person("moderator"),
            reason="Advertising.",
        )


def step_report(world: World) -> None:
    with _at("proposals_open"):
        world.report = services.content_report(
            proposal=world.proposal,
            reporter=world.person("neighbour"),
            reason="It names a neighbour and insults him.",
        )


def step_report_dismissed(world: World) -> None:
    with _at("proposals_open"):
        services.report_dismiss(report=world.report, actor=world.person("moderator"))


def step_supported_by_actor(world: World) -> None:
    # Only a resident can have supported it; the others are refused by the rule anyway.
    if world.role in RESIDENTS:
        with _at("proposals_open"):
            services.support_add(proposal=world.proposal, user=world.actor)


def step_reported_by_actor(world: World) -> None:
    if world.actor is not None:
        with _at("proposals_open"):
            services.content_report(
                proposal=world.proposal, reporter=world.actor, reason=REPORT_REASON
            )


STEPS = {
    "draft": step_draft,
    "draft_planned": step_draft_planned,
    "submitted": step_submitted,
    "under_review": step_under_review,
    "recommended": step_recommended,
    "approved": step_approved,
    "budget_draft": step_budget_draft,
    "included": step_included,
    "funded": step_funded,
    "in_progress": step_in_progress,
    "hidden": step_hidden,
    "comment": step_comment,
    "comment_hidden": step_comment_hidden,
    "report": step_report,
    "report_dismissed": step_report_dismissed,
    "supported_by_actor": step_supported_by_actor,
    "reported_by_actor": step_reported_by_actor,
}
SUBMITTED = ("submitted",)
UNDER_REVIEW = (*SUBMITTED, "under_review")
RECOMMENDED = (*UNDER_REVIEW, "recommended")
APPROVED = (*RECOMMENDED, "approved")
INCLUDED = (*APPROVED, "budget_draft", "included")
FUNDED = (*INCLUDED, "funded")
IN_PROGRESS = (*FUNDED, "in_progress")
COMMENTED = (*SUBMITTED, "comment")
REPORTED = (*SUBMITTED, "report")


# What a refusal must leave as it was.


def snapshot() -> dict:
    """Every row of proposals, of the audit trail and of the notices (as tests.refusals
    reads them), and the last event and notice, after which an allowed act's own are
    found."""
    last_event = AuditEvent.objects.order_by("pk").last()
    last_notification = Notification.objects.order_by("pk").last()
    return {
        **rows(*PROPOSAL_ROWS),
        "last_audit_event": last_event.pk if last_event else 0,
        "last_notification": last_notification.pk if last_notification else 0,
    }


def new_verbs(before: dict) -> list[str]:
    return list(
        AuditEvent.objects.filter(pk__gt=before["last_audit_event"])
        .order_by("pk")
        .values_list("verb", flat=True)
    )


def new_notifications(before: dict) -> list[tuple[int, str]]:
    return list(
        Notification.objects.filter(pk__gt=before["last_notification"])
        .order_by("pk")
        .values_list("recipient_id", "kind")
    )


def message_texts(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def form_errors(response) -> list[str]:
    errors = []
    for name in ("form", "assign_form"):
        form = response.context.get(name) if response.context else None
        if form is not None:
            errors += [error for field in form.errors.values() for error in field]
    return errors


# The situations and the actions: how each act is done through its page, and what
# "done" means.


@dataclass(frozen=True)
class Situation:
    name: str
    day: str  # the key of DAYS the act happens on
    steps: tuple[str, ...]
    allowed: bool
    refusal: str = ""  # the service's message when it refuses
    private: bool = False  # the proposal is a draft, read only by DRAFT_READERS
    roles: frozenset[str] | None = None  # who is tried, when not the rule of CASES
    variant: str = ""  # which of the action's acts "done" checks


def ok(name, day, steps, **kwargs) -> Situation:
    return Situation(name, day, tuple(steps), True, **kwargs)


def no(name, day, steps, refusal="", **kwargs) -> Situation:
    return Situation(name, day, tuple(steps), False, refusal, **kwargs)


@dataclass(frozen=True)
class Action:
    rule: str
    roles: frozenset[str]
    situations: tuple[Situation, ...]
    act: Callable
    done: Callable
    # The page the act is done from (a form or a confirmation), read with GET.
    page: Callable | None = None
    # How the view shows a refusal of the service: a form error on a 400 page, or a
    # message after a redirect to `refused_to(world)`.
    shows_refusal: str = "form_error"
    refused_to: Callable | None = None
    # The proposal's page takes comments without a login wall, so a private draft is
    # not found before anonymous is asked to sign in.
    login_first: bool = True


NEW_TITLE = "A playground by the school"


def proposal_form(world: World, **overrides) -> dict:
    data = {
        "title": NEW_TITLE,
        "description": "Children have nowhere to play after school.",
        "function": str(world.function.pk),
        "place": str(world.cycle.unit.pk),
        "address": "",
        "cost_estimate": "",
    }
    data.update(overrides)
    return data


def get(name: str, **url_kwargs) -> Callable:
    """The page of proposals:`name`, read with GET, for the world's proposal."""

    def page(client, world):
        return client.get(world.url(name, **url_kwargs))

    return page


def to_proposal(world: World) -> str:
    return world.proposal.get_absolute_url()


def to_cycle_list(world: World) -> str:
    return reverse("proposals:cycle_list", kwargs=world.cycle_kwargs)


def to_support(world: World) -> str:
    return f"{world.proposal.get_absolute_url()}#support"


def to_report_queue(world: World) -> str:
    return reverse("proposals:report_queue")


def _redirected_to_proposal(world: World, response) -> None:
    assert response.status_code == 302
    assert response.url == world.proposal.get_absolute_url()


def _status(world: World) -> str:
    return Proposal.objects.get(pk=world.proposal.pk).status


def _status_notice(world: World) -> list[tuple[int, str]]:
    # The author is told of every move of their proposal; nobody else follows it.
    return [(world.person("resident").pk, "proposal_status_changed")]


# Writing.


def page_create(client, world):
    return client.get(reverse("proposals:create", kwargs=world.cycle_kwargs))


def act_create(client, world):
    return client.post(
        reverse("proposals:create", kwargs=world.cycle_kwargs), proposal_form(world)
    )


def done_create(world, situation, before, response, user):
    proposal = Proposal.objects.get(title=NEW_TITLE)
    assert (
        proposal.status,
        proposal.author,
        proposal.cycle,
        proposal.submitted_at,
    ) == (
        S.DRAFT,
        user,
        world.cycle,
        None,
    )
    assert response.status_code == 302
    assert response.url == proposal.get_absolute_url()
    assert new_verbs(before) == ["proposal.created"]
    assert new_notifications(before) == []


# Nobody has this IIN yet: the proposal waits for its author to sign up.
REGISTERED_IIN = make_iin(9999, born="850505")


def page_register(client, world):
    return client.get(reverse("proposals:register", kwargs=world.cycle_kwargs))


def act_register(client, world):
    return client.post(
        reverse("proposals:register", kwargs=world.cycle_kwargs),
        proposal_form(world, iin=REGISTERED_IIN, author_name="Bibigul Sadykova"),
    )


def done_register(world, situation, before, response, user):
    proposal = Proposal.objects.get(title=NEW_TITLE)
    assert (
        proposal.status,
        proposal.author,
        proposal.author_name,
        proposal.registered_by,
        proposal.submitted_at,
    ) == (S.SUBMITTED, None, "Bibigul Sadykova", user, DAYS["proposals_open"])
    assert response.status_code == 302
    assert response.url == proposal.get_absolute_url()
    assert new_verbs(before) == ["proposal.registered"]
    assert new_notifications(before) == []


EDITED_TITLE = "Street lights on Abai and Kenesary streets"


def act_edit(client, world):
    return client.post(
        world.url("edit"),
        proposal_form(world, title=EDITED_TITLE, address="Abai street"),
    )


def done_edit(world, situation, before, response, user):
    proposal = Proposal.objects.get(pk=world.proposal.pk)
    assert (proposal.title, proposal.status) == (EDITED_TITLE, world.proposal.status)
    _redirected_to_proposal(world, response)
    assert new_verbs(before) == ["proposal.edited"]
    assert new_notifications(before) == []


def act_submit(client, world):
    return client.post(world.url("submit"))


def done_submit(world, situation, before, response, user):
    proposal = Proposal.objects.get(pk=world.proposal.pk)
    assert (proposal.status, proposal.submitted_at) == (
        S.SUBMITTED,
        DAYS["proposals_open"],
    )
    _redirected_to_proposal(world, response)
    assert message_texts(response) == ["Your proposal is submitted and public."]
    assert new_verbs(before) == ["proposal.submitted"]
    assert new_notifications(before) == []


def act_withdraw(client, world):
    return client.post(world.url("withdraw"))


def done_withdraw(world, situation, before, response, user):
    assert _status(world) == S.WITHDRAWN
    _redirected_to_proposal(world, response)
    assert message_texts(response) == ["Your proposal is withdrawn."]
    assert new_verbs(before) == ["proposal.withdrawn"]
    assert new_notifications(before) == []


# What residents do on a proposal's page.


def act_support(client, world):
    return client.post(world.url("support"))


def done_support(world, situation, before, response, user):
    supporters = Support.objects.filter(proposal=world.proposal)
    assert list(supporters.values_list("user", flat=True)) == [user.pk]
    assert response.status_code == 302
    assert response.url == to_support(world)
    assert message_texts(response) == ["You support this proposal."]
    assert new_verbs(before) == ["proposal.supported"]
    assert new_notifications(before) == []


def act_take_back_support(client, world):
    return client.post(world.url("support"), {"action": "withdraw"})


def done_take_back_support(world, situation, before, response, user):
    assert Support.objects.filter(proposal=world.proposal).count() == 0
    assert response.status_code == 302
    assert response.url == to_support(world)
    assert message_texts(response) == ["You no longer support this proposal."]
    assert new_verbs(before) == ["proposal.support_withdrawn"]
    assert new_notifications(before) == []


COMMENT = "Will the lamps be lit all night?"


def act_comment(client, world):
    return client.post(world.url("detail"), {"body": COMMENT, "reply_to": ""})


def done_comment(world, situation, before, response, user):
    comment = ProposalComment.objects.get(proposal=world.proposal, body=COMMENT)
    # The akimat's comments are marked as official.
    is_official = user.pk in {world.person("staff").pk, world.person("akim").pk}
    assert (comment.author, comment.reply_to, comment.is_official) == (
        user,
        None,
        is_official,
    )
    assert response.status_code == 302
    assert response.url == f"{world.proposal.get_absolute_url()}#comment-{comment.pk}"
    assert new_verbs(before) == ["proposal.commented"]
    assert new_notifications(before) == []


EDITED_COMMENT = "Lamps with motion sensors would cost less, and last longer."


def act_comment_edit(client, world):
    return client.post(
        world.url("comment_edit", comment_pk=world.comment.pk),
        {"body": EDITED_COMMENT},
    )


def page_comment_edit(client, world):
    return client.get(world.url("comment_edit", comment_pk=world.comment.pk))


def done_comment_edit(world, situation, before, response, user):
    comment = ProposalComment.objects.get(pk=world.comment.pk)
    assert (comment.body, comment.edited_at) == (
        EDITED_COMMENT,
        DAYS["comment_plus_5"],
    )
    assert response.status_code == 302
    assert response.url == f"{world.proposal.get_absolute_url()}#comment-{comment.pk}"
    assert new_verbs(before) == []
    assert new_notifications(before) == []


def act_follow(client, world):
    return client.post(world.url("follow"))


def done_follow(world, situation, before, response, user):
    followers = ProposalFollower.objects.filter(proposal=world.proposal)
    assert list(followers.values_list("user", flat=True)) == [user.pk]
    _redirected_to_proposal(world, response)
    assert new_verbs(before) == []
    assert new_notifications(before) == []


REPORT_REASON = "It calls a neighbour a thief by name."


def act_report_proposal(client, world):
    return client.post(world.url("report"), {"reason": REPORT_REASON})


def act_report_comment(client, world):
    return client.post(
        world.url("comment_report", comment_pk=world.comment.pk),
        {"reason": REPORT_REASON},
    )


def page_report_comment(client, world):
    return client.get(world.url("comment_report", comment_pk=world.comment.pk))


def done_report(world, situation, before, response, user):
    report = ContentReport.objects.get(reporter=user)
    comment = world.comment if situation.variant == "comment" else None
    assert (report.proposal, report.comment, report.reason, report.status) == (
        world.proposal,
        comment,
        REPORT_REASON,
        "open",
    )
    _redirected_to_proposal(world, response)
    assert new_verbs(before) == ["content.reported"]
    assert new_notifications(before) == []


# Moderation: the same page hides what is shown and restores what is hidden.

MODERATION_REASON = "Names a private person without consent."


def act_moderate_proposal(client, world):
    return client.post(world.url("moderate"), {"reason": MODERATION_REASON})


def act_moderate_comment(client, world):
    return client.post(
        world.url("comment_moderate", comment_pk=world.comment.pk),
        {"reason": MODERATION_REASON},
    )


def page_moderate_comment(client, world):
    return client.get(world.url("comment_moderate", comment_pk=world.comment.pk))


def _done_moderation(world, situation, before, response, target, kind) -> None:
    hidden = situation.variant == "hide"
    target.refresh_from_db()
    assert (target.is_hidden, target.hidden_reason) == (
        hidden,
        MODERATION_REASON if hidden else "",
    )
    _redirected_to_proposal(world, response)
    verb = "hidden" if hidden else "restored"
    assert new_verbs(before) == [f"{kind}.{verb}"]
    # The author of what was hidden or restored is told why.
    assert new_notifications(before) == [
        (world.person("resident").pk, f"{kind}_{verb}")
    ]


def done_moderate_proposal(world, situation, before, response, user):
    _done_moderation(world, situation, before, response, world.proposal, "proposal")


def done_moderate_comment(world, situation, before, response, user):
    _done_moderation(world, situation, before, response, world.comment, "comment")


def act_dismiss_report(client, world):
    return client.post(reverse("proposals:report_dismiss", args=[world.report.pk]))


def done_dismiss_report(world, situation, before, response, user):
    report = ContentReport.objects.get(pk=world.report.pk)
    assert (report.status, report.handled_by) == ("dismissed", user)
    assert response.status_code == 302
    assert response.url == to_report_queue(world)
    assert new_verbs(before) == ["content.report_dismissed"]
    assert new_notifications(before) == []


def act_report_queue(client, world):
    return client.get(reverse("proposals:report_queue"))


def done_report_queue(world, situation, before, response, user):
    assert response.status_code == 200
    assert list(response.context["page"]) == [world.report]


# The akimat's work.


def act_review_queue(client, world):
    return client.get(
        reverse("proposals:review_queue", args=[world.cycle.unit.kato_code])
    )


def done_review_queue(world, situation, before, response, user):
    assert response.status_code == 200
    assert list(response.context["page"]) == [world.proposal]


ASSESSED = {
    "assess": "1",
    "assessment": "recommended",
    "is_within_competence": "yes",
    "assessed_cost": "2300000",
    "feasibility": "Can be done in one summer.",
    "reasons": "Within the akim's competence; the cost is realistic.",
}


def act_review(client, world):
    """Assign the reviewer, then publish the assessment, as the review page does."""
    assigned = client.post(
        world.url("review"),
        {"assign": "1", "reviewer": str(world.person("staff").pk)},
    )
    if assigned.status_code != 302 or assigned.url != world.url("review"):
        return assigned
    return client.post(world.url("review"), ASSESSED)


def done_review(world, situation, before, response, user):
    staff = world.person("staff")
    review = Review.objects.get(proposal=world.proposal)
    assert (
        review.reviewer,
        review.assessment,
        review.completed_by,
        review.assessed_cost,
    ) == (staff, "recommended", user, Decimal("2300000"))
    assert _status(world) == S.RECOMMENDED
    _redirected_to_proposal(world, response)
    assert new_verbs(before) == ["review.assigned", "proposal.recommended"]
    # The reviewer is told of the assignment, unless they assigned themselves.
    assigned = [] if user == staff else [(staff.pk, "review_assigned")]
    assert new_notifications(before) == assigned + _status_notice(world)


DECISION_REASON = "Lighting is the first need residents named."


def act_decide(client, world):
    return client.post(
        world.url("decide"),
        {"decision": "approved", "reason": DECISION_REASON, "confirm": "on"},
    )


def done_decide(world, situation, before, response, user):
    decision = AkimDecision.objects.get(proposal=world.proposal)
    assert (decision.decision, decision.reason, decision.decided_by) == (
        "approved",
        DECISION_REASON,
        user,
    )
    assert _status(world) == S.APPROVED
    _redirected_to_proposal(world, response)
    assert new_verbs(before) == ["proposal.approved"]
    assert new_notifications(before) == _status_notice(world)


def act_include(client, world):
    return client.post(world.url("include"), {"line": str(world.line.pk)})


def done_include(world, situation, before, response, user):
    proposal = Proposal.objects.get(pk=world.proposal.pk)
    assert (proposal.status, proposal.included_line) == (S.INCLUDED, world.line)
    _redirected_to_proposal(world, response)
    assert new_verbs(before) == ["proposal.included"]
    assert new_notifications(before) == _status_notice(world)


def act_start(client, world):
    return client.post(world.url("start"))


def done_start(world, situation, before, response, user):
    assert _status(world) == S.IN_PROGRESS
    _redirected_to_proposal(world, response)
    assert message_texts(response) == ["The proposal is marked as in progress."]
    assert new_verbs(before) == ["proposal.in_progress"]
    assert new_notifications(before) == _status_notice(world)


def act_implement(client, world):
    return client.post(
        world.url("implement"),
        {"text": "Eight lamps installed.", "amount_spent": "2250000"},
    )


def done_implement(world, situation, before, response, user):
    report = ImplementationReport.objects.get(proposal=world.proposal)
    assert (report.text, report.amount_spent, report.reported_by) == (
        "Eight lamps installed.",
        Decimal("2250000"),
        user,
    )
    assert _status(world) == S.IMPLEMENTED
    _redirected_to_proposal(world, response)
    assert new_verbs(before) == ["proposal.implemented"]
    assert new_notifications(before) == _status_notice(world)


# The services' refusals, word for word.

TAKEN_UNTIL = (
    "Proposals for the 2027 budget were taken from 1 March 2026 to 30 April 2026. "
    "The budget is now at: {phase}."
)
ONLY_WHILE_OPEN = "Proposals are taken only while the budget is open for proposals."
REVIEW_STARTED = (
    "Proposals are closed and the review has started: it can no longer change."
)
NOT_EDITABLE = "A proposal can be changed only before its review starts."
SUPPORT_CLOSED = "Proposals are supported only while the budget is open for proposals."
TAKE_BACK_CLOSED = (
    "A support can be taken back only while the budget is open for proposals."
)
NOT_SUPPORTABLE = "Only submitted proposals are supported."
NOT_COMMENTABLE = "Comments are taken on submitted proposals that are not hidden."
NOT_PUBLIC = "This proposal is not public."
NOT_UNDER_REVIEW = "This proposal is not under review."
ALREADY_REPORTED = "You have already reported this; a moderator will look at it."


def cannot_become(current: str, target: str) -> str:
    with translation.override("en"):
        return f"A proposal that is {S(current).label} cannot become {S(target).label}."


AUTHOR = frozenset({"resident"})
# The refusals of the acts everyone signed in may do are tried on a few of them.
SOME_SIGNED_IN = frozenset({"resident", "neighbour", "staff", "moderator"})

OPEN = "proposals_open"

ACTIONS: dict[str, Action] = {
    "create": Action(
        rule="proposals.create",
        roles=RESIDENTS,
        situations=(
            ok(OPEN, OPEN, ()),
            ok("planned", "planned", ()),
            no("review", "review", (), TAKEN_UNTIL.format(phase="review of proposals")),
            no(
                "drafting",
                "drafting",
                (),
                TAKEN_UNTIL.format(phase="drafting the budget"),
            ),
        ),
        act=act_create,
        done=done_create,
        page=page_create,
        # Out of its phase, the page refuses before the service is asked.
        shows_refusal="message_redirect",
        refused_to=to_cycle_list,
    ),
    "register_on_behalf": Action(
        rule="proposals.register_on_behalf",
        roles=STAFF_AND_AKIM,
        situations=(
            ok(OPEN, OPEN, ()),
            no("planned", "planned", (), ONLY_WHILE_OPEN),
            no("review", "review", (), ONLY_WHILE_OPEN),
        ),
        act=act_register,
        done=done_register,
        page=page_register,
    ),
    "edit": Action(
        rule="proposals.change",
        roles=AUTHOR,
        situations=(
            ok(OPEN, OPEN, SUBMITTED),
            ok("planned_draft", "planned", ["draft_planned"], private=True),
            no("review", "review", UNDER_REVIEW, NOT_EDITABLE),
            # The clock job has not yet started the review: the dates hold all the same.
            no("review_before_the_job", "review", SUBMITTED, REVIEW_STARTED),
            no("drafting_draft", "drafting", ["draft"], REVIEW_STARTED, roles=AUTHOR),
        ),
        act=act_edit,
        done=done_edit,
        page=get("edit"),
    ),
    "submit": Action(
        rule="proposals.submit",
        roles=AUTHOR,
        situations=(
            ok(OPEN, OPEN, ["draft"], private=True),
            no("planned", "planned", ["draft_planned"], ONLY_WHILE_OPEN, roles=AUTHOR),
            no("review", "review", ["draft"], ONLY_WHILE_OPEN, roles=AUTHOR),
        ),
        act=act_submit,
        done=done_submit,
        page=get("submit"),
        shows_refusal="message_redirect",
        refused_to=to_proposal,
    ),
    "withdraw": Action(
        rule="proposals.change",
        roles=AUTHOR,
        situations=(
            ok(OPEN, OPEN, SUBMITTED),
            ok("proposals_open_draft", OPEN, ["draft"], private=True),
            no(
                "review",
                "review",
                UNDER_REVIEW,
                cannot_become(S.UNDER_REVIEW, S.WITHDRAWN),
            ),
            no("review_before_the_job", "review", SUBMITTED, REVIEW_STARTED),
        ),
        act=act_withdraw,
        done=done_withdraw,
        page=get("withdraw"),
        shows_refusal="message_redirect",
        refused_to=to_proposal,
    ),
    "support": Action(
        rule="proposals.support",
        roles=RESIDENTS,
        situations=(
            ok(OPEN, OPEN, SUBMITTED),
            no(
                "proposals_open_twice",
                OPEN,
                [*SUBMITTED, "supported_by_actor"],
                "You already support this proposal.",
            ),
            no("proposals_open_hidden", OPEN, [*SUBMITTED, "hidden"], NOT_SUPPORTABLE),
            no("review_before_the_job", "review", SUBMITTED, SUPPORT_CLOSED),
            no("review", "review", UNDER_REVIEW, NOT_SUPPORTABLE),
        ),
        act=act_support,
        done=done_support,
        shows_refusal="message_redirect",
        refused_to=to_support,
    ),
    "take_back_support": Action(
        rule="proposals.support",
        roles=RESIDENTS,
        situations=(
            ok(OPEN, OPEN, [*SUBMITTED, "supported_by_actor"]),
            no(
                "proposals_open_not_given",
                OPEN,
                SUBMITTED,
                "You do not support this proposal.",
            ),
            no(
                "review",
                "review",
                [*SUBMITTED, "supported_by_actor", "under_review"],
                TAKE_BACK_CLOSED,
            ),
        ),
        act=act_take_back_support,
        done=done_take_back_support,
        shows_refusal="message_redirect",
        refused_to=to_support,
    ),
    "comment": Action(
        rule="proposals.comment",
        roles=RESIDENTS | STAFF_AND_AKIM,
        situations=(
            ok(OPEN, OPEN, SUBMITTED),
            # Comments are not bound to a phase: the discussion goes on under review.
            ok("review", "review", UNDER_REVIEW),
            no("proposals_open_hidden", OPEN, [*SUBMITTED, "hidden"], NOT_COMMENTABLE),
            no("proposals_open_draft", OPEN, ["draft"], NOT_COMMENTABLE, private=True),
        ),
        act=act_comment,
        done=done_comment,
        shows_refusal="message_redirect",
        refused_to=to_proposal,
        login_first=False,
    ),
    "edit_comment": Action(
        rule="proposals.edit_comment",
        roles=AUTHOR,
        situations=(
            ok("within_15_minutes", "comment_plus_5", COMMENTED),
            no(
                "after_15_minutes",
                "comment_plus_16",
                COMMENTED,
                "A comment can be edited for 15 minutes after it is written.",
            ),
            no(
                "hidden",
                "comment_plus_5",
                [*COMMENTED, "comment_hidden"],
                "A hidden comment cannot be edited.",
            ),
        ),
        act=act_comment_edit,
        done=done_comment_edit,
        page=page_comment_edit,
    ),
    "follow": Action(
        rule="proposals.follow",
        roles=SIGNED_IN,
        situations=(
            ok(OPEN, OPEN, SUBMITTED),
            no("proposals_open_draft", OPEN, ["draft"], NOT_PUBLIC, private=True),
        ),
        act=act_follow,
        done=done_follow,
        shows_refusal="message_redirect",
        refused_to=to_proposal,
    ),
    "report": Action(
        rule="proposals.report",
        roles=SIGNED_IN,
        situations=(
            ok(OPEN, OPEN, SUBMITTED),
            no(
                "proposals_open_twice",
                OPEN,
                [*SUBMITTED, "reported_by_actor"],
                ALREADY_REPORTED,
                roles=SOME_SIGNED_IN,
            ),
            no("proposals_open_draft", OPEN, ["draft"], NOT_PUBLIC, private=True),
        ),
        act=act_report_proposal,
        done=done_report,
        page=get("report"),
    ),
    "report_comment": Action(
        rule="proposals.report",
        roles=SIGNED_IN,
        situations=(ok(OPEN, OPEN, COMMENTED, variant="comment"),),
        act=act_report_comment,
        done=done_report,
        page=page_report_comment,
    ),
    "moderate_proposal": Action(
        rule="proposals.moderate",
        roles=frozenset({"moderator"}),
        situations=(
            ok("hide", OPEN, SUBMITTED, variant="hide"),
            ok("restore", OPEN, [*SUBMITTED, "hidden"], variant="restore"),
            ok("hide_under_review", "review", UNDER_REVIEW, variant="hide"),
            # A moderator does not read a private draft: there is nothing public to hide.
            no("draft", OPEN, ["draft"], private=True),
        ),
        act=act_moderate_proposal,
        done=done_moderate_proposal,
        page=get("moderate"),
    ),
    "moderate_comment": Action(
        rule="proposals.moderate",
        roles=frozenset({"moderator"}),
        situations=(
            ok("hide", OPEN, COMMENTED, variant="hide"),
            ok("restore", OPEN, [*COMMENTED, "comment_hidden"], variant="restore"),
        ),
        act=act_moderate_comment,
        done=done_moderate_comment,
        page=page_moderate_comment,
    ),
    "dismiss_report": Action(
        rule="proposals.moderate",
        roles=frozenset({"moderator"}),
        situations=(
            ok(OPEN, OPEN, REPORTED),
            no(
                "proposals_open_handled",
                OPEN,
                [*REPORTED, "report_dismissed"],
                "This report has already been handled.",
            ),
        ),
        act=act_dismiss_report,
        done=done_dismiss_report,
        shows_refusal="message_redirect",
        refused_to=to_report_queue,
    ),
    "see_report_queue": Action(
        rule="proposals.view_reports",
        roles=frozenset({"moderator"}),
        situations=(ok(OPEN, OPEN, REPORTED),),
        act=act_report_queue,
        done=done_report_queue,
    ),
    "see_review_queue": Action(
        rule="proposals.view_review_queue",
        roles=STAFF_AND_AKIM,
        situations=(ok("review", "review", UNDER_REVIEW),),
        act=act_review_queue,
        done=done_review_queue,
    ),
    "review": Action(
        rule="proposals.review",
        roles=STAFF_AND_AKIM,
        situations=(
            ok("review", "review", UNDER_REVIEW),
            no(OPEN, OPEN, SUBMITTED, NOT_UNDER_REVIEW),
            no("review_assessed", "review", RECOMMENDED, NOT_UNDER_REVIEW),
        ),
        act=act_review,
        done=done_review,
        page=get("review"),
    ),
    "decide": Action(
        rule="proposals.decide",
        roles=frozenset({"akim"}),
        situations=(
            ok("review", "review", RECOMMENDED),
            no(
                "review_not_assessed",
                "review",
                UNDER_REVIEW,
                cannot_become(S.UNDER_REVIEW, S.APPROVED),
            ),
            no(
                "review_decided",
                "review",
                APPROVED,
                cannot_become(S.APPROVED, S.APPROVED),
            ),
        ),
        act=act_decide,
        done=done_decide,
        page=get("decide"),
    ),
    "include": Action(
        rule="proposals.include",
        roles=STAFF_AND_AKIM,
        situations=(
            ok("drafting", "drafting", [*APPROVED, "budget_draft"]),
            no(
                "drafting_not_decided",
                "drafting",
                [*RECOMMENDED, "budget_draft"],
                cannot_become(S.RECOMMENDED, S.INCLUDED),
            ),
            no(
                "drafting_included",
                "drafting",
                INCLUDED,
                cannot_become(S.INCLUDED, S.INCLUDED),
            ),
        ),
        act=act_include,
        done=done_include,
        page=get("include"),
    ),
    "start": Action(
        rule="proposals.start",
        roles=STAFF_AND_AKIM,
        situations=(
            ok("after_adoption", "after_adoption", FUNDED),
            no(
                "drafting_not_funded",
                "drafting",
                INCLUDED,
                cannot_become(S.INCLUDED, S.IN_PROGRESS),
            ),
        ),
        act=act_start,
        done=done_start,
        page=get("start"),
        shows_refusal="message_redirect",
        refused_to=to_proposal,
    ),
    "implement": Action(
        rule="proposals.implement",
        roles=STAFF_AND_AKIM,
        situations=(
            ok("after_adoption", "after_adoption", IN_PROGRESS),
            no(
                "after_adoption_not_started",
                "after_adoption",
                FUNDED,
                cannot_become(S.FUNDED, S.IMPLEMENTED),
            ),
        ),
        act=act_implement,
        done=done_implement,
        page=get("implement"),
    ),
}


# Who is tried in each situation: every role in the first one; in a private draft, the
# action's roles, the draft's readers and a neighbour who may not read it (and anonymous,
# where the draft is not found before the login is asked); otherwise the roles the rule
# allows, whom only the service may refuse.


def tried(action: Action, index: int, situation: Situation) -> frozenset[str]:
    if situation.roles is not None:
        return situation.roles
    if index == 0:
        return frozenset(ROLES)
    if situation.private:
        probes = DRAFT_READERS | {"neighbour"}
        if not action.login_first:
            probes |= {"anonymous"}
        return action.roles | probes
    return action.roles


CASES = [
    pytest.param(role, name, index, id=f"{name}-{situation.name}-{role}")
    for name, action in ACTIONS.items()
    for index, situation in enumerate(action.situations)
    for role in ROLES
    if role in tried(action, index, situation)
]


@pytest.mark.parametrize(("role", "action_name", "index"), CASES)
def test_permission_matrix(client, cycle, function, people, role, action_name, index):
    # Given the proposal brought to its status, and the person signed in
    action = ACTIONS[action_name]
    situation = action.situations[index]
    world = World(cycle=cycle, function=function, person=people, role=role)
    for step in situation.steps:
        STEPS[step](world)
    if world.proposal is not None:
        world.proposal = Proposal.objects.get(pk=world.proposal.pk)
    user = world.actor
    before = snapshot()

    # When they open the act's page (in its first situation) and do the act, on a day
    # of the phase
    with _at(situation.day):
        if user is not None:
            client.force_login(user)
        page = action.page(client, world) if action.page and index == 0 else None
        response = action.act(client, world)

    # Then
    if page is not None:
        assert_page(action, role, situation, page)
    assert_outcome(action, role, situation, world, response, before, user)


def _is_hidden_from(role: str, situation: Situation) -> bool:
    return situation.private and role not in DRAFT_READERS


# What a page offers for each act: the key of its context the button or link is shown by,
# on the proposal's page or, for a new proposal, on the cycle's list of proposals.
OFFERS = {
    "create": "may_create",
    "register_on_behalf": "may_register",
    "edit": "may_change",
    "submit": "may_submit",
    "withdraw": "may_change",
    "support": "may_support",
    "take_back_support": "may_support",
    "comment": "may_comment",
    "moderate_proposal": "may_moderate",
    "review": "may_review",
    "decide": "may_decide",
    "include": "may_include",
    "start": "may_start",
    "implement": "may_implement",
}
# Refusals that are not of the proposal's state: the support button offers the other way
# (take back a support given, give one not given).
NOT_STATE = frozenset(
    {
        ("support", "proposals_open_twice"),
        ("take_back_support", "proposals_open_not_given"),
    }
)
OFFER_CASES = [
    pytest.param(role, name, index, id=f"{name}-{situation.name}-{role}")
    for name, index, situation, role in (
        (name, index, situation, role)
        for name in OFFERS
        for index, situation in enumerate(ACTIONS[name].situations)
        for role in sorted(tried(ACTIONS[name], index, situation))
    )
    if not _is_hidden_from(role, situation) and (name, situation.name) not in NOT_STATE
]


@pytest.mark.parametrize(("role", "action_name", "index"), OFFER_CASES)
def test_a_page_offers_an_act_exactly_when_its_rule_lets_it_through(
    client, cycle, function, people, role, action_name, index
):
    # Given the proposal brought to the situation of an act, and the person signed in
    action = ACTIONS[action_name]
    situation = action.situations[index]
    world = World(cycle=cycle, function=function, person=people, role=role)
    for step in situation.steps:
        STEPS[step](world)
    user = world.actor
    # When they read the page the act is offered on, on the day of the act
    with _at(situation.day):
        if user is not None:
            client.force_login(user)
        if world.proposal is None:
            page = client.get(
                reverse("proposals:cycle_list", kwargs=world.cycle_kwargs)
            )
        else:
            page = client.get(world.proposal.get_absolute_url())
    # Then the act is offered to whom the matrix lets do it, in the situations it is done
    assert page.status_code == 200
    offered = page.context[OFFERS[action_name]]
    assert offered == (role in action.roles and situation.allowed)


def _sent_to_sign_in(response) -> None:
    assert response.status_code == 302
    assert response.url == f"/en/accounts/login/?next={response.request['PATH_INFO']}"


def _refused_by_rule(response, rule: str) -> None:
    assert response.status_code == 403
    assert escape(str(refusal(rule))) in response.content.decode()


def assert_page(action, role, situation, page) -> None:
    """The act's page answers as the act does: sign in, not found, 403, or the page."""
    if role == "anonymous":
        _sent_to_sign_in(page)
    elif _is_hidden_from(role, situation):
        assert page.status_code == 404
    elif role not in action.roles:
        _refused_by_rule(page, action.rule)
    else:
        assert page.status_code == 200


def assert_outcome(action, role, situation, world, response, before, user) -> None:
    """What the matrix expects of one act: sign-in, not found, 403 with the reason, the
    change, or the service's refusal shown as the view shows it, with nothing changed."""
    hidden = _is_hidden_from(role, situation)
    if role == "anonymous" and (action.login_first or not hidden):
        _sent_to_sign_in(response)
    elif hidden:
        assert response.status_code == 404
    elif role not in action.roles:
        _refused_by_rule(response, action.rule)
    elif situation.allowed:
        action.done(world, situation, before, response, user)
        return
    elif action.shows_refusal == "form_error":
        assert response.status_code == 400
        assert form_errors(response) == [situation.refusal]
        assert escape(situation.refusal) in response.content.decode()
    else:
        assert response.status_code == 302
        assert response.url == action.refused_to(world)
        assert message_texts(response) == [situation.refusal]
    assert snapshot() == before


# Reading: everything public is read by everyone; a draft only by its author and the staff.


@pytest.mark.parametrize("role", ROLES)
def test_a_private_draft_is_read_only_by_its_author_and_the_unit_staff(
    client, cycle, function, people, role
):
    # Given a draft not yet submitted
    proposal = make_draft(cycle, people("resident"), function)
    user = people(role)
    if user is not None:
        client.force_login(user)
    # When someone opens its page
    with _at("proposals_open"):
        response = client.get(proposal.get_absolute_url())
    # Then only the author and the akimat of the unit find it
    if role in DRAFT_READERS:
        assert response.status_code == 200
        assert response.context["proposal"] == proposal
    else:
        assert response.status_code == 404


@pytest.mark.parametrize("role", ROLES)
def test_a_submitted_proposal_and_the_lists_are_read_by_everyone_without_the_drafts(
    client, cycle, function, people, role
):
    # Given a submitted proposal and a draft of the same author
    author = people("resident")
    submitted = make_submitted(cycle, author, function)
    make_draft(cycle, author, function, title="A private idea")
    user = people(role)
    if user is not None:
        client.force_login(user)
    kato_code = cycle.unit.kato_code
    with _at("proposals_open"):
        # When anyone opens the proposal's page, and the lists of the unit's proposals
        page = client.get(submitted.get_absolute_url())
        lists = [
            client.get(reverse("proposals:cycle_list", args=[kato_code, 2027])),
            client.get(reverse("proposals:unit_list", args=[kato_code])),
        ]
    # Then they read the proposal, and the lists show it alone, even to its author
    assert page.status_code == 200
    assert page.context["proposal"] == submitted
    for response in lists:
        assert response.status_code == 200
        assert list(response.context["page"]) == [submitted]
        assert "A private idea" not in response.content.decode()


@pytest.mark.parametrize("role", ROLES)
def test_my_proposals_are_listed_for_the_signed_in_only(
    client, cycle, function, people, role
):
    # Given a draft of the resident
    draft = make_draft(cycle, people("resident"), function)
    user = people(role)
    if user is not None:
        client.force_login(user)
    # When someone opens "my proposals"
    with _at("proposals_open"):
        response = client.get(reverse("proposals:mine"))
    # Then anonymous signs in first; each signed-in person sees their own, drafts included
    if role == "anonymous":
        assert response.status_code == 302
        assert response.url == "/en/accounts/login/?next=/en/proposals/mine/"
    else:
        assert response.status_code == 200
        assert list(response.context["page"]) == ([draft] if role == "resident" else [])


# No interface skips the invariants. The matrix already shows that staff who are not
# residents cannot support, that the author cannot review or decide, and that the staff
# cannot decide in the akim's place; here, the roles of other units and of other times,
# and the services called directly.


@pytest.fixture
def world_of(cycle, function, people):
    def build(steps, role="resident"):
        world = World(cycle=cycle, function=function, person=people, role=role)
        for step in steps:
            STEPS[step](world)
        world.proposal = Proposal.objects.get(pk=world.proposal.pk)
        return world

    return build


def test_the_akim_of_another_unit_cannot_decide(client, territory, world_of):
    # Given a recommended proposal, and the akim of the neighbouring rural district
    world = world_of(RECOMMENDED)
    other_akim = MembershipFactory(
        role=Role.AKIM, unit=territory["other_rural_district"]
    ).user
    client.force_login(other_akim)
    # When they decide on it
    # Then they are refused, and nothing changed
    with _at("review"), unchanged(*PROPOSAL_ROWS):
        response = act_decide(client, world)
    _refused_by_rule(response, "proposals.decide")


def test_a_moderator_of_another_region_cannot_hide_and_sees_no_report_of_this_one(
    client, world_of
):
    # Given a reported proposal, and the moderator of another region
    world = world_of(REPORTED)
    elsewhere = UnitFactory(kato_code="350000000", level=Level.REGION)
    other_moderator = MembershipFactory(role=Role.MODERATOR, unit=elsewhere).user
    client.force_login(other_moderator)
    # When they open their queue, hide the proposal, or dismiss its report
    # Then nothing changed
    with _at("proposals_open"), unchanged(*PROPOSAL_ROWS):
        queue = act_report_queue(client, world)
        hidden = act_moderate_proposal(client, world)
        dismissed = act_dismiss_report(client, world)
    # and their queue is empty, and both acts are refused
    assert queue.status_code == 200
    assert list(queue.context["page"]) == []
    _refused_by_rule(hidden, "proposals.moderate")
    _refused_by_rule(dismissed, "proposals.moderate")


def test_a_resident_awaiting_confirmation_cannot_propose_or_support(
    client, territory, world_of
):
    # Given a submitted proposal, and a resident whose residency is not yet confirmed
    world = world_of(SUBMITTED)
    pending = ResidencyFactory(
        user__iin=fresh_iin(),
        place=territory["village"],
        budget_unit=territory["rural_district"],
        status=ResidencyStatus.PENDING,
    ).user
    client.force_login(pending)
    # When they write a proposal or support one
    # Then both are refused, and nothing changed
    with _at("proposals_open"), unchanged(*PROPOSAL_ROWS):
        created = act_create(client, world)
        supported = act_support(client, world)
    _refused_by_rule(created, "proposals.create")
    _refused_by_rule(supported, "proposals.support")


def test_staff_whose_membership_ended_cannot_review(client, territory, world_of):
    # Given a proposal under review, and a former member of the unit's akimat
    world = world_of(UNDER_REVIEW)
    former = MembershipFactory(
        role=Role.AKIMAT_STAFF,
        unit=territory["rural_district"],
        ends_on=DAYS["review"].date() - timedelta(days=1),
    ).user
    client.force_login(former)
    # When they assign a reviewer and assess it
    # Then they are refused, and nothing changed
    with _at("review"), unchanged(*PROPOSAL_ROWS):
        response = act_review(client, world)
    _refused_by_rule(response, "proposals.review")


@pytest.mark.parametrize("role", ["staff", "outsider", "moderator"])
def test_the_services_refuse_a_support_from_anyone_but_a_resident(
    world_of, people, role
):
    # Given a submitted proposal
    world = world_of(SUBMITTED)
    # When someone who is not a resident of the unit calls the service directly
    # Then it refuses them as the page does, and nothing changed
    with _at("proposals_open"), refused("not_a_resident", *PROPOSAL_ROWS):
        services.support_add(proposal=world.proposal, user=people(role))


@pytest.mark.parametrize("role", ["staff", "outsider"])
def test_the_services_refuse_a_proposal_from_anyone_but_a_resident(
    cycle, function, people, role
):
    with _at("proposals_open"), refused("not_a_resident", *PROPOSAL_ROWS):
        make_draft(cycle, people(role), function)


def test_the_services_refuse_to_submit_for_a_resident_who_moved_away(world_of, people):
    # Given a draft, and its author's residency no longer confirmed
    world = world_of(("draft",))
    author = people("resident")
    author.residencies.update(status=ResidencyStatus.PENDING)
    # When the author submits it
    # Then it is refused, and nothing changed
    with _at("proposals_open"), refused("not_a_resident", *PROPOSAL_ROWS):
        services.proposal_submit(proposal=world.proposal, actor=author)
