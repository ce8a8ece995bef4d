"""The pabulib `.pb` format (pabulib.org/format): a vote as META, PROJECTS and VOTES, read
into an `Election` and written back. Numbers are read exactly (costs and the budget as
fractions, never floats); an error names the line it is on.

A file is three sections, in this order, each a marker line and a header line, then rows
of `;`-separated cells (quoted like CSV where a cell holds a `;`):

    META                        PROJECTS                    VOTES
    key;value                   project_id;cost;votes;…     voter_id;vote;points;…
    budget;1000000              1;250000;41;…               v1;1,3;2,1
    vote_type;approval          …                           …
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from fractions import Fraction

SECTIONS = ("meta", "projects", "votes")
VOTE_TYPES = ("approval", "choose-1", "cumulative")


class PabulibError(ValueError):
    """A file that is not a pabulib vote, with the line (from 1) the fault is on."""

    def __init__(self, line: int, message: str):
        super().__init__(f"line {line}: {message}")
        self.line = line
        self.message = message


@dataclass(frozen=True)
class Project:
    id: str
    cost: Fraction
    name: str = ""
    # The official outcome the file states (`selected`), when it states one.
    selected: bool | None = None
    # Any other column of the file, kept as read.
    extra: dict[str, str] = field(default_factory=dict, compare=False)


@dataclass(frozen=True)
class Election:
    """One vote: the money, the projects (in the file's order, which is the order ties
    fall in), and the ballots, each the indexes of its projects in `projects`, with
    their points for a cumulative ballot."""

    budget: Fraction
    vote_type: str
    projects: tuple[Project, ...]
    ballots: tuple[tuple[int, ...], ...]
    points: tuple[tuple[int, ...], ...] | None = None
    meta: dict[str, str] = field(default_factory=dict, compare=False)
    voter_ids: tuple[str, ...] = field(default=(), compare=False)

    @property
    def rule(self) -> str:
        return self.meta.get("rule", "")

    @property
    def threshold(self) -> Fraction:
        """The least votes (or score) a project needs under `greedy-threshold`."""
        value = self.meta.get("min_project_score_threshold", "") or "0"
        return _exact(value)


def _exact(text: str) -> Fraction:
    return Fraction(Decimal(text.strip()))


def _number(text: str, line: int, what: str) -> Fraction:
    try:
        value = _exact(text)
    except (InvalidOperation, ValueError):
        raise PabulibError(line, f"{what} is not a number: {text!r}.") from None
    return value


def _integer(text: str, line: int, what: str) -> int:
    value = _number(text, line, what)
    if value.denominator != 1:
        raise PabulibError(line, f"{what} is not a whole number: {text!r}.")
    return int(value)


def _rows(lines: Iterable[str]) -> Iterator[tuple[int, list[str]]]:
    """Each non-empty row with its line number; a quoted cell never spans lines."""
    for number, line in enumerate(lines, start=1):
        text = line.rstrip("\r\n")
        if not text.strip():
            continue
        try:
            row = next(csv.reader([text], delimiter=";"))
        except csv.Error as error:
            raise PabulibError(number, f"the row cannot be read: {error}.") from None
        yield number, [cell.strip() for cell in row]


def _sections(lines: Iterable[str]) -> dict[str, tuple[int, list[str], list]]:
    """Each section's marker line, header and rows (with their line numbers)."""
    found: dict[str, tuple[int, list[str], list]] = {}
    current = None
    expect_header = False
    last_line = 0
    for number, row in _rows(lines):
        last_line = number
        marker = row[0].lower() if len(row) == 1 else ""
        if marker in SECTIONS:
            if marker in found:
                raise PabulibError(number, f"the section {marker.upper()} is repeated.")
            expected = SECTIONS[len(found)]
            if marker != expected:
                raise PabulibError(
                    number,
                    f"the section {expected.upper()} is missing before "
                    f"{marker.upper()}.",
                )
            current = marker
            found[current] = (number, [], [])
            expect_header = True
            continue
        if current is None:
            raise PabulibError(number, "the file does not start with META.")
        if expect_header:
            found[current][1].extend(cell.lower() for cell in row)
            expect_header = False
            continue
        found[current][2].append((number, row))
    for section in SECTIONS:
        if section not in found:
            raise PabulibError(
                last_line + 1, f"the section {section.upper()} is missing."
            )
        if not found[section][1]:
            raise PabulibError(
                found[section][0], f"the section {section.upper()} has no header."
            )
    return found


