"""The user, their residency claims and their role memberships scoped to units."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.iin import masked_iin
from portal.models import AdministrativeUnit

DISPLAY_NAME_MAX_LENGTH = 60


class EmailUserManager(UserManager):
    use_in_migrations = True

    def _create_user(self, email, password, **extra_fields):
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra_fields)


class User(AbstractUser):
    username = None
    first_name = models.CharField(_("first name"), max_length=150, blank=True)
    last_name = models.CharField(_("last name"), max_length=150, blank=True)
    email = models.EmailField(_("e-mail address"), unique=True)
    # What others see beside what the person writes in public; empty: the first name and
    # the initial of the surname. The full name (first and last) is for the akimat only.
    display_name = models.CharField(
        _("name shown to others"), max_length=DISPLAY_NAME_MAX_LENGTH, blank=True
    )
    # The IIN is kept only as a keyed hash (for uniqueness) and its last four digits.
    # NULL, not "", for accounts without an IIN: the unique constraint ignores NULLs.
    iin_digest = models.CharField(  # noqa: DJ001
        _("IIN, keyed hash"), max_length=64, null=True, blank=True, editable=False
    )
    iin_last4 = models.CharField(_("IIN, last four digits"), max_length=4, blank=True)
    # The date of birth the IIN encodes, kept when the IIN is given: a residents' vote
    # has a minimum age. (Accounts that gave their IIN before it was kept give it again
    # when they first vote.)
    birth_date = models.DateField(_("date of birth"), null=True, blank=True)
    language = models.CharField(
        _("language"),
        max_length=8,
        choices=settings.LANGUAGES,
        default=settings.LANGUAGE_CODE,
    )
    # The person's own Kazakhstan mobile number (E.164) for the notices they choose to
    # get by SMS: set only once a code sent to it was entered (`mobile_code_check`).
    mobile_number = models.CharField(
        _("mobile number for SMS notices"), max_length=16, blank=True
    )

    objects = EmailUserManager()

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            models.UniqueConstraint(
                fields=["iin_digest"], name="user_one_account_per_iin"
            ),
        ]

    def __str__(self) -> str:
        return self.get_full_name() or self.email

    @property
    def public_name(self) -> str:
        """The name shown beside what a person writes in public: the one they chose, or
        their first name and the initial of their surname; never their full name or
        e-mail."""
        return self.display_name or self.default_public_name

    @property
    def default_public_name(self) -> str:
        first_name, last_name = self.first_name.strip(), self.last_name.strip()
        if first_name and last_name:
            return f"{first_name} {last_name[0]}."
        if first_name:
            return first_name
        # A surname alone is shown by its initial: whole, it would be the full name.
        if last_name:
            return f"{last_name[0]}."
        return str(_("A resident"))

    @property
    def has_iin(self) -> bool:
        return bool(self.iin_digest)

    @property
    def masked_iin(self) -> str:
        return masked_iin(self.iin_last4)


class ResidencyStatus(models.TextChoices):
    PENDING = "pending", _("awaiting confirmation")
    VERIFIED = "verified", _("verified")
    REFUSED = "refused", _("refused")
    SUPERSEDED = "superseded", _("replaced by a later claim")


ACTIVE_RESIDENCY_STATUSES = (ResidencyStatus.PENDING, ResidencyStatus.VERIFIED)


class VerificationChannel(models.TextChoices):
    """How the akimat came to confirm a residency claim."""

    IN_PERSON = "in_person", _("in person at the akimat")
    REGISTER = "register", _("household register")
    SMS = "sms", _("SMS code")


class ResidencyQuerySet(models.QuerySet):
    def active(self) -> ResidencyQuerySet:
        return self.filter(status__in=ACTIVE_RESIDENCY_STATUSES)

    def verified(self) -> ResidencyQuerySet:
        return self.filter(status=ResidencyStatus.VERIFIED)


class Residency(models.Model):
    """A resident's claim to live in a place, and the akimat's answer to it."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("resident"),
        on_delete=models.CASCADE,
        related_name="residencies",
    )
    place = models.ForeignKey(
        AdministrativeUnit,
        verbose_name=_("place of residence"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    # The unit whose budget the resident takes part in, fixed when the claim is made: its
    # akimat confirms the claim, and the resident's rights are scoped to it.
    budget_unit = models.ForeignKey(
        AdministrativeUnit,
        verbose_name=_("budget unit"),
        on_delete=models.PROTECT,
        related_name="residencies",
    )
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=ResidencyStatus.choices,
        default=ResidencyStatus.PENDING,
    )
    created_at = models.DateTimeField(_("requested at"), default=timezone.now)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    refusal_reason = models.TextField(_("reason for refusal"), blank=True)
    # How the claim was confirmed; empty until it is.
    channel = models.CharField(
        _("confirmed through"),
        max_length=16,
        choices=VerificationChannel.choices,
        blank=True,
    )

    objects = ResidencyQuerySet.as_manager()

    class Meta:
        verbose_name = _("residency")
        verbose_name_plural = _("residencies")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["user"],
                condition=Q(status__in=["pending", "verified"]),
                name="residency_one_active_per_user",
            ),
            models.CheckConstraint(
                condition=~Q(status="refused") | ~Q(refusal_reason=""),
                name="residency_refusal_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} @ {self.place.kato_code} ({self.get_status_display()})"

    @property
    def is_verified(self) -> bool:
        return self.status == ResidencyStatus.VERIFIED

    @property
    def is_pending(self) -> bool:
        return self.status == ResidencyStatus.PENDING


class Role(models.TextChoices):
    AKIMAT_STAFF = "akimat_staff", _("akimat staff")
    AKIM = "akim", _("akim")
    MODERATOR = "moderator", _("moderator")
    MASLIKHAT_DEPUTY = "maslikhat_deputy", _("maslikhat deputy")
    MASLIKHAT_CHAIRMAN = "maslikhat_chairman", _("maslikhat chairman")


class RoleMembershipQuerySet(models.QuerySet):
    def current(self, on: datetime.date | None = None) -> RoleMembershipQuerySet:
        on = on or timezone.localdate()
        return self.filter(
            Q(ends_on__isnull=True) | Q(ends_on__gt=on), starts_on__lte=on
        )


class RoleMembership(models.Model):
    """A role a user holds in one unit for a span of days."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.PROTECT,
        related_name="memberships",
    )
    role = models.CharField(_("role"), max_length=32, choices=Role.choices)
    unit = models.ForeignKey(
        AdministrativeUnit,
        verbose_name=_("unit"),
        on_delete=models.PROTECT,
        related_name="memberships",
    )
    starts_on = models.DateField(_("starts on"), default=timezone.localdate)
    ends_on = models.DateField(
        _("ends on"),
        null=True,
        blank=True,
        help_text=_("The first day on which the role no longer holds; empty if open."),
    )
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("granted by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(
        _("created at"), default=timezone.now, editable=False
    )

    objects = RoleMembershipQuerySet.as_manager()

    class Meta:
        verbose_name = _("role membership")
        verbose_name_plural = _("role memberships")
        ordering = ["-starts_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True)
                | Q(ends_on__gt=models.F("starts_on")),
                name="membership_ends_after_start",
            ),
            models.UniqueConstraint(
                fields=["user", "role", "unit"],
                condition=Q(ends_on__isnull=True),
                name="membership_one_open_per_role_and_unit",
            ),
        ]
        indexes = [models.Index(fields=["user", "role", "unit"])]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()} — {self.unit.kato_code}"

    def is_current(self, on: datetime.date | None = None) -> bool:
        on = on or timezone.localdate()
        return self.starts_on <= on and (self.ends_on is None or self.ends_on > on)


class UnitVerification(models.Model):
    """The ways a unit's akimat confirms residency claims besides a visit to the akimat,
    which is always open; without a row, only the visit."""

    unit = models.OneToOneField(
        AdministrativeUnit,
        verbose_name=_("unit"),
        on_delete=models.CASCADE,
        related_name="verification",
    )
    by_register = models.BooleanField(
        _("confirm claims found in the household register"), default=False
    )
    by_sms = models.BooleanField(
        _("confirm claims by an SMS code to the household register's number"),
        default=False,
    )
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("changed by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    changed_at = models.DateTimeField(_("changed at"), default=timezone.now)

    class Meta:
        verbose_name = _("verification channels")
        verbose_name_plural = _("verification channels")

    def __str__(self) -> str:
        return str(self.unit)


class RegisterImport(models.Model):
    """One file of the household register (похозяйственная книга) a unit's staff
    imported: the whole register of the unit at that moment, and what it changed."""

    unit = models.ForeignKey(
        AdministrativeUnit,
        verbose_name=_("unit"),
        on_delete=models.PROTECT,
        related_name="register_imports",
    )
    filename = models.CharField(_("file"), max_length=255)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("imported by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    imported_at = models.DateTimeField(_("imported at"), default=timezone.now)
    rows = models.PositiveIntegerField(_("rows"))
    added = models.PositiveIntegerField(_("added"))
    changed = models.PositiveIntegerField(_("changed"))
    removed = models.PositiveIntegerField(_("removed"))
    confirmed = models.PositiveIntegerField(_("claims confirmed"))

    class Meta:
        verbose_name = _("household register import")
        verbose_name_plural = _("household register imports")
        ordering = ["-imported_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.unit.kato_code} {self.imported_at:%Y-%m-%d}: {self.filename}"


class KeptIin(models.Model):
    """A person's IIN as the portal keeps it where there is no account: its keyed hash
    (to find and count them once), its last four digits and the date of birth it
    encodes (accounts.iin.kept_iin)."""

    iin_digest = models.CharField(_("IIN, keyed hash"), max_length=64)
    iin_last4 = models.CharField(_("IIN, last four digits"), max_length=4)
    birth_date = models.DateField(_("date of birth"))

    class Meta:
        abstract = True

    @property
    def masked_iin(self) -> str:
        return masked_iin(self.iin_last4)


def address_key(text: str) -> str:
    """A street's or a house's name as it is compared: case folded, spaces single."""
    return " ".join(text.casefold().split())


class RegisterEntry(KeptIin):
    """A resident in the unit's household register: the IIN (kept as the accounts keep
    it), the date of birth it encodes, the place and the address."""

    unit = models.ForeignKey(
        AdministrativeUnit,
        verbose_name=_("unit"),
        on_delete=models.CASCADE,
        related_name="register_entries",
    )
    place = models.ForeignKey(
        AdministrativeUnit,
        verbose_name=_("settlement"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    street = models.CharField(_("street"), max_length=100, blank=True)
    house = models.CharField(_("house"), max_length=20, blank=True)
    flat = models.CharField(_("flat"), max_length=20, blank=True)
    # The street and the house folded (`address_key`): a gathering of a street or a
    # building finds its residents however the register wrote them.
    street_key = models.CharField(max_length=100, blank=True, editable=False)
    house_key = models.CharField(max_length=20, blank=True, editable=False)
    # A Kazakhstan mobile number in E.164, when the register gives one.
    phone = models.CharField(_("mobile number"), max_length=16, blank=True)
    imported_in = models.ForeignKey(
        RegisterImport,
        verbose_name=_("last changed by the import"),
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("household register entry")
        verbose_name_plural = _("household register entries")
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "iin_digest"], name="register_one_entry_per_iin"
            ),
        ]
        indexes = [
            models.Index(fields=["iin_digest"]),
            models.Index(fields=["unit", "place", "street_key", "house_key"]),
        ]

    def __str__(self) -> str:
        return f"{self.unit.kato_code} {self.masked_iin}"


class CodePurpose(models.TextChoices):
    RESIDENCY = "residency", _("confirm a residency claim")
    MOBILE = "mobile", _("confirm a mobile number")


class TextCode(models.Model):
    """A one-time code sent by SMS, kept only as a keyed hash (accounts.textcodes): it
    lives a few minutes, takes a few tries and is used once. The latest code of a
    person for a purpose is the one that counts; asking again voids the earlier."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="text_codes",
    )
    purpose = models.CharField(_("purpose"), max_length=16, choices=CodePurpose.choices)
    residency = models.ForeignKey(
        Residency,
        verbose_name=_("residency claim"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )
    phone = models.CharField(_("mobile number"), max_length=16)
    code_digest = models.CharField(_("code, keyed hash"), max_length=128)
    created_at = models.DateTimeField(_("sent at"), default=timezone.now)
    expires_at = models.DateTimeField(_("expires at"))
    attempts = models.PositiveSmallIntegerField(_("wrong tries"), default=0)
    used_at = models.DateTimeField(_("used at"), null=True, blank=True)

    class Meta:
        verbose_name = _("SMS code")
        verbose_name_plural = _("SMS codes")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["user", "purpose", "created_at"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(purpose="mobile", residency__isnull=True)
                | Q(purpose="residency", residency__isnull=False),
                name="text_code_residency_names_its_claim",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.purpose} → {self.user_id} ({self.created_at:%Y-%m-%d %H:%M})"
