"""The community meeting's decision on the draft from its sitting's vote: adopted, the
draft is coordinated (with the remarks, if any); not adopted, it is returned; a sitting
without its quorum, of another unit, or already used decides nothing; the minutes are
the sitting's."""

import datetime

import pytest
import time_machine
from django.urls import reverse

from budgets import services
from budgets.models import CommunityMeeting, MeetingDecision
from community import services as community
from portal.errors import DomainError
from tests.budgets.conftest import DAY_IN
from tests.budgets.test_draft_lifecycle import status_of
from tests.community.conftest import at_noon, elect_members, make_register, sitting_data

D = datetime.date
MEETING_DAY = DAY_IN["coordination"]  # 10 November 2026


@pytest.fixture
def akim(territory):
    from accounts.models import Role
    from tests.accounts.factories import MembershipFactory

    return MembershipFactory(role=Role.AKIM, unit=territory["rural_district"]).user


@pytest.fixture
def sitting(territory, staff, akim):
    """Seven members elected in October; a sitting on 5 November, after the discussion,
    called with the draft on its agenda and not yet held."""
    make_register(territory, staff)
    _gathering, members = elect_members(territory, staff, akim, day=D(2026, 10, 1))
    with at_noon(D(2026, 10, 20)):
        sitting = community.sitting_call(
            unit=territory["rural_district"],
            actor=staff,
            data=sitting_data(D(2026, 11, 5)),
        )
    sitting.members = members
    return sitting


def hold(sitting, staff, present: int, on_draft, other=(1, 0, 0)):
    items = list(sitting.items.all())
    with at_noon(sitting.held_on):
        held = community.sitting_close(
            sitting=sitting,
            actor=staff,
            present={member.pk for member in sitting.members[:present]},
            votes={
                items[0].pk: community.ItemVotes(*on_draft),
                items[1].pk: community.ItemVotes(*other),
            },
        )
    return held, items[0]


def decide(published, staff, item, remarks=""):
    with time_machine.travel(MEETING_DAY, tick=False):
        return services.meeting_record_from_sitting(
            draft=published, actor=staff, item=item, remarks=remarks
        )


@pytest.mark.parametrize(
    ("votes", "remarks", "decision", "status"),
    [
        ((5, 0, 0), "", MeetingDecision.COORDINATED, "coordinated"),
        (
            (4, 1, 0),
            "Абай көшесінің жарығын қосу",
            MeetingDecision.COORDINATED_WITH_REMARKS,
            "coordinated",
        ),
        ((2, 3, 0), "Жол жөндеуі жоқ", MeetingDecision.NOT_COORDINATED, "returned"),
        ((3, 0, 2), "", MeetingDecision.COORDINATED, "coordinated"),
        ((2, 0, 3), "Көпшілік қолдамады", MeetingDecision.NOT_COORDINATED, "returned"),
    ],
)
def test_the_sittings_vote_decides_the_draft(
    published, staff, sitting, votes, remarks, decision, status
):
    _held, item = hold(sitting, staff, 5, votes)
    meeting = decide(published, staff, item, remarks)

    assert (
        meeting.decision,
        meeting.held_on,
        meeting.members_total,
        meeting.members_present,
        meeting.item,
        meeting.minutes.name,
    ) == (decision, D(2026, 11, 5), 7, 5, item, "")
    assert status_of(published) == status


def test_a_returned_draft_needs_the_meetings_remarks(published, staff, sitting):
    _held, item = hold(sitting, staff, 5, (1, 4, 0))
    with pytest.raises(DomainError) as refused:
        decide(published, staff, item)

    assert refused.value.code == "meeting_remarks_required"
    assert not CommunityMeeting.objects.exists()


def test_a_sitting_without_its_quorum_decides_nothing(published, staff, sitting):
    _held, item = hold(sitting, staff, 3, (None, None, None), (None, None, None))
    with pytest.raises(DomainError) as refused:
        decide(published, staff, item)

    assert refused.value.code == "meeting_no_quorum"
    assert status_of(published) == "published"


def test_a_question_of_a_held_sitting_decides_once(
    published, staff, sitting, territory
):
    _held, item = hold(sitting, staff, 5, (5, 0, 0))
    called = community.sitting_call(
        unit=territory["rural_district"],
        actor=staff,
        data=sitting_data(D(2026, 12, 20)),
    )
    with pytest.raises(DomainError) as not_held:
        decide(published, staff, called.items.first())
    decide(published, staff, item)
    with pytest.raises(DomainError) as used:
        decide(published, staff, item)

    assert not_held.value.code == used.value.code == "meeting_item_invalid"
    assert CommunityMeeting.objects.get().item == item


def test_the_page_records_the_decision_from_the_sitting_and_links_its_minutes(
    client, published, staff, sitting
):
    _held, item = hold(sitting, staff, 5, (4, 1, 0))
    cycle = published.cycle
    address = reverse(
        "budgets:meeting_record",
        args=[cycle.unit.kato_code, cycle.fiscal_year, published.version],
    )
    with time_machine.travel(MEETING_DAY, tick=False):
        client.force_login(staff)
        form = client.get(address).content.decode()
        nothing_chosen = client.post(address, {"source": "sitting", "item": ""})
        recorded = client.post(
            address, {"source": "sitting", "item": item.pk, "sitting_remarks": ""}
        )
        minutes = client.get(
            reverse(
                "budgets:meeting_minutes",
                args=[cycle.unit.kato_code, cycle.fiscal_year, published.version],
            )
        )
        page = client.get(published.get_absolute_url()).content.decode()

    assert 'data-testid="from-sitting"' in form and item.title in form
    assert nothing_chosen.status_code == 400
    assert recorded.status_code == 302
    assert status_of(published) == "coordinated"
    assert minutes.status_code == 302
    assert minutes["Location"].endswith(
        f"/meeting/sittings/{sitting.pk}/minutes-ru.pdf"
    )
    assert sitting.get_absolute_url() in page
