"""Time the casting of ballots in a residents' vote on PostgreSQL, from concurrent clients.

    .venv/bin/python bench/vote_casting.py [--voters N] [--clients N,N,...]
                                           [--repeat N] [--keep]

PostgreSQL only (what is measured is its row locks and unique indexes under load); the
database is a fresh one of the bench's own, as bench/proposals.py makes it, dropped
afterwards. Without DATABASE_URL it uses postgres://postgres@127.0.0.1:5432/qatysu.

The data: one rural district with four villages, its 2027 cycle opened by the services,
a residents' vote prepared (approval, 1 to 3 of 12 projects the akimat added, equal
shares) and frozen at its opening; `--voters` verified residents of the unit with their
dates of birth (bulk-inserted). Then, for each number of clients, as many processes (as
a server's workers are), each with its own database connection, cast the ballots of
their share of the residents through `votes.services.ballot_cast` (the act a ballot
page's POST calls), all released together; every resident casts once, and one in ten
tries a second time (refused as already voted, and audited). Two ways: "casting", each
client having read the vote (with its days) once, which is the target's measure; and
"vote read each", the vote read again before every ballot as a page does (on this
machine the clients and PostgreSQL share two cores, so the read's cost comes out of the
casting's).

Printed: ballots per second over the wall time, the refusals, and the check that the
ballots and their choices are exactly as many as cast (a run that is not exact stops
the bench); each is run `--repeat` times from no ballots, and the median printed (on a
shared machine the runs differ by a fifth or more).
"""

import argparse
import datetime
import importlib.util
import random
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
ALMATY = datetime.timezone(datetime.timedelta(hours=5))
PREPARING = datetime.datetime(2026, 5, 10, 12, tzinfo=ALMATY)
OPEN = datetime.datetime(2026, 6, 15, 12, tzinfo=ALMATY)
PROJECTS = 12


