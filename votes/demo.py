"""The demo's residents' votes, made through the services at the moments they would happen.

Zeleny Bor rural district holds an open vote today on the budget of next year (of the
year after, late in the year, when next year's is being adopted):
the akim approved five of its residents' proposals, the akimat added a project of its
own, and residents of its villages have begun to vote; the demo's Zeleny Bor residents can
vote too. Kenesary rural district's vote closed ten days ago and was counted by equal
shares: the large village of Kenesary did not take everything, Brusilovka and Bayanbai got
their projects. A unit that already holds a vote is left as it is, so loading twice
changes nothing. Time travel is budgets.demo_clock's (see its docstring for why).

The voters other than the demo's accounts have no password: they exist so that the
ballots, the turnout and the result are those of a real village.
"""

from __future__ import annotations

import datetime
import itertools
from collections.abc import Iterator, Sequence

from django.db import transaction
from django.utils import timezone

from accounts import services as account_services
from accounts.iin import check_digit
from accounts.models import User
from budgets import services as budget_services
from budgets.demo_clock import on as _on
from budgets.models import (
    DATED_PHASES,
    BudgetClassification,
    BudgetCycle,
    CyclePhase,
)
from portal.models import AdministrativeUnit
from proposals import services as proposal_services
from votes import services
from votes.models import Vote

ZELENY_BOR = "117049000"
KENESARY = "117053000"
DAY = datetime.timedelta(days=1)


def _clock(cycle: BudgetCycle, *days: datetime.date) -> None:
    """The clock job's run at 00:05 on each day (the first day of a phase); a day still
    to come is left to the real job."""
    for day in days:
        if timezone.make_aware(datetime.datetime.combine(day, datetime.time(0, 5))) >= (
            timezone.now()
        ):
            return
        with _on(day, hour=0, minute=5):
            budget_services.cycles_announce(cycles=[cycle])


def _days(offset: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=offset)


def _timeline(
    fiscal_year: int, *, proposals_from: int, ends: Sequence[int]
) -> dict[str, tuple[datetime.date, datetime.date]]:
    """Phase dates counted in days from today, each phase from the day after the one
    before; the execution is the fiscal year."""
    dates, start = {}, _days(proposals_from)
    for phase, end in zip(DATED_PHASES[:-1], ends, strict=True):
        dates[phase] = (start, _days(end))
        start = dates[phase][1] + DAY
    dates[CyclePhase.EXECUTION] = (
        datetime.date(fiscal_year, 1, 1),
        datetime.date(fiscal_year, 12, 31),
    )
    return dates


_serials = itertools.count(2000)


def demo_iin(born: datetime.date) -> str:
    """A valid IIN for a demo voter born on the day (the serial moves on until the check
    digit exists)."""
    century = 3 if born.year < 2000 else 5
    while True:
        first = f"{born:%y%m%d}{century}{next(_serials) % 10000:04d}"
        digit = check_digit(first)
        if digit is not None:
            return f"{first}{digit}"


def _voter(
    unit: AdministrativeUnit, place: AdministrativeUnit, number: int, born, staff
):
    """A resident of the place, confirmed by the akimat: a demo voter without a password."""
    email = f"voter{number}.{unit.kato_code}@demo.qatysu.kz"
    user = User.objects.filter(email=email).first()
    if user is None:
        user = User.objects.create_user(
            email=email, first_name="Demo", last_name=str(number)
        )
        claim = account_services.residency_claim(
            user=user, place=place, iin=demo_iin(born)
        )
        account_services.residency_verify(residency=claim, actor=staff)
    return user


def _not_voting(unit, places, staff, births, *, first: int, count: int) -> None:
    """Residents of the unit's villages who do not vote: the turnout is of them all."""
    for number in range(first, first + count):
        _voter(unit, places[number % len(places)], number, next(births), staff)


def _births() -> Iterator[datetime.date]:
    """Dates of birth spread over the ages, from 19 to 80."""
    for number in itertools.count():
        yield datetime.date(1946 + (number * 7) % 61, 1 + number % 12, 1 + number % 27)


def _function(code: str) -> BudgetClassification:
    return BudgetClassification.objects.get(kind="expenditure", code=code)