def _meta(section) -> tuple[dict[str, str], dict[str, int]]:
    """The META values by key, and the line each is on."""
    number, header, rows = section
    if header[:2] != ["key", "value"]:
        raise PabulibError(number + 1, "META's header is not key;value.")
    meta, lines = {}, {}
    for line, row in rows:
        if len(row) < 2:
            raise PabulibError(line, "a META row has a key and a value.")
        meta[row[0].lower()] = ";".join(row[1:])
        lines[row[0].lower()] = line
    return meta, lines


def _columns(section, name: str, required: Sequence[str]) -> dict[str, int]:
    number, header, _rows = section
    columns = {column: position for position, column in enumerate(header)}
    for column in required:
        if column not in columns:
            raise PabulibError(number + 1, f"{name} has no column {column!r}.")
    return columns


def _cell(row: list[str], columns: dict[str, int], column: str) -> str:
    position = columns.get(column)
    return row[position] if position is not None and position < len(row) else ""


def _projects(section) -> tuple[Project, ...]:
    columns = _columns(section, "PROJECTS", ("project_id", "cost"))
    projects = []
    seen = set()
    for line, row in section[2]:
        project_id = _cell(row, columns, "project_id")
        if not project_id:
            raise PabulibError(line, "a project has no project_id.")
        if project_id in seen:
            raise PabulibError(line, f"the project {project_id!r} is listed twice.")
        seen.add(project_id)
        cost = _number(_cell(row, columns, "cost"), line, "the cost")
        if cost < 0:
            raise PabulibError(line, f"the cost of {project_id!r} is negative.")
        selected = _cell(row, columns, "selected")
        projects.append(
            Project(
                id=project_id,
                cost=cost,
                name=_cell(row, columns, "name"),
                selected=(
                    None if not selected else _integer(selected, line, "selected") == 1
                ),
                extra={
                    column: _cell(row, columns, column)
                    for column in columns
                    if column not in ("project_id", "cost", "name", "selected")
                },
            )
        )
    if not projects:
        raise PabulibError(section[0], "PROJECTS lists no project.")
    return tuple(projects)


def _ballots(section, projects, vote_type: str):
    columns = _columns(section, "VOTES", ("voter_id", "vote"))
    cumulative = vote_type == "cumulative"
    if cumulative and "points" not in columns:
        raise PabulibError(section[0] + 1, "a cumulative vote has no column 'points'.")
    position = {project.id: index for index, project in enumerate(projects)}
    ballots, points, voters = [], [], []
    for line, row in section[2]:
        voter = _cell(row, columns, "voter_id")
        chosen = [cell.strip() for cell in _cell(row, columns, "vote").split(",")]
        chosen = [cell for cell in chosen if cell]
        ballot = []
        for project_id in chosen:
            if project_id not in position:
                raise PabulibError(
                    line, f"the vote names the project {project_id!r}, not in PROJECTS."
                )
            ballot.append(position[project_id])
        if len(set(ballot)) != len(ballot):
            raise PabulibError(line, "the vote names a project twice.")
        if cumulative:
            given = [
                cell
                for cell in _cell(row, columns, "points").split(",")
                if cell.strip()
            ]
            if len(given) != len(ballot):
                raise PabulibError(
                    line, "the points do not match the projects of the vote."
                )
            marks = tuple(_integer(cell, line, "a point") for cell in given)
            if any(mark < 0 for mark in marks):
                raise PabulibError(line, "a point is negative.")
            points.append(marks)
        ballots.append(tuple(ballot))
        voters.append(voter)
    return tuple(ballots), (tuple(points) if cumulative else None), tuple(voters)


