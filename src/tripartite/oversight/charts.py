"""Server-rendered SVG geometry for the oversight hub's chart: members per status.

No JavaScript and no inline styles (strict CSP): positions are SVG attributes, colours
come from CSS classes. Each bar carries its status in words and its count, so colour is
never the only signal, and the page follows the chart with a table of the same numbers.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from . import schemas as s

WIDTH = 1000
LABEL_WIDTH = 260  # room for the status names on the left
RIGHT = 60  # room for the count at the end of each bar
ROW = 30
TOP = 8


@dataclass
class StatusBar:
    status: str
    count: int
    x: float
    width: float
    y: float
    text_x: float
    text_y: float

    @property
    def token(self) -> str:
        return self.status.replace("_", "-")


@dataclass
class StatusChart:
    height: int
    total: int
    bars: list[StatusBar] = field(default_factory=list)
    width: int = WIDTH
    label_width: int = LABEL_WIDTH


def status_chart(counts: list[s.StatusCount]) -> StatusChart | None:
    """One horizontal bar per member status, its length proportional to the count."""
    if not counts:
        return None
    top = max(count.count for count in counts)
    plot = WIDTH - LABEL_WIDTH - RIGHT
    chart = StatusChart(height=TOP + ROW * len(counts) + 4, total=sum(c.count for c in counts))
    for n, count in enumerate(counts):
        y = TOP + n * ROW
        width = round(plot * count.count / top, 1) if top else 0.0
        chart.bars.append(
            StatusBar(
                status=count.status,
                count=count.count,
                x=LABEL_WIDTH,
                width=max(width, 2.0) if count.count else 0.0,
                y=y + 4,
                text_x=round(LABEL_WIDTH + max(width, 2.0) + 8, 1),
                text_y=y + 19,
            )
        )
    return chart
