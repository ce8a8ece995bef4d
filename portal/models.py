"""The territorial registry (KATO units), the audit trail, notifications and the calendar."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from portal import search
from portal.akimat import Akimat
from portal.texts import in_reader_language

validate_kato_code = RegexValidator(
    r"^\d{9}\Z",
    message=_("A KATO code is exactly nine digits."),
    code="kato_format",
)

# The reform's phases: budgets of units of more than 2,000 people from 2018, of all from 2020.
OWN_BUDGET_FIRST_YEAR = 2018
OWN_BUDGET_UNIVERSAL_YEAR = 2020
OWN_BUDGET_POPULATION_THRESHOLD = 2000


class Level(models.TextChoices):
    REGION = "region", _("region")
    CITY_OF_REPUBLICAN_SIGNIFICANCE = (
        "city_of_republican_significance",
        _("city of republican significance"),
    )
    DISTRICT = "district", _("district")
    CITY_OF_REGIONAL_SIGNIFICANCE = (
        "city_of_regional_significance",
        _("city of regional significance"),
    )
    DISTRICT_IN_CITY = "district_in_city", _("district within a city")
    CITY_OF_DISTRICT_SIGNIFICANCE = (
        "city_of_district_significance",
        _("city of district significance"),
    )
    RURAL_DISTRICT = "rural_district", _("rural district")
    SETTLEMENT = "settlement", _("settlement")
    VILLAGE = "village", _("village")


# The units that have a maslikhat which approves the budgets of the units below them.
MASLIKHAT_LEVELS = frozenset({Level.DISTRICT, Level.CITY_OF_REGIONAL_SIGNIFICANCE})


# A town, rural district, village or settlement whose parent is one of these is itself an
# administration (a town, rural district, village or settlement administration) rather than a
# part of one: KATO lists a town's administration and the town itself as two rows.
ADMINISTRATIVE_PARENT_LEVELS = frozenset(
    {
        Level.REGION,
        Level.CITY_OF_REPUBLICAN_SIGNIFICANCE,
        Level.DISTRICT,
        Level.CITY_OF_REGIONAL_SIGNIFICANCE,
        Level.DISTRICT_IN_CITY,
    }
)
LOCAL_SELF_GOVERNMENT_LEVELS = frozenset(
    {
        Level.CITY_OF_DISTRICT_SIGNIFICANCE,
        Level.RURAL_DISTRICT,
        Level.SETTLEMENT,
        Level.VILLAGE,
    }
)


class OwnBudgetReason(models.TextChoices):
    HOLDS_ALL_UNITS = (
        "holds_all_units",
        _(
            "Since 2020 every town of district significance, rural district and village or "
            "settlement administration holds its own budget."
        ),
    )
    HOLDS_POPULATION = (
        "holds_population",
        _(
            "In 2018 and 2019 units of more than 2,000 people held their own budget, and this "
            "one has more."
        ),
    )
    BEFORE_REFORM = (
        "before_reform",
        _("Local self-government budgets began in fiscal year 2018."),
    )
    TOO_SMALL = (
        "too_small",
        _(
            "In 2018 and 2019 only units of more than 2,000 people held their own budget."
        ),
    )
    POPULATION_UNKNOWN = (
        "population_unknown",
        _(
            "In 2018 and 2019 only units of more than 2,000 people held their own budget, "
            "and this unit's population is not known."
        ),
    )
    PART_OF_LARGER_UNIT = (
        "part_of_larger_unit",
        _("This place is part of a larger unit and takes part in its budget."),
    )
    NOT_LOCAL_LEVEL = (
        "not_local_level",
        _(
            "Regions, districts and cities of regional or republican significance have "
            "budgets of their own levels, not a local self-government budget."
        ),
    )


@dataclass(frozen=True)
class OwnBudgetStatus:
    holds: bool
    reason: OwnBudgetReason


def own_budget_status(
    *,
    level: str,
    parent_level: str | None,
    population: int | None,
    fiscal_year: int,
) -> OwnBudgetStatus:
    """The reform's rule, in one place; `UnitQuerySet.holding_own_budget` mirrors it in SQL."""
    if level not in LOCAL_SELF_GOVERNMENT_LEVELS:
        return OwnBudgetStatus(False, OwnBudgetReason.NOT_LOCAL_LEVEL)
    if parent_level not in ADMINISTRATIVE_PARENT_LEVELS:
        return OwnBudgetStatus(False, OwnBudgetReason.PART_OF_LARGER_UNIT)
    if fiscal_year < OWN_BUDGET_FIRST_YEAR:
        return OwnBudgetStatus(False, OwnBudgetReason.BEFORE_REFORM)
    if fiscal_year >= OWN_BUDGET_UNIVERSAL_YEAR:
        return OwnBudgetStatus(True, OwnBudgetReason.HOLDS_ALL_UNITS)
    if population is None:
        return OwnBudgetStatus(False, OwnBudgetReason.POPULATION_UNKNOWN)
    if population > OWN_BUDGET_POPULATION_THRESHOLD:
        return OwnBudgetStatus(True, OwnBudgetReason.HOLDS_POPULATION)
    return OwnBudgetStatus(False, OwnBudgetReason.TOO_SMALL)


