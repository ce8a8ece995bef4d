"""Setting up a residents' vote, until it opens: its days (the cycle's `residents_vote`
phase), its rules, the projects the akimat adds; then the freeze at the opening, which
puts the cycle's approved proposals on the ballot and fixes everything."""

from __future__ import annotations

import datetime
from dataclasses import asdict, dataclass
from decimal import Decimal

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Residency, User
from budgets import services as budget_services
from budgets.models import BudgetCycle, CycleFollower
from portal.errors import DomainError
from portal.models import AdministrativeUnit
from portal.services import audit_event_record, create_or_refuse, notification_send
from proposals import services as proposal_services
from votes import locks, selectors
from votes.codes import AuditVerb, ErrorCode
from votes.lifecycle import VoteStatus
from votes.models import (
    EQUAL_SHARES_RULES,
    BallotKind,
    CountingRule,
    Vote,
    VoteProject,
)


@dataclass(frozen=True)
class VoteRules:
    """Everything a vote is set up with, frozen when it opens."""

    amount: int
    ballot_kind: str
    rule: str
    min_choices: int = 1
    max_choices: int = 3
    points_total: int | None = None
    points_max: int | None = None
    threshold_votes: int | None = None
    threshold_percent: Decimal | None = None
    min_age: int = 18
    ballot_changeable: bool = False
    cost_cap: int | None = None

    def fields(self) -> dict:
        values = asdict(self)
        if self.ballot_kind == BallotKind.CHOOSE_ONE:
            values["min_choices"] = values["max_choices"] = 1
        if self.ballot_kind != BallotKind.CUMULATIVE:
            values["points_total"] = values["points_max"] = None
        if self.rule != CountingRule.GREEDY_THRESHOLD:
            values["threshold_votes"] = values["threshold_percent"] = None
        return values

    def check(self) -> None:
        if self.amount < 1:
            raise DomainError(
                ErrorCode.AMOUNT_INVALID,
                _("The amount set aside is a whole number of tenge, at least 1."),
            )
        if self.ballot_kind not in BallotKind.values:
            raise DomainError(ErrorCode.CHOICES_INVALID, _("Choose a kind of ballot."))
        if self.rule not in CountingRule.values:
            raise DomainError(ErrorCode.CHOICES_INVALID, _("Choose a counting rule."))
        if self.ballot_kind == BallotKind.APPROVAL and not (
            1 <= self.min_choices <= self.max_choices
        ):
            raise DomainError(
                ErrorCode.CHOICES_RANGE_INVALID,
                _(
                    "The fewest projects to mark is at least 1 and no more than the most."
                ),
            )
        if self.ballot_kind == BallotKind.CUMULATIVE and not (
            self.points_total
            and self.points_max
            and 1 <= self.points_max <= self.points_total
        ):
            raise DomainError(
                ErrorCode.POINTS_SETTINGS_INVALID,
                _(
                    "Give the points each voter shares out and the most for one project "
                    "(no more than the points in all)."
                ),
            )
        if (
            self.rule in EQUAL_SHARES_RULES
            and self.ballot_kind == BallotKind.CUMULATIVE
        ):
            raise DomainError(
                ErrorCode.RULE_NEEDS_APPROVAL,
                _(
                    "The Method of Equal Shares counts ballots that mark projects, not "
                    "points: choose an approval ballot or one project only."
                ),
            )
        if self.rule == CountingRule.GREEDY_THRESHOLD and (
            (self.threshold_votes is None) == (self.threshold_percent is None)
        ):
            raise DomainError(
                ErrorCode.THRESHOLD_INVALID,
                _(
                    "Give the minimum a project needs: a number of votes or a share of "
                    "voters, one of the two."
                ),
            )
        if self.cost_cap is not None and self.cost_cap < 1:
            raise DomainError(
                ErrorCode.COST_INVALID,
                _(
                    "The most a project may cost is a whole number of tenge, at least 1."
                ),
            )


def _frozen_check(vote: Vote) -> None:
    if selectors.vote_status(vote) != VoteStatus.PREPARED:
        raise DomainError(
            ErrorCode.VOTE_FROZEN,
            _(
                "The vote has opened: its rules and its ballot are frozen and can no "
                "longer change."
            ),
        )


@transaction.atomic
def vote_prepare(
    *,
    cycle: BudgetCycle,
    rules: VoteRules,
    starts_on: datetime.date,
    ends_on: datetime.date,
    actor: User,
) -> Vote:
    """Hold a residents' vote in the cycle, on these days, by these rules."""
    rules.check()
    budget_services.vote_phase_set(
        cycle=cycle, starts_on=starts_on, ends_on=ends_on, actor=actor
    )
    vote = create_or_refuse(
        Vote,
        DomainError(
            ErrorCode.VOTE_EXISTS,
            _("This budget cycle already holds a residents' vote."),
        ),
        cycle=cycle,
        prepared_by=actor,
        **rules.fields(),
    )
    audit_event_record(
        actor=actor,
        verb=AuditVerb.VOTE_PREPARED,
        target=vote,
        unit=cycle.unit,
        details=_details(rules, starts_on, ends_on),
    )
    return vote


@transaction.atomic
def vote_update(
    *,
    vote: Vote,
    rules: VoteRules,
    starts_on: datetime.date,
    ends_on: datetime.date,
    actor: User,
) -> Vote:
    """Change a vote's days or rules, while it has not opened."""
    vote = locks.vote_lock(vote)
    _frozen_check(vote)
    rules.check()
    budget_services.vote_phase_set(
        cycle=vote.cycle, starts_on=starts_on, ends_on=ends_on, actor=actor
    )
    for name, value in rules.fields().items():
        setattr(vote, name, value)
    vote.save()
    audit_event_record(
        actor=actor,
        verb=AuditVerb.VOTE_UPDATED,
        target=vote,
        unit=vote.cycle.unit,
        details=_details(rules, starts_on, ends_on),
    )
    return vote


