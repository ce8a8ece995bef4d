"""The proposal's lifecycle: the table of moves, each service refusing every status it may
not move from, the audit event of every allowed move, withdrawal, editing once the review
has begun, the per-person limit and staff registering a proposal for a resident."""

from __future__ import annotations

import itertools
from types import SimpleNamespace

import pytest
import time_machine
from django.urls import reverse

from accounts.iin import iin_digest
from portal.errors import DomainError
from portal.models import AuditEvent, Notification
from proposals import lifecycle, selectors, services
from proposals.lifecycle import TRANSITIONS
from proposals.models import Proposal, ProposalStatus
from tests.accounts.factories import ResidencyFactory, UserFactory, make_iin
from tests.proposals.conftest import (
    ASSESSMENT,
    DAY_IN,
    PROPOSAL_ROWS,
    PROPOSALS_END,
    at,
    make_draft,
    make_submitted,
    proposal_input,
)
from tests.proposals.factories import (
    AkimDecisionFactory,
    ImplementationReportFactory,
    ReviewFactory,
)
from tests.refusals import refused, unchanged

S = ProposalStatus
STATUSES = list(S.values)
IMPLEMENTED_ON = at(2027, 6, 1)

# What each status carries besides itself, so that a proposal built in it looks as if it
# had got there through the services.
REVIEWED = {
    S.UNDER_REVIEW,
    S.RECOMMENDED,
    S.NOT_RECOMMENDED,
    S.APPROVED,
    S.REJECTED,
    S.INCLUDED,
    S.FUNDED,
    S.IN_PROGRESS,
    S.IMPLEMENTED,
}
ASSESSED = REVIEWED - {S.UNDER_REVIEW}
DECIDED = ASSESSED - {S.RECOMMENDED, S.NOT_RECOMMENDED}
INCLUDED = {S.INCLUDED, S.FUNDED, S.IN_PROGRESS, S.IMPLEMENTED}
FUNDED = INCLUDED - {S.INCLUDED}


@pytest.fixture
def cast(cycle, resident, staff, akim, function, draft):
    """The people and the draft line a proposal meets on its way."""
    return SimpleNamespace(
        cycle=cycle,
        resident=resident,
        staff=staff,
        akim=akim,
        function=function,
        draft=draft,
        line=draft.lines.get(classification__code="E701"),
    )


def proposal_in(status: str, cast) -> Proposal:
    """A proposal of the resident in `status`, with the rows that status implies."""
    proposal = make_draft(cast.cycle, cast.resident, cast.function)
    if status == S.DRAFT:
        return proposal
    Proposal.objects.filter(pk=proposal.pk).update(
        status=status,
        submitted_at=DAY_IN["proposals_open"],
        included_line=cast.line if status in INCLUDED else None,
        funding_line=cast.line if status in FUNDED else None,
    )
    if status in ASSESSED:
        ReviewFactory(
            proposal=proposal,
            assessed=True,
            assessment=(
                S.NOT_RECOMMENDED if status == S.NOT_RECOMMENDED else S.RECOMMENDED
            ),
            completed_by=cast.staff,
        )
    elif status in REVIEWED:
        ReviewFactory(proposal=proposal)
    if status in DECIDED:
        AkimDecisionFactory(
            proposal=proposal,
            decision=S.REJECTED if status == S.REJECTED else S.APPROVED,
            decided_by=cast.akim,
        )
    if status == S.IMPLEMENTED:
        ImplementationReportFactory(proposal=proposal, reported_by=cast.staff)
    proposal.refresh_from_db()
    return proposal


def events_of(proposal: Proposal) -> list[tuple]:
    return list(
        AuditEvent.objects.filter(
            target_id=str(proposal.pk), verb__startswith="proposal."
        )
        .order_by("pk")
        .values_list("verb", "actor_id", "details")
    )


# The table of moves.