class UnitQuerySet(models.QuerySet):
    def holding_own_budget(self, fiscal_year: int) -> UnitQuerySet:
        if fiscal_year < OWN_BUDGET_FIRST_YEAR:
            return self.none()
        eligible = Q(
            level__in=LOCAL_SELF_GOVERNMENT_LEVELS,
            parent__level__in=ADMINISTRATIVE_PARENT_LEVELS,
        )
        if fiscal_year < OWN_BUDGET_UNIVERSAL_YEAR:
            eligible &= Q(population__gt=OWN_BUDGET_POPULATION_THRESHOLD)
        return self.filter(eligible)

    def matching(self, text: str) -> UnitQuerySet:
        """Units whose Kazakh or Russian name (or KATO code) contains `text`, as typed or,
        when typed in Latin letters, written in Cyrillic."""
        needles = search.needles(text)
        if not needles:
            return self.none()
        condition = Q()
        for needle in needles:
            condition |= Q(search_text__contains=needle)
        return self.filter(condition)

    def with_ancestors(self) -> UnitQuerySet:
        # KATO has at most five levels, so four parents reach the top in one join.
        return self.select_related("parent__parent__parent__parent")

    def with_akimat(self) -> UnitQuerySet:
        """The akimat's contacts in the same query (`AdministrativeUnit.akimat_contacts`)."""
        return self.select_related("akimat")


class AdministrativeUnit(models.Model):
    kato_code = models.CharField(
        _("KATO code"), max_length=9, unique=True, validators=[validate_kato_code]
    )
    level = models.CharField(_("level"), max_length=40, choices=Level.choices)
    name_kk = models.CharField(_("name in Kazakh"), max_length=200)
    name_ru = models.CharField(_("name in Russian"), max_length=200)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent unit"),
        on_delete=models.PROTECT,
        related_name="children",
        null=True,
        blank=True,
    )
    population = models.PositiveIntegerField(_("population"), null=True, blank=True)
    population_year = models.PositiveSmallIntegerField(
        _("year of the population count"), null=True, blank=True
    )
    # Both names and the code, folded for search (see portal/search.py); derived on save.
    search_text = models.TextField(editable=False, default="")

    objects = UnitQuerySet.as_manager()

    class Meta:
        verbose_name = _("administrative unit")
        verbose_name_plural = _("administrative units")
        ordering = ["kato_code"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kato_code__regex=r"^[0-9]{9}$"),
                name="unit_kato_code_nine_digits",
            ),
            models.CheckConstraint(
                condition=Q(population__isnull=True, population_year__isnull=True)
                | Q(population__isnull=False, population_year__isnull=False),
                name="unit_population_has_year",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.kato_code})"

    def save(self, *args, **kwargs) -> None:
        self.search_text = search.index_text(self.kato_code, self.name_kk, self.name_ru)
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("portal:unit_detail", kwargs={"kato_code": self.kato_code})

    @property
    def name(self) -> str:
        """The name in the script of the active language (Kazakh for English too)."""
        return in_reader_language(self, "name")

    @property
    def other_name(self) -> str:
        return self.name_kk if get_language() == "ru" else self.name_ru

    @cached_property
    def ancestors(self) -> list[AdministrativeUnit]:
        """From the region down to the parent; free after `with_ancestors()`."""
        chain = []
        unit = self.parent
        while unit is not None:
            chain.append(unit)
            unit = unit.parent
        return chain[::-1]

    @property
    def akimat_contacts(self) -> Akimat | None:
        """The contacts the administrator published, or None; free after `with_akimat()`."""
        try:
            return self.akimat
        except Akimat.DoesNotExist:
            return None

    def own_budget_status(self, fiscal_year: int) -> OwnBudgetStatus:
        return own_budget_status(
            level=self.level,
            parent_level=self.parent.level if self.parent_id else None,
            population=self.population,
            fiscal_year=fiscal_year,
        )

    def has_own_budget(self, fiscal_year: int) -> bool:
        return self.own_budget_status(fiscal_year).holds

    @property
    def maslikhat_district(self) -> AdministrativeUnit | None:
        """The district (or city) whose maslikhat approves the unit's budget: the nearest
        such ancestor; free after `with_ancestors()`."""
        for candidate in reversed(self.ancestors):
            if candidate.level in MASLIKHAT_LEVELS:
                return candidate
        return None

    def budget_unit(self, fiscal_year: int) -> AdministrativeUnit | None:
        """The nearest unit up the tree, itself included, that holds its own budget."""
        for unit in [self, *reversed(self.ancestors)]:
            if unit.has_own_budget(fiscal_year):
                return unit
        return None


