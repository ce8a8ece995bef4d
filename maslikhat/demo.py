"""The demo's maslikhat: the Burabay district maslikhat's nine deputies, and its votes on the
demo's drafts, held through maslikhat.services at the moments they would happen.

The chairman and one deputy are demo accounts with a password (listed in the README); the
seven other deputies have none: they exist so that the quorum and the majority are those of
a real maslikhat (two thirds of nine present, five votes "for" to pass). A vote held in the
past is opened by the chairman, every present deputy votes, and the last ballot closes the
session, which approves the draft (budgets' `draft_approve`): the adopted and executed demo
budgets are adopted through that recorded vote, never by approving the draft directly. The
open session was opened yesterday: six deputies have voted, and the demo's chairman and
deputy have not, so that the vote is theirs to decide (four votes "for" so far, five needed).

Time travel is budgets.demo_clock's (see its docstring for why the demo replays its past with
time_machine, a development dependency)."""

from __future__ import annotations

import datetime
from collections.abc import Sequence

from django.utils import timezone

from accounts import services as account_services
from accounts.models import Role, RoleMembership, User
from budgets.demo_clock import DAY, on
from budgets.models import DraftBudget
from maslikhat import services
from maslikhat.models import BallotChoice, VotingSession
from portal.models import AdministrativeUnit

# The seven deputies without a password: (first name, last name).
OTHER_DEPUTIES = (
    ("Бауыржан", "Тоқтаров"),
    ("Светлана", "Морозова"),
    ("Қайрат", "Мұқанов"),
    ("Әсем", "Жүнісова"),
    ("Виктор", "Лебедев"),
    ("Ғалия", "Исабекова"),
    ("Нұрлан", "Байжанов"),
)
ABSENT_ON_BUSINESS = "Іссапарда: облыстық мәслихаттың сессиясында."
ABSENT_ILL = "Науқастануына байланысты (еңбекке жарамсыздық парағы)."
ABSTAIN, AGAINST, FOR = BallotChoice.ABSTAIN, BallotChoice.AGAINST, BallotChoice.FOR


def other_deputy_email(number: int, district: AdministrativeUnit) -> str:
    return f"deputy{number}.{district.kato_code}@demo.qatysu.kz"


def deputies_seated(
    *, district: AdministrativeUnit, admin: User, since: datetime.date
) -> None:
    """The maslikhat's deputies without a password, seated since `since` (before the
    demo's oldest vote); made once."""
    for number, (first_name, last_name) in enumerate(OTHER_DEPUTIES, start=3):
        email = other_deputy_email(number, district)
        user = User.objects.filter(email=email).first()
        if user is None:
            user = User.objects.create_user(
                email=email, first_name=first_name, last_name=last_name
            )
        if not RoleMembership.objects.filter(
            user=user, role=Role.MASLIKHAT_DEPUTY, unit=district
        ).exists():
            account_services.role_grant(
                user=user,
                role=Role.MASLIKHAT_DEPUTY,
                unit=district,
                actor=admin,
                starts_on=since,
            )


class DemoMaslikhat:
    """The district maslikhat's votes on the demo's drafts (budgets.demo.MaslikhatVote):
    `chairman` opens the sessions; `deputy` is the other deputy with a password."""

    def __init__(self, *, chairman: User, deputy: User) -> None:
        self.chairman, self.deputy = chairman, deputy

    def _others(self, district: AdministrativeUnit) -> list[User]:
        emails = [
            other_deputy_email(number, district)
            for number in range(3, 3 + len(OTHER_DEPUTIES))
        ]
        found = {user.email: user for user in User.objects.filter(email__in=emails)}
        return [found[email] for email in emails]

    def held(self, draft: DraftBudget, *, day: datetime.date) -> DraftBudget:
        """A session on `day` from ten to six: one deputy absent, the eight present vote
        (seven "for", one abstains), and the last ballot closes it: the draft passes."""
        others = self._others(draft.cycle.unit.maslikhat_district)
        absent, *present = others
        with on(day, hour=10):
            session = services.session_open(
                draft=draft,
                actor=self.chairman,
                opens_at=_moment(day, 10),
                closes_at=_moment(day, 18),
                absences={absent.pk: ABSENT_ON_BUSINESS},
            )
        votes = [(self.chairman, FOR), (self.deputy, FOR)] + [
            (deputy, ABSTAIN if index == 2 else FOR)
            for index, deputy in enumerate(present)
        ]
        _cast(session, votes, day=day, hour=11)
        draft.refresh_from_db()
        return draft

    def opened(self, draft: DraftBudget) -> VotingSession:
        """A session the chairman opened yesterday at ten, closing the day after tomorrow
        at six: one deputy ill, six of the seven others have voted (four "for", one
        against, one abstains); the chairman and the demo deputy have not."""
        yesterday = _today() - DAY
        others = self._others(draft.cycle.unit.maslikhat_district)
        *voting, absent = others
        with on(yesterday, hour=10):
            session = services.session_open(
                draft=draft,
                actor=self.chairman,
                opens_at=_moment(yesterday, 10),
                closes_at=_moment(_today() + 2 * DAY, 18),
                absences={absent.pk: ABSENT_ILL},
            )
        _cast(
            session,
            list(zip(voting, (FOR, FOR, AGAINST, FOR, ABSTAIN, FOR), strict=True)),
            day=yesterday,
            hour=11,
        )
        return session


def _today() -> datetime.date:
    return timezone.localdate()


def _moment(day: datetime.date, hour: int) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def _cast(
    session: VotingSession,
    votes: Sequence[tuple[User, str]],
    *,
    day: datetime.date,
    hour: int,
) -> None:
    """Each deputy's ballot in turn, seven minutes apart from `hour` o'clock."""
    for index, (deputy, choice) in enumerate(votes):
        with on(day, hour=hour, minute=7 * index):
            services.ballot_cast(session=session, deputy=deputy, choice=choice)