def read(lines: Iterable[str]) -> Election:
    """An election from the lines of a `.pb` file; PabulibError on a fault."""
    sections = _sections(lines)
    meta, lines = _meta(sections["meta"])
    if "budget" not in meta:
        raise PabulibError(sections["meta"][0], "META has no budget.")
    budget = _number(meta["budget"], lines["budget"], "the budget")
    if budget < 0:
        raise PabulibError(lines["budget"], "the budget is negative.")
    vote_type = meta.get("vote_type", "approval").lower()
    if vote_type not in VOTE_TYPES:
        raise PabulibError(
            lines.get("vote_type", sections["meta"][0]),
            f"the vote_type {vote_type!r} is not one this counts.",
        )
    if "min_project_score_threshold" in meta:
        _number(
            meta["min_project_score_threshold"] or "0",
            lines["min_project_score_threshold"],
            "the threshold",
        )
    projects = _projects(sections["projects"])
    ballots, points, voters = _ballots(sections["votes"], projects, vote_type)
    return Election(
        budget=budget,
        vote_type=vote_type,
        projects=projects,
        ballots=ballots,
        points=points,
        meta=meta,
        voter_ids=voters,
    )


def read_path(path) -> Election:
    with open(path, encoding="utf-8-sig", newline="") as handle:
        return read(handle)


def _plain(number: Fraction) -> str:
    """A number as pabulib writes it: whole, or with the decimals it has."""
    if number.denominator == 1:
        return str(number.numerator)
    return format(Decimal(number.numerator) / Decimal(number.denominator), "f")


def tallies(election: Election) -> tuple[int, ...]:
    """Votes of each project, or its score (the sum of its points) on cumulative ballots,
    counted from the ballots."""
    totals = [0] * len(election.projects)
    if election.points is not None:
        for ballot, marks in zip(election.ballots, election.points, strict=True):
            for index, mark in zip(ballot, marks, strict=True):
                totals[index] += mark
    else:
        for ballot in election.ballots:
            for index in ballot:
                totals[index] += 1
    return tuple(totals)


def write(election: Election, *, selected: Iterable[str] = ()) -> str:
    """The `.pb` text of an election (`write_lines`, joined)."""
    return "".join(write_lines(election, selected=selected))


class _Line:
    """A file-like sink that hands back each row the CSV writer writes."""

    def __init__(self) -> None:
        self.text = ""

    def write(self, text: str) -> None:
        self.text = text


def write_lines(
    election: Election, *, selected: Iterable[str] = (), rows_per_chunk: int = 1000
) -> Iterator[str]:
    """The `.pb` text of an election, a chunk of rows at a time (for a streamed
    download): its projects marked `selected` (1 or 0), each with its votes (approval,
    choose-1) or score (cumulative) counted from the ballots, listed most first: the
    order greedy reads them in, and (a stable sort) the order ties fall in kept."""
    chosen = set(selected)
    totals = tallies(election)
    ranked = sorted(range(len(election.projects)), key=lambda index: -totals[index])
    line = _Line()
    writer = csv.writer(line, delimiter=";", lineterminator="\n")

    def row(cells) -> str:
        writer.writerow(cells)
        return line.text

    meta = {
        **election.meta,
        "num_projects": str(len(election.projects)),
        "num_votes": str(len(election.ballots)),
        "budget": _plain(election.budget),
        "vote_type": election.vote_type,
    }
    head = [row(["META"]), row(["key", "value"])]
    head += [row([key, value]) for key, value in meta.items()]
    score_column = "score" if election.vote_type == "cumulative" else "votes"
    head += [
        row(["PROJECTS"]),
        row(["project_id", "cost", score_column, "name", "selected"]),
    ]
    for index in ranked:
        project = election.projects[index]
        head.append(
            row(
                [
                    project.id,
                    _plain(project.cost),
                    totals[index],
                    project.name,
                    1 if project.id in chosen else 0,
                ]
            )
        )
    cumulative = election.vote_type == "cumulative"
    head += [
        row(["VOTES"]),
        row(["voter_id", "vote", *(["points"] if cumulative else [])]),
    ]
    yield "".join(head)
    voters = election.voter_ids or tuple(
        str(number) for number in range(1, len(election.ballots) + 1)
    )
    chunk: list[str] = []
    for number, ballot in enumerate(election.ballots):
        cells = [voters[number], ",".join(election.projects[i].id for i in ballot)]
        if cumulative:
            cells.append(",".join(str(mark) for mark in election.points[number]))
        chunk.append(row(cells))
        if len(chunk) >= rows_per_chunk:
            yield "".join(chunk)
            chunk = []
    if chunk:
        yield "".join(chunk)