def _bench_proposals():
    spec = importlib.util.spec_from_file_location(
        "bench_proposals", REPO / "bench" / "proposals.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def build(voters: int):
    import time_machine
    from django.utils import timezone

    from accounts.iin import iin_digest
    from accounts.models import Residency, ResidencyStatus, Role, RoleMembership, User
    from budgets import services as budget_services
    from budgets.models import BudgetClassification, ClassificationKind  # noqa: F401
    from portal.models import AdministrativeUnit, Level
    from votes import services

    bench = _bench_proposals()
    region = AdministrativeUnit.objects.create(
        kato_code="110000000", level=Level.REGION, name_kk="Ақмола", name_ru="Акмола"
    )
    district = AdministrativeUnit.objects.create(
        kato_code="115600000",
        level=Level.DISTRICT,
        name_kk="Зеренді",
        name_ru="Зеренди",
        parent=region,
    )
    unit = AdministrativeUnit.objects.create(
        kato_code="115633000",
        level=Level.RURAL_DISTRICT,
        name_kk="Ортақ",
        name_ru="Ортак",
        parent=district,
        population=9000,
        population_year=2021,
    )
    villages = [
        AdministrativeUnit.objects.create(
            kato_code=f"1156331{index}0",
            level=Level.VILLAGE,
            name_kk=f"Ауыл {index}",
            name_ru=f"Село {index}",
            parent=unit,
        )
        for index in range(4)
    ]
    staff = User.objects.create_user(email="staff@bench.kz")
    RoleMembership.objects.create(
        user=staff,
        role=Role.AKIMAT_STAFF,
        unit=unit,
        starts_on=datetime.date(2024, 1, 1),
        granted_by=staff,
    )
    with time_machine.travel(datetime.datetime(2026, 2, 1, tzinfo=ALMATY)):
        cycle = budget_services.cycle_open(
            unit=unit, fiscal_year=2027, actor=staff, dates=bench.phase_dates()
        )
    with time_machine.travel(PREPARING):
        vote = services.vote_prepare(
            cycle=cycle,
            rules=services.VoteRules(
                amount=50_000_000,
                ballot_kind="approval",
                rule="equalshares/add1",
                min_choices=1,
                max_choices=3,
            ),
            starts_on=datetime.date(2026, 6, 10),
            ends_on=datetime.date(2026, 6, 20),
            actor=staff,
        )
        for number in range(PROJECTS):
            services.project_add(
                vote=vote,
                title=f"Жоба {number + 1}",
                description="",
                cost=1_000_000 + 500_000 * number,
                reason="The akimat's plan.",
                place=None,
                actor=staff,
            )
    with time_machine.travel(OPEN):
        services.vote_freeze(vote)
    now = timezone.now()
    people = User.objects.bulk_create(
        User(
            email=f"voter{number}@bench.kz",
            iin_digest=iin_digest(f"{number:012d}"),
            iin_last4=f"{number % 10000:04d}",
            birth_date=datetime.date(1950 + number % 50, 1 + number % 12, 1),
            password="!",  # noqa: S106 - an unusable password, as Django writes it
        )
        for number in range(voters)
    )
    Residency.objects.bulk_create(
        Residency(
            user=person,
            place=villages[number % len(villages)],
            budget_unit=unit,
            status=ResidencyStatus.VERIFIED,
            decided_at=now,
            decided_by=staff,
        )
        for number, person in enumerate(people)
    )
    return vote, people


def _client(vote_pk: int, share, start, results, read_each: bool) -> None:
    """One client process: its own connection, its share of the residents' ballots;
    the vote read once, or again for each ballot (`read_each`)."""
    from django.db import connection

    from portal.errors import DomainError
    from votes import selectors, services
    from votes.models import Vote

    connection.close()  # the parent's socket is not this process's to use
    cast = refused = 0
    error = None
    try:
        votes = selectors.with_days(Vote.objects.select_related("cycle__unit"))
        vote = votes.get(pk=vote_pk)
        start.wait()
        for person, choices in share:
            if read_each:
                # As the ballot page reads it: the vote with its days, then the act
                vote = votes.get(pk=vote_pk)
            try:
                services.ballot_cast(vote=vote, voter=person, choices=choices)
                cast += 1
            except DomainError as refusal:
                assert refusal.code == "already_voted", refusal.code
                refused += 1
    except Exception as failure:  # reported, not lost in the process
        error = repr(failure)
    finally:
        connection.close()
        results.put((cast, refused, error))


def cast_all(
    vote, people, clients: int, read_each: bool
) -> tuple[float, int, int, list]:
    """Cast every resident's ballot (and one in ten a second time) from `clients`
    processes released together; the wall time, the ballots cast, the refusals."""
    import multiprocessing

    from django.db import connection

    projects = list(vote.projects.values_list("pk", flat=True))
    rng = random.Random(clients)
    plans = [
        (person, dict.fromkeys(rng.sample(projects, rng.randint(1, 3)), 1))
        for person in people
    ]
    plans += [plans[index] for index in range(0, len(plans), 10)]  # second tries
    rng.shuffle(plans)
    context = multiprocessing.get_context("fork")
    start = context.Barrier(clients + 1)
    results = context.Queue()
    connection.close()
    processes = [
        context.Process(
            target=_client,
            args=(vote.pk, plans[index::clients], start, results, read_each),
        )
        for index in range(clients)
    ]
    for process in processes:
        process.start()
    start.wait()
    began = time.perf_counter()
    outcomes = [results.get() for _process in processes]
    took = time.perf_counter() - began
    for process in processes:
        process.join()
    errors = [error for _cast, _refused, error in outcomes if error]
    return (
        took,
        sum(cast for cast, _refused, _error in outcomes),
        sum(refused for _cast, refused, _error in outcomes),
        errors,
    )


def run(args) -> None:
    print(f"building: {args.voters} voters, {PROJECTS} projects", flush=True)
    vote, people = build(args.voters)
    medians = []
    for clients in args.clients:
        for read_each, how in ((False, "casting"), (True, "casting, vote read each")):
            rates = sorted(
                _measure(vote, people, clients, read_each)
                for _time in range(args.repeat)
            )
            medians.append(
                f"{clients:>3} clients, {how:<24} median {rates[len(rates) // 2]:7.1f}"
                f" ballots/s over {len(rates)} runs (least {rates[0]:.1f}, most"
                f" {rates[-1]:.1f})"
            )
    print("\n".join(medians), flush=True)


def _measure(vote, people, clients: int, read_each: bool) -> float:
    """One run from no ballots: every resident casts; the ballots per second."""
    import time_machine
    from django.db import connection

    from portal.models import AuditEvent
    from votes.models import Ballot, BallotChoice

    Ballot.objects.all().delete()  # choices cascade
    AuditEvent.objects.filter(verb="ballot.collision").delete()
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE votes_ballot")
        cursor.execute("VACUUM ANALYZE votes_ballotchoice")
    with time_machine.travel(OPEN, tick=True):
        took, cast, refused, errors = cast_all(vote, people, clients, read_each)
    ballots = Ballot.objects.count()
    exact = (
        ballots == cast == len(people)
        and not errors
        and refused == len(range(0, len(people), 10))
        and BallotChoice.objects.count()
        == sum(1 for _c in BallotChoice.objects.values_list("pk"))
    )
    print(
        f"{clients:>3} clients{', vote read each' if read_each else ''}: {cast} ballots in {took:6.2f} s = "
        f"{cast / took:7.1f} ballots/s ({(cast + refused) / took:7.1f} casts/s with "
        f"{refused} second tries refused); stored {ballots} ballots, exact: {exact}"
        + (f"; errors: {errors[:3]}" if errors else ""),
        flush=True,
    )
    if not exact:
        raise SystemExit("the ballots stored are not the ballots cast")
    return cast / took


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--voters", type=int, default=10_000)
    parser.add_argument(
        "--clients",
        type=lambda text: [int(part) for part in text.split(",")],
        default=[4, 8],
    )
    parser.add_argument(
        "--repeat", type=int, default=3, help="runs per number of clients"
    )
    parser.add_argument("--keep", action="store_true")
    args = parser.parse_args()
    return _bench_proposals().on_fresh_database(
        "bench/vote_casting.py measures PostgreSQL (its row locks under load)",
        "bench_vote_casting",
        keep=args.keep,
        run=lambda: run(args),
    )


if __name__ == "__main__":
    sys.exit(main())
