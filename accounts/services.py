"""Every change of state of accounts: the IIN, residency claims and their decisions, roles."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import OuterRef
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.debug import sensitive_variables

from accounts import residency as residency_backends
from accounts.codes import AuditVerb, ErrorCode
from accounts.iin import birth_date, iin_digest, normalize_iin, validate_iin
from accounts.models import (
    DISPLAY_NAME_MAX_LENGTH,
    RegisterEntry,
    RegisterImport,
    Residency,
    ResidencyStatus,
    Role,
    RoleMembership,
    UnitVerification,
    User,
    VerificationChannel,
    address_key,
)
from accounts.register import RegisterRow
from portal import fragments
from portal.errors import DomainError
from portal.fiscal import current_fiscal_year
from portal.models import MASLIKHAT_LEVELS, AdministrativeUnit
from portal.services import audit_event_record, create_or_refuse, notification_send


@sensitive_variables("iin")
@transaction.atomic
def user_set_iin(*, user: User, iin: str) -> User:
    """Attach an IIN to an account, once; a second account with the same IIN is refused."""
    iin = normalize_iin(iin)
    try:
        validate_iin(iin)
    except ValidationError as error:
        raise DomainError(ErrorCode(error.code), error.messages[0]) from None
    digest = iin_digest(iin)
    if user.iin_digest == digest:
        if user.birth_date is None:
            user.birth_date = birth_date(iin)
            User.objects.filter(pk=user.pk).update(birth_date=user.birth_date)
        return user
    if user.iin_digest:
        raise DomainError(
            ErrorCode.IIN_ALREADY_SET,
            _("Your account already has another IIN."),
        )
    try:
        with transaction.atomic():
            updated = User.objects.filter(pk=user.pk, iin_digest__isnull=True).update(
                iin_digest=digest, iin_last4=iin[-4:], birth_date=birth_date(iin)
            )
    except IntegrityError:
        raise DomainError(
            ErrorCode.IIN_TAKEN,
            _(
                "Another account is already registered with this IIN. If it is yours, "
                "sign in to it or ask the akimat for help."
            ),
        ) from None
    if not updated:
        raise DomainError(
            ErrorCode.IIN_ALREADY_SET,
            _("Your account already has another IIN."),
        )
    user.iin_digest, user.iin_last4 = digest, iin[-4:]
    user.birth_date = birth_date(iin)
    audit_event_record(actor=user, verb=AuditVerb.USER_IIN_SET, target=user)
    return user


FULL_NAME_PART_MAX_LENGTH = 150


@transaction.atomic
def user_names_update(
    *, user: User, first_name: str, last_name: str, display_name: str = ""
) -> User:
    """The person's full name (seen by the akimat that confirms where they live) and the
    name others see beside what they write (empty: the first name and an initial)."""
    first_name, last_name = first_name.strip(), last_name.strip()
    display_name = display_name.strip()
    if not first_name or not last_name:
        raise DomainError(
            ErrorCode.NAME_REQUIRED, _("Give your first name and your surname.")
        )
    if (
        max(len(first_name), len(last_name)) > FULL_NAME_PART_MAX_LENGTH
        or len(display_name) > DISPLAY_NAME_MAX_LENGTH
    ):
        raise DomainError(ErrorCode.NAME_TOO_LONG, _("This name is too long."))
    names = {
        "first_name": first_name,
        "last_name": last_name,
        "display_name": display_name,
    }
    if all(getattr(user, field) == value for field, value in names.items()):
        return user
    User.objects.filter(pk=user.pk).update(**names)
    for field, value in names.items():
        setattr(user, field, value)
    audit_event_record(actor=user, verb=AuditVerb.USER_NAMES_CHANGED, target=user)
    # The name is shown beside what they wrote, in the units they live in.
    fragments.units_changed(user.residencies.values_list("budget_unit_id", flat=True))
    return user


@sensitive_variables("iin")
@transaction.atomic
def residency_claim(
    *,
    user: User,
    place: AdministrativeUnit,
    iin: str | None = None,
    first_name: str | None = None,
    last_name: str | None = None,
) -> Residency:
    """A resident names where they live; the claim goes to the verification backend.

    The akimat confirms a person, not an address: an account opened before sign-up asked
    for the full name gives it here (`first_name`, `last_name`)."""
    if first_name is not None or last_name is not None:
        user_names_update(
            user=user,
            first_name=first_name or "",
            last_name=last_name or "",
            display_name=user.display_name,
        )
    if not user.first_name.strip() or not user.last_name.strip():
        raise DomainError(
            ErrorCode.NAME_REQUIRED,
            _("Give your first name and your surname before naming your place."),
        )
    if iin:
        user_set_iin(user=user, iin=iin)
    if not user.has_iin:
        raise DomainError(
            ErrorCode.IIN_REQUIRED,
            _("Give your IIN before naming your place of residence."),
        )
    budget_unit = place.budget_unit(current_fiscal_year())
    if budget_unit is None:
        raise DomainError(
            ErrorCode.PLACE_WITHOUT_BUDGET,
            _(
                "This place is not part of any local self-government budget. Choose "
                "the village, settlement or town where you live."
            ),
        )
    # Lock the user's row so that two claims at once cannot both supersede nothing.
    User.objects.select_for_update().filter(pk=user.pk).first()
    if Residency.objects.filter(user=user, place=place).active().exists():
        raise DomainError(
            ErrorCode.RESIDENCY_UNCHANGED,
            _(
                "You have already named this place; the akimat's answer stands or is awaited."
            ),
        )
    Residency.objects.filter(user=user).active().update(
        status=ResidencyStatus.SUPERSEDED, decided_at=timezone.now()
    )
    residency = Residency.objects.create(
        user=user, place=place, budget_unit=budget_unit
    )
    audit_event_record(
        actor=user,
        verb=AuditVerb.RESIDENCY_CLAIMED,
        target=residency,
        unit=budget_unit,
        details={"place": place.kato_code},
    )
    if _confirms_by_register(budget_unit) and (
        RegisterEntry.objects.filter(
            unit=budget_unit, iin_digest=user.iin_digest, place=place
        ).exists()
    ):
        _confirm(residency, actor=None, channel=VerificationChannel.REGISTER)
        return residency
    residency_backends.get_backend().residency_requested(residency)
    return residency


def _decide(*, residency: Residency, actor: User) -> Residency:
    residency = Residency.objects.select_for_update().get(pk=residency.pk)
    if residency.user_id == actor.pk:
        raise DomainError(
            ErrorCode.RESIDENCY_OWN_CLAIM,
            _("Nobody confirms or refuses their own residency claim."),
        )
    if residency.status != ResidencyStatus.PENDING:
        raise DomainError(
            ErrorCode.RESIDENCY_NOT_PENDING,
            _("This claim has already been decided or replaced."),
        )
    residency.decided_by = actor
    residency.decided_at = timezone.now()
    return residency


@transaction.atomic
def residency_verify(*, residency: Residency, actor: User) -> Residency:
    residency = _decide(residency=residency, actor=actor)
    _confirm(residency, actor=actor, channel=VerificationChannel.IN_PERSON)
    return residency


def _confirm(
    residency: Residency,
    *,
    actor: User | None,
    channel: str,
    details: dict | None = None,
) -> None:
    """The locked pending claim confirmed through the channel, recorded and told."""
    residency.status = ResidencyStatus.VERIFIED
    residency.channel = channel
    residency.decided_by = actor
    residency.decided_at = timezone.now()
    residency.save(update_fields=["status", "channel", "decided_by", "decided_at"])
    audit_event_record(
        actor=actor,
        verb=AuditVerb.RESIDENCY_VERIFIED,
        target=residency,
        unit=residency.budget_unit,
        details={"channel": channel, **(details or {})},
    )
    notification_send(
        recipients=[residency.user],
        kind="residency_verified",
        unit=residency.budget_unit,
        url_name="accounts:profile",
    )


@transaction.atomic
def residency_refuse(*, residency: Residency, actor: User, reason: str) -> Residency:
    reason = reason.strip()
    if not reason:
        raise DomainError(
            ErrorCode.REFUSAL_REASON_REQUIRED,
            _("Give the resident a reason for the refusal."),
        )
    residency = _decide(residency=residency, actor=actor)
    residency.status = ResidencyStatus.REFUSED
    residency.refusal_reason = reason
    residency.save(
        update_fields=["status", "decided_by", "decided_at", "refusal_reason"]
    )
    audit_event_record(
        actor=actor,
        verb=AuditVerb.RESIDENCY_REFUSED,
        target=residency,
        unit=residency.budget_unit,
        details={"reason": reason},
    )
    notification_send(
        recipients=[residency.user],
        kind="residency_refused",
        unit=residency.budget_unit,
        context={"reason": reason},
        url_name="accounts:profile",
    )
    return residency


def role_scope_error(*, role: str, unit: AdministrativeUnit) -> DomainError | None:
    """Why a role cannot be held in this unit, or None when it can."""
    if role in (Role.AKIMAT_STAFF, Role.AKIM) and not unit.has_own_budget(
        current_fiscal_year()
    ):
        return DomainError(
            ErrorCode.ROLE_UNIT_WITHOUT_BUDGET,
            _(
                "Akimat staff and akims belong to a unit that holds its own budget: a "
                "town, a rural district, or a village or settlement administration."
            ),
        )
    if role in (Role.MASLIKHAT_DEPUTY, Role.MASLIKHAT_CHAIRMAN) and (
        unit.level not in MASLIKHAT_LEVELS
    ):
        return DomainError(
            ErrorCode.ROLE_UNIT_NOT_DISTRICT,
            _(
                "Maslikhat deputies and chairmen belong to a district (or a city) maslikhat."
            ),
        )
    return None


@transaction.atomic
def role_grant(
    *,
    user: User,
    role: str,
    unit: AdministrativeUnit,
    actor: User | None,
    starts_on: datetime.date | None = None,
    ends_on: datetime.date | None = None,
) -> RoleMembership:
    error = role_scope_error(role=role, unit=unit)
    if error:
        raise error
    starts_on = starts_on or timezone.localdate()
    if ends_on is not None and ends_on <= starts_on:
        raise DomainError(
            ErrorCode.ROLE_ENDS_BEFORE_START,
            _("A role must end after the day it starts."),
        )
    membership = create_or_refuse(
        RoleMembership,
        DomainError(
            ErrorCode.ROLE_ALREADY_HELD,
            _("This person already holds this role in this unit with no end date."),
        ),
        user=user,
        role=role,
        unit=unit,
        starts_on=starts_on,
        ends_on=ends_on,
        granted_by=actor,
    )
    audit_event_record(
        actor=actor,
        verb=AuditVerb.ROLE_GRANTED,
        target=membership,
        unit=unit,
        details={
            "user": user.pk,
            "role": role,
            "starts_on": starts_on.isoformat(),
            "ends_on": ends_on.isoformat() if ends_on else None,
        },
    )
    return membership


@transaction.atomic
def role_end(
    *,
    membership: RoleMembership,
    actor: User | None,
    ends_on: datetime.date | None = None,
) -> RoleMembership:
    membership = RoleMembership.objects.select_for_update().get(pk=membership.pk)
    ends_on = ends_on or timezone.localdate()
    if ends_on <= membership.starts_on:
        raise DomainError(
            ErrorCode.ROLE_ENDS_BEFORE_START,
            _("A role must end after the day it starts."),
        )
    if membership.ends_on is not None and membership.ends_on <= ends_on:
        raise DomainError(
            ErrorCode.ROLE_ALREADY_ENDED, _("This role has already ended.")
        )
    membership.ends_on = ends_on
    membership.save(update_fields=["ends_on"])
    audit_event_record(
        actor=actor,
        verb=AuditVerb.ROLE_ENDED,
        target=membership,
        unit=membership.unit,
        details={
            "user": membership.user_id,
            "role": membership.role,
            "ends_on": ends_on.isoformat(),
        },
    )
    return membership


def _confirms_by_register(unit: AdministrativeUnit) -> bool:
    return UnitVerification.objects.filter(unit=unit, by_register=True).exists()


@transaction.atomic
def verification_channels_set(
    *, unit: AdministrativeUnit, actor: User, by_register: bool
) -> UnitVerification:
    """The unit's channels chosen; turning the register on confirms at once the
    pending claims it matches."""
    channels, _created = UnitVerification.objects.select_for_update().get_or_create(
        unit=unit
    )
    before = channels.by_register
    if before == by_register:
        return channels
    channels.by_register = by_register
    channels.changed_by, channels.changed_at = actor, timezone.now()
    channels.save()
    audit_event_record(
        actor=actor,
        verb=AuditVerb.VERIFICATION_CHANNELS_SET,
        target=channels,
        unit=unit,
        details={"by_register": by_register},
    )
    if by_register and not before:
        _register_confirms(unit=unit, actor=actor, register_import=None)
    return channels


@transaction.atomic
def register_import(
    *,
    unit: AdministrativeUnit,
    actor: User,
    rows: list[RegisterRow],
    filename: str,
) -> RegisterImport:
    """The unit's household register replaced by the rows read from a file (see
    accounts.register): new residents added, addresses changed, residents the file no
    longer lists removed; the same file imported again changes nothing. Where the unit
    confirms claims by the register, the pending claims it now matches are confirmed."""
    # One import of a unit at a time: each reads the register the other writes.
    AdministrativeUnit.objects.select_for_update().filter(pk=unit.pk).first()
    current = {
        digest: (pk, (place_id, street, house, flat, phone))
        for digest, pk, place_id, street, house, flat, phone in (
            RegisterEntry.objects.filter(unit=unit).values_list(
                "iin_digest", "pk", "place_id", "street", "house", "flat", "phone"
            )
        )
    }
    new = [row for row in rows if row.iin_digest not in current]
    changed = [
        row
        for row in rows
        if row.iin_digest in current and current[row.iin_digest][1] != row.address
    ]
    kept = {row.iin_digest for row in rows}
    removed = [pk for digest, (pk, _address) in current.items() if digest not in kept]
    record = RegisterImport.objects.create(
        unit=unit,
        filename=filename[:255],
        imported_by=actor,
        rows=len(rows),
        added=len(new),
        changed=len(changed),
        removed=len(removed),
        confirmed=0,
    )
    RegisterEntry.objects.filter(pk__in=removed).delete()
    RegisterEntry.objects.bulk_create(
        [_entry(row, unit=unit, record=record) for row in new], batch_size=2000
    )
    updated = []
    for row in changed:
        entry = _entry(row, unit=unit, record=record)
        entry.pk = current[row.iin_digest][0]
        updated.append(entry)
    RegisterEntry.objects.bulk_update(
        updated,
        [
            "place",
            "street",
            "house",
            "street_key",
            "house_key",
            "flat",
            "phone",
            "imported_in",
        ],
        batch_size=2000,
    )
    if _confirms_by_register(unit):
        record.confirmed = _register_confirms(
            unit=unit, actor=actor, register_import=record
        )
        record.save(update_fields=["confirmed"])
    audit_event_record(
        actor=actor,
        verb=AuditVerb.REGISTER_IMPORTED,
        target=record,
        unit=unit,
        details={
            "file": record.filename,
            "rows": record.rows,
            "added": record.added,
            "changed": record.changed,
            "removed": record.removed,
            "confirmed": record.confirmed,
        },
    )
    return record


def _entry(row: RegisterRow, *, unit, record: RegisterImport) -> RegisterEntry:
    return RegisterEntry(
        unit=unit,
        iin_digest=row.iin_digest,
        iin_last4=row.iin_last4,
        birth_date=row.birth_date,
        place_id=row.place_id,
        street=row.street,
        house=row.house,
        street_key=address_key(row.street),
        house_key=address_key(row.house),
        flat=row.flat,
        phone=row.phone,
        imported_in=record,
    )


def _register_confirms(
    *, unit: AdministrativeUnit, actor: User, register_import: RegisterImport | None
) -> int:
    """Confirm the unit's pending claims whose IIN and place the register lists (never
    the actor's own); how many."""
    matching = (
        Residency.objects.select_for_update(of=("self",))
        .filter(
            budget_unit=unit,
            status=ResidencyStatus.PENDING,
            user__iin_digest__in=RegisterEntry.objects.filter(
                unit=unit, place=OuterRef("place")
            ).values("iin_digest"),
        )
        .exclude(user=actor)
        .select_related("user", "budget_unit")
    )
    details = {"import": register_import.pk} if register_import else {}
    count = 0
    for residency in matching:
        _confirm(
            residency,
            actor=actor,
            channel=VerificationChannel.REGISTER,
            details=details,
        )
        count += 1
    return count
