"""Every change of state of gatherings and of the community meeting, each in a
transaction: preparing and changing a gathering, announcing it (its rules frozen),
cancelling it, recording who came and closing it with the votes on each item (its minutes
published); recording the meeting's members and their leaving, calling a sitting,
cancelling it and closing it with the members present and the votes."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_variables

from accounts.iin import age_on, kept_iin, masked_iin, normalize_iin, validate_iin
from accounts.models import RegisterEntry, Residency, User
from community import lifecycle, selectors
from community.codes import AuditVerb, ErrorCode
from community.models import (
    MEETING_MEMBERS_MAX,
    MEETING_MEMBERS_MIN,
    Attendance,
    Convener,
    Gathering,
    GatheringRules,
    GatheringStatus,
    Mandate,
    MeetingMember,
    MeetingRulesFields,
    MeetingSitting,
    RulesFields,
    SittingRoll,
    SittingStatus,
)
from portal.errors import DomainError
from portal.formats import day_text
from portal.models import AdministrativeUnit
from portal.services import audit_event_record, notification_send
from portal.workdays import add_working_days

AGENDA_MAX_ITEMS = 20
# IINs entered at once: a gathering's list typed or kept off line.
ATTENDANCE_BATCH_MAX = 500


@dataclass(frozen=True)
class GatheringData:
    place: AdministrativeUnit | None
    street: str
    house: str
    subject: str
    held_on: datetime.date
    starts_at: datetime.time
    venue: str
    convener: str
    signatures: int | None
    items: list[str]


def _data_refusal(unit: AdministrativeUnit, data: GatheringData) -> DomainError | None:
    if (
        data.place is not None
        and not selectors.unit_places(unit=unit).filter(pk=data.place.pk).exists()
    ):
        return DomainError(
            ErrorCode.PLACE_NOT_IN_UNIT,
            _("A separate gathering is held in a settlement of this unit."),
        )
    if (data.street or data.house) and data.place is None:
        return DomainError(
            ErrorCode.STREET_WITHOUT_PLACE,
            _("Choose the settlement the street is in."),
        )
    if data.house and not data.street:
        return DomainError(
            ErrorCode.STREET_WITHOUT_PLACE, _("Give the street the building is on.")
        )
    if not [item for item in data.items if item.strip()]:
        return DomainError(
            ErrorCode.AGENDA_EMPTY, _("Give at least one question of the agenda.")
        )
    if data.held_on < timezone.localdate():
        return DomainError(
            ErrorCode.GATHERING_NOT_YET, _("A gathering is called for a day to come.")
        )
    return None


def _fill(gathering: Gathering, data: GatheringData) -> None:
    gathering.place = data.place
    gathering.street = " ".join(data.street.split())
    gathering.house = " ".join(data.house.split())
    gathering.subject = data.subject.strip()
    gathering.held_on = data.held_on
    gathering.starts_at = data.starts_at
    gathering.venue = data.venue.strip()
    gathering.convener = data.convener
    gathering.signatures = (
        data.signatures if data.convener == Convener.RESIDENTS else None
    )


def _items_write(agenda, items: list[str]) -> None:
    """An agenda (a gathering's or a sitting's `items`) written anew from its lines."""
    agenda.all().delete()
    agenda.model.objects.bulk_create(
        agenda.model(
            **{agenda.field.name: agenda.instance},
            position=number,
            title=title.strip(),
        )
        for number, title in enumerate(
            [item for item in items if item.strip()][:AGENDA_MAX_ITEMS], start=1
        )
    )


def _rules_copy(gathering: Gathering, rules: RulesFields) -> None:
    for name in RulesFields.RULE_FIELDS:
        setattr(gathering, name, getattr(rules, name))


@transaction.atomic
def gathering_prepare(
    *, unit: AdministrativeUnit, actor: User, data: GatheringData
) -> Gathering:
    refusal = _data_refusal(unit, data)
    if refusal is not None:
        raise refusal
    gathering = Gathering(unit=unit, created_by=actor)
    _fill(gathering, data)
    _rules_copy(gathering, selectors.gathering_rules(unit=unit))
    gathering.save()
    _items_write(gathering.items, data.items)
    audit_event_record(
        actor=actor,
        verb=AuditVerb.GATHERING_PREPARED,
        target=gathering,
        unit=unit,
        details={"held_on": data.held_on.isoformat(), "subject": gathering.subject},
    )
    return gathering


def _lock(gathering: Gathering) -> Gathering:
    return (
        Gathering.objects.select_for_update(of=("self",))
        .select_related("unit", "place")
        .get(pk=gathering.pk)
    )


@transaction.atomic
def gathering_change(
    *, gathering: Gathering, actor: User, data: GatheringData
) -> Gathering:
    gathering = _lock(gathering)
    if gathering.status != GatheringStatus.PLANNED:
        raise DomainError(
            ErrorCode.GATHERING_NOT_PLANNED,
            _("An announced gathering is not changed: cancel it and call another."),
        )
    refusal = _data_refusal(gathering.unit, data)
    if refusal is not None:
        raise refusal
    _fill(gathering, data)
    gathering.save()
    _items_write(gathering.items, data.items)
    audit_event_record(
        actor=actor,
        verb=AuditVerb.GATHERING_CHANGED,
        target=gathering,
        unit=gathering.unit,
        details={"held_on": data.held_on.isoformat(), "subject": gathering.subject},
    )
    return gathering


@transaction.atomic
def gathering_announce(*, gathering: Gathering, actor: User) -> Gathering:
    """The akim calls the gathering: its rules are fixed as they are now, its residents
    told, and the day its minutes are due set."""
    gathering = _lock(gathering)
    lifecycle.transition_check(gathering.status, GatheringStatus.ANNOUNCED)
    _rules_copy(gathering, selectors.gathering_rules(unit=gathering.unit))
    today = timezone.localdate()
    earliest = today + datetime.timedelta(days=gathering.notice_days)
    if gathering.held_on < earliest:
        raise DomainError(
            ErrorCode.NOTICE_TOO_SHORT,
            _(
                "Residents are told at least %(days)s days before: announced today, "
                "the gathering is held on %(day)s or later."
            )
            % {"days": gathering.notice_days, "day": day_text(earliest)},
        )
    if gathering.convener == Convener.RESIDENTS:
        eligible = selectors.eligible_register(gathering=gathering).count()
        needed = lifecycle.share_needed(eligible, gathering.initiative_percent)
        if (gathering.signatures or 0) < needed:
            raise DomainError(
                ErrorCode.SIGNATURES_TOO_FEW,
                _(
                    "Residents convene a gathering with at least %(needed)s signatures "
                    "(%(percent)s%% of %(eligible)s residents of age); %(given)s are "
                    "recorded."
                )
                % {
                    "needed": needed,
                    "percent": gathering.initiative_percent,
                    "eligible": eligible,
                    "given": gathering.signatures or 0,
                },
            )
    gathering.status = GatheringStatus.ANNOUNCED
    gathering.announced_at = timezone.now()
    gathering.minutes_due_on = add_working_days(
        gathering.held_on, gathering.minutes_working_days
    )
    gathering.save()
    audit_event_record(
        actor=actor,
        verb=AuditVerb.GATHERING_ANNOUNCED,
        target=gathering,
        unit=gathering.unit,
        details={
            "held_on": gathering.held_on.isoformat(),
            **{name: getattr(gathering, name) for name in RulesFields.RULE_FIELDS},
        },
    )
    notification_send(
        recipients=_residents_told(gathering),
        kind="gathering_announced",
        unit=gathering.unit,
        context={
            "day": gathering.held_on.isoformat(),
            "time": gathering.starts_at.strftime("%H:%M"),
            "venue": gathering.venue,
            "subject": gathering.subject,
        },
        url_name="community:gathering_detail",
        url_kwargs={"kato_code": gathering.unit.kato_code, "pk": gathering.pk},
    )
    return gathering


def _residents_told(gathering: Gathering):
    """The verified residents of the territory's settlement (a street's or a building's
    too: the portal does not know their address)."""
    residencies = Residency.objects.verified().filter(budget_unit=gathering.unit)
    if gathering.place_id:
        residencies = residencies.filter(place_id=gathering.place_id)
    return User.objects.filter(pk__in=residencies.values("user_id"), is_active=True)


@transaction.atomic
def gathering_cancel(*, gathering: Gathering, actor: User, reason: str) -> Gathering:
    reason = reason.strip()
    if not reason:
        raise DomainError(
            ErrorCode.CANCEL_REASON_REQUIRED,
            _("Give the residents the reason for cancelling."),
        )
    gathering = _lock(gathering)
    lifecycle.transition_check(gathering.status, GatheringStatus.CANCELLED)
    was_announced = gathering.status == GatheringStatus.ANNOUNCED
    gathering.status = GatheringStatus.CANCELLED
    gathering.cancelled_at = timezone.now()
    gathering.cancel_reason = reason
    gathering.save()
    audit_event_record(
        actor=actor,
        verb=AuditVerb.GATHERING_CANCELLED,
        target=gathering,
        unit=gathering.unit,
        details={"reason": reason},
    )
    if was_announced:
        notification_send(
            recipients=_residents_told(gathering),
            kind="gathering_cancelled",
            unit=gathering.unit,
            context={"day": gathering.held_on.isoformat(), "reason": reason},
            url_name="community:gathering_detail",
            url_kwargs={"kato_code": gathering.unit.kato_code, "pk": gathering.pk},
        )
    return gathering


def _session_check(gathering: Gathering) -> None:
    if not lifecycle.in_session(
        gathering.status, gathering.held_on, timezone.localdate()
    ):
        raise DomainError(
            ErrorCode.ATTENDANCE_NOT_OPEN,
            _(
                "Attendance and votes are recorded from the day of an announced "
                "gathering until its minutes are published."
            ),
        )


@dataclass
class AttendanceReport:
    """What became of the IINs entered: the last four digits of those added, how many
    were already recorded, and each refused line with the reason."""

    added: list[str] = field(default_factory=list)
    repeated: int = 0
    refused: list[tuple[int, str, str]] = field(default_factory=list)


@sensitive_variables("iins", "iin", "text")
@transaction.atomic
def attendance_record(
    *, gathering: Gathering, actor: User, iins: list[str]
) -> AttendanceReport:
    """Record the residents present from their IINs, as typed (one a line) or kept off
    line and sent later: an IIN already recorded counts once, whoever sent it first."""
    gathering = _lock(gathering)
    _session_check(gathering)
    if len(iins) > ATTENDANCE_BATCH_MAX:
        raise DomainError(
            ErrorCode.ATTENDANCE_TOO_MANY,
            _("At most %(most)s IINs are sent at once; send the rest as another list.")
            % {"most": ATTENDANCE_BATCH_MAX},
        )
    report = AttendanceReport()
    candidates: dict[str, tuple[int, dict]] = {}
    for line, text in enumerate(iins, start=1):
        iin = normalize_iin(text)
        if not iin:
            continue
        masked = masked_iin(iin[-4:]) if len(iin) >= 4 else iin
        try:
            validate_iin(iin)
        except ValidationError as error:
            report.refused.append((line, masked, " ".join(error.messages)))
            continue
        kept = kept_iin(iin)
        if age_on(kept["birth_date"], gathering.held_on) < gathering.min_age:
            report.refused.append(
                (
                    line,
                    masked,
                    _("Under %(age)s on the day of the gathering.")
                    % {"age": gathering.min_age},
                )
            )
            continue
        if kept["iin_digest"] in candidates:
            report.repeated += 1
            continue
        candidates[kept["iin_digest"]] = (line, kept)
    listed = set(
        selectors.territory_register(gathering=gathering)
        .filter(iin_digest__in=candidates)
        .values_list("iin_digest", flat=True)
    )
    present = set(
        Attendance.objects.filter(
            gathering=gathering, iin_digest__in=candidates
        ).values_list("iin_digest", flat=True)
    )
    new = []
    for digest, (line, kept) in candidates.items():
        if digest not in listed:
            report.refused.append(
                (
                    line,
                    masked_iin(kept["iin_last4"]),
                    _("Not in the household register of this gathering's territory."),
                )
            )
        elif digest in present:
            report.repeated += 1
        else:
            new.append(Attendance(gathering=gathering, recorded_by=actor, **kept))
            report.added.append(kept["iin_last4"])
    report.refused.sort()
    Attendance.objects.bulk_create(new, ignore_conflicts=True)
    if new:
        audit_event_record(
            actor=actor,
            verb=AuditVerb.ATTENDANCE_RECORDED,
            target=gathering,
            unit=gathering.unit,
            details={"added": len(new), "repeated": report.repeated},
        )
    return report


@transaction.atomic
def attendance_remove(*, gathering: Gathering, actor: User, attendance_pk: int) -> None:
    """A resident recorded by mistake taken off the list, before the minutes."""
    gathering = _lock(gathering)
    _session_check(gathering)
    deleted, _rows = Attendance.objects.filter(
        gathering=gathering, pk=attendance_pk
    ).delete()
    if deleted:
        audit_event_record(
            actor=actor,
            verb=AuditVerb.ATTENDANCE_REMOVED,
            target=gathering,
            unit=gathering.unit,
            details={"attendance": attendance_pk},
        )


@dataclass(frozen=True)
class ItemVotes:
    votes_for: int | None
    votes_against: int | None
    votes_abstain: int | None
    decision: str = ""


def _votes_write(
    items: QuerySet, votes: dict[int, ItemVotes], *, present: int, quorate: bool
) -> None:
    """Each item's votes and decision: all three counts wherever there is a quorum,
    never more votes than those present."""
    model, items = items.model, list(items)
    for item in items:
        given = votes.get(item.pk) or ItemVotes(None, None, None)
        counts = (given.votes_for, given.votes_against, given.votes_abstain)
        if quorate and None in counts:
            raise DomainError(
                ErrorCode.VOTES_MISSING,
                _("Give the votes for, against and abstaining on question %(number)s.")
                % {"number": item.position},
            )
        if sum(count or 0 for count in counts) > present:
            raise DomainError(
                ErrorCode.VOTES_ABOVE_PRESENT,
                _(
                    "On question %(number)s more votes are given than the %(present)s "
                    "present."
                )
                % {"number": item.position, "present": present},
            )
        item.votes_for, item.votes_against, item.votes_abstain = counts
        item.decision = given.decision.strip()
    model.objects.bulk_update(
        items, ["votes_for", "votes_against", "votes_abstain", "decision"]
    )


@transaction.atomic
def gathering_close(
    *, gathering: Gathering, actor: User, votes: dict[int, ItemVotes]
) -> Gathering:
    """Close the gathering: the residents of age and those present fixed, each item's
    votes recorded (a gathering without a quorum decides nothing), the minutes
    published."""
    gathering = _lock(gathering)
    _session_check(gathering)
    eligible = selectors.eligible_register(gathering=gathering).count()
    present = Attendance.objects.filter(gathering=gathering).count()
    quorate = lifecycle.is_quorate(present, eligible, gathering.quorum_percent)
    _votes_write(gathering.items.all(), votes, present=present, quorate=quorate)
    lifecycle.transition_check(gathering.status, GatheringStatus.HELD)
    gathering.status = GatheringStatus.HELD
    gathering.eligible, gathering.present = eligible, present
    gathering.closed_at, gathering.closed_by = timezone.now(), actor
    gathering.save()
    audit_event_record(
        actor=actor,
        verb=AuditVerb.GATHERING_CLOSED,
        target=gathering,
        unit=gathering.unit,
        details={"eligible": eligible, "present": present, "quorate": quorate},
    )
    return gathering


@transaction.atomic
def gathering_rules_set(
    *, unit: AdministrativeUnit, actor: User, values: dict
) -> GatheringRules:
    """The unit's own rules; gatherings already announced and sittings held keep the
    rules they had."""
    rules, _created = GatheringRules.objects.get_or_create(unit=unit)
    for name in GatheringRules.ALL_FIELDS:
        if name in values:
            setattr(rules, name, values[name])
    rules.full_clean()
    rules.save()
    # Planned gatherings show the rules they would be announced with; sittings called
    # for a day to come sit by the rules of their day (one whose day has come keeps
    # its own: its quorum never changes once it has sat).
    Gathering.objects.filter(unit=unit, status=GatheringStatus.PLANNED).update(
        **{name: getattr(rules, name) for name in RulesFields.RULE_FIELDS}
    )
    MeetingSitting.objects.filter(
        unit=unit, status=SittingStatus.CALLED, held_on__gt=timezone.localdate()
    ).update(
        **{
            name: getattr(rules, name)
            for name in MeetingRulesFields.MEETING_RULE_FIELDS
        }
    )
    audit_event_record(
        actor=actor,
        verb=AuditVerb.RULES_CHANGED,
        target=rules,
        unit=unit,
        details=values,
    )
    return rules


# The community meeting: its members and its sittings.


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
