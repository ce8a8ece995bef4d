"""The demo's citizen proposals, made through the services at the moments they would happen.

Vedenovka rural district is open for proposals today: two residents' proposals and one the
akimat registered from a paper request, with supports and a discussion. Atameken rural
district is in the review (its cycle is made here, around its proposals): five proposals
registered from residents' paper requests, the review started the day after they closed;
the akimat assessed three within the deadline, the akim approved one and has two decisions
due, and two reviews are past their statutory deadline (the akim was told by the clock's
escalation). Zlatopolye rural district is in the public discussion of its draft: its
proposals were submitted months ago, reviewed within the deadline, decided by the akim (two
approved, one rejected) and one of the approved is included in a line of the draft under
discussion. A cycle that already has proposals is left as it is, so loading twice changes
nothing.

The other demo cycles have no proposals: their history was replayed before proposals
existed in the demo, and funding happens only through the maslikhat's vote. Time travel is
budgets.demo_clock's (see its docstring for why).
"""

from __future__ import annotations

import datetime

from django.utils import timezone

from accounts.iin import check_digit
from accounts.models import User
from budgets.demo import once
from budgets.demo_clock import DAY, clock, on, starts_of, timeline
from budgets.models import BudgetClassification, BudgetCycle, CyclePhase, DraftStatus
from budgets.services import cycle_open
from portal.models import AdministrativeUnit
from proposals import services
from proposals.models import Proposal

VEDENOVKA = "117037000"
ATAMEKEN = "117055000"
ZLATOPOLYE = "117051000"


def _function(code: str) -> BudgetClassification:
    return BudgetClassification.objects.get(kind="expenditure", code=code)


def _data(
    cycle: BudgetCycle, code: str, title: str, description: str, cost: int | None
):
    return services.ProposalInput(
        title=title,
        description=description,
        function=_function(code),
        place=cycle.unit.children.order_by("kato_code").first() or cycle.unit,
        cost_estimate=cost,
    )


def load_proposals_demo(
    *,
    vedenovka_staff: User,
    vedenovka_residents: list[User],
    atameken_staff: User,
    atameken_akim: User,
    staff: User,
    akim: User,
    residents: list[User],
) -> None:
    """Proposals in the demo cycles that have none yet, and Atameken's cycle in review."""
    atameken = AdministrativeUnit.objects.with_ancestors().get(kato_code=ATAMEKEN)
    once(
        atameken,
        lambda unit: _under_review(
            unit,
            timezone.localdate().year + 1,
            staff=atameken_staff,
            akim=atameken_akim,
        ),
    )
    cycles = {
        cycle.unit.kato_code: cycle
        for cycle in BudgetCycle.objects.select_related("unit")
        .filter(unit__kato_code__in=[VEDENOVKA, ZLATOPOLYE])
        .order_by("fiscal_year")
    }
    vedenovka, zlatopolye = cycles.get(VEDENOVKA), cycles.get(ZLATOPOLYE)
    if vedenovka and not Proposal.objects.filter(cycle=vedenovka).exists():
        _open_for_proposals(vedenovka, vedenovka_staff, vedenovka_residents)
    if zlatopolye and not Proposal.objects.filter(cycle=zlatopolye).exists():
        _decided(zlatopolye, staff, akim, residents)


def _open_for_proposals(cycle: BudgetCycle, staff: User, residents: list[User]) -> None:
    first, second = residents
    lamps = services.proposal_create(
        cycle=cycle,
        author=first,
        data=_data(
            cycle,
            "124 008",
            "Мектепке баратын көшеге шамдар",
            "Мектепке баратын Абай көшесінде қыста таңертең қараңғы. Алты шам қою керек.",
            1_800_000,
        ),
    )
    lamps = services.proposal_submit(proposal=lamps, actor=first)
    playground = services.proposal_create(
        cycle=cycle,
        author=second,
        data=_data(
            cycle,
            "124 011",
            "Детская площадка у клуба",
            "У сельского клуба пустырь; дети играют на дороге. Нужна площадка с "
            "качелями и горкой, огороженная.",
            4_500_000,
        ),
    )
    playground = services.proposal_submit(proposal=playground, actor=second)
    services.proposal_register(
        cycle=cycle,
        actor=staff,
        iin="751103301006",
        author_name="Сәуле Т.",
        data=_data(
            cycle,
            "124 013",
            "Зират жолын қардан тазарту",
            "Қыста зиратқа баратын жол жабылып қалады; ақсақалдар өтініш жазды.",
            None,
        ),
    )
    services.support_add(proposal=lamps, user=second)
    services.support_add(proposal=playground, user=first)
    question = services.comment_post(
        proposal=playground,
        author=first,
        body="Площадканы қай жерге салады — клубтың алдына ма, артына ма?",
    )
    services.comment_post(
        proposal=playground,
        author=second,
        body="За клубом, там тише и нет машин.",
        reply_to=question,
    )


