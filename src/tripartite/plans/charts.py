"""Server-rendered SVG geometry for the charts of action plans.

No JavaScript and no inline styles (strict CSP): positions are SVG attributes, colours
and patterns come from CSS classes and the shared ``<pattern>`` definitions of
``plans/_chart_defs.html``. Every level of the completion scale has its own pattern and
every party its own marker shape, so colour is never the only signal; each chart is
followed on the page by a table that tells the same data in words and numbers.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from .choices import Completion, Party
from .queries import PARTIES
from .schemas import CommitmentDetail, CommitmentSummary, LevelCounts, PlanDetail, ReportsToDate

WIDTH = 1000
LABEL_WIDTH = 300  # room for commitment and theme names on the left
RIGHT = 170  # room for the text at the end of the bars
ROW = 26
TOP = 36  # room for the scale labels
CHAR = 6.6  # average width of a character at the charts' font size, for label placement

# The completion scale as an axis: how far along the work is ("no evidence" says nothing).
SCALE: tuple[str, ...] = (
    Completion.NOT_STARTED,
    Completion.LIMITED,
    Completion.SUBSTANTIAL,
    Completion.COMPLETE,
)
# The columns of the parties' chart: "no evidence" first, then the scale.
COLUMNS: tuple[str, ...] = (Completion.NO_EVIDENCE, *SCALE)
SHAPES = {
    Party.GOVERNMENT: "circle",
    Party.CIVIL_SOCIETY: "square",
    Party.OVERSIGHT_BODY: "triangle",
}


def _r(value: float) -> float:
    return round(value, 1)


def _row_label(commitment: CommitmentSummary) -> str:
    return f"{commitment.id.split('/', 1)[1]} {commitment.short_title or commitment.title}"


def level_label(level: str) -> str:
    """A completion level in words, in the language of the request ("" is unknown)."""
    return str(Completion(level).label) if level else _("Unknown")


def token(level: str) -> str:
    """The suffix of a completion level's CSS class and fill pattern ("unknown" for "")."""
    return level.replace("_", "-") if level else "unknown"


@dataclass
class Tick:
    x: float
    label: str  # a completion value, a year or a count, as the template shows it
    y: float = 0


# ---------------------------------------------------------------- (a) completion by commitment


@dataclass
class CompletionBar:
    label: str
    url: str
    level: str
    level_label: str
    source: str
    x: float
    width: float
    y: float
    text_x: float
    text_y: float

    @property
    def token(self) -> str:
        return token(self.level)


@dataclass
class CompletionChart:
    height: int
    bars: list[CompletionBar] = field(default_factory=list)
    ticks: list[Tick] = field(default_factory=list)
    width: int = WIDTH
    label_width: int = LABEL_WIDTH


def _scale_x(level: str) -> float:
    step = (WIDTH - LABEL_WIDTH - RIGHT) / (len(SCALE) - 1)
    return _r(LABEL_WIDTH + step * SCALE.index(level))


def completion_chart(commitments: list[CommitmentSummary]) -> CompletionChart | None:
    """One bar per commitment from "not started" to its level on the completion scale."""
    rows = [c for c in commitments if not c.retracted]
    if not rows:
        return None
    chart = CompletionChart(height=TOP + ROW * len(rows) + 6)
    chart.ticks = [Tick(x=_scale_x(level), label=level, y=TOP - 14) for level in SCALE]
    start = _scale_x(Completion.NOT_STARTED)
    for n, commitment in enumerate(rows):
        y = TOP + n * ROW
        end = _scale_x(commitment.completion) if commitment.completion in SCALE else start
        chart.bars.append(
            CompletionBar(
                label=_row_label(commitment),
                url=commitment.url,
                level=commitment.completion,
                level_label=level_label(commitment.completion),
                source=commitment.completion_source,
                x=start,
                width=_r(max(end - start, 4)),
                y=y + 5,
                text_x=_r(max(end, start + 4) + 8),
                text_y=y + 17,
            )
        )
    return chart


