"""Time the recount of the largest real vote, side by side with pabutools.

    .venv/bin/python bench/vote_tally.py [PATH.pb] [--skip-add1]

On ../shared/data/pabulib/large/Poland_Warszawa_2026.pb (61,668 ballots, 83 projects) it
prints, in seconds: reading the file; our greedy-threshold (the official rule, checked
against the file's `selected`); our plain equal shares and pabutools'
`method_of_equal_shares` (cost satisfaction) on the same file, with their ratio and
whether they select the same projects; and our equal shares with add-one completion.
pabutools is a test dependency (requirements-dev.txt).
"""

import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
LARGE = REPO.parent / "shared/data/pabulib/large/Poland_Warszawa_2026.pb"


def timed(label: str, act):
    started = time.perf_counter()
    result = act()
    took = time.perf_counter() - started
    print(f"{label:<48} {took:8.2f} s", flush=True)
    return result, took


def main() -> None:
    from votes.counting import pabulib, rules

    arguments = [argument for argument in sys.argv[1:] if not argument.startswith("--")]
    path = Path(arguments[0]) if arguments else LARGE
    election, _ = timed("read the .pb file (ours)", lambda: pabulib.read_path(path))
    print(
        f"{path.name}: {len(election.ballots)} ballots, {len(election.projects)} "
        f"projects, rule {election.rule}"
    )
    official, _ = timed(
        "tally by the file's rule (ours)", lambda: rules.tally(election)
    )
    stated = {project.id for project in election.projects if project.selected}
    print(
        f"  selected as the city did: {set(official.selected_ids(election)) == stated}"
    )

    ours, our_time = timed(
        "equal shares (ours)", lambda: rules.tally(election, "equalshares")
    )

    from pabutools.election import Cost_Sat, parse_pabulib
    from pabutools.rules import method_of_equal_shares
    from pabutools.tiebreaking import TieBreakingRule

    (instance, profile), _ = timed(
        "read the .pb file (pabutools)", lambda: parse_pabulib(str(path))
    )
    order = {project.id: index for index, project in enumerate(election.projects)}
    ties = TieBreakingRule(
        lambda inst, prof, project: (
            project.cost,
            -prof.approval_score(project),
            order[project.name],
        )
    )
    reference, their_time = timed(
        "equal shares (pabutools method_of_equal_shares)",
        lambda: method_of_equal_shares(
            instance, profile, sat_class=Cost_Sat, tie_breaking=ties
        ),
    )
    same = set(ours.selected_ids(election)) == {project.name for project in reference}
    print(f"  same projects: {same}; ours is {their_time / our_time:.1f}x faster")

    if "--skip-add1" not in sys.argv:
        add1, _ = timed(
            "equal shares with add-one completion (ours)",
            lambda: rules.tally(election, "equalshares/add1"),
        )
        print(
            f"  {len(add1.selected)} projects, share raised from "
            f"{float(ours.share):.2f} to {float(add1.share):.2f}"
        )


if __name__ == "__main__":
    main()