def _decided(
    cycle: BudgetCycle, staff: User, akim: User, residents: list[User]
) -> None:
    phases = {phase.kind: phase for phase in cycle.phases.all()}
    opened = phases[CyclePhase.PROPOSALS_OPEN]
    resident, neighbour = residents
    with on(opened.starts_on + 3 * DAY):
        lights = services.proposal_create(
            cycle=cycle,
            author=resident,
            data=_data(
                cycle,
                "124 008",
                "Орталық көшеге жаңа шамдар",
                "Орталық көшедегі 20 шамның жартысы жанбайды. LED шамдарға ауыстыру "
                "электр энергиясын да үнемдейді.",
                2_600_000,
            ),
        )
        lights = services.proposal_submit(proposal=lights, actor=resident)
        stadium = services.proposal_create(
            cycle=cycle,
            author=neighbour,
            data=_data(
                cycle,
                "124 028",
                "Новый стадион",
                "Построить стадион с трибунами на 500 мест.",
                180_000_000,
            ),
        )
        stadium = services.proposal_submit(proposal=stadium, actor=neighbour)
        services.support_add(proposal=lights, user=neighbour)
    with on(opened.starts_on + 6 * DAY):
        bins = services.proposal_register(
            cycle=cycle,
            actor=staff,
            iin="920722401001",
            author_name="Ерболат Қ.",
            data=_data(
                cycle,
                "124 009",
                "Контейнерлер алаңы",
                "Шығыс көшелерінде қоқыс контейнерлері жоқ; бес алаң керек.",
                900_000,
            ),
        )
        services.support_add(proposal=bins, user=resident)
    # The review starts the day after the proposals close.
    with on(opened.ends_on + DAY, hour=1):
        services.reviews_start(cycles=[cycle])
    with on(opened.ends_on + 5 * DAY):
        for proposal in (lights, stadium, bins):
            services.review_assign(proposal=proposal, actor=staff, reviewer=staff)
    with on(opened.ends_on + 9 * DAY):
        services.review_complete(
            proposal=lights,
            actor=staff,
            data=services.AssessmentInput(
                assessment="recommended",
                is_within_competence=True,
                assessed_cost="2450000",
                feasibility="Бір маусымда орындалады.",
                reasons="Көше жарығы — әкімнің құзыреті; шығын нарықтық бағаға сай.",
            ),
        )
        services.review_complete(
            proposal=bins,
            actor=staff,
            data=services.AssessmentInput(
                assessment="recommended",
                is_within_competence=True,
                assessed_cost="850000",
                reasons="Санитарияға жатады; бес алаң 850 мың теңгеге салынады.",
            ),
        )
        services.review_complete(
            proposal=stadium,
            actor=staff,
            data=services.AssessmentInput(
                assessment="not_recommended",
                is_within_competence=False,
                assessed_cost="180000000",
                reasons="Құны округтің бір жылдық бюджетінен асады; стадион салу "
                "аудан бюджетінің құзыреті.",
            ),
        )
    with on(opened.ends_on + 12 * DAY):
        services.proposal_decide(
            proposal=lights,
            actor=akim,
            decision="approved",
            reason="Тұрғындар көп қолдады; жарық қауіпсіздік үшін қажет.",
        )
        services.proposal_decide(
            proposal=bins,
            actor=akim,
            decision="approved",
            reason="Санитарлық талаптарға сай, құны аз.",
        )
        services.proposal_decide(
            proposal=stadium,
            actor=akim,
            decision="rejected",
            reason="Округ бюджетінің мүмкіндігінен тыс; аудан әкімдігіне жолданды.",
        )
    draft = (
        cycle.drafts.filter(status=DraftStatus.PUBLISHED).order_by("-version").first()
    )
    if draft is not None:
        line = draft.lines.filter(classification__code="124 008").first()
        if line is not None:
            services.proposal_include(proposal=lights, actor=staff, line=line)


# Atameken: the review, with decisions due and reviews overdue.


def paper_iin(born: datetime.date, serial: int) -> str:
    """A valid IIN of a resident born on the day, who brought a request on paper."""
    century = 3 if born.year < 2000 else 5
    while True:
        first = f"{born:%y%m%d}{century}{serial % 10000:04d}"
        digit = check_digit(first)
        if digit is not None:
            return f"{first}{digit}"
        serial += 1


