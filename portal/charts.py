"""The geometry of the dashboard's charts, drawn on the server as SVG (templates/portal/
includes/chart_*.html) so that they read without JavaScript.

Every bar carries its own text (the series and the figure), so that no meaning rests on
colour alone; every chart has a title and a description for screen readers, and the page
shows its figures in a table beside it. The coordinates are in the SVG's user units (the
chart scales to the width of its column); they are handed to the template as text with a
dot, whatever the language's decimal separator.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal

WIDTH = 640
PADDING = 8
LABEL_HEIGHT = 20
BAR_HEIGHT = 22
BAR_GAP = 4
GROUP_GAP = 14
LEGEND_HEIGHT = 20
SWATCH = 14
# Room kept right of the longest bar for its text ("actual 123 456 789 ₸, 100.0%").
TEXT_ROOM = 230
BAR_ROOM = WIDTH - 2 * PADDING - TEXT_ROOM

# The tones the stylesheet knows (static/css/portal.css, `.chart-…`): each differs from
# the others by its shape or pattern as well as its colour.
TONES = frozenset({"plan", "actual", "count", "own", "transfer"})


def _number(value: float) -> str:
    return f"{value:.1f}"


@dataclass(frozen=True)
class BarInput:
    """One bar as the caller knows it: its value (None when unknown: no bar, only the
    text) and the text written beside it."""

    value: Decimal | int | None
    text: str
    tone: str = "actual"


@dataclass(frozen=True)
class GroupInput:
    label: str
    bars: Sequence[BarInput]


@dataclass(frozen=True)
class Bar:
    y: str
    width: str
    text: str
    text_x: str
    text_y: str
    tone: str


@dataclass(frozen=True)
class BarGroup:
    label: str
    label_y: str
    bars: list[Bar]


@dataclass(frozen=True)
class BarChart:
    """Horizontal bars in groups: a label line, then one bar per series under it."""

    chart_id: str
    title: str
    description: str
    groups: list[BarGroup]
    height: int
    width: int = WIDTH
    x: int = PADDING
    bar_height: int = BAR_HEIGHT


def bar_chart(
    *,
    chart_id: str,
    title: str,
    description: str,
    groups: Sequence[GroupInput],
    maximum: Decimal | int | None = None,
) -> BarChart:
    """Bars scaled to the largest value (or to `maximum`, for percentages out of 100)."""
    values = [
        bar.value for group in groups for bar in group.bars if bar.value is not None
    ]
    for bar in (bar for group in groups for bar in group.bars):
        if bar.tone not in TONES:
            raise ValueError(f"Unknown tone {bar.tone!r}")
    top = max((Decimal(value) for value in values), default=Decimal(0))
    if maximum is not None:
        top = max(top, Decimal(maximum))
    y = PADDING
    drawn = []
    for group in groups:
        label_y = y + LABEL_HEIGHT - 6
        y += LABEL_HEIGHT
        bars = []
        for bar in group.bars:
            width = _width(bar.value, top)
            bars.append(
                Bar(
                    y=_number(y),
                    width=_number(width),
                    text=bar.text,
                    text_x=_number(PADDING + width + 6),
                    text_y=_number(y + BAR_HEIGHT - 6),
                    tone=bar.tone,
                )
            )
            y += BAR_HEIGHT + BAR_GAP
        drawn.append(BarGroup(label=group.label, label_y=_number(label_y), bars=bars))
        y += GROUP_GAP - BAR_GAP
    return BarChart(
        chart_id=chart_id,
        title=title,
        description=description,
        groups=drawn,
        height=int(y - GROUP_GAP + PADDING + BAR_GAP),
    )


def _width(value: Decimal | int | None, top: Decimal) -> float:
    if value is None or not top or value <= 0:
        return 0.0
    # A value too small to see still shows a sliver, so that it is not read as nothing.
    return max(float(Decimal(value) / top) * BAR_ROOM, 2.0)


@dataclass(frozen=True)
class Segment:
    x: str
    width: str
    tone: str


@dataclass(frozen=True)
class LegendLine:
    text: str
    tone: str
    y: str
    swatch_y: str


@dataclass(frozen=True)
class StackRow:
    label: str
    label_y: str
    y: str
    segments: list[Segment]
    legend: list[LegendLine] = field(default_factory=list)


@dataclass(frozen=True)
class StackedChart:
    """Bars of the full width split into parts, each part named on a line beneath."""

    chart_id: str
    title: str
    description: str
    rows: list[StackRow]
    height: int
    width: int = WIDTH
    x: int = PADDING
    bar_width: int = WIDTH - 2 * PADDING
    bar_height: int = BAR_HEIGHT
    swatch: int = SWATCH
    legend_x: int = PADDING + SWATCH + 6


@dataclass(frozen=True)
class StackInput:
    label: str
    parts: Sequence[BarInput]


def stacked_chart(
    *, chart_id: str, title: str, description: str, rows: Sequence[StackInput]
) -> StackedChart:
    """Each row a bar split in proportion to its parts; a row whose parts sum to nothing
    draws no bar, only its legend."""
    full = WIDTH - 2 * PADDING
    y = PADDING
    drawn = []
    for row in rows:
        for part in row.parts:
            if part.tone not in TONES:
                raise ValueError(f"Unknown tone {part.tone!r}")
        label_y = y + LABEL_HEIGHT - 6
        y += LABEL_HEIGHT
        bar_y = y
        whole = sum((Decimal(p.value) for p in row.parts if p.value), Decimal(0))
        segments = []
        x = float(PADDING)
        if whole > 0:
            for part in row.parts:
                width = float(Decimal(part.value or 0) / whole) * full
                if width > 0:
                    segments.append(
                        Segment(x=_number(x), width=_number(width), tone=part.tone)
                    )
                x += width
        y += BAR_HEIGHT + 6
        legend = []
        for part in row.parts:
            legend.append(
                LegendLine(
                    text=part.text,
                    tone=part.tone,
                    y=_number(y + LEGEND_HEIGHT - 6),
                    swatch_y=_number(y + (LEGEND_HEIGHT - SWATCH) / 2 - 2),
                )
            )
            y += LEGEND_HEIGHT
        drawn.append(
            StackRow(
                label=row.label,
                label_y=_number(label_y),
                y=_number(bar_y),
                segments=segments,
                legend=legend,
            )
        )
        y += GROUP_GAP
    return StackedChart(
        chart_id=chart_id,
        title=title,
        description=description,
        rows=drawn,
        height=int(y - GROUP_GAP + PADDING),
    )
