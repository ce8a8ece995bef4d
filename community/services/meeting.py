"""Every change of state of the local community meeting, each in a transaction:
recording its members and their leaving, calling a sitting, cancelling it and closing it
with the members present and the votes on each item (its minutes published)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_variables

from accounts.iin import age_on, kept_iin, normalize_iin, validate_iin
from accounts.models import RegisterEntry, User
from community import lifecycle, selectors
from community.codes import AuditVerb, ErrorCode
from community.models import (
    MEETING_MEMBERS_MAX,
    MEETING_MEMBERS_MIN,
    Gathering,
    GatheringRules,
    Mandate,
    MeetingMember,
    MeetingRulesFields,
    MeetingSitting,
    SittingRoll,
    SittingStatus,
)
from community.services.gatherings import (
    ItemVotes,
    _items_write,
    _votes_write,
)
from portal.errors import DomainError
from portal.formats import day_text
from portal.models import AdministrativeUnit
from portal.services import audit_event_record, notification_send


@dataclass(frozen=True)
class MemberData:
    full_name: str
    iin: str
    mandate: str
    elected_by: Gathering | None
    basis: str
    term_starts: datetime.date
    term_ends: datetime.date | None


def term_end(starts: datetime.date, years: int) -> datetime.date:
    """The last day of a term of `years` from `starts`: the day before its anniversary
    (a term from 29 February ends on 27 February of a year without one)."""
    try:
        anniversary = starts.replace(year=starts.year + years)
    except ValueError:
        anniversary = starts.replace(year=starts.year + years, day=28)
    return anniversary - datetime.timedelta(days=1)


def _unit_lock(unit: AdministrativeUnit) -> AdministrativeUnit:
    """The unit's row held: members of one meeting are recorded one after another."""
    return AdministrativeUnit.objects.select_for_update().get(pk=unit.pk)


def _mandate_refusal(
    unit: AdministrativeUnit, data: MemberData, rules: GatheringRules
) -> DomainError | None:
    if data.mandate == Mandate.ELECTED:
        gathering = data.elected_by
        if (
            gathering is None
            or gathering.unit_id != unit.pk
            or not selectors.quorate(gathering)
            or gathering.held_on > data.term_starts
        ):
            return DomainError(
                ErrorCode.ELECTING_GATHERING_INVALID,
                _(
                    "A member is elected by a gathering of this unit held with its "
                    "quorum before the term starts."
                ),
            )
        return None
    if not rules.appointment_allowed:
        return DomainError(
            ErrorCode.APPOINTMENT_NOT_ALLOWED,
            _("The rules of this unit do not allow appointing members of the meeting."),
        )
    if not data.basis.strip():
        return DomainError(
            ErrorCode.APPOINTMENT_BASIS_REQUIRED,
            _("Give the basis of the appointment: the decision and its number."),
        )
    return None


# The years a term may start in: a typing slip such as 2062 for 2026 is refused.
TERM_EARLIEST, TERM_LATEST = 2000, 2100


def _full_day(
    unit: AdministrativeUnit, starts: datetime.date, ends: datetime.date
) -> datetime.date | None:
    """The first day from `starts` to `ends` on which the meeting already has its 25
    members, or None. The count only rises on a day a term starts, so those days are
    the ones to ask."""
    days = {starts} | set(
        MeetingMember.objects.filter(
            unit=unit, term_starts__gt=starts, term_starts__lte=ends
        ).values_list("term_starts", flat=True)
    )
    for day in sorted(days):
        if selectors.members_in_office(unit=unit, day=day).count() >= (
            MEETING_MEMBERS_MAX
        ):
            return day
    return None


