"""Citizen proposals for a unit's budget: the proposal and its photos, supports, comments,
followers and reports, the akimat's review, the akim's decision and the implementation."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from budgets.models import MONEY, BudgetClassification, BudgetCycle, BudgetLine
from portal.models import AdministrativeUnit


class ProposalStatus(models.TextChoices):
    DRAFT = "draft", _("draft")
    SUBMITTED = "submitted", _("submitted")
    WITHDRAWN = "withdrawn", _("withdrawn")
    UNDER_REVIEW = "under_review", _("under review")
    RECOMMENDED = "recommended", _("recommended by the akimat")
    NOT_RECOMMENDED = "not_recommended", _("not recommended by the akimat")
    APPROVED = "approved", _("approved by the akim")
    REJECTED = "rejected", _("rejected by the akim")
    INCLUDED = "included", _("included in the draft budget")
    FUNDED = "funded", _("funded")
    IN_PROGRESS = "in_progress", _("in progress")
    IMPLEMENTED = "implemented", _("implemented")


class VoteOutcome(models.TextChoices):
    """Where the cycle holds a residents' vote: what became of the proposal in it."""

    ON_BALLOT = "on_ballot", _("on the ballot of the residents' vote")
    SELECTED = "selected", _("selected by the residents' vote")
    NOT_SELECTED = "not_selected", _("not selected by the residents' vote")


class ProposalQuerySet(models.QuerySet):
    def public(self) -> ProposalQuerySet:
        """What everyone reads: every proposal once submitted, withdrawn ones included."""
        return self.filter(submitted_at__isnull=False)


