"""Casting a ballot: online by a verified resident of the unit, or on paper at the akimat,
entered by staff for a resident identified by IIN. One ballot per person across both
channels (the keyed hash of the IIN is unique in a vote: the database decides, never a
check before the insert), only while the vote is open (by the clock, whatever the jobs
did), only by people old enough, only as the frozen ballot allows."""

from __future__ import annotations

import secrets
from collections.abc import Collection, Mapping

from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django.views.decorators.debug import sensitive_variables

from accounts.codes import ErrorCode as AccountsErrorCode
from accounts.iin import age_on, birth_date, iin_digest, normalize_iin, validate_iin
from accounts.models import User
from portal.errors import DomainError
from portal.formats import day_text
from portal.services import audit_event_record
from votes import locks, selectors
from votes.codes import AuditVerb, ErrorCode
from votes.lifecycle import VoteStatus
from votes.models import (
    Ballot,
    BallotChoice,
    BallotKind,
    BallotPaper,
    Channel,
    Vote,
)
from votes.services.setup import vote_freeze

# Receipts: twelve characters without the ones easily misread (0/O, 1/I/L).
RECEIPT_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
RECEIPT_LENGTH = 12


def receipt_new() -> str:
    return "".join(secrets.choice(RECEIPT_ALPHABET) for _i in range(RECEIPT_LENGTH))


def _open_check(vote: Vote) -> None:
    status = selectors.vote_status(vote)
    if status == VoteStatus.PREPARED:
        raise DomainError(
            ErrorCode.VOTE_NOT_OPEN,
            _("The vote has not opened yet: it opens on %(day)s.")
            % {"day": day_text(vote.starts_on)},
        )
    if status == VoteStatus.CLOSED:
        raise DomainError(
            ErrorCode.VOTE_CLOSED,
            _("The vote closed at the end of %(day)s: no more ballots are taken.")
            % {"day": day_text(vote.ends_on)},
        )


def _age_check(vote: Vote, born) -> int:
    age = age_on(born, timezone.localdate())
    if age < vote.min_age:
        raise DomainError(
            ErrorCode.TOO_YOUNG,
            _("Residents vote from the age of %(age)s.") % {"age": vote.min_age},
        )
    return age


def choices_check(
    vote: Vote, projects: Collection[int], choices: Mapping[int, int]
) -> dict[int, int]:
    """The choices (project → points; 1 for a marked project) as the frozen ballot
    allows them, without the projects given no points."""
    chosen = {project: points for project, points in choices.items() if points}
    for project, points in chosen.items():
        if project not in projects:
            raise DomainError(
                ErrorCode.UNKNOWN_PROJECT, _("This project is not on the ballot.")
            )
        if points < 0 or (vote.ballot_kind != BallotKind.CUMULATIVE and points != 1):
            raise DomainError(
                ErrorCode.POINTS_INVALID,
                _("A project is marked once, or given a whole number of points."),
            )
    if vote.ballot_kind == BallotKind.CUMULATIVE:
        if not chosen:
            raise DomainError(
                ErrorCode.TOO_FEW_CHOICES,
                _("Give your points to at least one project."),
            )
        if any(points > vote.points_max for points in chosen.values()):
            raise DomainError(
                ErrorCode.POINTS_OVER_PROJECT_MAX,
                ngettext(
                    "A project gets at most %(most)s point.",
                    "A project gets at most %(most)s points.",
                    vote.points_max,
                )
                % {"most": vote.points_max},
            )
        if sum(chosen.values()) > vote.points_total:
            raise DomainError(
                ErrorCode.POINTS_OVER_TOTAL,
                ngettext(
                    "You have %(total)s point in all: you gave %(given)s.",
                    "You have %(total)s points in all: you gave %(given)s.",
                    vote.points_total,
                )
                % {"total": vote.points_total, "given": sum(chosen.values())},
            )
        return chosen
    if len(chosen) < vote.min_choices:
        raise DomainError(
            ErrorCode.TOO_FEW_CHOICES,
            _("Choose one project.")
            if vote.ballot_kind == BallotKind.CHOOSE_ONE
            else ngettext(
                "Mark at least %(fewest)s project.",
                "Mark at least %(fewest)s projects.",
                vote.min_choices,
            )
            % {"fewest": vote.min_choices},
        )
    if len(chosen) > vote.max_choices:
        raise DomainError(
            ErrorCode.TOO_MANY_CHOICES,
            _("Choose only one project.")
            if vote.ballot_kind == BallotKind.CHOOSE_ONE
            else ngettext(
                "Mark at most %(most)s project.",
                "Mark at most %(most)s projects.",
                vote.max_choices,
            )
            % {"most": vote.max_choices},
        )
    return chosen


def _frozen_projects(vote: Vote) -> frozenset[int]:
    """The ids of the projects on the vote's ballot, frozen first if no job has done it,
    with the vote's ballots lock held shared (votes.locks)."""
    if vote.opened_at is None:
        vote_freeze(vote)
    return locks.ballots_share_lock(vote)


