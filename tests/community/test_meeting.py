"""The community meeting: its members by name, elected by a gathering held with its
quorum (or appointed where the rules allow), each a resident of age the register lists,
never in office twice, never a 26th; their leaving; a sitting called, cancelled and
closed with the members present by name, its quorum and its votes; its minutes in
Kazakh and Russian read back from the PDF."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.iin import iin_digest, kept_iin
from community import lifecycle, selectors, services
from community.models import (
    Mandate,
    MeetingMember,
    SittingRoll,
    SittingStatus,
)
from community.models import SittingStatus as S
from portal.errors import DomainError
from portal.models import AuditEvent, Notification
from tests.accounts.factories import UserFactory, make_iin
from tests.community.conftest import (
    ADULTS,
    CHILD,
    NAMES,
    NOT_LISTED,
    at_noon,
    elect_members,
    member_data,
    sitting_data,
)
from tests.community.test_gatherings import pdf_text

DAY = datetime.timedelta(days=1)

ALLOWED = {(S.CALLED, S.HELD), (S.CALLED, S.CANCELLED)}


@pytest.mark.parametrize("current", list(S))
@pytest.mark.parametrize("target", list(S))
def test_every_move_of_a_sitting_is_allowed_or_refused_as_the_table_says(
    current, target
):
    if (current, target) in ALLOWED:
        lifecycle.sitting_transition_check(current, target)
    else:
        with pytest.raises(DomainError) as refused:
            lifecycle.sitting_transition_check(current, target)
        assert refused.value.code == f"sitting_{current}_to_{target}"


@pytest.mark.parametrize(
    ("status", "days_to_go", "open_"),
    [
        (S.CALLED, 1, False),
        (S.CALLED, 0, True),
        (S.CALLED, -3, True),
        (S.HELD, 0, False),
        (S.CANCELLED, 0, False),
    ],
)
def test_a_sitting_is_recorded_from_its_day_while_called(status, days_to_go, open_):
    today = datetime.date(2026, 12, 5)
    held_on = today + datetime.timedelta(days=days_to_go)
    assert lifecycle.sitting_in_session(status, held_on, today) is open_


@pytest.mark.parametrize(
    ("starts", "years", "ends"),
    [
        (datetime.date(2026, 12, 6), 4, datetime.date(2030, 12, 5)),
        (datetime.date(2027, 1, 1), 1, datetime.date(2027, 12, 31)),
        (datetime.date(2028, 2, 29), 1, datetime.date(2029, 2, 27)),
        (datetime.date(2028, 2, 29), 4, datetime.date(2032, 2, 28)),
    ],
)
def test_a_term_ends_the_day_before_its_anniversary(starts, years, ends):
    assert services.term_end(starts, years) == ends


@pytest.fixture
def meeting(territory, staff, akim, register):
    return elect_members(territory, staff, akim, day=timezone.localdate())


def test_a_gathering_elects_members_for_the_term_the_rules_set(meeting, territory):
    gathering, members = meeting
    first = members[0]
    starts = gathering.held_on + DAY

    assert [member.full_name for member in members] == NAMES
    assert (first.mandate, first.elected_by, first.term_starts, first.term_ends) == (
        Mandate.ELECTED,
        gathering,
        starts,
        starts.replace(year=starts.year + 4) - DAY,
    )
    assert (first.iin_digest, first.iin_last4) == (
        iin_digest(ADULTS[0]),
        ADULTS[0][-4:],
    )
    unit = territory["rural_district"]
    assert selectors.members_in_office(unit=unit, day=starts).count() == 7
    assert selectors.members_in_office(unit=unit, day=starts - DAY).count() == 0
    added = AuditEvent.objects.filter(verb="meeting.member_added").order_by("pk")
    assert [event.details["full_name"] for event in added] == NAMES


def _refusal(territory, staff, data):
    with pytest.raises(DomainError) as refused:
        services.member_add(unit=territory["rural_district"], actor=staff, data=data)
    return refused.value.code


def test_a_member_is_a_resident_of_age_the_register_lists_and_in_office_once(
    meeting, territory, staff
):
    gathering, _members = meeting
    starts = gathering.held_on + DAY
    with at_noon(starts):
        codes = [
            _refusal(
                territory, staff, member_data("Бөтен", NOT_LISTED, gathering, starts)
            ),
            _refusal(territory, staff, member_data("Бала", CHILD, gathering, starts)),
            _refusal(
                territory, staff, member_data("Қайта", ADULTS[0], gathering, starts)
            ),
            _refusal(
                territory,
                staff,
                member_data(
                    "Ұзақ",
                    ADULTS[8],
                    gathering,
                    starts,
                    term_ends=starts.replace(year=starts.year + 5),
                ),
            ),
            _refusal(
                territory,
                staff,
                member_data("Ерте", ADULTS[8], gathering, gathering.held_on - DAY),
            ),
        ]

    assert codes == [
        "member_not_in_register",
        "member_too_young",
        "member_already_in_office",
        "term_invalid",
        "electing_gathering_invalid",
    ]
    assert MeetingMember.objects.count() == 7


def test_a_gathering_without_its_quorum_elects_no_one(territory, staff, akim, register):
    from tests.community.conftest import data

    unit = territory["rural_district"]
    today = timezone.localdate()
    services.gathering_rules_set(unit=unit, actor=akim, values={"quorum_percent": 50})
    held_on = today + datetime.timedelta(days=14)
    gathering = services.gathering_prepare(
        unit=unit, actor=staff, data=data(territory, held_on=held_on)
    )
    services.gathering_announce(gathering=gathering, actor=akim)
    with at_noon(held_on):
        services.attendance_record(gathering=gathering, actor=staff, iins=ADULTS[:2])
        gathering = services.gathering_close(gathering=gathering, actor=staff, votes={})

    assert selectors.electing_gatherings(unit=unit) == []
    assert (
        _refusal(
            territory, staff, member_data("А", ADULTS[0], gathering, held_on + DAY)
        )
        == "electing_gathering_invalid"
    )


def test_members_are_appointed_only_where_the_rules_allow_and_with_a_basis(
    meeting, territory, staff, akim
):
    gathering, _members = meeting
    starts = gathering.held_on + DAY
    appointed = member_data(
        "Тағайындалған",
        ADULTS[8],
        None,
        starts,
        mandate=Mandate.APPOINTED,
        basis="Әкімнің 2026 жылғы 1 желтоқсандағы № 12 шешімі",
    )
    refused = _refusal(territory, staff, appointed)
    services.gathering_rules_set(
        unit=territory["rural_district"],
        actor=akim,
        values={"appointment_allowed": True},
    )
    no_basis = _refusal(
        territory,
        staff,
        member_data(
            "Тағайындалған", ADULTS[8], None, starts, mandate=Mandate.APPOINTED
        ),
    )
    member = services.member_add(
        unit=territory["rural_district"], actor=staff, data=appointed
    )

    assert (refused, no_basis) == (
        "appointment_not_allowed",
        "appointment_basis_required",
    )
    assert (member.mandate, member.elected_by, member.basis) == (
        Mandate.APPOINTED,
        None,
        "Әкімнің 2026 жылғы 1 желтоқсандағы № 12 шешімі",
    )


def test_the_meeting_never_has_more_than_25_members(meeting, territory, staff):
    gathering, members = meeting
    starts = gathering.held_on + DAY
    unit = territory["rural_district"]
    MeetingMember.objects.bulk_create(
        MeetingMember(
            unit=unit,
            full_name=f"Мүше {n}",
            mandate=Mandate.ELECTED,
            elected_by=gathering,
            term_starts=starts,
            term_ends=starts.replace(year=starts.year + 4) - DAY,
            added_by=staff,
            **kept_iin(make_iin(900 + n)),
        )
        for n in range(25 - len(members))
    )

    assert _refusal(
        territory, staff, member_data("Артық", ADULTS[8], gathering, starts)
    ) == ("members_full")


def test_a_term_begun_earlier_is_refused_where_the_meeting_fills_up_later(
    meeting, territory, staff
):
    gathering, members = meeting
    starts = gathering.held_on + DAY
    later = starts + datetime.timedelta(days=60)
    unit = territory["rural_district"]
    MeetingMember.objects.bulk_create(
        MeetingMember(
            unit=unit,
            full_name=f"Мүше {n}",
            mandate=Mandate.ELECTED,
            elected_by=gathering,
            term_starts=later,
            term_ends=later.replace(year=later.year + 3),
            added_by=staff,
            **kept_iin(make_iin(900 + n)),
        )
        for n in range(25 - len(members))
    )

    with pytest.raises(DomainError) as full:
        services.member_add(
            unit=unit,
            actor=staff,
            data=member_data("Ерте", ADULTS[8], gathering, starts),
        )
    short = services.member_add(
        unit=unit,
        actor=staff,
        data=member_data("Қысқа", ADULTS[8], gathering, starts, term_ends=later - DAY),
    )

    assert full.value.code == "members_full"
    assert later.strftime("%Y") in full.value.message
    assert short.term_ends == later - DAY


@pytest.mark.parametrize("year", [1999, 2101, 9999])
def test_a_term_starts_in_a_sensible_year(meeting, territory, staff, year):
    gathering, _members = meeting
    starts = datetime.date(year, 6, 1)
    assert (
        _refusal(territory, staff, member_data("Қате", ADULTS[8], gathering, starts))
        == "term_invalid"
    )


def test_a_member_leaves_on_a_day_of_their_term_with_a_reason(meeting, staff):
    gathering, members = meeting
    member = members[0]
    leaves = member.term_starts + datetime.timedelta(days=30)
    with pytest.raises(DomainError) as no_reason:
        services.member_end(member=member, actor=staff, ended_on=leaves, reason="  ")
    with pytest.raises(DomainError) as outside:
        services.member_end(
            member=member, actor=staff, ended_on=member.term_ends + DAY, reason="Көшті"
        )
    left = services.member_end(
        member=member, actor=staff, ended_on=leaves, reason="Басқа ауылға көшті"
    )
    with pytest.raises(DomainError) as twice:
        services.member_end(member=member, actor=staff, ended_on=leaves, reason="Тағы")

    assert (no_reason.value.code, outside.value.code, twice.value.code) == (
        "end_reason_required",
        "member_end_outside_term",
        "member_end_outside_term",
    )
    assert (left.ended_on, left.end_reason) == (leaves, "Басқа ауылға көшті")
    assert left.in_office_on(leaves - DAY) and not left.in_office_on(leaves)
    in_office = selectors.members_in_office(unit=member.unit, day=leaves)
    assert member not in in_office and in_office.count() == 6
    # After leaving, the same resident may be elected again.
    again = services.member_add(
        unit=member.unit,
        actor=staff,
        data=member_data(member.full_name, ADULTS[0], gathering, leaves),
    )
    assert again.in_office_on(leaves)


@pytest.fixture
def sitting(meeting, territory, staff):
    gathering, _members = meeting
    return services.sitting_call(
        unit=territory["rural_district"],
        actor=staff,
        data=sitting_data(gathering.held_on + datetime.timedelta(days=10)),
    )


def test_calling_a_sitting_tells_the_members_with_an_account(
    meeting, sitting, territory, staff
):
    member_user = UserFactory(with_iin=True, iin=ADULTS[1])
    UserFactory(with_iin=True, iin=ADULTS[9])  # a resident, not a member
    told = services.sitting_call(
        unit=territory["rural_district"],
        actor=staff,
        data=sitting_data(sitting.held_on + DAY),
    )
    with pytest.raises(DomainError) as empty:
        services.sitting_call(
            unit=territory["rural_district"],
            actor=staff,
            data=sitting_data(sitting.held_on, items=["  "]),
        )
    with pytest.raises(DomainError) as past:
        services.sitting_call(
            unit=territory["rural_district"],
            actor=staff,
            data=sitting_data(timezone.localdate() - DAY),
        )

    notices = Notification.objects.filter(kind="meeting_sitting_called")
    assert list(notices.values_list("recipient", flat=True)) == [member_user.pk]
    assert (notices.get().url_name, notices.get().url_kwargs) == (
        "community:sitting_detail",
        {"kato_code": told.unit.kato_code, "pk": told.pk},
    )
    assert (
        told.status,
        told.meeting_quorum_percent,
        told.meeting_majority_percent,
    ) == (
        SittingStatus.CALLED,
        50,
        50,
    )
    assert [item.title for item in told.items.all()] == [
        "2027 жылғы бюджет жобасын келісу",
        "Көше жарығы туралы",
    ]
    assert (empty.value.code, past.value.code) == ("agenda_empty", "sitting_not_yet")


def test_the_akim_cancels_a_called_sitting_with_a_reason(sitting, akim):
    UserFactory(with_iin=True, iin=ADULTS[2])
    with pytest.raises(DomainError) as no_reason:
        services.sitting_cancel(sitting=sitting, actor=akim, reason="")
    cancelled = services.sitting_cancel(sitting=sitting, actor=akim, reason="Су басу")
    with pytest.raises(DomainError) as again:
        services.sitting_cancel(sitting=sitting, actor=akim, reason="Тағы")

    assert (no_reason.value.code, again.value.code) == (
        "cancel_reason_required",
        "sitting_cancelled_to_cancelled",
    )
    assert (cancelled.status, cancelled.cancel_reason) == (S.CANCELLED, "Су басу")
    assert Notification.objects.filter(kind="meeting_sitting_cancelled").count() == 1


def _close(sitting, staff, present, votes):
    items = list(sitting.items.all())
    return services.sitting_close(
        sitting=sitting,
        actor=staff,
        present={member.pk for member in present},
        votes={
            item.pk: services.ItemVotes(*counts)
            for item, counts in zip(items, votes, strict=True)
        },
    )


def test_a_sitting_is_closed_on_its_day_with_the_members_present_by_name(
    meeting, sitting, staff
):
    _gathering, members = meeting
    with pytest.raises(DomainError) as early:
        _close(sitting, staff, members[:4], [(4, 0, 0, ""), (3, 1, 0, "")])
    with at_noon(sitting.held_on):
        with pytest.raises(DomainError) as missing:
            _close(sitting, staff, members[:4], [(4, 0, 0, ""), (None, None, None, "")])
        with pytest.raises(DomainError) as too_many:
            _close(sitting, staff, members[:4], [(4, 1, 0, ""), (3, 1, 0, "")])
        held = _close(
            sitting, staff, members[:4], [(3, 1, 0, "Ескертпесіз"), (2, 1, 1, "")]
        )

    assert (early.value.code, missing.value.code, too_many.value.code) == (
        "sitting_not_open",
        "votes_missing",
        "votes_above_present",
    )
    assert (held.status, held.members_total, held.members_present) == (S.HELD, 7, 4)
    assert list(selectors.roll_members(sitting=held, present=True)) == sorted(
        members[:4], key=lambda member: member.full_name
    )
    figures = selectors.sitting_figures(sitting=held)
    assert (figures["quorum_needed"], figures["quorate"]) == (4, True)
    outcomes = [
        lifecycle.item_outcome(item, present=4, percent=50, quorate=True).key
        for item in held.items.all()
    ]
    assert outcomes == ["adopted", "not_adopted"]
    event = AuditEvent.objects.get(verb="meeting.sitting_closed")
    assert event.details == {"members_total": 7, "members_present": 4, "quorate": True}


def test_without_a_quorum_the_sitting_decides_nothing(meeting, sitting, staff):
    _gathering, members = meeting
    with at_noon(sitting.held_on):
        held = _close(
            sitting,
            staff,
            members[:3],
            [(None, None, None, ""), (None, None, None, "")],
        )

    figures = selectors.sitting_figures(sitting=held)
    assert (figures["present"], figures["quorate"]) == (3, False)
    roll = SittingRoll.objects.filter(sitting=held)
    assert (roll.count(), roll.filter(present=True).count()) == (7, 3)


def test_a_sitting_needs_five_members_in_office_and_counts_only_them(
    territory, staff, akim, register
):
    gathering, members = elect_members(
        territory, staff, akim, day=timezone.localdate(), count=4
    )
    sitting = services.sitting_call(
        unit=territory["rural_district"],
        actor=staff,
        data=sitting_data(gathering.held_on + datetime.timedelta(days=10)),
    )
    with at_noon(sitting.held_on), pytest.raises(DomainError) as too_few:
        _close(sitting, staff, members, [(4, 0, 0, ""), (4, 0, 0, "")])
    fifth = services.member_add(
        unit=sitting.unit,
        actor=staff,
        data=member_data("Бесінші", ADULTS[4], gathering, sitting.held_on + DAY),
    )
    with at_noon(sitting.held_on), pytest.raises(DomainError) as not_in_office:
        _close(sitting, staff, [*members, fifth], [(5, 0, 0, ""), (5, 0, 0, "")])

    assert too_few.value.code == "members_out_of_range"
    assert not_in_office.value.code == "members_out_of_range"
    sixth = services.member_add(
        unit=sitting.unit,
        actor=staff,
        data=member_data("Алтыншы", ADULTS[5], gathering, gathering.held_on + DAY),
    )
    with at_noon(sitting.held_on), pytest.raises(DomainError) as stranger:
        _close(sitting, staff, [*members, fifth], [(5, 0, 0, ""), (5, 0, 0, "")])
    with at_noon(sitting.held_on):
        held = _close(sitting, staff, [*members, sixth], [(5, 0, 0, ""), (5, 0, 0, "")])
    assert stranger.value.code == "present_not_in_office"
    assert (held.members_total, held.members_present) == (5, 5)


def test_a_called_sitting_sits_by_the_rules_of_its_day_and_a_held_one_keeps_its_own(
    meeting, sitting, territory, staff, akim
):
    _gathering, members = meeting
    unit = territory["rural_district"]
    services.gathering_rules_set(
        unit=unit, actor=akim, values={"meeting_quorum_percent": 75}
    )
    sitting.refresh_from_db()
    with at_noon(sitting.held_on):
        held = _close(
            sitting,
            staff,
            members[:5],
            [(None, None, None, ""), (None, None, None, "")],
        )
    services.gathering_rules_set(
        unit=unit, actor=akim, values={"meeting_quorum_percent": 10}
    )
    held.refresh_from_db()

    assert held.meeting_quorum_percent == 75
    assert selectors.sitting_figures(sitting=held)["quorate"] is False


def test_a_sitting_whose_day_has_come_keeps_its_quorum(
    meeting, sitting, territory, akim
):
    with at_noon(sitting.held_on + DAY):
        services.gathering_rules_set(
            unit=territory["rural_district"],
            actor=akim,
            values={"meeting_quorum_percent": 10},
        )
    sitting.refresh_from_db()
    assert sitting.meeting_quorum_percent == 50


def test_the_minutes_name_the_members_present_and_absent_in_both_languages(
    client, meeting, sitting, staff
):
    _gathering, members = meeting
    with at_noon(sitting.held_on):
        _close(sitting, staff, members[:5], [(4, 1, 0, "Келісілді"), (2, 2, 1, "")])
    base = [sitting.unit.kato_code, sitting.pk]

    kk = pdf_text(
        client.get(reverse("community:sitting_minutes", args=[*base, "kk"])).content
    )
    ru = pdf_text(
        client.get(reverse("community:sitting_minutes", args=[*base, "ru"])).content
    )
    missing = client.get(reverse("community:sitting_minutes", args=[*base, "en"]))

    assert "Жергілікті қоғамдастық жиналысы отырысының хаттамасы" in kk
    assert "Протокол заседания собрания местного сообщества" in ru
    for text in (kk, ru):
        assert all(name in text for name in NAMES)
        assert "2027 жылғы бюджет жобасын келісу" in text and "Келісілді" in text
    assert "Қатысқан мүшелер" in kk and "Қатыспаған мүшелер" in kk
    assert "Присутствовали члены" in ru and "Отсутствовали члены" in ru
    assert "қабылданды" in kk and "не принято" in ru
    assert missing.status_code == 404