@sensitive_variables("data", "iin")
@transaction.atomic
def member_add(
    *, unit: AdministrativeUnit, actor: User, data: MemberData
) -> MeetingMember:
    """A member of the meeting recorded for a term: a resident of age whom the
    household register lists for the territory that elected them (the unit, if
    appointed), never in office twice at once, and never a 26th member."""
    unit = _unit_lock(unit)
    rules = selectors.gathering_rules(unit=unit)
    if not TERM_EARLIEST <= data.term_starts.year <= TERM_LATEST:
        raise DomainError(
            ErrorCode.TERM_INVALID,
            _("A term starts between %(earliest)s and %(latest)s.")
            % {"earliest": TERM_EARLIEST, "latest": TERM_LATEST},
        )
    iin = normalize_iin(data.iin)
    validate_iin(iin)
    kept = kept_iin(iin)
    refusal = _mandate_refusal(unit, data, rules)
    if refusal is not None:
        raise refusal
    longest = term_end(data.term_starts, rules.meeting_term_years)
    ends = data.term_ends or longest
    if not data.term_starts < ends <= longest:
        raise DomainError(
            ErrorCode.TERM_INVALID,
            _("The term ends after it starts and at the latest on %(day)s.")
            % {"day": day_text(longest)},
        )
    if age_on(kept["birth_date"], data.term_starts) < rules.min_age:
        raise DomainError(
            ErrorCode.MEMBER_TOO_YOUNG,
            _("A member of the meeting is %(age)s or over when the term starts.")
            % {"age": rules.min_age},
        )
    register = (
        selectors.territory_register(gathering=data.elected_by)
        if data.mandate == Mandate.ELECTED
        else RegisterEntry.objects.filter(unit=unit)
    )
    if not register.filter(iin_digest=kept["iin_digest"]).exists():
        raise DomainError(
            ErrorCode.MEMBER_NOT_IN_REGISTER,
            _(
                "The household register does not list this resident in the territory "
                "they are a member for."
            ),
        )
    overlapping = [
        member
        for member in MeetingMember.objects.filter(
            unit=unit, iin_digest=kept["iin_digest"], term_starts__lte=ends
        )
        if member.last_day >= data.term_starts
    ]
    if overlapping:
        raise DomainError(
            ErrorCode.MEMBER_ALREADY_IN_OFFICE,
            _("This resident is already a member of the meeting until %(day)s.")
            % {"day": day_text(overlapping[0].last_day)},
        )
    full = _full_day(unit, data.term_starts, ends)
    if full is not None:
        raise DomainError(
            ErrorCode.MEMBERS_FULL,
            _("The meeting already has %(count)s members on %(day)s.")
            % {"count": MEETING_MEMBERS_MAX, "day": day_text(full)},
        )
    member = MeetingMember.objects.create(
        unit=unit,
        full_name=" ".join(data.full_name.split()),
        mandate=data.mandate,
        elected_by=data.elected_by if data.mandate == Mandate.ELECTED else None,
        basis=data.basis.strip() if data.mandate == Mandate.APPOINTED else "",
        term_starts=data.term_starts,
        term_ends=ends,
        added_by=actor,
        **kept,
    )
    audit_event_record(
        actor=actor,
        verb=AuditVerb.MEMBER_ADDED,
        target=member,
        unit=unit,
        details={
            "full_name": member.full_name,
            "mandate": member.mandate,
            "elected_by": member.elected_by_id,
            "term_starts": member.term_starts.isoformat(),
            "term_ends": member.term_ends.isoformat(),
        },
    )
    return member


@transaction.atomic
def member_end(
    *, member: MeetingMember, actor: User, ended_on: datetime.date, reason: str
) -> MeetingMember:
    """A member leaves before the term ends (resigned, moved away, recalled): from
    `ended_on` they are no longer counted."""
    member = MeetingMember.objects.select_for_update().get(pk=member.pk)
    reason = " ".join(reason.split())
    if not reason:
        raise DomainError(
            ErrorCode.END_REASON_REQUIRED, _("Give the reason the member leaves.")
        )
    if member.ended_on is not None or not (
        member.term_starts <= ended_on <= member.term_ends
    ):
        raise DomainError(
            ErrorCode.MEMBER_END_OUTSIDE_TERM,
            _("A member in office leaves on a day of their term, once."),
        )
    member.ended_on, member.end_reason = ended_on, reason
    member.save(update_fields=["ended_on", "end_reason"])
    audit_event_record(
        actor=actor,
        verb=AuditVerb.MEMBER_ENDED,
        target=member,
        unit=member.unit,
        details={"ended_on": ended_on.isoformat(), "reason": reason},
    )
    return member


@dataclass(frozen=True)
class SittingData:
    held_on: datetime.date
    starts_at: datetime.time
    venue: str
    items: list[str]


def _members_told(sitting: MeetingSitting):
    """The members in office on the sitting's day who have an account."""
    digests = selectors.members_in_office(
        unit=sitting.unit, day=sitting.held_on
    ).values("iin_digest")
    return User.objects.filter(iin_digest__in=digests, is_active=True)


def _sitting_notify(sitting: MeetingSitting, kind: str, **context) -> None:
    notification_send(
        recipients=_members_told(sitting),
        kind=kind,
        unit=sitting.unit,
        context={"day": sitting.held_on.isoformat(), **context},
        url_name="community:sitting_detail",
        url_kwargs={"kato_code": sitting.unit.kato_code, "pk": sitting.pk},
    )


