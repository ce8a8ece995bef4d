"""Residents' gatherings (сход) of a unit, or separate gatherings of a village, street or
building: the rules a unit holds them by, each gathering with its agenda, the residents
who came (by IIN, as the household register lists them) and the votes on each item; and
the local community meeting (собрание местного сообщества) the gatherings elect: its
members by name with their terms, its sittings with the members present and the votes on
each item."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from accounts.models import KeptIin
from portal.models import AdministrativeUnit


def _percent(label, default: int, help_text, *, most: int = 100):
    return models.PositiveSmallIntegerField(
        label,
        default=default,
        validators=[MinValueValidator(1), MaxValueValidator(most)],
        help_text=help_text,
    )


class RulesFields(models.Model):
    """The rules a gathering is held by. A unit's own (GatheringRules) replace the model
    rules' defaults below; a gathering copies them when it is announced, so that a change
    made later never changes a gathering already called."""

    notice_days = models.PositiveSmallIntegerField(
        _("days of notice"),
        default=10,
        validators=[MinValueValidator(1), MaxValueValidator(60)],
        help_text=_("Residents are told at least this many days before the gathering."),
    )
    quorum_percent = _percent(
        _("quorum, per cent of the residents"),
        10,
        _(
            "The gathering is valid when at least this share of the residents of age "
            "the household register lists for its territory is present."
        ),
    )
    majority_percent = _percent(
        _("majority, per cent of those present"),
        50,
        _("A decision is taken by more than this share of those present."),
        most=99,
    )
    minutes_working_days = models.PositiveSmallIntegerField(
        _("working days to publish the minutes"),
        default=5,
        validators=[MinValueValidator(1), MaxValueValidator(30)],
    )
    initiative_percent = _percent(
        _("signatures to convene, per cent of the residents"),
        10,
        _(
            "Residents convene a gathering themselves with the signatures of at least "
            "this share of the residents of its territory."
        ),
    )
    min_age = models.PositiveSmallIntegerField(
        _("minimum age"),
        default=18,
        validators=[MinValueValidator(16), MaxValueValidator(21)],
    )

    RULE_FIELDS = (
        "notice_days",
        "quorum_percent",
        "majority_percent",
        "minutes_working_days",
        "initiative_percent",
        "min_age",
    )

    class Meta:
        abstract = True


class MeetingRulesFields(models.Model):
    """The rules the community meeting sits by; a sitting copies them when it is
    called."""

    meeting_quorum_percent = _percent(
        _("quorum of the meeting, per cent of its members"),
        50,
        _(
            "The meeting sits when at least this share of its members in office is there."
        ),
    )
    meeting_majority_percent = _percent(
        _("majority of the meeting, per cent of the members present"),
        50,
        _("The meeting decides by more than this share of the members present."),
        most=99,
    )

    MEETING_RULE_FIELDS = ("meeting_quorum_percent", "meeting_majority_percent")

    class Meta:
        abstract = True


class Ending(models.Model):
    """How a gathering or a sitting ended: its minutes published, or cancelled with a
    reason."""

    closed_at = models.DateTimeField(_("minutes published at"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("minutes published by"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)
    cancel_reason = models.TextField(_("reason for cancelling"), blank=True)

    class Meta:
        abstract = True


class GatheringRules(RulesFields, MeetingRulesFields):
    """A unit's own rules of gatherings and of its community meeting; without a row, the
    model rules' defaults."""

    unit = models.OneToOneField(
        AdministrativeUnit,
        verbose_name=_("unit"),
        on_delete=models.CASCADE,
        related_name="gathering_rules",
    )
    meeting_term_years = models.PositiveSmallIntegerField(
        _("term of the meeting's members, years"),
        default=4,
        validators=[MinValueValidator(1), MaxValueValidator(5)],
    )
    appointment_allowed = models.BooleanField(
        _("members may be appointed"),
        default=False,
        help_text=_(
            "Where the rules let the akim appoint a member for a territory whose "
            "separate gathering has not elected one."
        ),
    )

    ALL_FIELDS = (
        *RulesFields.RULE_FIELDS,
        *MeetingRulesFields.MEETING_RULE_FIELDS,
        "meeting_term_years",
        "appointment_allowed",
    )

    class Meta:
        verbose_name = _("rules of gatherings")
        verbose_name_plural = _("rules of gatherings")

    def __str__(self) -> str:
        return str(self.unit)


class GatheringStatus(models.TextChoices):
    PLANNED = "planned", _("being prepared")
    ANNOUNCED = "announced", _("announced")
    HELD = "held", _("held")
    CANCELLED = "cancelled", _("cancelled")


class Convener(models.TextChoices):
    AKIM = "akim", _("the akim")
    RESIDENTS = "residents", _("the residents, by their signatures")