# ---------------------------------------------------------------- (b, c) counts by level


@dataclass
class Segment:
    level: str
    count: int
    x: float
    width: float

    @property
    def token(self) -> str:
        return token(self.level)


@dataclass
class StackedRow:
    label: str
    y: float
    text_y: float
    total: int
    total_x: float
    segments: list[Segment]


@dataclass
class StackedChart:
    height: int
    rows: list[StackedRow] = field(default_factory=list)
    width: int = WIDTH
    label_width: int = LABEL_WIDTH


def stacked_chart(rows: list[LevelCounts]) -> StackedChart | None:
    """One bar per theme (or OGP value), cut into its commitments per completion level."""
    if not rows:
        return None
    biggest = max(row.total for row in rows) or 1
    unit = (WIDTH - LABEL_WIDTH - 60) / biggest
    chart = StackedChart(height=8 + ROW * len(rows) + 6)
    for n, row in enumerate(rows):
        y = 8 + n * ROW
        x = float(LABEL_WIDTH)
        segments = []
        for cell in row.counts:
            if cell.count:
                segments.append(
                    Segment(
                        level=cell.level, count=cell.count, x=_r(x), width=_r(unit * cell.count)
                    )
                )
                x += unit * cell.count
        chart.rows.append(
            StackedRow(
                label=row.label,
                y=y + 3,
                text_y=y + 17,
                total=row.total,
                total_x=_r(x + 8),
                segments=segments,
            )
        )
    return chart


# ---------------------------------------------------------------- (d) reports over time


@dataclass
class Point:
    x: float
    y: float
    count: int
    month: str


@dataclass
class Series:
    party: str
    shape: str
    points: list[Point]
    line: str  # the polyline's points attribute
    end_x: float
    end_y: float
    total: int


@dataclass
class LineChart:
    height: int
    left: int
    right: int
    top: int
    bottom: int
    series: list[Series] = field(default_factory=list)
    x_ticks: list[Tick] = field(default_factory=list)
    y_ticks: list[Tick] = field(default_factory=list)
    width: int = WIDTH


def _month_start(month: str) -> dt.date:
    return dt.date.fromisoformat(f"{month}-01")