# (title, description, function code, cost in tenge, village code or None for the unit)
ZELENY_BOR_PROPOSALS = (
    (
        "Орталық көшеге жаяу жүргіншілер жолы",
        "Мектептен клубқа дейін 600 метр тротуар: балалар жол жиегімен жүреді.",
        "124 013",
        3_900_000,
        "117049100",
    ),
    (
        "Уличное освещение в Мадениете",
        "В селе Мадениет нет ни одного фонаря; нужно восемь светильников.",
        "124 008",
        1_600_000,
        "117049600",
    ),
    (
        "Қымызынайға су мұнарасын жөндеу",
        "Су мұнарасы ағып тұр, жазда су үзіліп қалады.",
        "124 011",
        2_200_000,
        "117049500",
    ),
    (
        "Спортивная площадка в Зеленом Бору",
        "Площадка с тренажёрами и футбольным полем у школы.",
        "124 011",
        4_500_000,
        "117049100",
    ),
    (
        "Молбазадағы аялдама",
        "Автобус аялдамасы жоқ: қыста адамдар далада күтеді.",
        "124 013",
        700_000,
        "117049200",
    ),
)
KENESARY_PROPOSALS = (
    (
        "Кенесарыдағы саябақ",
        "Ауыл орталығындағы саябақты абаттандыру: орындықтар, жарық, гүлзар.",
        "124 011",
        5_200_000,
        "117053100",
    ),
    (
        "Новая крыша сельского клуба в Кенесары",
        "Крыша клуба течёт, зимой занятия кружков отменяют.",
        "124 011",
        3_800_000,
        "117053100",
    ),
    (
        "Брусиловкаға жол жөндеу",
        "Ауылға кіретін 800 метр жолдың шұңқырларын жөндеу.",
        "124 013",
        2_400_000,
        "117053200",
    ),
    (
        "Колодец в Баянбае",
        "Единственный колодец села пересох; нужна новая скважина.",
        "124 011",
        1_300_000,
        "117053300",
    ),
    (
        "Кенесарыға бейнебақылау",
        "Орталық көшеге алты камера.",
        "124 013",
        1_900_000,
        "117053100",
    ),
)


def _approved(cycle, proposals, *, staff: User, akim: User, opened, reviewed):
    """The proposals, registered by staff from residents' paper requests, reviewed and
    approved by the akim."""
    made = []
    units = {
        unit.kato_code: unit
        for unit in AdministrativeUnit.objects.filter(
            kato_code__in=[code for *_rest, code in proposals]
        )
    }
    _clock(cycle, opened)
    with _on(opened + 2 * DAY):
        for number, (title, description, code, cost, village) in enumerate(proposals):
            made.append(
                proposal_services.proposal_register(
                    cycle=cycle,
                    actor=staff,
                    iin=demo_iin(datetime.date(1960 + number * 5, 3, 10 + number)),
                    author_name=f"{title.split()[0]} ({number + 1})",
                    data=proposal_services.ProposalInput(
                        title=title,
                        description=description,
                        function=_function(code),
                        place=units[village],
                        cost_estimate=cost,
                    ),
                )
            )
    _clock(cycle, reviewed)
    with _on(reviewed, hour=1):
        proposal_services.reviews_start(cycles=[cycle])
    with _on(reviewed + 3 * DAY):
        for proposal, (*_text, cost, _village) in zip(made, proposals, strict=True):
            proposal_services.review_complete(
                proposal=proposal,
                actor=staff,
                data=proposal_services.AssessmentInput(
                    assessment="recommended",
                    is_within_competence=True,
                    assessed_cost=str(cost),
                    feasibility="Бір маусымда орындалады.",
                    reasons="Әкімнің құзыреті; құны нарықтық бағаға сай.",
                ),
            )
    with _on(reviewed + 6 * DAY):
        for proposal in made:
            proposal_services.proposal_decide(
                proposal=proposal,
                actor=akim,
                decision="approved",
                reason="Тұрғындардың дауысына салынады.",
            )
    return made


def _open_cycle(unit, fiscal_year, *, staff, dates, opened_on) -> BudgetCycle:
    with _on(opened_on):
        return budget_services.cycle_open(
            unit=unit, fiscal_year=fiscal_year, actor=staff, dates=dates
        )


def _cast(vote, voters_and_titles) -> None:
    projects = {project.title: project.pk for project in vote.projects.all()}
    for voter, titles, day, hour in voters_and_titles:
        with _on(day, hour=hour):
            services.ballot_cast(
                vote=vote,
                voter=voter,
                choices={projects[title]: 1 for title in titles},
            )


def load_votes_demo(*, admin: User, zeleny_bor_staff: User) -> None:
    # Next year's budget while there is time before its execution for the whole
    # preparation (the open vote's cycle runs 80 days more), else the year after.
    today = timezone.localdate()
    fiscal_year = today.year + (
        1 if today + 90 * DAY < datetime.date(today.year, 12, 31) else 2
    )
    units = {
        unit.kato_code: unit
        for unit in AdministrativeUnit.objects.with_ancestors().filter(
            kato_code__in=[ZELENY_BOR, KENESARY]
        )
    }
    for code, build, staff in (
        (ZELENY_BOR, _open_vote, zeleny_bor_staff),
        (KENESARY, _closed_vote, admin),
    ):
        unit = units.get(code)
        if unit is None or Vote.objects.filter(cycle__unit=unit).exists():
            continue
        with transaction.atomic():
            cycle = build(unit, fiscal_year, staff=staff, akim=admin)
            # The clock job's run at the moment of loading: the record is up to date.
            budget_services.cycle_announce(cycle=cycle)


