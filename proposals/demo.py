"""The demo's citizen proposals, made through the services at the moments they would happen.

Vedenovka rural district is open for proposals today: two residents' proposals and one the
akimat registered from a paper request, with supports and a discussion. Zlatopolye rural
district is in the public discussion of its draft: its proposals were submitted months ago,
reviewed within the deadline, decided by the akim (two approved, one rejected) and one of
the approved is included in a line of the draft under discussion. A cycle that already has
proposals is left as it is, so loading twice changes nothing.

Adopted and executed demo cycles have no proposals: their history was replayed before
proposals existed in the demo, and funding happens only through the maslikhat's vote.
"""

from __future__ import annotations

import contextlib
import datetime
from collections.abc import Iterator

from django.utils import timezone

from accounts.models import User
from budgets.models import BudgetClassification, BudgetCycle, CyclePhase, DraftStatus
from proposals import services
from proposals.models import Proposal

VEDENOVKA = "117037000"
ZLATOPOLYE = "117051000"
DAY = datetime.timedelta(days=1)


@contextlib.contextmanager
def _on(day: datetime.date, hour: int = 10) -> Iterator[None]:
    """Travel to `hour` o'clock on a past `day`, Kazakhstan's time, for the acts done then."""
    import time_machine  # a development dependency, as in budgets.demo

    moment = timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))
    if moment >= timezone.now():
        raise ValueError(f"The demo replays only the past, not {moment.isoformat()}.")
    with time_machine.travel(moment, tick=True):
        yield


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
    staff: User,
    akim: User,
    residents: list[User],
) -> None:
    cycles = {
        cycle.unit.kato_code: cycle
        for cycle in BudgetCycle.objects.select_related("unit").filter(
            unit__kato_code__in=[VEDENOVKA, ZLATOPOLYE],
            fiscal_year=timezone.localdate().year + 1,
        )
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
    with _on(opened.starts_on + 3 * DAY):
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
    with _on(opened.starts_on + 6 * DAY):
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
    with _on(opened.ends_on + DAY, hour=1):
        services.reviews_start(cycles=[cycle])
    with _on(opened.ends_on + 5 * DAY):
        for proposal in (lights, stadium, bins):
            services.review_assign(proposal=proposal, actor=staff, reviewer=staff)
    with _on(opened.ends_on + 9 * DAY):
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
    with _on(opened.ends_on + 12 * DAY):
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