def over_time_chart(months: list[ReportsToDate]) -> LineChart | None:
    """One line per party: how many reports it has published by each month."""
    if not months:
        return None
    chart = LineChart(height=300, left=60, right=WIDTH - RIGHT, top=20, bottom=260)
    first = _month_start(months[0].month)
    last = _month_start(months[-1].month)
    if last == first:
        last = first + dt.timedelta(days=31)
    span = (last - first).days
    highest = max(max(c.count for c in month.counts) for month in months) or 1

    def x_of(day: dt.date) -> float:
        return _r(chart.left + (chart.right - chart.left) * (day - first).days / span)

    def y_of(count: int) -> float:
        return _r(chart.bottom - (chart.bottom - chart.top) * count / highest)

    for party in PARTIES:
        points = []
        for month in months:
            count = next(c.count for c in month.counts if c.party == party)
            points.append(Point(x_of(_month_start(month.month)), y_of(count), count, month.month))
        if not points[-1].count:
            continue  # this party has not reported
        chart.series.append(
            Series(
                party=party,
                shape=SHAPES[Party(party)],
                points=points,
                line=" ".join(f"{p.x},{p.y}" for p in points),
                end_x=points[-1].x + 12,
                end_y=points[-1].y + 4,
                total=points[-1].count,
            )
        )
    # Keep the end labels apart.
    placed: list[float] = []
    for series in sorted(chart.series, key=lambda item: item.end_y):
        while any(abs(series.end_y - y) < 14 for y in placed):
            series.end_y += 14
        placed.append(series.end_y)
    for year in range(first.year, last.year + 1):
        day = dt.date(year, 1, 1)
        if first <= day <= last:
            chart.x_ticks.append(Tick(x=x_of(day), label=str(year), y=chart.bottom + 18))
    steps = sorted({0, highest // 2, highest})
    chart.y_ticks = [Tick(x=chart.left - 8, label=str(n), y=y_of(n)) for n in steps]
    return chart


# ---------------------------------------------------------------- (e) each party's view


@dataclass
class Dot:
    party: str
    shape: str
    level: str
    x: float
    y: float
    title: str  # "Civil society (shadow report): Limited"
    points: str = ""  # for triangles


@dataclass
class DotRow:
    label: str
    url: str
    y: float
    text_y: float
    dots: list[Dot]
    disagreement: bool


@dataclass
class DotChart:
    height: int
    rows: list[DotRow] = field(default_factory=list)
    columns: list[Tick] = field(default_factory=list)
    flag_x: int = WIDTH - 150
    width: int = WIDTH
    label_width: int = LABEL_WIDTH


OFFSETS = {Party.GOVERNMENT: -16, Party.CIVIL_SOCIETY: 0, Party.OVERSIGHT_BODY: 16}


def _column_x(level: str) -> float:
    step = (WIDTH - LABEL_WIDTH - 200) / (len(COLUMNS) - 1)
    return _r(LABEL_WIDTH + 30 + step * COLUMNS.index(level))


def party_chart(commitments: list[CommitmentSummary]) -> DotChart | None:
    """For each commitment, each party's latest report as a marker on the completion
    scale: a circle for government, a square for civil society, a triangle for the
    oversight body. Rows where the parties disagree are flagged in words."""
    rows = [c for c in commitments if not c.retracted and any(v.report for v in c.views)]
    if not rows:
        return None
    chart = DotChart(height=TOP + ROW * len(rows) + 6)
    chart.columns = [Tick(x=_column_x(level), label=level, y=TOP - 14) for level in COLUMNS]
    for n, commitment in enumerate(rows):
        y = TOP + n * ROW
        cy = y + 12
        dots = []
        for view in commitment.views:
            if view.report is None or view.completion not in COLUMNS:
                continue
            x = _r(_column_x(view.completion) + OFFSETS[Party(view.party)])
            shape = SHAPES[Party(view.party)]
            points = (
                f"{x},{cy - 7} {_r(x + 7)},{cy + 6} {_r(x - 7)},{cy + 6}"
                if shape == "triangle"
                else ""
            )
            title = f"{Party(view.party).label}: {level_label(view.completion)}"
            dots.append(Dot(view.party, shape, view.completion, x, cy, title, points))
        chart.rows.append(
            DotRow(
                label=_row_label(commitment),
                url=commitment.url,
                y=y,
                text_y=y + 17,
                dots=dots,
                disagreement=commitment.disagreement,
            )
        )
    return chart


# ---------------------------------------------------------------- the plan's timeline


@dataclass
class Band:
    kind: str  # co_creation | period
    x: float
    width: float
    y: float
    start: dt.date
    end: dt.date


@dataclass
class Mark:
    kind: str
    deadline: bool
    label: str
    date: dt.date
    x: float
    text_x: float
    label_y: float
    anchor: str  # start | end


@dataclass
class TimelineChart:
    height: int
    axis_y: int
    bands: list[Band] = field(default_factory=list)
    marks: list[Mark] = field(default_factory=list)
    ticks: list[Tick] = field(default_factory=list)
    width: int = WIDTH


def timeline_chart(plan: PlanDetail) -> TimelineChart | None:
    """The plan's period and co-creation window as bands, its deadlines (dashed) and what
    happened (solid) as marks, each labelled with what it is."""
    events = plan.timeline
    if not events:
        return None
    days = [event.date for event in events]
    first, last = min(days), max(days)
    if last == first:
        last = first + dt.timedelta(days=30)
    span = (last - first).days
    left, right = 20, WIDTH - 20

    def x_of(day: dt.date) -> float:
        return _r(left + (right - left) * (day - first).days / span)

    chart = TimelineChart(height=0, axis_y=64)
    closes = plan.co_creation_closes_on or plan.delivered_on or plan.start_on
    if plan.co_creation_opens_on and closes >= plan.co_creation_opens_on:
        chart.bands.append(
            Band(
                "co_creation",
                x_of(plan.co_creation_opens_on),
                max(x_of(closes) - x_of(plan.co_creation_opens_on), 2),
                24,
                plan.co_creation_opens_on,
                closes,
            )
        )
    chart.bands.append(
        Band(
            "period",
            x_of(plan.start_on),
            max(x_of(plan.end_on) - x_of(plan.start_on), 2),
            42,
            plan.start_on,
            plan.end_on,
        )
    )
    rows: list[list[tuple[float, float]]] = []
    for event in events:
        x = x_of(event.date)
        length = len(f"{event.label} {event.date.isoformat()}") * CHAR
        anchor = "start" if x < WIDTH * 0.6 else "end"
        span_x = (x, x + 4 + length) if anchor == "start" else (x - 4 - length, x)
        row = next(
            (
                n
                for n, taken in enumerate(rows)
                if all(span_x[1] + 6 < a or span_x[0] - 6 > b for a, b in taken)
            ),
            None,
        )
        if row is None:
            rows.append([])
            row = len(rows) - 1
        rows[row].append(span_x)
        chart.marks.append(
            Mark(
                kind=event.kind,
                deadline=event.deadline,
                label=event.label,
                date=event.date,
                x=x,
                text_x=_r(x + 4 if anchor == "start" else x - 4),
                label_y=chart.axis_y + 30 + 18 * row,
                anchor=anchor,
            )
        )
    for year in range(first.year + 1, last.year + 1):
        chart.ticks.append(Tick(x=x_of(dt.date(year, 1, 1)), label=str(year), y=14))
    chart.height = chart.axis_y + 30 + 18 * max(len(rows), 1)
    return chart


# ---------------------------------------------------------------- milestones of a commitment


@dataclass
class GanttBar:
    label: str
    url: str
    status: str
    x: float
    width: float
    y: float
    text_y: float
    start: dt.date | None
    end: dt.date | None

    @property
    def token(self) -> str:
        return token(self.status)


@dataclass
class GanttChart:
    height: int
    bars: list[GanttBar] = field(default_factory=list)
    ticks: list[Tick] = field(default_factory=list)
    width: int = WIDTH
    label_width: int = LABEL_WIDTH


def milestone_chart(commitment: CommitmentDetail) -> GanttChart | None:
    """One bar per dated milestone, from its start to its end, patterned by its status."""
    dated = [m for m in commitment.milestones if not m.retracted and (m.start_on or m.end_on)]
    if not dated:
        return None
    days = [d for m in dated for d in (m.start_on, m.end_on) if d is not None]
    first, last = min(days), max(days)
    if last == first:
        last = first + dt.timedelta(days=30)
    span = (last - first).days
    plot = WIDTH - LABEL_WIDTH - 20

    def x_of(day: dt.date) -> float:
        return _r(LABEL_WIDTH + plot * (day - first).days / span)

    chart = GanttChart(height=TOP + ROW * len(dated) + 6)
    for n, m in enumerate(dated):
        y = TOP + n * ROW
        start = x_of(m.start_on or m.end_on or first)
        end = x_of(m.end_on or m.start_on or last)
        chart.bars.append(
            GanttBar(
                label=f"{m.number}. {m.deliverable}",
                url=m.url,
                status=m.status,
                x=start,
                width=_r(max(end - start, 4)),
                y=y + 5,
                text_y=y + 17,
                start=m.start_on,
                end=m.end_on,
            )
        )
    for year in range(first.year + 1, last.year + 1):
        chart.ticks.append(Tick(x=x_of(dt.date(year, 1, 1)), label=str(year), y=TOP - 14))
    return chart
