"""Every change of state of accounts: the IIN, residency claims and their decisions, SMS
codes and the mobile number for SMS notices, roles."""

from __future__ import annotations

import datetime
from collections.abc import Callable

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import OuterRef
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django.views.decorators.debug import sensitive_variables

from accounts import residency as residency_backends
from accounts import textcodes
from accounts.codes import AuditVerb, ErrorCode
from accounts.iin import birth_date, iin_digest, normalize_iin, validate_iin
from accounts.models import (
    DISPLAY_NAME_MAX_LENGTH,
    CodePurpose,
    RegisterEntry,
    RegisterImport,
    Residency,
    ResidencyStatus,
    Role,
    RoleMembership,
    TextCode,
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
from portal.phones import phone_masked
from portal.services import (
    audit_event_record,
    create_or_refuse,
    notification_send,
    notification_sms_choose,
)
from portal.sms import SmsRefused, SmsUnavailable, kazakhstan_mobile


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
    """The locked pending claim confirmed through the channel, recorded and told. A
    claim confirmed by the resident's own SMS code is decided by nobody at the akimat;
    the resident is the actor of its record."""
    residency.status = ResidencyStatus.VERIFIED
    residency.channel = channel
    residency.decided_by = actor if channel != VerificationChannel.SMS else None
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
    *,
    unit: AdministrativeUnit,
    actor: User,
    by_register: bool,
    by_sms: bool | None = None,
) -> UnitVerification:
    """The unit's channels chosen (`by_sms` None: left as it is); turning the register
    on confirms at once the pending claims it matches."""
    channels, _created = UnitVerification.objects.select_for_update().get_or_create(
        unit=unit
    )
    before = channels.by_register
    by_sms = channels.by_sms if by_sms is None else by_sms
    if before == by_register and channels.by_sms == by_sms:
        return channels
    channels.by_register, channels.by_sms = by_register, by_sms
    channels.changed_by, channels.changed_at = actor, timezone.now()
    channels.save()
    audit_event_record(
        actor=actor,
        verb=AuditVerb.VERIFICATION_CHANNELS_SET,
        target=channels,
        unit=unit,
        details={"by_register": by_register, "by_sms": by_sms},
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


# SMS codes: a residency claim confirmed by a code to the household register's number,
# and the person's own number for SMS notices confirmed by a code to it.


def register_sms_number(residency: Residency) -> str:
    """The number a code confirming this claim goes to: the household register's for
    the claimant's IIN in the claimed settlement, where the unit confirms by SMS; a
    DomainError saying why there is none."""
    if not UnitVerification.objects.filter(
        unit_id=residency.budget_unit_id, by_sms=True
    ).exists():
        raise DomainError(
            ErrorCode.SMS_CHANNEL_OFF,
            _("The akimat of your unit does not confirm residency by SMS code."),
        )
    phones = list(
        RegisterEntry.objects.filter(
            unit_id=residency.budget_unit_id,
            iin_digest=residency.user.iin_digest,
            place_id=residency.place_id,
        ).values_list("phone", flat=True)[:1]
    )
    if not phones:
        raise DomainError(
            ErrorCode.SMS_NOT_IN_REGISTER,
            _(
                "The household register does not list you in this settlement, so no "
                "code can be sent. The akimat confirms your claim in person."
            ),
        )
    if not phones[0]:
        raise DomainError(
            ErrorCode.SMS_NO_REGISTER_NUMBER,
            _(
                "The household register gives no mobile number for you, so no code "
                "can be sent. The akimat confirms your claim in person."
            ),
        )
    return phones[0]


def _claim_locked(residency: Residency, user: User) -> Residency:
    residency = (
        Residency.objects.select_for_update(of=("self",))
        .select_related("user", "budget_unit")
        .get(pk=residency.pk)
    )
    if residency.user_id != user.pk:
        raise DomainError(
            ErrorCode.RESIDENCY_NOT_CLAIMANT,
            _("Only the resident who made this claim confirms it by SMS code."),
        )
    if residency.status != ResidencyStatus.PENDING:
        raise DomainError(
            ErrorCode.RESIDENCY_NOT_PENDING,
            _("This claim has already been decided or replaced."),
        )
    return residency


def _code_issue(
    *,
    user: User,
    purpose: str,
    phone: str,
    address: str,
    residency: Residency | None = None,
) -> TextCode:
    """A new code sent to the number, the person's earlier ones of this purpose void.
    Called in the transaction of the service: a code the gateway did not take is
    written nowhere and spends none of the limits."""
    try:
        taken = textcodes.limits_take(
            textcodes.code_limits(phone=phone, address=address, user_id=user.pk)
        )
    except textcodes.RateLimited as limited:
        minutes = -(-limited.wait // 60)
        raise DomainError(
            ErrorCode.SMS_RATE_LIMITED,
            ngettext(
                "Too many codes were asked for this number or from this connection. "
                "Try again in %(minutes)d minute.",
                "Too many codes were asked for this number or from this connection. "
                "Try again in %(minutes)d minutes.",
                minutes,
            )
            % {"minutes": minutes},
        ) from None
    now = timezone.now()
    code = textcodes.code_new()
    try:
        TextCode.objects.filter(
            user=user, purpose=purpose, used_at__isnull=True, expires_at__gt=now
        ).update(expires_at=now)
        record = TextCode.objects.create(
            user=user,
            purpose=purpose,
            residency=residency,
            phone=phone,
            code_digest=textcodes.code_digest(code),
            created_at=now,
            expires_at=now
            + datetime.timedelta(minutes=settings.QATYSU_SMS_CODE_MINUTES),
        )
        textcodes.code_send(
            phone=phone, text=textcodes.code_text(code=code, language=user.language)
        )
    except SmsRefused:
        textcodes.limits_give_back(taken)
        raise DomainError(
            ErrorCode.SMS_REFUSED,
            _(
                "The SMS operator refused to send a code to this number. Check the "
                "number, or ask the akimat."
            ),
        ) from None
    except SmsUnavailable:
        textcodes.limits_give_back(taken)
        raise DomainError(
            ErrorCode.SMS_UNAVAILABLE,
            _(
                "The code could not be sent now: the SMS service does not answer. "
                "Try again in a few minutes; this try is not counted."
            ),
        ) from None
    except BaseException:
        textcodes.limits_give_back(taken)
        raise
    return record


@sensitive_variables("code")
def _code_check(
    *,
    user: User,
    purpose: str,
    code: str,
    residency: Residency | None = None,
    phone: str | None = None,
) -> Callable[[], TextCode]:
    """Compare the code with the person's latest one of this purpose, in the caller's
    transaction. A right code is marked used and returned; a wrong one is counted,
    and the refusal is returned as a function to raise once the count is committed."""
    codes = TextCode.objects.select_for_update().filter(user=user, purpose=purpose)
    if residency is not None:
        codes = codes.filter(residency=residency)
    record = codes.order_by("-created_at", "-pk").first()
    now = timezone.now()
    if record is None:
        error = DomainError(ErrorCode.CODE_NOT_ASKED, _("Ask for a code first."))
    elif record.used_at is not None:
        error = DomainError(
            ErrorCode.CODE_USED,
            _("This code has already been used. Ask for a new one."),
        )
    elif record.expires_at <= now or (phone is not None and record.phone != phone):
        # A code sent to a number the register no longer gives counts as expired.
        error = DomainError(
            ErrorCode.CODE_EXPIRED,
            _(
                "This code has expired or was replaced by a newer one. Ask for a new one."
            ),
        )
    elif record.attempts >= settings.QATYSU_SMS_CODE_ATTEMPTS:
        error = DomainError(
            ErrorCode.CODE_EXHAUSTED,
            _("Too many wrong tries for this code. Ask for a new one."),
        )
    elif textcodes.code_matches("".join(code.split()), record.code_digest):
        record.used_at = now
        record.save(update_fields=["used_at"])
        return lambda: record
    else:
        record.attempts += 1
        record.save(update_fields=["attempts"])
        left = settings.QATYSU_SMS_CODE_ATTEMPTS - record.attempts
        error = DomainError(
            ErrorCode.CODE_WRONG if left else ErrorCode.CODE_EXHAUSTED,
            ngettext(
                "The code is not right. %(left)d try is left.",
                "The code is not right. %(left)d tries are left.",
                left,
            )
            % {"left": left}
            if left
            else _("The code is not right, and no tries are left. Ask for a new one."),
        )

    def refuse() -> TextCode:
        raise error

    return refuse


@transaction.atomic
def residency_code_send(
    *, residency: Residency, user: User, address: str = ""
) -> TextCode:
    """Send the claimant a code to the household register's number for them."""
    residency = _claim_locked(residency, user)
    phone = register_sms_number(residency)
    record = _code_issue(
        user=user,
        purpose=CodePurpose.RESIDENCY,
        phone=phone,
        address=address,
        residency=residency,
    )
    audit_event_record(
        actor=user,
        verb=AuditVerb.RESIDENCY_CODE_SENT,
        target=residency,
        unit=residency.budget_unit,
        details={"phone": phone_masked(phone)},
    )
    return record


@sensitive_variables("code")
def residency_code_check(*, residency: Residency, user: User, code: str) -> Residency:
    """The claim confirmed by the code sent for it (channel sms), or refused with why;
    a wrong code counts against the code's tries."""
    with transaction.atomic():
        residency = _claim_locked(residency, user)
        # The channel and the register are asked again: either may have changed since.
        phone = register_sms_number(residency)
        outcome = _code_check(
            user=user,
            purpose=CodePurpose.RESIDENCY,
            code=code,
            residency=residency,
            phone=phone,
        )
        try:
            record = outcome()
        except DomainError:
            pass
        else:
            _confirm(
                residency,
                actor=user,
                channel=VerificationChannel.SMS,
                details={"phone": phone_masked(record.phone or phone)},
            )
            return residency
    return outcome()


@transaction.atomic
def mobile_code_send(*, user: User, number: str, address: str = "") -> TextCode:
    """Send a code to the number the person gives for their SMS notices; their number
    on record (if any) stays until the new one is confirmed."""
    try:
        phone = kazakhstan_mobile(number)
    except ValidationError as error:
        raise DomainError(ErrorCode.MOBILE_NOT_KAZAKHSTAN, error.messages[0]) from None
    user = User.objects.select_for_update().get(pk=user.pk)
    if phone == user.mobile_number:
        raise DomainError(
            ErrorCode.MOBILE_UNCHANGED, _("This number is already confirmed as yours.")
        )
    record = _code_issue(
        user=user, purpose=CodePurpose.MOBILE, phone=phone, address=address
    )
    audit_event_record(
        actor=user,
        verb=AuditVerb.USER_MOBILE_CODE_SENT,
        target=user,
        details={"phone": phone_masked(phone)},
    )
    return record


@sensitive_variables("code")
def mobile_code_check(*, user: User, code: str) -> User:
    """The number the latest code went to becomes the person's, or refused with why."""
    with transaction.atomic():
        locked = User.objects.select_for_update().get(pk=user.pk)
        outcome = _code_check(user=locked, purpose=CodePurpose.MOBILE, code=code)
        try:
            record = outcome()
        except DomainError:
            pass
        else:
            user.mobile_number = record.phone
            User.objects.filter(pk=user.pk).update(mobile_number=record.phone)
            audit_event_record(
                actor=user,
                verb=AuditVerb.USER_MOBILE_CONFIRMED,
                target=user,
                details={"phone": phone_masked(record.phone)},
            )
            return user
    return outcome()


@transaction.atomic
def mobile_remove(*, user: User) -> User:
    """No more SMS notices: the number is forgotten (the kinds chosen are kept for a
    number confirmed later)."""
    locked = User.objects.select_for_update().get(pk=user.pk)
    if not locked.mobile_number:
        user.mobile_number = ""
        return user
    User.objects.filter(pk=user.pk).update(mobile_number="")
    audit_event_record(
        actor=user,
        verb=AuditVerb.USER_MOBILE_REMOVED,
        target=user,
        details={"phone": phone_masked(locked.mobile_number)},
    )
    user.mobile_number = ""
    return user


@transaction.atomic
def sms_kinds_choose(*, user: User, kinds: set[str]) -> None:
    """The kinds of notice the person also gets by SMS; any needs a confirmed number."""
    if kinds and not user.mobile_number:
        raise DomainError(
            ErrorCode.MOBILE_REQUIRED,
            _("Confirm your mobile number before choosing notices by SMS."),
        )
    notification_sms_choose(user=user, kinds=kinds)


# A code is kept a day past its expiry, for the audit of a dispute the same day.
TEXT_CODES_KEPT = datetime.timedelta(days=1)


def text_codes_purge() -> int:
    """Delete the codes expired more than a day ago (used or not): each holds the number
    it went to, and none confirms anything any more. Returns how many."""
    deleted, _rows = TextCode.objects.filter(
        expires_at__lt=timezone.now() - TEXT_CODES_KEPT
    ).delete()
    return deleted
