"""The 2027 cycles' supports and comments of the national data set (bench/national_data.py):
spread over the public proposals of each cycle by a Pareto law, written with COPY."""

from __future__ import annotations

import datetime
from collections import defaultdict

from siblings import sibling

SUPPORTS = 2_000_000
COMMENTS = 1_000_000


proposals_bench = sibling("proposals")
copy_rows = proposals_bench.copy_rows


def _public_by_cycle(cycles) -> dict[int, list[tuple[int, datetime.datetime]]]:
    from proposals.models import Proposal

    public = defaultdict(list)
    for pk, cycle_id, submitted in (
        Proposal.objects.public()
        .filter(cycle__in=cycles)
        .order_by("pk")
        .values_list("pk", "cycle", "submitted_at")
    ):
        public[cycle_id].append((pk, submitted))
    return public


def _pareto(rng, size: int, cap: int, total: int) -> list[int]:
    """`total` spread over `size` items by a Pareto law, none above `cap`."""
    if size == 0:
        return []
    weights = [rng.paretovariate(1.3) for _ in range(size)]
    scale = total / sum(weights)
    made = [min(cap, int(weight * scale)) for weight in weights]
    open_ = [i for i, count in enumerate(made) if count < cap]
    for _ in range(min(total - sum(made), cap * size - sum(made))):
        i = rng.choice(open_)
        made[i] += 1
        if made[i] == cap:
            open_.remove(i)
    return made


def _targets(cycles, public, total: int) -> list[int]:
    everyone = sum(len(rows) for rows in public.values())
    targets = [round(total * len(public[cycle.pk]) / everyone) for cycle in cycles]
    targets[0] += total - sum(targets)
    return targets


def build_supports(rng, cycles, residents, *, until) -> None:
    from proposals.models import Support

    public = _public_by_cycle(cycles)

    def rows():
        for cycle, target in zip(
            cycles, _targets(cycles, public, SUPPORTS), strict=True
        ):
            people = residents[cycle.unit_id]
            proposals = public[cycle.pk]
            for (pk, submitted), count in zip(
                proposals,
                _pareto(rng, len(proposals), len(people), target),
                strict=True,
            ):
                window = (until - submitted).total_seconds()
                for user_id in rng.sample(people, count):
                    yield (
                        pk,
                        user_id,
                        submitted + datetime.timedelta(seconds=rng.random() * window),
                    )

    copy_rows(Support, ["proposal_id", "user_id", "created_at"], rows())


def keep_support_counts() -> None:
    """The count the support services keep, for the supports written by COPY."""
    from proposals import services

    services.support_counts_repair()


def build_comments(rng, cycles, residents, *, until) -> None:
    from proposals.models import ProposalComment

    public = _public_by_cycle(cycles)

    def rows():
        for cycle, target in zip(
            cycles, _targets(cycles, public, COMMENTS), strict=True
        ):
            people = residents[cycle.unit_id]
            proposals = public[cycle.pk]
            for (pk, submitted), count in zip(
                proposals, _pareto(rng, len(proposals), 10_000, target), strict=True
            ):
                window = (until - submitted).total_seconds()
                for _ in range(count):
                    yield (
                        pk,
                        rng.choice(people),
                        " ".join(
                            rng.choice(proposals_bench.SENTENCES)
                            for _ in range(rng.randint(1, 3))
                        ),
                        False,
                        submitted + datetime.timedelta(seconds=rng.random() * window),
                        False,
                        "",
                    )

    copy_rows(
        ProposalComment,
        [
            "proposal_id",
            "author_id",
            "body",
            "is_official",
            "created_at",
            "is_hidden",
            "hidden_reason",
        ],
        rows(),
    )