class Gathering(RulesFields, Ending):
    unit = models.ForeignKey(
        AdministrativeUnit,
        verbose_name=_("unit"),
        on_delete=models.PROTECT,
        related_name="gatherings",
    )
    # The territory: the whole unit (no place), or a village, a street or a building of it.
    place = models.ForeignKey(
        AdministrativeUnit,
        verbose_name=_("settlement"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    street = models.CharField(_("street"), max_length=100, blank=True)
    house = models.CharField(_("house"), max_length=20, blank=True)
    subject = models.CharField(_("subject"), max_length=200)
    held_on = models.DateField(_("date"))
    starts_at = models.TimeField(_("time"))
    venue = models.CharField(_("place of the gathering"), max_length=200)
    convener = models.CharField(
        _("convened by"), max_length=16, choices=Convener.choices
    )
    signatures = models.PositiveIntegerField(
        _("signatures collected"), null=True, blank=True
    )
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=GatheringStatus.choices,
        default=GatheringStatus.PLANNED,
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("prepared by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("prepared at"), default=timezone.now)
    announced_at = models.DateTimeField(_("announced at"), null=True, blank=True)
    minutes_due_on = models.DateField(_("minutes due on"), null=True, blank=True)
    # Fixed when the gathering is closed: the residents of age the register listed for
    # its territory on its day, and those present.
    eligible = models.PositiveIntegerField(_("residents of age"), null=True, blank=True)
    present = models.PositiveIntegerField(_("present"), null=True, blank=True)

    class Meta:
        verbose_name = _("gathering")
        verbose_name_plural = _("gatherings")
        ordering = ["-held_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(house="") | ~Q(street=""),
                name="gathering_house_on_a_street",
            ),
            models.CheckConstraint(
                condition=Q(street="") | Q(place__isnull=False),
                name="gathering_street_in_a_settlement",
            ),
            models.CheckConstraint(
                condition=~Q(convener="residents") | Q(signatures__isnull=False),
                name="gathering_initiative_has_signatures",
            ),
            models.CheckConstraint(
                condition=~Q(status="cancelled") | ~Q(cancel_reason=""),
                name="gathering_cancel_has_reason",
            ),
            models.CheckConstraint(
                condition=~Q(status="held")
                | Q(eligible__isnull=False, present__isnull=False),
                name="gathering_held_has_counts",
            ),
        ]
        indexes = [models.Index(fields=["unit", "-held_on"])]

    def __str__(self) -> str:
        return f"{self.unit.kato_code} {self.held_on}: {self.subject}"

    def get_absolute_url(self) -> str:
        return reverse(
            "community:gathering_detail",
            kwargs={"kato_code": self.unit.kato_code, "pk": self.pk},
        )

    @property
    def is_separate(self) -> bool:
        return self.place_id is not None


class VotedItem(models.Model):
    """A question of an agenda, with the votes on it and the decision's words."""

    position = models.PositiveSmallIntegerField(_("number"))
    title = models.CharField(_("question"), max_length=300)
    votes_for = models.PositiveIntegerField(_("for"), null=True, blank=True)
    votes_against = models.PositiveIntegerField(_("against"), null=True, blank=True)
    votes_abstain = models.PositiveIntegerField(_("abstained"), null=True, blank=True)
    decision = models.TextField(_("decision"), blank=True, max_length=2000)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return f"{self.position}. {self.title}"


class AgendaItem(VotedItem):
    gathering = models.ForeignKey(
        Gathering,
        verbose_name=_("gathering"),
        on_delete=models.CASCADE,
        related_name="items",
    )

    class Meta:
        verbose_name = _("agenda item")
        verbose_name_plural = _("agenda items")
        ordering = ["gathering", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["gathering", "position"], name="agenda_item_position_unique"
            ),
        ]


class Attendance(KeptIin):
    """A resident present, as staff entered their IIN; once a gathering each."""

    gathering = models.ForeignKey(
        Gathering,
        verbose_name=_("gathering"),
        on_delete=models.CASCADE,
        related_name="attendance",
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now)

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        ordering = ["gathering", "recorded_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["gathering", "iin_digest"], name="attendance_once_per_resident"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.gathering_id}: {self.masked_iin}"


# The local community meeting has from 5 to 25 members.
MEETING_MEMBERS_MIN = 5
MEETING_MEMBERS_MAX = 25


class Mandate(models.TextChoices):
    ELECTED = "elected", _("elected by a gathering")
    APPOINTED = "appointed", _("appointed")


class MeetingMember(KeptIin):
    """A member of the unit's community meeting for a term: elected by a gathering (of
    the unit, or a separate one of a village, street or building) or appointed where the
    unit's rules allow it. Their name is public; their IIN is kept as the register keeps
    it, to count each resident once."""

    unit = models.ForeignKey(
        AdministrativeUnit,
        verbose_name=_("unit"),
        on_delete=models.PROTECT,
        related_name="meeting_members",
    )
    full_name = models.CharField(_("full name"), max_length=200)
    mandate = models.CharField(_("mandate"), max_length=16, choices=Mandate.choices)
    elected_by = models.ForeignKey(
        Gathering,
        verbose_name=_("elected by"),
        on_delete=models.PROTECT,
        related_name="elected_members",
        null=True,
        blank=True,
    )
    basis = models.CharField(_("basis of the appointment"), max_length=300, blank=True)
    term_starts = models.DateField(_("term starts"))
    term_ends = models.DateField(_("term ends"))
    ended_on = models.DateField(_("left the meeting on"), null=True, blank=True)
    end_reason = models.CharField(_("reason for leaving"), max_length=300, blank=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    added_at = models.DateTimeField(_("recorded at"), default=timezone.now)

    class Meta:
        verbose_name = _("member of the community meeting")
        verbose_name_plural = _("members of the community meeting")
        ordering = ["full_name", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(mandate="elected") | Q(elected_by__isnull=False),
                name="member_elected_by_a_gathering",
            ),
            models.CheckConstraint(
                condition=~Q(mandate="appointed") | ~Q(basis=""),
                name="member_appointed_has_basis",
            ),
            models.CheckConstraint(
                condition=Q(term_ends__gt=models.F("term_starts")),
                name="member_term_ends_after_start",
            ),
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True)
                | (
                    Q(ended_on__gte=models.F("term_starts"))
                    & Q(ended_on__lte=models.F("term_ends"))
                    & ~Q(end_reason="")
                ),
                name="member_left_within_term_with_reason",
            ),
        ]
        indexes = [models.Index(fields=["unit", "term_starts"])]

    def __str__(self) -> str:
        return self.full_name

    @property
    def last_day(self):
        """The last day in office: the term's end, or the day before leaving."""
        if self.ended_on is not None:
            return self.ended_on - datetime.timedelta(days=1)
        return self.term_ends

    def in_office_on(self, day) -> bool:
        return self.term_starts <= day <= self.last_day