@pytest.mark.parametrize(
    ("current", "target"),
    [
        pytest.param(current, target, id=f"{current}->{target}")
        for current, target in itertools.product(STATUSES, STATUSES)
    ],
)
def test_the_lifecycle_allows_exactly_the_moves_written_down(current, target):
    # Given the pair of statuses, when the lifecycle is asked whether one may follow the
    # other, then it allows the written-down moves and refuses the rest by name
    if target in TRANSITIONS[current]:
        lifecycle.transition_check(current, target)
        assert lifecycle.can_move(current, target) is True
    else:
        with pytest.raises(DomainError) as refusal:
            lifecycle.transition_check(current, target)
        assert refusal.value.code == f"proposal_{current}_to_{target}"
        assert str(refusal.value.message) == (
            f"A proposal that is {S(current).label} cannot become {S(target).label}."
        )
        assert lifecycle.can_move(current, target) is False


def test_every_status_has_its_moves_written_down():
    assert set(TRANSITIONS) == set(STATUSES)
    assert {
        (current, target)
        for current, targets in TRANSITIONS.items()
        for target in targets
    } == set(MOVES_TESTED)


# Each service refuses every status it may not move a proposal from.


def _submit(proposal, cast):
    return services.proposal_submit(proposal=proposal, actor=cast.resident)


def _withdraw(proposal, cast):
    return services.proposal_withdraw(proposal=proposal, actor=cast.resident)


def _assess(proposal, cast, *, assessment=ASSESSMENT):
    return services.review_complete(
        proposal=proposal, actor=cast.staff, data=assessment
    )


def _decide(proposal, cast, *, decision="approved"):
    return services.proposal_decide(
        proposal=proposal,
        actor=cast.akim,
        decision=decision,
        reason="Residents need it.",
    )


def _include(proposal, cast):
    return services.proposal_include(
        proposal=proposal, actor=cast.staff, line=cast.line
    )


def _start(proposal, cast):
    return services.proposal_start(proposal=proposal, actor=cast.staff)


def _implement(proposal, cast):
    return services.proposal_implement(
        proposal=proposal,
        actor=cast.staff,
        text="Eight lamps installed.",
        amount_spent="2250000",
    )


# service: (the act, the day it is done on, the statuses it moves from, the refusal's code)
SERVICES = {
    "proposal_submit": (
        _submit,
        DAY_IN["proposals_open"],
        {S.DRAFT},
        "proposal_{}_to_submitted",
    ),
    "proposal_withdraw": (
        _withdraw,
        DAY_IN["proposals_open"],
        {S.DRAFT, S.SUBMITTED},
        "proposal_{}_to_withdrawn",
    ),
    "review_complete": (
        _assess,
        at(2026, 5, 6),
        {S.UNDER_REVIEW},
        "not_under_review",
    ),
    "proposal_decide": (
        _decide,
        at(2026, 5, 8),
        {S.RECOMMENDED, S.NOT_RECOMMENDED},
        "proposal_{}_to_approved",
    ),
    "proposal_include": (
        _include,
        DAY_IN["drafting"],
        {S.APPROVED},
        "proposal_{}_to_included",
    ),
    "proposal_start": (
        _start,
        IMPLEMENTED_ON,
        {S.FUNDED},
        "proposal_{}_to_in_progress",
    ),
    "proposal_implement": (
        _implement,
        IMPLEMENTED_ON,
        {S.IN_PROGRESS},
        "proposal_{}_to_implemented",
    ),
}


@pytest.mark.parametrize(
    ("service", "status"),
    [
        pytest.param(service, status, id=f"{service}-from-{status}")
        for service, (_act, _on, allowed, _code) in SERVICES.items()
        for status in STATUSES
        if status not in allowed
    ],
)
def test_a_service_refuses_a_proposal_in_a_status_it_does_not_move_from(
    cast, service, status
):
    # Given a proposal in a status the service does not move a proposal from
    act, on, _allowed, code = SERVICES[service]
    proposal = proposal_in(status, cast)

    # When the service is called on the day it would otherwise act
    # Then it is refused by name, and nothing changed and nobody was told
    with (
        time_machine.travel(on, tick=False),
        refused(code.format(status), *PROPOSAL_ROWS),
    ):
        act(proposal, cast)