class Proposal(models.Model):
    """A resident's idea for the budget of the unit they belong to, in one budget cycle."""

    cycle = models.ForeignKey(
        BudgetCycle,
        verbose_name=_("budget cycle"),
        on_delete=models.PROTECT,
        related_name="proposals",
    )
    # The unit whose budget it is for (the cycle's unit), kept for filters and scoping.
    unit = models.ForeignKey(
        AdministrativeUnit,
        verbose_name=_("unit"),
        on_delete=models.PROTECT,
        related_name="proposals",
    )
    # The village or settlement within the unit where it is to be done (or the unit itself).
    place = models.ForeignKey(
        AdministrativeUnit,
        verbose_name=_("place"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    address = models.CharField(_("street or landmark"), max_length=200, blank=True)
    function = models.ForeignKey(
        BudgetClassification,
        verbose_name=_("expenditure function"),
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"kind": "expenditure"},
    )
    title = models.CharField(_("title"), max_length=150)
    description = models.TextField(_("description"), max_length=5000)
    cost_estimate = models.DecimalField(
        _("cost estimate, tenge"),
        **MONEY,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=ProposalStatus.choices,
        default=ProposalStatus.DRAFT,
    )
    # The resident who proposes it. A proposal brought on paper is registered by staff on
    # the resident's behalf: the author is the resident's account when there is one, and
    # the IIN's keyed hash always, so that the resident finds it when they sign up.
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="proposals",
    )
    author_iin_digest = models.CharField(
        _("author's IIN, keyed hash"), max_length=64, editable=False
    )
    author_name = models.CharField(_("author's name as shown"), max_length=150)
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("registered by (akimat staff)"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    # Folded title and description for the plain search (SQLite); PostgreSQL searches the
    # text itself with its full-text search.
    search_text = models.TextField(editable=False, blank=True)
    # The expenditure line it was included in, and, once the draft is adopted, the line
    # of the adopted draft that funds it.
    included_line = models.ForeignKey(
        BudgetLine,
        verbose_name=_("included in line"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    funding_line = models.ForeignKey(
        BudgetLine,
        verbose_name=_("funded by line"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    # Set by the residents' vote (votes), where the cycle holds one: a proposal on its
    # ballot is included in the draft only once the residents selected it.
    vote_outcome = models.CharField(
        _("in the residents' vote"),
        max_length=16,
        choices=VoteOutcome.choices,
        blank=True,
    )
    is_hidden = models.BooleanField(_("hidden by a moderator"), default=False)
    hidden_reason = models.CharField(_("reason for hiding"), max_length=500, blank=True)
    # How many residents support it: kept by the support services in the same
    # transaction as the support itself (never counted per page: 2,000,000 supports at
    # national scale); `manage.py check_aggregates` compares it with the rows.
    support_count = models.PositiveIntegerField(
        _("supporters"), default=0, editable=False
    )

    objects = ProposalQuerySet.as_manager()

    class Meta:
        verbose_name = _("proposal")
        verbose_name_plural = _("proposals")
        ordering = ["-submitted_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(cost_estimate__isnull=True) | Q(cost_estimate__gte=0),
                name="proposal_cost_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(is_hidden=False) | ~Q(hidden_reason=""),
                name="proposal_hidden_has_reason",
            ),
            models.CheckConstraint(
                condition=Q(status__in=["draft", "withdrawn"])
                | Q(submitted_at__isnull=False),
                name="proposal_submitted_has_time",
            ),
        ]
        # No index names the status, and the table keeps half of each page free
        # (migration 0006): a change of status, all of a cycle's proposals at once on the
        # day the country's proposals close, is then written beside the row on its own
        # page (a heap-only tuple) without touching any index, the search's included.
        indexes = [
            models.Index(fields=["cycle", "submitted_at"], name="proposal_cycle_time"),
            models.Index(fields=["unit", "submitted_at"], name="proposal_unit_time"),
            models.Index(fields=["cycle", "author_iin_digest"], name="proposal_person"),
            # A cycle's list, the most supported first.
            models.Index(
                fields=["cycle", "-support_count", "-submitted_at", "-id"],
                name="proposal_cycle_support",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("proposals:detail", kwargs={"pk": self.pk})

    @property
    def is_public(self) -> bool:
        return self.submitted_at is not None

    @property
    def is_registered_by_staff(self) -> bool:
        return self.registered_by_id is not None


PHOTO_MAX_BYTES = 5 * 1024 * 1024
PHOTOS_MAX = 3


def photo_path(instance: ProposalPhoto, filename: str) -> str:
    extension = filename.rsplit(".", 1)[-1].lower()
    return (
        f"proposals/{instance.proposal_id}/{timezone.now():%Y%m%d%H%M%S%f}.{extension}"
    )


class PhotoKind(models.TextChoices):
    PROPOSAL = "proposal", _("photo of the place")
    IMPLEMENTATION = "implementation", _("photo of the work done")


class ProposalPhoto(models.Model):
    proposal = models.ForeignKey(
        Proposal, on_delete=models.CASCADE, related_name="photos"
    )
    kind = models.CharField(
        _("kind"), max_length=16, choices=PhotoKind.choices, default=PhotoKind.PROPOSAL
    )
    image = models.ImageField(_("photo"), upload_to=photo_path)
    # What the photo shows, read aloud by screen readers.
    caption = models.CharField(_("what the photo shows"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("added at"), default=timezone.now)

    class Meta:
        verbose_name = _("photo")
        verbose_name_plural = _("photos")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return self.image.name


class Support(models.Model):
    """A verified resident's support of a proposal: once, by a database constraint."""

    proposal = models.ForeignKey(
        Proposal, on_delete=models.CASCADE, related_name="supports"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    created_at = models.DateTimeField(_("supported at"), default=timezone.now)

    class Meta:
        verbose_name = _("support")
        verbose_name_plural = _("supports")
        constraints = [
            models.UniqueConstraint(
                fields=["proposal", "user"], name="support_once_per_person"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user_id} → {self.proposal_id}"


COMMENT_EDIT_MINUTES = 15


class ProposalComment(models.Model):
    """A comment on a proposal, or a reply to one (one level deep)."""

    proposal = models.ForeignKey(
        Proposal, on_delete=models.CASCADE, related_name="comments"
    )
    reply_to = models.ForeignKey(
        "self", on_delete=models.CASCADE, null=True, blank=True, related_name="replies"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    body = models.TextField(_("comment"), max_length=4000)
    # Written by akimat staff of the unit, shown as the akimat's answer.
    is_official = models.BooleanField(_("on behalf of the akimat"), default=False)
    created_at = models.DateTimeField(_("written at"), default=timezone.now)
    edited_at = models.DateTimeField(_("edited at"), null=True, blank=True)
    is_hidden = models.BooleanField(_("hidden by a moderator"), default=False)
    hidden_reason = models.CharField(_("reason for hiding"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("comment on a proposal")
        verbose_name_plural = _("comments on proposals")
        ordering = ["created_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(is_hidden=False) | ~Q(hidden_reason=""),
                name="proposal_comment_hidden_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.author_id}: {self.body[:40]}"


class ProposalFollower(models.Model):
    proposal = models.ForeignKey(
        Proposal, on_delete=models.CASCADE, related_name="followers"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    created_at = models.DateTimeField(_("followed since"), default=timezone.now)

    class Meta:
        verbose_name = _("follower of a proposal")
        verbose_name_plural = _("followers of proposals")
        constraints = [
            models.UniqueConstraint(
                fields=["proposal", "user"], name="proposal_follower_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user_id} → {self.proposal_id}"


class ReportStatus(models.TextChoices):
    OPEN = "open", _("awaiting a moderator")
    ACTED_ON = "acted_on", _("content hidden")
    DISMISSED = "dismissed", _("dismissed")


class ContentReport(models.Model):
    """Someone's report that a proposal or a comment is abusive."""

    proposal = models.ForeignKey(
        Proposal, on_delete=models.CASCADE, related_name="reports"
    )
    comment = models.ForeignKey(
        ProposalComment,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="reports",
    )
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    reason = models.TextField(_("what is wrong"), max_length=1000)
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=ReportStatus.choices,
        default=ReportStatus.OPEN,
    )
    created_at = models.DateTimeField(_("reported at"), default=timezone.now)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    handled_at = models.DateTimeField(_("handled at"), null=True, blank=True)

    class Meta:
        verbose_name = _("report of abuse")
        verbose_name_plural = _("reports of abuse")
        ordering = ["created_at", "pk"]
        constraints = [
            # One open report per person and piece of content.
            models.UniqueConstraint(
                fields=["reporter", "proposal"],
                condition=Q(status="open", comment__isnull=True),
                name="report_open_once_per_proposal",
            ),
            models.UniqueConstraint(
                fields=["reporter", "comment"],
                condition=Q(status="open", comment__isnull=False),
                name="report_open_once_per_comment",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reporter_id}: {self.reason[:40]}"


class Assessment(models.TextChoices):
    RECOMMENDED = "recommended", _("recommended")
    NOT_RECOMMENDED = "not_recommended", _("not recommended")


class Review(models.Model):
    """The akimat's review of one proposal, against its statutory deadline."""

    proposal = models.OneToOneField(
        Proposal, on_delete=models.CASCADE, related_name="review"
    )
    started_on = models.DateField(_("review started on"))
    deadline = models.DateField(_("deadline"))
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewer"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    assessment = models.CharField(
        _("assessment"), max_length=16, choices=Assessment.choices, blank=True
    )
    is_within_competence = models.BooleanField(
        _("within the competence of the unit's akim"), null=True
    )
    assessed_cost = models.DecimalField(
        _("cost as assessed, tenge"), **MONEY, null=True, blank=True
    )
    feasibility = models.TextField(_("feasibility"), max_length=4000, blank=True)
    reasons = models.TextField(_("reasons"), max_length=4000, blank=True)
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assessed by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    reminded_at = models.DateTimeField(_("reviewer reminded at"), null=True, blank=True)
    escalated_at = models.DateTimeField(_("escalated at"), null=True, blank=True)

    class Meta:
        verbose_name = _("review")
        verbose_name_plural = _("reviews")
        constraints = [
            models.CheckConstraint(
                condition=Q(completed_at__isnull=True) | ~Q(assessment=""),
                name="review_completed_has_assessment",
            ),
            models.CheckConstraint(
                condition=Q(deadline__gte=models.F("started_on")),
                name="review_deadline_after_start",
            ),
        ]
        # No index names `reminded_at` or `escalated_at`, and the table keeps half of
        # each page free (migration 0007): the reminder and the escalation, each
        # written for a whole country at once, change their rows in place.
        indexes = [
            models.Index(
                fields=["deadline"],
                condition=Q(completed_at__isnull=True),
                name="review_open_by_deadline",
            )
        ]

    def __str__(self) -> str:
        return f"{self.proposal_id}: {self.assessment or '…'}"

    @property
    def is_completed(self) -> bool:
        return self.completed_at is not None

    def is_overdue_on(self, day) -> bool:
        """Past its deadline and not completed, or completed after it."""
        if self.completed_at is not None:
            return timezone.localdate(self.completed_at) > self.deadline
        return day > self.deadline


class Decision(models.TextChoices):
    APPROVED = "approved", pgettext_lazy("the akim's decision", "approved")
    REJECTED = "rejected", pgettext_lazy("the akim's decision", "rejected")


class AkimDecision(models.Model):
    """The akim's decision on an assessed proposal, always with a public reason."""

    proposal = models.OneToOneField(
        Proposal, on_delete=models.CASCADE, related_name="decision"
    )
    decision = models.CharField(_("decision"), max_length=16, choices=Decision.choices)
    reason = models.TextField(_("reason"), max_length=4000)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided at"), default=timezone.now)

    class Meta:
        verbose_name = _("akim's decision")
        verbose_name_plural = _("akim's decisions")
        constraints = [
            models.CheckConstraint(condition=~Q(reason=""), name="decision_has_reason")
        ]

    def __str__(self) -> str:
        return f"{self.proposal_id}: {self.decision}"


class ImplementationReport(models.Model):
    """What was done and what it cost, when the proposal is implemented."""

    proposal = models.OneToOneField(
        Proposal, on_delete=models.CASCADE, related_name="implementation"
    )
    text = models.TextField(_("what was done"), max_length=5000)
    amount_spent = models.DecimalField(
        _("amount spent, tenge"), **MONEY, validators=[MinValueValidator(0)]
    )
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reported by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    reported_at = models.DateTimeField(_("reported at"), default=timezone.now)

    class Meta:
        verbose_name = _("implementation report")
        verbose_name_plural = _("implementation reports")
        constraints = [
            models.CheckConstraint(
                condition=Q(amount_spent__gte=0), name="implementation_amount_positive"
            )
        ]

    def __str__(self) -> str:
        return f"{self.proposal_id}: {self.amount_spent}"
