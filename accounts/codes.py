"""The codes of accounts' refusals (the IIN, residency claims, roles) and the verbs of
its audit events, declared once: services raise and record only these
(portal.errors.DomainError and portal.services refuse anything else), and views match on
the members."""

from enum import StrEnum


class ErrorCode(StrEnum):
    IIN_ALREADY_SET = "iin_already_set"
    IIN_BIRTH_DATE = "iin_birth_date"
    IIN_BIRTH_DATE_FUTURE = "iin_birth_date_future"
    IIN_CENTURY_DIGIT = "iin_century_digit"
    IIN_CHECK_DIGIT = "iin_check_digit"
    IIN_NOT_TWELVE_DIGITS = "iin_not_twelve_digits"
    IIN_REQUIRED = "iin_required"
    IIN_TAKEN = "iin_taken"
    NAME_REQUIRED = "name_required"
    NAME_TOO_LONG = "name_too_long"
    PLACE_WITHOUT_BUDGET = "place_without_budget"
    REFUSAL_REASON_REQUIRED = "refusal_reason_required"
    RESIDENCY_NOT_PENDING = "residency_not_pending"
    RESIDENCY_OWN_CLAIM = "residency_own_claim"
    RESIDENCY_UNCHANGED = "residency_unchanged"
    ROLE_ALREADY_ENDED = "role_already_ended"
    ROLE_ALREADY_HELD = "role_already_held"
    ROLE_ENDS_BEFORE_START = "role_ends_before_start"
    ROLE_UNIT_NOT_DISTRICT = "role_unit_not_district"
    ROLE_UNIT_WITHOUT_BUDGET = "role_unit_without_budget"


class AuditVerb(StrEnum):
    REGISTER_IMPORTED = "register.imported"
    RESIDENCY_CLAIMED = "residency.claimed"
    RESIDENCY_REFUSED = "residency.refused"
    RESIDENCY_VERIFIED = "residency.verified"
    ROLE_ENDED = "role.ended"
    ROLE_GRANTED = "role.granted"
    USER_IIN_SET = "user.iin_set"
    USER_NAMES_CHANGED = "user.names_changed"
    VERIFICATION_CHANNELS_SET = "verification.channels_set"
