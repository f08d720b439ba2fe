"""The hub's chart of members per status: accessible (title, description, a table right
after it), readable without colour, JavaScript or inline styles, and true to the data."""

from __future__ import annotations

import re

from django.test import Client

from tripartite.oversight import charts
from tripartite.oversight import schemas as s
from tripartite.oversight.tests.factories import OversightWorld


def hub(client: Client) -> str:
    response = client.get("/oversight/")
    assert response.status_code == 200
    return response.content.decode()


def svg(page: str) -> str:
    start = page.rindex("<svg", 0, page.index('id="status-chart-title"'))
    return page[start : page.index("</svg>", start) + 6]


def test_chart_has_a_title_and_a_description(client: Client, world: OversightWorld) -> None:
    chart = svg(hub(client))
    assert 'role="img"' in chart
    assert 'aria-labelledby="status-chart-title status-chart-desc"' in chart
    assert '<title id="status-chart-title">Members per status</title>' in chart
    assert '<desc id="status-chart-desc">' in chart


def test_chart_is_followed_by_a_table_of_the_same_numbers(
    client: Client, world: OversightWorld
) -> None:
    page = hub(client)
    rest = page[page.index(svg(page)) + len(svg(page)) :]
    table = rest[: rest.index("</table>")]
    assert "<caption>Members per status</caption>" in table
    assert '<th scope="row">Inactive</th><td class="numeric">1</td>' in table


def test_each_bar_names_its_status_and_count_in_text(client: Client, world: OversightWorld) -> None:
    chart = svg(hub(client))
    assert "<title>Under procedural review: 1</title>" in chart
    assert ">Under procedural review</text>" in chart


def test_chart_has_no_inline_style_or_script(client: Client, world: OversightWorld) -> None:
    chart = svg(hub(client))
    assert "style=" not in chart and "<script" not in chart


def test_bars_are_proportional_to_the_counts() -> None:
    chart = charts.status_chart(
        [s.StatusCount(status="active", count=4), s.StatusCount(status="inactive", count=2)]
    )
    assert chart is not None
    active, inactive = chart.bars
    assert active.width == 2 * inactive.width == charts.WIDTH - charts.LABEL_WIDTH - charts.RIGHT


def test_an_empty_status_has_no_bar() -> None:
    chart = charts.status_chart(
        [s.StatusCount(status="active", count=3), s.StatusCount(status="withdrawn", count=0)]
    )
    assert chart is not None and chart.bars[1].width == 0


def test_bars_stay_inside_the_chart(client: Client, world: OversightWorld) -> None:
    chart = svg(hub(client))
    widths = [
        float(w)
        for w in re.findall(
            r'<rect class="status-bar[^"]*" x="[\d.]+" y="[\d.]+" width="([\d.]+)"', chart
        )
    ]
    assert widths and max(widths) <= charts.WIDTH - charts.LABEL_WIDTH