@transaction.atomic
def sitting_call(
    *, unit: AdministrativeUnit, actor: User, data: SittingData
) -> MeetingSitting:
    """A sitting of the meeting called for a day to come with its agenda; its members
    with an account are told."""
    if not [item for item in data.items if item.strip()]:
        raise DomainError(
            ErrorCode.AGENDA_EMPTY, _("Give at least one question of the agenda.")
        )
    if data.held_on < timezone.localdate():
        raise DomainError(
            ErrorCode.SITTING_NOT_YET, _("A sitting is called for a day to come.")
        )
    rules = selectors.gathering_rules(unit=unit)
    sitting = MeetingSitting.objects.create(
        unit=unit,
        held_on=data.held_on,
        starts_at=data.starts_at,
        venue=data.venue.strip(),
        created_by=actor,
        **{
            name: getattr(rules, name)
            for name in MeetingRulesFields.MEETING_RULE_FIELDS
        },
    )
    _items_write(sitting.items, data.items)
    audit_event_record(
        actor=actor,
        verb=AuditVerb.SITTING_CALLED,
        target=sitting,
        unit=unit,
        details={"held_on": data.held_on.isoformat()},
    )
    _sitting_notify(
        sitting,
        "meeting_sitting_called",
        time=sitting.starts_at.strftime("%H:%M"),
        venue=sitting.venue,
    )
    return sitting


def _sitting_lock(sitting: MeetingSitting) -> MeetingSitting:
    return (
        MeetingSitting.objects.select_for_update(of=("self",))
        .select_related("unit")
        .get(pk=sitting.pk)
    )


@transaction.atomic
def sitting_cancel(
    *, sitting: MeetingSitting, actor: User, reason: str
) -> MeetingSitting:
    reason = reason.strip()
    if not reason:
        raise DomainError(
            ErrorCode.CANCEL_REASON_REQUIRED,
            _("Give the members the reason for cancelling."),
        )
    sitting = _sitting_lock(sitting)
    lifecycle.sitting_transition_check(sitting.status, SittingStatus.CANCELLED)
    sitting.status = SittingStatus.CANCELLED
    sitting.cancelled_at, sitting.cancel_reason = timezone.now(), reason
    sitting.save()
    audit_event_record(
        actor=actor,
        verb=AuditVerb.SITTING_CANCELLED,
        target=sitting,
        unit=sitting.unit,
        details={"reason": reason},
    )
    _sitting_notify(sitting, "meeting_sitting_cancelled", reason=reason)
    return sitting


@transaction.atomic
def sitting_close(
    *,
    sitting: MeetingSitting,
    actor: User,
    present: set[int],
    votes: dict[int, ItemVotes],
) -> MeetingSitting:
    """Close the sitting: the members in office that day and those present by name
    fixed, each item's votes recorded (without a quorum nothing is decided), the
    minutes published."""
    sitting = _sitting_lock(sitting)
    if not lifecycle.sitting_in_session(
        sitting.status, sitting.held_on, timezone.localdate()
    ):
        raise DomainError(
            ErrorCode.SITTING_NOT_OPEN,
            _(
                "The members present and the votes are recorded from the day of a "
                "called sitting."
            ),
        )
    in_office = set(
        selectors.members_in_office(unit=sitting.unit, day=sitting.held_on).values_list(
            "pk", flat=True
        )
    )
    if not MEETING_MEMBERS_MIN <= len(in_office) <= MEETING_MEMBERS_MAX:
        raise DomainError(
            ErrorCode.MEMBERS_OUT_OF_RANGE,
            _(
                "On %(day)s the meeting has %(count)s members in office; it sits with "
                "5 to 25. Record its members first."
            )
            % {"day": day_text(sitting.held_on), "count": len(in_office)},
        )
    if not present <= in_office:
        raise DomainError(
            ErrorCode.PRESENT_NOT_IN_OFFICE,
            _("Mark as present only members in office on the day of the sitting."),
        )
    quorate = lifecycle.is_quorate(
        len(present), len(in_office), sitting.meeting_quorum_percent
    )
    _votes_write(sitting.items.all(), votes, present=len(present), quorate=quorate)
    SittingRoll.objects.bulk_create(
        SittingRoll(sitting=sitting, member_id=pk, present=pk in present)
        for pk in sorted(in_office)
    )
    lifecycle.sitting_transition_check(sitting.status, SittingStatus.HELD)
    sitting.status = SittingStatus.HELD
    sitting.members_total, sitting.members_present = len(in_office), len(present)
    sitting.closed_at, sitting.closed_by = timezone.now(), actor
    sitting.save()
    audit_event_record(
        actor=actor,
        verb=AuditVerb.SITTING_CLOSED,
        target=sitting,
        unit=sitting.unit,
        details={
            "members_total": len(in_office),
            "members_present": len(present),
            "quorate": quorate,
        },
    )
    return sitting