class SittingStatus(models.TextChoices):
    CALLED = "called", pgettext_lazy("sitting", "called")
    HELD = "held", pgettext_lazy("sitting", "held")
    CANCELLED = "cancelled", pgettext_lazy("sitting", "cancelled")


class MeetingSitting(MeetingRulesFields, Ending):
    """One sitting of the community meeting: its day, place and agenda; once held, the
    members in office and present that day and the votes on each item."""

    unit = models.ForeignKey(
        AdministrativeUnit,
        verbose_name=_("unit"),
        on_delete=models.PROTECT,
        related_name="meeting_sittings",
    )
    held_on = models.DateField(_("date"))
    starts_at = models.TimeField(_("time"))
    venue = models.CharField(_("place of the sitting"), max_length=200)
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=SittingStatus.choices,
        default=SittingStatus.CALLED,
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("called by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("called at"), default=timezone.now)
    # Fixed when the sitting is closed.
    members_total = models.PositiveSmallIntegerField(
        _("members in office"), null=True, blank=True
    )
    members_present = models.PositiveSmallIntegerField(
        _("members present"), null=True, blank=True
    )

    class Meta:
        verbose_name = _("sitting of the community meeting")
        verbose_name_plural = _("sittings of the community meeting")
        ordering = ["-held_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="cancelled") | ~Q(cancel_reason=""),
                name="sitting_cancel_has_reason",
            ),
            models.CheckConstraint(
                condition=~Q(status="held")
                | (
                    Q(members_total__gte=MEETING_MEMBERS_MIN)
                    & Q(members_total__lte=MEETING_MEMBERS_MAX)
                    & Q(members_present__lte=models.F("members_total"))
                ),
                name="sitting_held_has_counts",
            ),
        ]
        indexes = [models.Index(fields=["unit", "-held_on"])]

    def __str__(self) -> str:
        return f"{self.unit.kato_code} {self.held_on}"

    def get_absolute_url(self) -> str:
        return reverse(
            "community:sitting_detail",
            kwargs={"kato_code": self.unit.kato_code, "pk": self.pk},
        )


class SittingItem(VotedItem):
    sitting = models.ForeignKey(
        MeetingSitting,
        verbose_name=_("sitting"),
        on_delete=models.CASCADE,
        related_name="items",
    )

    class Meta:
        verbose_name = _("agenda item of a sitting")
        verbose_name_plural = _("agenda items of sittings")
        ordering = ["sitting", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["sitting", "position"], name="sitting_item_position_unique"
            ),
        ]


class SittingRoll(models.Model):
    """A member in office on a sitting's day, present or not: the roll is fixed when the
    sitting is closed, so its minutes never change with a later record of a member."""

    sitting = models.ForeignKey(
        MeetingSitting,
        verbose_name=_("sitting"),
        on_delete=models.CASCADE,
        related_name="roll",
    )
    member = models.ForeignKey(
        MeetingMember,
        verbose_name=_("member"),
        on_delete=models.PROTECT,
        related_name="roll",
    )
    present = models.BooleanField(_("present"))

    class Meta:
        verbose_name = _("member on the roll of a sitting")
        verbose_name_plural = _("the roll of sittings")
        constraints = [
            models.UniqueConstraint(
                fields=["sitting", "member"], name="sitting_roll_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.sitting_id}: {self.member_id}"