# Every allowed move writes exactly one audit event.


def deadline() -> dict:
    """The review's deadline, counted in working days from the day the proposals closed."""
    return {"deadline": services.review_deadline(PROPOSALS_END).isoformat()}


# (current, target): (the act, the day, who acts, the details beyond from and status, or
# what gives them)
MOVES_TESTED = {
    (S.DRAFT, S.SUBMITTED): (_submit, DAY_IN["proposals_open"], "resident", {}),
    (S.DRAFT, S.WITHDRAWN): (_withdraw, DAY_IN["proposals_open"], "resident", {}),
    (S.SUBMITTED, S.WITHDRAWN): (_withdraw, DAY_IN["proposals_open"], "resident", {}),
    (S.SUBMITTED, S.UNDER_REVIEW): (
        lambda proposal, cast: services.reviews_start(cycles=[cast.cycle]),
        at(2026, 5, 4),
        None,
        deadline,
    ),
    (S.UNDER_REVIEW, S.RECOMMENDED): (
        _assess,
        at(2026, 5, 6),
        "staff",
        {"assessment": "recommended", "on_time": True},
    ),
    (S.UNDER_REVIEW, S.NOT_RECOMMENDED): (
        lambda proposal, cast: _assess(
            proposal,
            cast,
            assessment=services.AssessmentInput(
                assessment="not_recommended",
                is_within_competence=False,
                reasons="Outside the akim's competence: a district road.",
            ),
        ),
        at(2026, 5, 6),
        "staff",
        {"assessment": "not_recommended", "on_time": True},
    ),
    **{
        (assessed, decision): (
            lambda proposal, cast, decision=decision: _decide(
                proposal, cast, decision=decision
            ),
            at(2026, 5, 8),
            "akim",
            {"reason": "Residents need it."},
        )
        for assessed in (S.RECOMMENDED, S.NOT_RECOMMENDED)
        for decision in (S.APPROVED, S.REJECTED)
    },
    (S.APPROVED, S.INCLUDED): (
        _include,
        DAY_IN["drafting"],
        "staff",
        {"version": 1, "line": "E701"},
    ),
    (S.INCLUDED, S.FUNDED): (
        lambda proposal, cast: services.proposals_fund(draft=cast.draft),
        DAY_IN["maslikhat_vote"],
        None,
        {"version": 1, "line": "E701"},
    ),
    (S.FUNDED, S.IN_PROGRESS): (_start, IMPLEMENTED_ON, "staff", {}),
    (S.IN_PROGRESS, S.IMPLEMENTED): (
        _implement,
        IMPLEMENTED_ON,
        "staff",
        {"amount_spent": "2250000"},
    ),
}


@pytest.mark.parametrize(
    ("current", "target"),
    [pytest.param(*move, id=f"{move[0]}->{move[1]}") for move in MOVES_TESTED],
)
def test_an_allowed_move_writes_exactly_one_audit_event(cast, current, target):
    # Given a proposal in the status the move starts from
    act, on, actor, details = MOVES_TESTED[(current, target)]
    proposal = proposal_in(current, cast)
    before = events_of(proposal)
    if callable(details):
        details = details()

    # When the service moves it
    with time_machine.travel(on, tick=False):
        act(proposal, cast)

    # Then it has the new status, and one audit event names the move
    proposal.refresh_from_db()
    assert proposal.status == target
    assert events_of(proposal) == [
        *before,
        (
            f"proposal.{target}",
            getattr(cast, actor).pk if actor else None,
            {"from": current, "status": target, **details},
        ),
    ]


# Withdrawing.


