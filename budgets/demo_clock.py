"""Replaying the demo's past: the moments at which its acts are done, and the clock job's runs.

Why time travel, with time_machine. The services read the clock (`timezone.now()`), and
rightly refuse an act out of its phase or on a day that has passed: a cycle cannot be
opened after its proposals have closed, a draft cannot be published after its discussion,
a maslikhat session cannot close in the past. No cycle past its proposals phase can be made
"today" by the services as they are, and giving them a date to act at would let any caller
backdate a civic act. So the demo replays each act at its past moment with time_machine,
which moves the clock that every service, model default and timestamp reads. It is a
development dependency (requirements-dev.txt), not a runtime one: the production image
(Dockerfile) installs requirements.txt only and never loads the demo, while `make run`
installs the development requirements before it loads it. It is imported only when a past
moment is replayed, so serving the site never needs it; without it, load_demo stops with
an error that says how to install it.
"""

from __future__ import annotations

import contextlib
import datetime
from collections.abc import Iterator, Sequence

from django.utils import timezone

from budgets import lifecycle, services
from budgets.models import DATED_PHASES, BudgetCycle, CyclePhase

DAY = datetime.timedelta(days=1)


@contextlib.contextmanager
def on(day: datetime.date, hour: int = 10, minute: int = 0) -> Iterator[None]:
    """Travel to a moment of a past `day`, Kazakhstan's time, for the acts done then."""
    moment = timezone.make_aware(
        datetime.datetime.combine(day, datetime.time(hour, minute))
    )
    if moment >= timezone.now():
        raise ValueError(f"The demo replays only the past, not {moment.isoformat()}.")
    with _time_machine().travel(moment, tick=True):
        yield


def _time_machine():
    """time_machine, a development dependency: see this module's docstring."""
    try:
        import time_machine
    except ImportError as missing:
        raise RuntimeError(
            "The demo replays its past with time-machine, a development dependency: "
            "install it with `pip install -r requirements-dev.txt` (`make run` does)."
        ) from missing
    return time_machine


def clock(cycle: BudgetCycle, *days: datetime.date) -> None:
    """The clock job's run at 00:05 on each day (the first day of a phase), as beat runs
    it every five minutes; a day still to come is left to the real job."""
    for day in days:
        moment = timezone.make_aware(
            datetime.datetime.combine(day, datetime.time(0, 5))
        )
        if moment >= timezone.now():
            return
        with _time_machine().travel(moment, tick=True):
            services.cycles_announce(cycles=[cycle])


def starts_of(dates) -> dict[str, datetime.date]:
    return {kind: starts_on for kind, (starts_on, _ends_on) in dates.items()}


def ends_of(dates) -> dict[str, datetime.date]:
    return {kind: ends_on for kind, (_starts_on, ends_on) in dates.items()}


def timeline(
    fiscal_year: int, *, proposals_from: int, ends: Sequence[int]
) -> dict[str, tuple[datetime.date, datetime.date]]:
    """Phase dates counted in days from today: proposals open from `proposals_from`, then
    each preparation phase until its end in `ends`, each starting the day after the one
    before; the execution is the fiscal year (from the day after the vote if it runs late).
    """
    today = timezone.localdate()
    dates = {}
    start = today + datetime.timedelta(days=proposals_from)
    for phase, end in zip(DATED_PHASES[:-1], ends, strict=True):
        dates[phase] = (start, today + datetime.timedelta(days=end))
        start = dates[phase][1] + datetime.timedelta(days=1)
    dates[CyclePhase.EXECUTION] = (
        max(datetime.date(fiscal_year, 1, 1), start),
        datetime.date(fiscal_year, 12, 31),
    )
    error = lifecycle.phase_dates_error(dates)
    if error:  # pragma: no cover - the demo's own offsets are in order
        raise ValueError(str(error))
    return dates