def _insert(ballot: Ballot, chosen: Mapping[int, int]) -> Ballot | None:
    """The ballot and its choices, or None when the person already has one in the vote
    (the unique constraint decides). On PostgreSQL in one statement (the hot path of a
    vote: no savepoint, no second round trip); elsewhere through the ORM."""
    if connection.vendor == "postgresql":
        return _insert_in_one_statement(ballot, chosen)
    try:
        with transaction.atomic():
            ballot.save(force_insert=True)
    except IntegrityError:
        return None
    BallotChoice.objects.bulk_create(
        BallotChoice(ballot=ballot, project_id=project, points=points)
        for project, points in chosen.items()
    )
    return ballot


# The ballot, unless the person has one (the unique constraint ballot_one_per_person
# decides), and its choices, in one statement.
INSERT_BALLOT = """
WITH ballot AS (
    INSERT INTO votes_ballot (vote_id, voter_iin_digest, voter_id, channel,
                              entered_by_id, receipt, voter_age, voter_place_id, cast_at,
                              paper_id)
    VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s)
    ON CONFLICT (vote_id, voter_iin_digest) DO NOTHING
    RETURNING id
), choices AS (
    INSERT INTO votes_ballotchoice (ballot_id, project_id, points)
    SELECT ballot.id, choice.project, choice.points
    FROM ballot, unnest(%s::bigint[], %s::smallint[]) AS choice(project, points)
)
SELECT id FROM ballot
"""


def _insert_in_one_statement(
    ballot: Ballot, chosen: Mapping[int, int]
) -> Ballot | None:
    with connection.cursor() as cursor:
        cursor.execute(
            INSERT_BALLOT,
            [
                ballot.vote_id,
                ballot.voter_iin_digest,
                ballot.voter_id,
                ballot.channel,
                ballot.entered_by_id,
                ballot.receipt,
                ballot.voter_age,
                ballot.voter_place_id,
                ballot.cast_at,
                ballot.paper_id,
                list(chosen),
                list(chosen.values()),
            ],
        )
        row = cursor.fetchone()
    if row is None:
        return None
    ballot.pk = row[0]
    ballot._state.adding = False
    return ballot


ALREADY_VOTED = _("You have already voted in this vote: one ballot per person.")


@sensitive_variables("iin")
def ballot_cast(
    *, vote: Vote, voter: User, choices: Mapping[int, int], iin: str = ""
) -> Ballot:
    """A verified resident of the unit casts their ballot online (or changes it, where
    the vote allows, until the close). An account whose date of birth is not yet known
    gives its IIN again (`iin`), checked against the one on file. A second ballot of the
    same person is refused and audited, unless the vote lets an online ballot change."""
    with transaction.atomic():
        projects = _frozen_projects(vote)
        _open_check(vote)
        place = selectors.residency_place(user=voter, unit=vote.cycle.unit)
        if place is None or not voter.iin_digest:
            raise DomainError(
                ErrorCode.NOT_RESIDENT,
                _(
                    "Only residents of %(unit)s whose place of residence the akimat "
                    "has confirmed vote here."
                )
                % {"unit": vote.cycle.unit.name},
            )
        born = voter.birth_date or _birth_date_from(voter, iin)
        age = _age_check(vote, born)
        chosen = choices_check(vote, projects, choices)
        ballot = _insert(
            Ballot(
                vote=vote,
                voter_iin_digest=voter.iin_digest,
                voter=voter,
                channel=Channel.ONLINE,
                receipt=receipt_new(),
                voter_age=age,
                voter_place_id=place,
            ),
            chosen,
        )
        if ballot is None and vote.ballot_changeable:
            ballot = _change(vote, voter, chosen)
        if ballot is not None:
            return ballot
    _collision_record(vote, actor=voter, channel=Channel.ONLINE)
    raise DomainError(ErrorCode.ALREADY_VOTED, ALREADY_VOTED)


def _collision_record(vote: Vote, *, actor: User, channel: str, **details) -> None:
    """A second ballot of one person, recorded in a transaction of its own: the refusal
    that follows does not undo the record."""
    with transaction.atomic():
        audit_event_record(
            actor=actor,
            verb=AuditVerb.BALLOT_COLLISION,
            target=vote,
            unit=vote.cycle.unit,
            details={"channel": channel, **details},
        )


@sensitive_variables("iin")
def _birth_date_from(voter: User, iin: str):
    iin = normalize_iin(iin or "")
    if not iin:
        raise DomainError(
            ErrorCode.BIRTH_DATE_UNKNOWN,
            _(
                "The vote has a minimum age: give your IIN once more so that your date "
                "of birth is known."
            ),
        )
    if iin_digest(iin) != voter.iin_digest:
        raise DomainError(
            ErrorCode.IIN_NOT_YOURS,
            _("This is not the IIN of your account: check the number for a typo."),
        )
    voter.birth_date = birth_date(iin)
    User.objects.filter(pk=voter.pk).update(birth_date=voter.birth_date)
    return voter.birth_date