# (title, description, function code, cost in tenge)
ATAMEKEN_PROPOSALS = (
    (
        "Атамекен ауылындағы спорт алаңы",
        "Мектеп жанындағы алаңға жаттығу құралдары мен шағын футбол алаңы.",
        "124 028",
        3_200_000,
    ),
    (
        "Ремонт дороги до фельдшерского пункта",
        "Четыреста метров грунтовой дороги к ФАП весной непроходимы.",
        "124 013",
        2_700_000,
    ),
    (
        "Көшелерге күн батареялы шамдар",
        "Шет көшелерде жарық жоқ; он екі күн батареялы шам қою.",
        "124 008",
        1_900_000,
    ),
    (
        "Новый спортивный комплекс",
        "Построить крытый спорткомплекс с бассейном.",
        "124 028",
        240_000_000,
    ),
    (
        "Ауыл орталығындағы гүлзар",
        "Әкімдік алдындағы алаңды көгалдандыру, орындықтар қою.",
        "124 011",
        800_000,
    ),
)


def _proposals_end(today: datetime.date) -> datetime.date:
    """The last day of proposals whose statutory review deadline passed two days ago or
    more: counted in working days, so found by stepping back over holidays."""
    end = today - 18 * DAY
    while services.review_deadline(end) > today - 2 * DAY:
        end -= DAY
    return end


def _under_review(unit, fiscal_year, *, staff: User, akim: User) -> BudgetCycle:
    today = timezone.localdate()
    closed_from_today = (_proposals_end(today) - today).days
    dates = timeline(
        fiscal_year,
        proposals_from=closed_from_today - 30,
        ends=(closed_from_today, 10, 30, 50, 60, 70),
    )
    starts = starts_of(dates)
    opened_on, closed_on = dates[CyclePhase.PROPOSALS_OPEN]
    with on(opened_on - 14 * DAY):
        cycle = cycle_open(unit=unit, fiscal_year=fiscal_year, actor=staff, dates=dates)
    clock(cycle, opened_on)
    made = []
    for number, (title, description, code, cost) in enumerate(ATAMEKEN_PROPOSALS):
        with on(opened_on + (4 + 5 * number) * DAY, hour=11):
            made.append(
                services.proposal_register(
                    cycle=cycle,
                    actor=staff,
                    iin=paper_iin(datetime.date(1955 + 7 * number, 4, 2 + number), 31),
                    author_name=f"{title.split()[0]} ({number + 1})",
                    data=_data(cycle, code, title, description, cost),
                )
            )
    # The sports ground and the road stay under review, past their deadline.
    _sports, _road, lamps, complex_, flowers = made
    # The clock at the review's start: the reviews begin, due by the statutory deadline.
    clock(cycle, starts[CyclePhase.REVIEW])
    with on(closed_on + DAY, hour=1):
        services.reviews_start(cycles=[cycle])
    with on(closed_on + 2 * DAY):
        for proposal in made:
            services.review_assign(proposal=proposal, actor=staff, reviewer=staff)
    with on(closed_on + 6 * DAY):
        services.review_complete(
            proposal=lamps,
            actor=staff,
            data=services.AssessmentInput(
                assessment="recommended",
                is_within_competence=True,
                assessed_cost="1850000",
                feasibility="Бір айда орнатылады.",
                reasons="Көше жарығы — әкімнің құзыреті; құны нарықтық бағаға сай.",
            ),
        )
        services.review_complete(
            proposal=complex_,
            actor=staff,
            data=services.AssessmentInput(
                assessment="not_recommended",
                is_within_competence=False,
                assessed_cost="240000000",
                reasons="Құны округтің бірнеше жылдық бюджетінен асады; спорт кешенін "
                "салу аудан бюджетінің құзыреті.",
            ),
        )
    with on(closed_on + 8 * DAY):
        services.review_complete(
            proposal=flowers,
            actor=staff,
            data=services.AssessmentInput(
                assessment="recommended",
                is_within_competence=True,
                assessed_cost="800000",
                reasons="Көгалдандыру — әкімнің құзыреті; құны аз.",
            ),
        )
    with on(closed_on + 10 * DAY):
        services.proposal_decide(
            proposal=lamps,
            actor=akim,
            decision="approved",
            reason="Шет көшелердің тұрғындары үшін қауіпсіздік мәселесі.",
        )
    # The clock: the reviewers reminded before the deadline, the akim told after it of
    # the two reviews still open (the sports ground and the road).
    deadline = services.review_deadline(closed_on)
    with on(deadline - 3 * DAY, hour=0, minute=10):
        services.reviews_remind_due()
    with on(deadline + DAY, hour=0, minute=10):
        services.reviews_escalate_due()
    return cycle
