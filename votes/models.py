"""The residents' vote of a budget cycle (the people's participation budget): its rules,
the projects on its ballot, the ballots cast online or on paper, and its result.

The vote's days are the cycle's `residents_vote` phase (budgets.Phase): it opens at the
start of the first day and closes at the end of the last, in the portal's time zone, so
what is allowed at a moment follows from the clock (votes.lifecycle), never from a flag.
`opened_at` and `counted_at` record what the clock job (or the first act after the moment)
did: the freeze of the rules and the ballot, and the count by the frozen rule."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from budgets.models import BudgetCycle
from portal.models import AdministrativeUnit


class BallotKind(models.TextChoices):
    APPROVAL = "approval", _("approval: mark several projects")
    CUMULATIVE = "cumulative", _("points: share points among projects")
    CHOOSE_ONE = "choose-1", _("one project only")


class CountingRule(models.TextChoices):
    # The values are pabulib's names of the rules (votes.counting.rules).
    EQUAL_SHARES = (
        "equalshares/add1",
        _("Method of Equal Shares (with add-one completion)"),
    )
    EQUAL_SHARES_COMPARED = (
        "equalshares/add1-comparison",
        _("Method of Equal Shares, compared with greedy (as in Wieliczka)"),
    )
    GREEDY = "greedy", _("most votes first (greedy)")
    GREEDY_NO_SKIP = (
        "greedy-no-skip",
        _("most votes first, stopping at the first that does not fit"),
    )
    GREEDY_THRESHOLD = (
        "greedy-threshold",
        _("most votes first, among projects above a minimum of votes"),
    )


# The rules that count only approval ballots (a choice of one project is one approval).
EQUAL_SHARES_RULES = frozenset(
    {CountingRule.EQUAL_SHARES, CountingRule.EQUAL_SHARES_COMPARED}
)


class Vote(models.Model):
    """The rules of one cycle's residents' vote, frozen when it opens (`opened_at`)."""

    cycle = models.OneToOneField(
        BudgetCycle,
        verbose_name=_("budget cycle"),
        on_delete=models.PROTECT,
        related_name="residents_vote",
    )
    amount = models.PositiveBigIntegerField(
        _("amount set aside, tenge"), validators=[MinValueValidator(1)]
    )
    ballot_kind = models.CharField(
        _("ballot"), max_length=16, choices=BallotKind.choices
    )
    min_choices = models.PositiveSmallIntegerField(
        _("fewest projects to mark"), default=1, validators=[MinValueValidator(1)]
    )
    max_choices = models.PositiveSmallIntegerField(
        _("most projects to mark"), default=3, validators=[MinValueValidator(1)]
    )
    points_total = models.PositiveSmallIntegerField(
        _("points each voter shares out"), null=True, blank=True
    )
    points_max = models.PositiveSmallIntegerField(
        _("most points for one project"), null=True, blank=True
    )
    rule = models.CharField(
        _("counting rule"), max_length=32, choices=CountingRule.choices
    )
    # Under greedy with a threshold: the least votes (or points), or share of voters, a
    # project needs; one of the two.
    threshold_votes = models.PositiveIntegerField(
        _("minimum votes for a project"), null=True, blank=True
    )
    threshold_percent = models.DecimalField(
        _("minimum share of voters for a project, %"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    min_age = models.PositiveSmallIntegerField(
        _("voters' minimum age"),
        default=18,
        validators=[MinValueValidator(14), MaxValueValidator(100)],
    )
    ballot_changeable = models.BooleanField(
        _("a ballot may be changed until the close"), default=False
    )
    cost_cap = models.PositiveBigIntegerField(
        _("most a project may cost, tenge"), null=True, blank=True
    )
    prepared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    prepared_at = models.DateTimeField(_("prepared at"), default=timezone.now)
    # The freeze: when the rules and the ballot were fixed (at the opening, recorded by
    # the clock job or the first act after it).
    opened_at = models.DateTimeField(_("frozen at"), null=True, blank=True)
    # The count by the frozen rule, recorded once after the close.
    counted_at = models.DateTimeField(_("counted at"), null=True, blank=True)
    share = models.CharField(
        _("each voter's share under equal shares"), max_length=64, blank=True
    )
    greedy_stood = models.BooleanField(
        _("greedy's outcome stood after the comparison"), default=False
    )
    threshold_applied = models.PositiveIntegerField(
        _("minimum votes applied"), null=True, blank=True
    )

    class Meta:
        verbose_name = _("residents' vote")
        verbose_name_plural = _("residents' votes")
        constraints = [
            models.CheckConstraint(
                condition=Q(max_choices__gte=models.F("min_choices")),
                name="vote_choices_range",
            ),
            models.CheckConstraint(
                condition=~Q(ballot_kind="cumulative")
                | (Q(points_total__gte=1) & Q(points_max__gte=1)),
                name="vote_cumulative_has_points",
            ),
            models.CheckConstraint(
                condition=Q(counted_at__isnull=True) | Q(opened_at__isnull=False),
                name="vote_counted_after_frozen",
            ),
        ]

    def __str__(self) -> str:
        return str(self.cycle)

    def get_absolute_url(self) -> str:
        return reverse(
            "votes:vote_detail",
            kwargs={
                "kato_code": self.cycle.unit.kato_code,
                "fiscal_year": self.cycle.fiscal_year,
            },
        )

    @property
    def is_frozen(self) -> bool:
        return self.opened_at is not None

    @property
    def is_counted(self) -> bool:
        return self.counted_at is not None


class Outcome(models.TextChoices):
    SELECTED = "selected", pgettext_lazy("a project in the vote", "selected")
    NOT_SELECTED = (
        "not_selected",
        pgettext_lazy("a project in the vote", "not selected"),
    )


class VoteProject(models.Model):
    """A project on the ballot: an approved proposal of the cycle, or a project the
    akimat added with a public reason. Its title and cost are fixed when the vote opens."""

    vote = models.ForeignKey(Vote, on_delete=models.CASCADE, related_name="projects")
    proposal = models.ForeignKey(
        "proposals.Proposal",
        verbose_name=_("proposal"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    title = models.CharField(_("title"), max_length=150)
    description = models.TextField(_("description"), max_length=5000, blank=True)
    place = models.ForeignKey(
        AdministrativeUnit,
        verbose_name=_("place"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    cost = models.PositiveBigIntegerField(
        _("cost, tenge"), validators=[MinValueValidator(1)]
    )
    reason = models.TextField(_("why the akimat added it"), max_length=2000, blank=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    # Filled at the count.
    votes = models.PositiveIntegerField(_("votes or points"), null=True, blank=True)
    outcome = models.CharField(
        _("outcome"), max_length=16, choices=Outcome.choices, blank=True
    )
    # Under equal shares, for a selected project: the round it was bought in, the most a
    # supporter paid (an exact fraction, as text) and how many paid.
    round = models.PositiveSmallIntegerField(_("round"), null=True, blank=True)
    price = models.CharField(_("price per supporter"), max_length=64, blank=True)
    payers = models.PositiveIntegerField(
        _("supporters who paid"), null=True, blank=True
    )
    # Whether greedy (most votes first, skipping what does not fit) would select it.
    greedy_selected = models.BooleanField(null=True, blank=True)

    class Meta:
        verbose_name = _("project on the ballot")
        verbose_name_plural = _("projects on the ballot")
        ordering = ["cost", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["vote", "proposal"], name="vote_project_proposal_once"
            ),
            models.CheckConstraint(
                condition=Q(proposal__isnull=False) | ~Q(reason=""),
                name="vote_project_added_with_reason",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class Channel(models.TextChoices):
    ONLINE = "online", _("online")
    PAPER = "paper", _("on paper at the akimat")


# Ballot papers are numbered from 1 to this, six digits on the paper.
BALLOT_PAPER_LAST = 999_999


class BallotPaper(models.Model):
    """A numbered ballot paper issued for a vote (printed for the residents who vote at
    the akimat). Numbers are issued in order, each once per vote; a paper ballot names
    the paper it was marked on (`Ballot.paper`), so the protocol sets the papers issued
    against the papers entered."""

    # No index of its own: ballot_paper_number_once's leads with the vote.
    vote = models.ForeignKey(
        Vote, on_delete=models.PROTECT, related_name="papers", db_index=False
    )
    number = models.PositiveIntegerField(_("number of the ballot paper"))
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("issued by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    # One moment for every paper printed at once: the batch is read back by it.
    issued_at = models.DateTimeField(_("issued at"), default=timezone.now)

    class Meta:
        verbose_name = _("ballot paper")
        verbose_name_plural = _("ballot papers")
        constraints = [
            models.UniqueConstraint(
                fields=["vote", "number"], name="ballot_paper_number_once"
            ),
            models.CheckConstraint(
                condition=Q(number__gte=1, number__lte=BALLOT_PAPER_LAST),
                name="ballot_paper_number_range",
            ),
        ]

    def __str__(self) -> str:
        return f"№ {self.number:06d}"


class Ballot(models.Model):
    """One person's ballot in one vote, online or on paper: one per person (by the keyed
    hash of their IIN) across both channels. `receipt` is the voter's id in the
    published file, so that they can find their ballot there and no one else can tell it
    is theirs."""

    # No index of its own: ballot_one_per_person's leads with the vote (one index fewer
    # to write on every ballot).
    vote = models.ForeignKey(
        Vote, on_delete=models.PROTECT, related_name="ballots", db_index=False
    )
    voter_iin_digest = models.CharField(max_length=64, editable=False)
    voter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    channel = models.CharField(_("channel"), max_length=8, choices=Channel.choices)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("entered by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    receipt = models.CharField(_("receipt"), max_length=16, editable=False)
    # For the turnout, never published with the ballot: the voter's age on the day and
    # the place of the unit they live in.
    voter_age = models.PositiveSmallIntegerField()
    voter_place = models.ForeignKey(
        AdministrativeUnit,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    cast_at = models.DateTimeField(_("cast at"), default=timezone.now)
    changed_at = models.DateTimeField(_("changed at"), null=True, blank=True)
    # The numbered paper a paper ballot was marked on: each paper once (the one-to-one's
    # unique index), and only a paper issued for the vote (the service reads it by the
    # vote and its number).
    paper = models.OneToOneField(
        BallotPaper,
        verbose_name=_("ballot paper"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="ballot",
    )
    # Paper ballots entered before the papers' numbers were recorded (votes migration
    # 0004): the only paper ballots without a paper.
    predates_paper_numbers = models.BooleanField(
        default=False, db_default=False, editable=False
    )

    class Meta:
        verbose_name = _("ballot")
        verbose_name_plural = _("ballots")
        constraints = [
            models.UniqueConstraint(
                fields=["vote", "voter_iin_digest"], name="ballot_one_per_person"
            ),
            models.UniqueConstraint(
                fields=["vote", "receipt"], name="ballot_receipt_unique"
            ),
            models.CheckConstraint(
                condition=Q(channel="online", entered_by__isnull=True)
                | Q(channel="paper", entered_by__isnull=False),
                name="ballot_paper_has_clerk",
            ),
            models.CheckConstraint(
                condition=Q(
                    channel="online", paper__isnull=True, predates_paper_numbers=False
                )
                | Q(channel="paper", paper__isnull=False, predates_paper_numbers=False)
                | Q(channel="paper", paper__isnull=True, predates_paper_numbers=True),
                name="ballot_paper_has_number",
            ),
        ]

    def __str__(self) -> str:
        return self.receipt


class BallotChoice(models.Model):
    # No index of its own: ballot_choice_once's leads with the ballot.
    ballot = models.ForeignKey(
        Ballot, on_delete=models.CASCADE, related_name="choices", db_index=False
    )
    project = models.ForeignKey(
        VoteProject, on_delete=models.PROTECT, related_name="choices"
    )
    points = models.PositiveSmallIntegerField(
        default=1, validators=[MinValueValidator(1)]
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["ballot", "project"], name="ballot_choice_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.ballot_id}: {self.project_id} × {self.points}"