def _change(vote: Vote, voter: User, chosen: Mapping[int, int]) -> Ballot | None:
    """A second ballot of the same person where the vote allows a change: their online
    ballot, changed; None when their ballot was cast on paper."""
    ballot = (
        Ballot.objects.select_for_update()
        .filter(vote=vote, voter_iin_digest=voter.iin_digest)
        .first()
    )
    if ballot is None or ballot.channel != Channel.ONLINE:
        return None
    ballot.choices.all().delete()
    BallotChoice.objects.bulk_create(
        BallotChoice(ballot=ballot, project_id=project, points=points)
        for project, points in chosen.items()
    )
    ballot.changed_at = timezone.now()
    ballot.save(update_fields=["changed_at"])
    audit_event_record(
        actor=voter,
        verb=AuditVerb.BALLOT_CHANGED,
        target=vote,
        unit=vote.cycle.unit,
        details={"receipt": ballot.receipt},
    )
    return ballot


@sensitive_variables("iin")
def ballot_enter_paper(
    *,
    vote: Vote,
    actor: User,
    iin: str,
    choices: Mapping[int, int],
    residency_seen: bool,
    paper_number: int | None,
) -> Ballot:
    """Staff enter a ballot a resident cast on paper at the akimat, marked on the
    numbered paper `paper_number`: one issued for this vote and not entered yet. The
    resident is identified by IIN (their age read from it); their residency is their
    confirmed one when they have an account, else the document staff saw
    (`residency_seen`). A person who already voted, online or on paper, is refused, and
    the attempt is audited."""
    if paper_number is None:
        raise DomainError(
            ErrorCode.PAPER_NUMBER_REQUIRED,
            _("Give the number printed on the ballot paper."),
        )
    iin = normalize_iin(iin)
    try:
        validate_iin(iin)
    except ValidationError as error:
        raise DomainError(AccountsErrorCode(error.code), error.messages[0]) from None
    digest = iin_digest(iin)
    with transaction.atomic():
        projects = _frozen_projects(vote)
        _open_check(vote)
        paper = _paper_unused(vote, paper_number)
        age = _age_check(vote, birth_date(iin))
        resident = User.objects.filter(iin_digest=digest).first()
        residency = (
            selectors.residency_in(user=resident, unit=vote.cycle.unit)
            if resident is not None
            else None
        )
        if residency is None:
            if resident is not None and selectors.verified_elsewhere(
                user=resident, unit=vote.cycle.unit
            ):
                raise DomainError(
                    ErrorCode.RESIDENT_OF_OTHER_UNIT,
                    _(
                        "This person's confirmed place of residence is in another "
                        "unit: they vote there."
                    ),
                )
            if not residency_seen:
                raise DomainError(
                    ErrorCode.RESIDENCY_NOT_CHECKED,
                    _(
                        "Confirm that you saw a document showing the person lives in "
                        "%(unit)s."
                    )
                    % {"unit": vote.cycle.unit.name},
                )
        chosen = choices_check(vote, projects, choices)
        ballot = _insert(
            Ballot(
                vote=vote,
                voter_iin_digest=digest,
                voter=resident,
                channel=Channel.PAPER,
                entered_by=actor,
                receipt=receipt_new(),
                voter_age=age,
                voter_place=residency.place if residency else None,
                paper=paper,
            ),
            chosen,
        )
        if ballot is not None:
            audit_event_record(
                actor=actor,
                verb=AuditVerb.BALLOT_PAPER_ENTERED,
                target=vote,
                unit=vote.cycle.unit,
                details={
                    "receipt": ballot.receipt,
                    "paper": paper.number,
                    "residency": "confirmed" if residency else "document_seen",
                },
            )
            return ballot
    _collision_record(vote, actor=actor, channel=Channel.PAPER, iin_last4=iin[-4:])
    raise DomainError(
        ErrorCode.ALREADY_VOTED,
        _("This person has already voted, online or on paper: one ballot per person."),
    )


def _paper_unused(vote: Vote, number: int) -> BallotPaper:
    """The vote's paper of this number, locked until the entry commits (two clerks
    entering the same paper at once: the second waits, then is refused), refused when
    it was not issued for the vote or is already entered. The one-to-one's unique index
    holds whatever happens here."""
    paper = (
        BallotPaper.objects.select_for_update(of=("self",))
        .filter(vote=vote, number=number)
        .first()
    )
    if paper is None:
        issued = selectors.paper_ranges(vote)
        raise DomainError(
            ErrorCode.PAPER_NOT_ISSUED,
            _(
                "No ballot paper № %(number)s was issued for this vote: the papers "
                "issued are %(issued)s."
            )
            % {"number": number, "issued": _ranges_text(issued)}
            if issued
            else _(
                "No ballot paper № %(number)s was issued for this vote: no paper has "
                "been issued yet. Print the papers first."
            )
            % {"number": number},
        )
    if Ballot.objects.filter(paper=paper).exists():
        raise DomainError(
            ErrorCode.PAPER_ALREADY_ENTERED,
            _(
                "Ballot paper № %(number)s has already been entered: each paper is "
                "entered once. Check the number on the paper."
            )
            % {"number": number},
        )
    return paper


def _ranges_text(ranges) -> str:
    return ", ".join(
        f"№ {issued.first}–{issued.last}"
        if issued.last > issued.first
        else f"№ {issued.first}"
        for issued in ranges
    )