@transaction.atomic
def vote_cancel(*, vote: Vote, actor: User) -> None:
    """Hold no vote after all, while it has not opened."""
    vote = locks.vote_lock(vote)
    _frozen_check(vote)
    audit_event_record(
        actor=actor,
        verb=AuditVerb.VOTE_CANCELLED,
        target=vote.cycle,
        unit=vote.cycle.unit,
    )
    vote.projects.all().delete()
    vote.delete()
    budget_services.vote_phase_remove(cycle=vote.cycle, actor=actor)


def _details(rules: VoteRules, starts_on, ends_on) -> dict:
    fields = rules.fields()
    if fields["threshold_percent"] is not None:
        fields["threshold_percent"] = str(fields["threshold_percent"])
    return {
        **fields,
        "starts_on": starts_on.isoformat(),
        "ends_on": ends_on.isoformat(),
    }


@transaction.atomic
def project_add(
    *,
    vote: Vote,
    title: str,
    description: str,
    cost: int,
    reason: str,
    place: AdministrativeUnit | None,
    actor: User,
) -> VoteProject:
    """The akimat puts a project of its own on the ballot, with a public reason."""
    vote = locks.vote_lock(vote)
    _frozen_check(vote)
    title, description, reason = title.strip(), description.strip(), reason.strip()
    if not title:
        raise DomainError(ErrorCode.TITLE_EMPTY, _("Give the project a title."))
    if not reason:
        raise DomainError(
            ErrorCode.REASON_REQUIRED,
            _("Tell residents why the akimat puts this project on the ballot."),
        )
    if cost < 1:
        raise DomainError(
            ErrorCode.COST_INVALID,
            _("A project's cost is a whole number of tenge, at least 1."),
        )
    _cap_check(vote, cost)
    project = VoteProject.objects.create(
        vote=vote,
        title=title[:150],
        description=description,
        cost=cost,
        reason=reason,
        place=place,
        added_by=actor,
    )
    audit_event_record(
        actor=actor,
        verb=AuditVerb.VOTE_PROJECT_ADDED,
        target=vote,
        unit=vote.cycle.unit,
        details={
            "project": project.pk,
            "title": project.title,
            "cost": cost,
            "reason": reason,
        },
    )
    return project


def _cap_check(vote: Vote, cost: int) -> None:
    if vote.cost_cap is not None and cost > vote.cost_cap:
        raise DomainError(
            ErrorCode.COST_OVER_CAP,
            _("A project on this ballot costs at most %(cap)s tenge.")
            % {"cap": vote.cost_cap},
        )


@transaction.atomic
def project_remove(*, vote: Vote, project: VoteProject, actor: User) -> None:
    """Take a project the akimat added off the ballot, while the vote has not opened."""
    vote = locks.vote_lock(vote)
    _frozen_check(vote)
    if project.vote_id != vote.pk or project.proposal_id is not None:
        raise DomainError(
            ErrorCode.PROJECT_NOT_ADDED,
            _("Only a project the akimat added can be taken off the ballot."),
        )
    audit_event_record(
        actor=actor,
        verb=AuditVerb.VOTE_PROJECT_REMOVED,
        target=vote,
        unit=vote.cycle.unit,
        details={"project": project.pk, "title": project.title},
    )
    project.delete()


@transaction.atomic
def vote_freeze(vote: Vote) -> bool:
    """At the opening, once: put the cycle's approved proposals (at their assessed cost,
    within the cap) on the ballot beside the akimat's projects, and record the freeze.
    True when this call froze it."""
    vote = locks.vote_lock(vote)
    if vote.opened_at is not None or selectors.vote_status(vote) == VoteStatus.PREPARED:
        return False
    entries = [
        VoteProject(
            vote=vote,
            proposal=proposal,
            title=proposal.title,
            description=proposal.description,
            place=proposal.place,
            cost=cost,
        )
        for proposal, cost in selectors.ballot_proposals(vote)
        if vote.cost_cap is None or cost <= vote.cost_cap
    ]
    VoteProject.objects.bulk_create(entries)
    proposal_services.proposals_put_to_vote(
        proposal_ids=[entry.proposal_id for entry in entries]
    )
    vote.opened_at = timezone.now()
    vote.save(update_fields=["opened_at"])
    audit_event_record(
        actor=None,
        verb=AuditVerb.VOTE_FROZEN,
        target=vote,
        unit=vote.cycle.unit,
        details={
            "projects": [
                {"id": project.pk, "title": project.title, "cost": project.cost}
                for project in vote.projects.order_by("cost", "pk")
            ]
        },
    )
    # A vote frozen only at its count (its clock missed the opening) is over: nobody is
    # asked to vote in it.
    if selectors.vote_status(vote) == VoteStatus.OPEN:
        _announce_opening(vote)
    return True


def _announce_opening(vote: Vote) -> None:
    """Tell the unit's verified residents and the cycle's followers that they may vote."""
    cycle = vote.cycle
    recipients = User.objects.filter(
        Q(
            pk__in=Residency.objects.verified()
            .filter(budget_unit=cycle.unit)
            .values("user")
        )
        | Q(pk__in=CycleFollower.objects.filter(cycle=cycle).values("user")),
        is_active=True,
    ).distinct()
    notification_send(
        recipients=recipients,
        kind="vote_opened",
        unit=cycle.unit,
        context={"year": cycle.fiscal_year},
        url_name="votes:vote_detail",
        url_kwargs={
            "kato_code": cycle.unit.kato_code,
            "fiscal_year": cycle.fiscal_year,
        },
    )
