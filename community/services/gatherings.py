"""Every change of state of gatherings, each in a transaction: preparing and changing a
gathering, announcing it (its rules frozen), cancelling it, recording who came and
closing it with the votes on each item (its minutes published); the unit's rules of
gatherings and of its community meeting."""

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
from accounts.models import Residency, User
from community import lifecycle, selectors
from community.codes import AuditVerb, ErrorCode
from community.models import (
    Attendance,
    Convener,
    Gathering,
    GatheringRules,
    GatheringStatus,
    MeetingRulesFields,
    MeetingSitting,
    RulesFields,
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
