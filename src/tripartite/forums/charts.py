"""Server-rendered SVG geometry for charts. No JavaScript, no inline styles (strict CSP):
positions are SVG attributes, colours come from CSS classes. Each chart has a text
alternative on the page (the timeline list or a table)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from . import schemas as s

LABEL_WIDTH = 230  # room for organisation names on the left
CHART_WIDTH = 1000
ROW_HEIGHT = 22
TOP = 28  # room for the year ticks


@dataclass
class Bar:
    label: str
    url: str
    sector: str
    x: float
    width: float
    y: float
    text_y: float
    start: dt.date
    end: dt.date | None
    end_reason: str


@dataclass
class Tick:
    x: float
    label: str


@dataclass
class Marker:
    x: float
    label: str
    date: dt.date


@dataclass
class MembershipChart:
    height: int
    bars: list[Bar] = field(default_factory=list)
    ticks: list[Tick] = field(default_factory=list)
    markers: list[Marker] = field(default_factory=list)
    label_width: int = LABEL_WIDTH
    width: int = CHART_WIDTH


def membership_chart(forum: s.ForumDetail, today: dt.date) -> MembershipChart | None:
    """One bar per seat from its start to its end (or to today / the dissolution)."""
    seats = sorted(forum.current_seats + forum.past_seats, key=lambda x: (x.start_on, x.sector))
    if not seats:
        return None
    first = min(forum.established_on, *(seat.start_on for seat in seats))
    last = forum.dissolved_on or today
    last = max(last, *(seat.end_on or last for seat in seats))
    span = max((last - first).days, 1)
    plot = CHART_WIDTH - LABEL_WIDTH - 10

    def x_of(day: dt.date) -> float:
        return round(LABEL_WIDTH + plot * (day - first).days / span, 1)

    chart = MembershipChart(height=TOP + ROW_HEIGHT * len(seats) + 6)
    for row, seat in enumerate(seats):
        y = TOP + row * ROW_HEIGHT
        start_x = x_of(seat.start_on)
        chart.bars.append(
            Bar(
                label=seat.organization.short_name or seat.organization.name,
                url=seat.url,
                sector=seat.sector,
                x=start_x,
                width=max(x_of(seat.end_on or last) - start_x, 2),
                y=y + 4,
                text_y=y + 15,
                start=seat.start_on,
                end=seat.end_on,
                end_reason=seat.end_reason,
            )
        )
    for year in range(first.year + 1, last.year + 1):
        chart.ticks.append(Tick(x=x_of(dt.date(year, 1, 1)), label=str(year)))
    chart.markers = [
        Marker(x=x_of(group.withdrawn_on), label=group.title, date=group.withdrawn_on)
        for group in forum.withdrawals
    ]
    return chart