def _open_vote(unit, fiscal_year, *, staff, akim) -> BudgetCycle:
    dates = _timeline(fiscal_year, proposals_from=-60, ends=(-35, -3, 45, 60, 70, 80))
    cycle = _open_cycle(
        unit, fiscal_year, staff=staff, dates=dates, opened_on=_days(-62)
    )
    _approved(
        cycle,
        ZELENY_BOR_PROPOSALS,
        staff=staff,
        akim=akim,
        opened=dates[CyclePhase.PROPOSALS_OPEN][0],
        reviewed=dates[CyclePhase.PROPOSALS_OPEN][1] + DAY,
    )
    starts_on, ends_on = _days(-1), _days(12)
    with _on(_days(-10)):
        vote = services.vote_prepare(
            cycle=cycle,
            rules=services.VoteRules(
                amount=8_000_000,
                ballot_kind="approval",
                rule="equalshares/add1-comparison",
                min_choices=1,
                max_choices=3,
                cost_cap=6_000_000,
            ),
            starts_on=starts_on,
            ends_on=ends_on,
            actor=staff,
        )
        services.project_add(
            vote=vote,
            title="Зеленый Бор клубының жанындағы гүлзар",
            description="Клуб алдындағы алаңға гүлзар мен орындықтар.",
            cost=900_000,
            reason="Жиналыста тұрғындар сұрады; әкімдік өз жобасын ұсынады.",
            place=None,
            actor=staff,
        )
    _clock(cycle, dates[CyclePhase.REVIEW][1] + DAY)
    with _on(_days(-1), hour=0, minute=1):
        services.vote_freeze(vote)
    places = {
        unit.kato_code: unit
        for unit in AdministrativeUnit.objects.filter(
            kato_code__in=["117049100", "117049600", "117049500", "117049200"]
        )
    }
    births = _births()
    ballots = []
    for number, (village, titles) in enumerate(
        [
            (
                "117049100",
                (
                    "Орталық көшеге жаяу жүргіншілер жолы",
                    "Спортивная площадка в Зеленом Бору",
                ),
            )
        ]
        * 9
        + [("117049600", ("Уличное освещение в Мадениете",))] * 3
        + [("117049500", ("Қымызынайға су мұнарасын жөндеу",))] * 2
        + [("117049200", ("Молбазадағы аялдама", "Уличное освещение в Мадениете"))] * 2
    ):
        voter = _voter(unit, places[village], number, next(births), staff)
        ballots.append((voter, titles, _days(-1), 9 + number % 10))
    _cast(vote, ballots)
    _not_voting(
        unit, list(places.values()), staff, births, first=len(ballots), count=34
    )

    return cycle


def _closed_vote(unit, fiscal_year, *, staff, akim) -> BudgetCycle:
    dates = _timeline(fiscal_year, proposals_from=-100, ends=(-70, -30, 30, 45, 55, 65))
    cycle = _open_cycle(
        unit, fiscal_year, staff=staff, dates=dates, opened_on=_days(-102)
    )
    _approved(
        cycle,
        KENESARY_PROPOSALS,
        staff=staff,
        akim=akim,
        opened=dates[CyclePhase.PROPOSALS_OPEN][0],
        reviewed=dates[CyclePhase.PROPOSALS_OPEN][1] + DAY,
    )
    starts_on, ends_on = _days(-25), _days(-11)
    with _on(_days(-40)):
        vote = services.vote_prepare(
            cycle=cycle,
            rules=services.VoteRules(
                amount=9_500_000,
                ballot_kind="approval",
                rule="equalshares/add1-comparison",
                min_choices=1,
                max_choices=3,
            ),
            starts_on=starts_on,
            ends_on=ends_on,
            actor=staff,
        )
    _clock(cycle, dates[CyclePhase.REVIEW][1] + DAY)
    with _on(_days(-25), hour=0, minute=1):
        services.vote_freeze(vote)
    places = {
        unit.kato_code: unit
        for unit in AdministrativeUnit.objects.filter(
            kato_code__in=["117053100", "117053200", "117053300"]
        )
    }
    park, roof, road, well, cameras = (title for title, *_rest in KENESARY_PROPOSALS)
    births = _births()
    ballots = []
    for number, (village, titles) in enumerate(
        [("117053100", (park, roof, cameras))] * 24
        + [("117053100", (park, roof))] * 6
        + [("117053200", (road,))] * 12
        + [("117053300", (well,))] * 5
        + [("117053300", (well, road))] * 2
    ):
        voter = _voter(unit, places[village], number, next(births), staff)
        ballots.append((voter, titles, _days(-24 + number % 12), 9 + number % 9))
    _cast(vote, ballots)
    _not_voting(
        unit, list(places.values()), staff, births, first=len(ballots), count=41
    )
    projects = {project.title: project.pk for project in vote.projects.all()}
    with _on(_days(-20)):
        # Five papers printed, three marked and entered: two left over in the protocol.
        papers = services.ballot_papers_issue(vote=vote, actor=staff, count=5)
        for number in range(3):
            services.ballot_enter_paper(
                vote=vote,
                actor=staff,
                iin=demo_iin(datetime.date(1948 + number, 6, 12)),
                choices={projects[well]: 1},
                residency_seen=True,
                paper_number=papers[number],
            )
    with _on(_days(-10), hour=0, minute=5):
        services.votes_tick()
    _clock(cycle, ends_on + DAY)
    return cycle