def test_a_withdrawn_submitted_proposal_stays_public_marked_withdrawn(
    client, submitted, resident, cycle
):
    # Given a submitted proposal
    # When its author withdraws it
    with time_machine.travel(DAY_IN["proposals_open"], tick=False):
        services.proposal_withdraw(proposal=submitted, actor=resident)

        # Then everyone still reads it, on its page and in the list, marked as withdrawn
        assert list(Proposal.objects.public()) == [submitted]
        page = client.get(submitted.get_absolute_url())
        listing = client.get(
            reverse("proposals:cycle_list", args=[cycle.unit.kato_code, 2027])
        )
    assert page.status_code == 200
    assert 'data-testid="proposal-status">withdrawn</span>' in page.content.decode()
    assert listing.status_code == 200
    assert "Street lights on Abai street" in listing.content.decode()


def test_a_withdrawn_draft_stays_private_to_its_author(
    client, cycle, resident, neighbour, function
):
    # Given a draft that was never submitted
    proposal = make_draft(cycle, resident, function)

    # When its author withdraws it
    with time_machine.travel(DAY_IN["proposals_open"], tick=False):
        services.proposal_withdraw(proposal=proposal, actor=resident)
        proposal.refresh_from_db()

        # Then it is not public: nobody else finds it, its author still does
        assert proposal.status == S.WITHDRAWN
        assert proposal.submitted_at is None
        assert list(Proposal.objects.public()) == []
        assert client.get(proposal.get_absolute_url()).status_code == 404
        client.force_login(neighbour)
        assert client.get(proposal.get_absolute_url()).status_code == 404
        client.force_login(resident)
        assert client.get(proposal.get_absolute_url()).status_code == 200


# Editing once the review has begun.


def test_editing_is_refused_once_the_proposals_closed_though_the_review_job_is_late(
    submitted, resident, function, cycle
):
    # Given a submitted proposal, the proposals closed, the review job not yet run
    # When its author changes it in the review phase
    # Then it is refused because the review has started, and nothing changed
    with time_machine.travel(DAY_IN["review"], tick=False):
        assert submitted.status == S.SUBMITTED
        with refused("review_started", *PROPOSAL_ROWS) as refusal:
            services.proposal_update(
                proposal=submitted,
                actor=resident,
                data=proposal_input(function, cycle.unit, title="Brighter lamps"),
            )
    assert str(refusal.value.message) == (
        "Proposals are closed and the review has started: it can no longer change."
    )


def test_withdrawing_is_refused_once_the_proposals_closed_though_the_job_is_late(
    submitted, resident
):
    with (
        time_machine.travel(DAY_IN["review"], tick=False),
        refused("review_started", *PROPOSAL_ROWS),
    ):
        services.proposal_withdraw(proposal=submitted, actor=resident)


def test_the_edit_page_refuses_once_the_review_has_started(
    client, submitted, resident, function, cycle
):
    # Given a submitted proposal and the review phase
    # When its author posts a change
    # Then nothing is saved
    with time_machine.travel(DAY_IN["review"], tick=False), unchanged(*PROPOSAL_ROWS):
        client.force_login(resident)
        response = client.post(
            reverse("proposals:edit", args=[submitted.pk]),
            {
                "title": "Brighter lamps",
                "description": "Twelve lamps, not eight.",
                "function": function.pk,
                "place": cycle.unit.pk,
                "address": "",
                "cost_estimate": "",
            },
        )

    # and the page says why, keeps what was typed
    message = (
        "Proposals are closed and the review has started: it can no longer change."
    )
    assert response.status_code == 400
    assert response.context["form"].non_field_errors() == [message]
    html = response.content.decode()
    assert message in html
    assert 'value="Brighter lamps"' in html
    assert "Twelve lamps, not eight." in html


