"""The district maslikhat's vote on a draft budget: the maslikhat's rules, each voting
session with the deputies it fixed when it opened, and their ballots.

The tables keep the names they had when the vote lived in budgets (migration 0001)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Count, F, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from budgets.models import DraftBudget
from portal.models import AdministrativeUnit


class MaslikhatRules(models.Model):
    """A district maslikhat's voting rules; without a row, the law's defaults hold.

    Valid with at least quorum_numerator/quorum_denominator of all deputies present;
    passed with "for" votes of more than majority_numerator/majority_denominator of all.
    """

    district = models.OneToOneField(
        AdministrativeUnit,
        verbose_name=_("district"),
        on_delete=models.CASCADE,
        related_name="maslikhat_rules",
    )
    quorum_numerator = models.PositiveSmallIntegerField(
        _("quorum: numerator"), default=2
    )
    quorum_denominator = models.PositiveSmallIntegerField(
        _("quorum: denominator"), default=3
    )
    majority_numerator = models.PositiveSmallIntegerField(
        _("majority: numerator"), default=1
    )
    majority_denominator = models.PositiveSmallIntegerField(
        _("majority: denominator"), default=2
    )

    class Meta:
        db_table = "budgets_maslikhatrules"
        verbose_name = _("maslikhat voting rules")
        verbose_name_plural = _("maslikhat voting rules")
        constraints = [
            models.CheckConstraint(
                condition=Q(quorum_numerator__gt=0)
                & Q(quorum_numerator__lte=F("quorum_denominator")),
                name="rules_quorum_is_a_fraction",
            ),
            models.CheckConstraint(
                condition=Q(majority_numerator__gt=0)
                & Q(majority_numerator__lt=F("majority_denominator")),
                name="rules_majority_is_a_fraction",
            ),
        ]

    def __str__(self) -> str:
        return str(self.district)


class SessionOutcome(models.TextChoices):
    PASSED = "passed", _("the draft is approved")
    REJECTED = (
        "rejected",
        _("the draft is not approved and goes back for a new version"),
    )
    NO_QUORUM = "no_quorum", _("no quorum: the session is void")


class VotingSessionQuerySet(models.QuerySet):
    def with_counts(self) -> VotingSessionQuerySet:
        """Each session with its deputies present and its ballots of each choice, counted
        from the rows themselves in the same query: the one place the vote is counted
        (`maslikhat.counting.VoteCount.of` reads these)."""

        def count(rows: models.QuerySet) -> Coalesce:
            return Coalesce(
                Subquery(
                    rows.filter(session=OuterRef("pk"))
                    .order_by()
                    .values("session")
                    .annotate(n=Count("*"))
                    .values("n"),
                    output_field=models.IntegerField(),
                ),
                Value(0),
            )

        return self.annotate(
            present=count(SessionMember.objects.filter(is_present=True)),
            votes_for=count(Ballot.objects.filter(choice=BallotChoice.FOR)),
            votes_against=count(Ballot.objects.filter(choice=BallotChoice.AGAINST)),
            votes_abstain=count(Ballot.objects.filter(choice=BallotChoice.ABSTAIN)),
        )


class VotingSession(models.Model):
    """One sitting of the district maslikhat voting on one draft."""

    draft = models.ForeignKey(
        DraftBudget, on_delete=models.PROTECT, related_name="voting_sessions"
    )
    district = models.ForeignKey(
        AdministrativeUnit,
        verbose_name=_("district"),
        on_delete=models.PROTECT,
        related_name="voting_sessions",
    )
    opens_at = models.DateTimeField(_("opens at"))
    closes_at = models.DateTimeField(_("closes at"))
    # Fixed when the session opens; later changes of the rules or the seats never alter it.
    total_deputies = models.PositiveSmallIntegerField(_("deputies in the maslikhat"))
    quorum_numerator = models.PositiveSmallIntegerField(_("quorum: numerator"))
    quorum_denominator = models.PositiveSmallIntegerField(_("quorum: denominator"))
    majority_numerator = models.PositiveSmallIntegerField(_("majority: numerator"))
    majority_denominator = models.PositiveSmallIntegerField(_("majority: denominator"))
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("opened by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    outcome = models.CharField(
        _("result"), max_length=16, choices=SessionOutcome.choices, blank=True
    )
    reminded_at = models.DateTimeField(_("reminded at"), null=True, blank=True)

    objects = VotingSessionQuerySet.as_manager()

    class Meta:
        db_table = "budgets_votingsession"
        verbose_name = _("voting session")
        verbose_name_plural = _("voting sessions")
        ordering = ["-opens_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(closes_at__gt=F("opens_at")),
                name="session_closes_after_opening",
            ),
            models.UniqueConstraint(
                fields=["draft"],
                condition=Q(closed_at__isnull=True),
                name="session_one_open_per_draft",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.draft} @ {self.opens_at:%Y-%m-%d}"

    def get_absolute_url(self) -> str:
        return reverse("maslikhat:roll_call", kwargs={"pk": self.pk})

    @property
    def is_closed(self) -> bool:
        return self.closed_at is not None


class SessionMember(models.Model):
    """A deputy of the maslikhat when the session opened, present or absent."""

    session = models.ForeignKey(
        VotingSession, on_delete=models.CASCADE, related_name="members"
    )
    deputy = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    is_present = models.BooleanField(_("present"))
    absence_reason = models.CharField(
        _("reason for absence"), max_length=300, blank=True
    )

    class Meta:
        db_table = "budgets_sessionmember"
        verbose_name = _("member of a session")
        verbose_name_plural = _("members of a session")
        constraints = [
            models.UniqueConstraint(
                fields=["session", "deputy"], name="member_once_per_session"
            ),
            models.CheckConstraint(
                condition=Q(is_present=True) | ~Q(absence_reason=""),
                name="member_absence_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.deputy} ({'present' if self.is_present else 'absent'})"


class BallotChoice(models.TextChoices):
    FOR = "for", _("for")
    AGAINST = "against", _("against")
    ABSTAIN = "abstain", _("abstain")


class Ballot(models.Model):
    """One deputy's vote in one session: once, by a database constraint."""

    session = models.ForeignKey(
        VotingSession, on_delete=models.PROTECT, related_name="ballots"
    )
    deputy = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    choice = models.CharField(_("vote"), max_length=8, choices=BallotChoice.choices)
    cast_at = models.DateTimeField(_("cast at"), default=timezone.now)

    class Meta:
        db_table = "budgets_ballot"
        verbose_name = _("ballot")
        verbose_name_plural = _("ballots")
        constraints = [
            models.UniqueConstraint(
                fields=["session", "deputy"], name="ballot_once_per_deputy"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.deputy}: {self.choice}"