class AuditEvent(models.Model):
    """One civic or administrative act, written in the transaction of the change."""

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("actor"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    verb = models.CharField(_("verb"), max_length=64)
    target_type = models.ForeignKey(
        ContentType,
        verbose_name=_("kind of target"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
    )
    target_id = models.CharField(_("target"), max_length=64, blank=True)
    target = GenericForeignKey("target_type", "target_id")
    unit = models.ForeignKey(
        AdministrativeUnit,
        verbose_name=_("unit"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="audit_events",
    )
    details = models.JSONField(_("details"), default=dict, blank=True)
    created_at = models.DateTimeField(_("time"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["target_type", "target_id", "created_at"])]

    def __str__(self) -> str:
        return f"{self.verb} {self.target_type_id}:{self.target_id}"


class DashboardSnapshot(models.Model):
    """A dashboard's figures as computed for a unit and a fiscal year (portal.dashboard):
    what its page shows, and when they were computed. Taken when the page is first read
    and again by the clock within DASHBOARD_REFRESH_MINUTES of any act in the unit or
    below it (portal.services.dashboards_refresh)."""

    unit = models.ForeignKey(
        AdministrativeUnit,
        verbose_name=_("unit"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    fiscal_year = models.PositiveSmallIntegerField(_("fiscal year"))
    computed_at = models.DateTimeField(_("computed at"))
    # The sections the figures hold and their layout: figures of another layout (an
    # older release) are computed anew rather than read.
    layout = models.CharField(max_length=200)
    # The figures as Python objects (pickle), signed with the site's secret key so that
    # only what the portal wrote is ever read back.
    figures = models.BinaryField()
    signature = models.CharField(max_length=64)

    class Meta:
        verbose_name = _("dashboard snapshot")
        verbose_name_plural = _("dashboard snapshots")
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "fiscal_year"], name="dashboard_snapshot_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.unit_id} {self.fiscal_year} {self.computed_at:%Y-%m-%d %H:%M}"


class DashboardRefresh(models.Model):
    """How far the clock's refresh of the dashboards has read the audit trail: one row."""

    read_up_to = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.read_up_to:%Y-%m-%d %H:%M:%S}"


class Notification(models.Model):
    """A notice to one user, rendered in their language when shown or e-mailed."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recipient"),
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    kind = models.CharField(_("kind"), max_length=64)
    unit = models.ForeignKey(
        AdministrativeUnit,
        verbose_name=_("unit"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    context = models.JSONField(_("context"), default=dict, blank=True)
    # Where the notice leads, as a URL name and its arguments, reversed in the language
    # of whoever reads it.
    url_name = models.CharField(_("link"), max_length=100, blank=True)
    url_kwargs = models.JSONField(_("link arguments"), default=dict, blank=True)
    created_at = models.DateTimeField(
        _("created at"), default=timezone.now, db_index=True
    )
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)
    # As the recipient chose when it was made (see NotificationPreference).
    in_app = models.BooleanField(_("shown in the site"), default=True)
    by_email = models.BooleanField(_("sent by e-mail"), default=True)
    emailed_at = models.DateTimeField(_("e-mailed at"), null=True, blank=True)
    by_sms = models.BooleanField(_("sent by SMS"), default=False)
    texted_at = models.DateTimeField(_("sent by SMS at"), null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["recipient", "read_at"]),
            models.Index(
                fields=["created_at"],
                condition=Q(by_email=True, emailed_at__isnull=True),
                name="notification_awaiting_email",
            ),
        ]
        constraints = [
            # A notice wanted no way is not made at all.
            models.CheckConstraint(
                condition=Q(in_app=True) | Q(by_email=True) | Q(by_sms=True),
                name="notification_shown_or_sent",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} → {self.recipient_id}"

    def get_absolute_url(self) -> str:
        return reverse(self.url_name, kwargs=self.url_kwargs) if self.url_name else ""

    @property
    def is_read(self) -> bool:
        return self.read_at is not None


class NotificationPreference(models.Model):
    """How one user wants the notices of one kind; without a row, in the site and by
    e-mail, not by SMS."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="notification_preferences",
    )
    kind = models.CharField(_("kind"), max_length=64)
    in_app = models.BooleanField(_("in the site"), default=True)
    by_email = models.BooleanField(_("by e-mail"), default=True)
    # Only kinds registered as fit for SMS, only to a confirmed number; off unless chosen.
    by_sms = models.BooleanField(_("by SMS"), default=False)

    class Meta:
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "kind"], name="notification_preference_one_per_kind"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} → {self.user_id}"


class CalendarDayKind(models.TextChoices):
    DAY_OFF = "day_off", _("day off")
    WORKING_DAY = "working_day", _("working day")


class CalendarDay(models.Model):
    """An administrator's word on one date, over what the `holidays` package says.

    The package knows the holidays fixed by law; the government moves days off year by
    year, and a year's decree may come out before the package learns of it.
    """

    date = models.DateField(_("date"))
    kind = models.CharField(_("kind"), max_length=16, choices=CalendarDayKind.choices)
    reason = models.CharField(
        _("reason"),
        max_length=200,
        help_text=_("The holiday or the government decree that moves the day."),
    )

    class Meta:
        verbose_name = _("calendar day")
        verbose_name_plural = _("calendar days")
        ordering = ["-date"]
        constraints = [
            models.UniqueConstraint(fields=["date"], name="calendar_day_unique_date"),
            models.CheckConstraint(
                condition=Q(kind__in=CalendarDayKind.values),
                name="calendar_day_kind_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.date.isoformat()}: {self.get_kind_display()}"