@pytest.mark.parametrize(
    "status", [status for status in STATUSES if status not in (S.DRAFT, S.SUBMITTED)]
)
def test_a_proposal_past_submitted_cannot_be_edited(cast, status):
    # Given a proposal past submitted, while proposals are still open
    proposal = proposal_in(status, cast)

    # When its author changes it
    # Then it is refused as no longer editable, and nothing changed
    with (
        time_machine.travel(DAY_IN["proposals_open"], tick=False),
        refused("proposal_not_editable", *PROPOSAL_ROWS),
    ):
        services.proposal_update(
            proposal=proposal,
            actor=cast.resident,
            data=proposal_input(cast.function, cast.cycle.unit, title="Brighter lamps"),
        )


# The limit of proposals per person.

PERSON_IIN = make_iin(4321, born="850315")


@pytest.fixture
def limit_of_two(settings):
    settings.QATYSU_PROPOSALS_PER_PERSON = 2


@pytest.fixture
def person(territory):
    """A verified resident of the rural district whose IIN the test knows."""
    return ResidencyFactory(
        place=territory["village"],
        budget_unit=territory["rural_district"],
        user__iin=PERSON_IIN,
    ).user


def register(cycle, staff, function, *, iin=PERSON_IIN, name="Aigul Serikova", **kw):
    with time_machine.travel(DAY_IN["proposals_open"], tick=False):
        return services.proposal_register(
            cycle=cycle,
            actor=staff,
            iin=iin,
            author_name=name,
            data=proposal_input(function, cycle.unit, **kw),
        )


def test_the_third_submission_of_one_person_is_refused(
    limit_of_two, cycle, resident, function
):
    # Given a resident who has submitted two proposals, and a third draft
    make_submitted(cycle, resident, function, title="Lamps")
    make_submitted(cycle, resident, function, title="Benches")
    third = make_draft(cycle, resident, function, title="A playground")

    # When they submit the third
    # Then the limit refuses it, and it stays a private draft
    with (
        time_machine.travel(DAY_IN["proposals_open"], tick=False),
        refused("proposal_limit_reached", *PROPOSAL_ROWS) as refusal,
    ):
        services.proposal_submit(proposal=third, actor=resident)
    assert str(refusal.value.message) == (
        "One person may submit at most 2 proposals for one budget; you have submitted "
        "2. Withdraw one to submit another."
    )


def test_a_withdrawn_proposal_does_not_count_toward_the_limit(
    limit_of_two, cycle, resident, function
):
    # Given two submitted proposals of a resident, one of them withdrawn
    first = make_submitted(cycle, resident, function, title="Lamps")
    make_submitted(cycle, resident, function, title="Benches")
    with time_machine.travel(DAY_IN["proposals_open"], tick=False):
        services.proposal_withdraw(proposal=first, actor=resident)
    third = make_draft(cycle, resident, function, title="A playground")

    # When they submit a third
    with time_machine.travel(DAY_IN["proposals_open"], tick=False):
        services.proposal_submit(proposal=third, actor=resident)

    # Then it is submitted: two count, the withdrawn one does not
    third.refresh_from_db()
    assert third.status == S.SUBMITTED
    assert sorted(
        Proposal.objects.filter(author=resident).values_list("title", "status")
    ) == [
        ("A playground", "submitted"),
        ("Benches", "submitted"),
        ("Lamps", "withdrawn"),
    ]


def test_a_proposal_staff_registered_for_the_same_iin_counts_toward_the_limit(
    limit_of_two, cycle, person, staff, function
):
    # Given a proposal staff registered for the resident's IIN, and one they submitted
    register(cycle, staff, function, title="Lamps")
    make_submitted(cycle, person, function, title="Benches")
    third = make_draft(cycle, person, function, title="A playground")

    # When the resident submits a third
    # Then the registered one counted
    with (
        time_machine.travel(DAY_IN["proposals_open"], tick=False),
        refused("proposal_limit_reached", *PROPOSAL_ROWS),
    ):
        services.proposal_submit(proposal=third, actor=person)


def test_staff_cannot_register_past_the_limit_of_the_person(
    limit_of_two, cycle, person, staff, function
):
    # Given a resident who submitted two proposals
    make_submitted(cycle, person, function, title="Lamps")
    make_submitted(cycle, person, function, title="Benches")

    # When staff register a third for the same IIN
    # Then the limit refuses it too
    with refused("proposal_limit_reached", *PROPOSAL_ROWS):
        register(cycle, staff, function, title="A playground")


# Staff registering a proposal brought on paper.


def test_staff_register_a_submitted_proposal_for_the_resident_holding_the_iin(
    cycle, person, staff, function
):
    # Given a resident with an account, who brought a proposal on paper
    # When staff register it with the resident's IIN, written with spaces
    proposal = register(
        cycle, staff, function, iin=" ".join([PERSON_IIN[:6], PERSON_IIN[6:]])
    )

    # Then it is submitted at once, in the resident's name, marked as registered by staff
    proposal.refresh_from_db()
    assert proposal.status == S.SUBMITTED
    assert proposal.submitted_at == DAY_IN["proposals_open"]
    assert proposal.registered_by == staff
    assert proposal.author == person
    assert proposal.author_iin_digest == iin_digest(PERSON_IIN)
    assert proposal.author_name == "Aigul Serikova"
    assert events_of(proposal) == [
        (
            "proposal.registered",
            staff.pk,
            {"status": "submitted", "registered_by": staff.pk},
        )
    ]
    # and the resident is told, and finds it among their own
    assert list(
        Notification.objects.values_list("recipient_id", "kind", "context")
    ) == [
        (
            person.pk,
            "proposal_status_changed",
            {"title": "Street lights on Abai street", "status": "submitted"},
        )
    ]
    assert list(selectors.my_proposals(user=person)) == [proposal]


def test_a_proposal_registered_for_someone_without_an_account_is_theirs_on_sign_up(
    cycle, staff, function
):
    # Given no account holds the IIN
    # When staff register a proposal for it
    proposal = register(cycle, staff, function)

    # Then it has no author account yet, only the IIN's keyed hash
    proposal.refresh_from_db()
    assert proposal.author is None
    assert proposal.author_iin_digest == iin_digest(PERSON_IIN)
    assert proposal.author_name == "Aigul Serikova"
    assert Notification.objects.count() == 0
    # and the person who signs up with that IIN finds it among their own
    newcomer = UserFactory(with_iin=True, iin=PERSON_IIN)
    assert list(selectors.my_proposals(user=newcomer)) == [proposal]
    assert list(selectors.my_proposals(user=UserFactory(with_iin=True))) == []


def test_registering_for_a_resident_of_another_unit_is_refused(
    cycle, territory, staff, function
):
    # Given the IIN's holder lives, verified, in another rural district
    unit = territory["other_rural_district"]
    ResidencyFactory(place=unit, budget_unit=unit, user__iin=PERSON_IIN)

    # When staff register a proposal for that IIN
    # Then it is refused, and nothing is saved
    with refused("resident_of_other_unit", *PROPOSAL_ROWS):
        register(cycle, staff, function)
    assert Proposal.objects.count() == 0
    assert Notification.objects.count() == 0


def _wrong_check_digit(iin: str) -> str:
    return iin[:11] + str((int(iin[11]) + 1) % 10)


@pytest.mark.parametrize(
    ("iin", "code"),
    [
        pytest.param("12345", "iin_not_twelve_digits", id="too_short"),
        pytest.param("85031530001a", "iin_not_twelve_digits", id="a_letter"),
        pytest.param("850315700012", "iin_century_digit", id="century_digit"),
        pytest.param("851315300012", "iin_birth_date", id="no_such_date"),
        pytest.param("300101500012", "iin_birth_date_future", id="born_in_2030"),
        pytest.param(_wrong_check_digit(PERSON_IIN), "iin_check_digit", id="check"),
    ],
)
def test_registering_with_an_invalid_iin_is_refused_with_the_iin_rule(
    cycle, staff, function, iin, code
):
    with refused(code, *PROPOSAL_ROWS):
        register(cycle, staff, function, iin=iin)
    assert Proposal.objects.count() == 0
