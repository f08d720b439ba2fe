"""The server-rendered SVG charts of action plans: accessible (title, description, a table
right after each), readable without colour, JavaScript or inline styles, and true to data."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.test import Client

from tripartite.plans import queries
from tripartite.plans.choices import Completion
from tripartite.plans.tests import factories
from tripartite.plans.tests.factories import PlanWorld

C = Completion
CHARTS = {
    "/plan/xx-3/": ["timeline", "completion", "theme", "value", "time", "party"],
    "/commitment/XX0001/": ["milestone"],
}


def markup(client: Client, path: str, **headers: str) -> str:
    response = client.get(path, headers=headers)
    assert response.status_code == 200
    return response.content.decode()


def svg(page: str, name: str) -> str:
    """The markup of the chart whose title id is ``<name>-chart-title``."""
    start = page.rindex("<svg", 0, page.index(f'id="{name}-chart-title"'))
    return page[start : page.index("</svg>", start) + 6]


def after(page: str, name: str) -> str:
    """What follows a chart up to the next heading."""
    rest = page[page.index(svg(page, name)) + len(svg(page, name)) :]
    return re.split(r"<h[1-6]", rest, maxsplit=1)[0]


CASES = [(path, name) for path, names in CHARTS.items() for name in names]


@pytest.mark.parametrize(("path", "name"), CASES)
def test_chart_is_an_image_named_by_its_title_and_description(
    client: Client, world: PlanWorld, path: str, name: str
) -> None:
    chart = svg(markup(client, path), name)
    assert 'role="img"' in chart
    assert f'aria-labelledby="{name}-chart-title {name}-chart-desc"' in chart
    assert re.search(rf'<title id="{name}-chart-title">[^<]+</title>', chart)
    assert re.search(rf'<desc id="{name}-chart-desc">[^<]+</desc>', chart)


@pytest.mark.parametrize(("path", "name"), CASES)
def test_chart_is_followed_by_a_table_with_a_caption(
    client: Client, world: PlanWorld, path: str, name: str
) -> None:
    following = after(markup(client, path), name)
    if name == "timeline":  # the timeline's alternative is the ordered list of dates
        assert '<ol class="timeline">' in following
    else:
        assert re.search(r"<table[^>]*>\s*<caption>[^<]+</caption>", following)


@pytest.mark.parametrize("path", CHARTS)
def test_every_fill_pattern_used_is_defined(client: Client, world: PlanWorld, path: str) -> None:
    page = markup(client, path)
    used = set(re.findall(r'fill="url\(#([\w-]+)\)"', page))
    defined = set(re.findall(r'<pattern id="([\w-]+)"', page))
    assert used and used <= defined


@pytest.mark.parametrize("path", CHARTS)
def test_data_tables_scope_their_headers(client: Client, world: PlanWorld, path: str) -> None:
    page = markup(client, path)
    headers = re.findall(r"<th(?=[\s>])[^>]*>", page)
    assert headers and [th for th in headers if "scope=" not in th] == []


@pytest.mark.parametrize("path", CHARTS)
def test_chart_coordinates_are_not_localised(client: Client, world: PlanWorld, path: str) -> None:
    """In Spanish, 12.5 must not become 12,5 inside an SVG attribute."""
    page = markup(client, path, accept_language="es")
    numeric = re.findall(r'\s(?:x|y|x1|x2|y1|y2|cx|cy|width|height)="([^"]*)"', page)
    assert numeric and all(re.fullmatch(r"-?\d+(\.\d+)?", value) for value in numeric)


def test_completion_bars_grow_along_the_scale(client: Client, world: PlanWorld) -> None:
    chart = svg(markup(client, "/plan/xx-3/"), "completion")
    widths = [float(w) for w in re.findall(r'class="level-bar"[^>]*width="([\d.]+)"', chart)]
    assert len(widths) == 2
    assert widths[0] > widths[1]  # substantial (XX0001) beyond not started (XX0002)


def test_completion_bars_say_their_level_in_words(client: Client, world: PlanWorld) -> None:
    chart = svg(markup(client, "/plan/xx-3/"), "completion")
    labels = re.findall(r'<text class="bar-text"[^>]*>([^<]+)</text>', chart)
    assert labels == ["Substantial (IRM)", "Not started (IRM)"]


def test_each_party_has_its_own_marker_shape(client: Client, world: PlanWorld) -> None:
    chart = svg(markup(client, "/plan/xx-3/"), "party")
    assert re.search(r'<circle class="party-marker party-government"', chart)
    assert re.search(r'<rect class="party-marker party-civil-society"', chart)
    assert re.search(r'<polygon class="party-marker party-oversight-body"', chart)


def test_party_chart_flags_disagreement_in_words(client: Client, world: PlanWorld) -> None:
    chart = svg(markup(client, "/plan/xx-3/"), "party")
    assert chart.count("Parties disagree</text>") == 1


def test_time_chart_draws_one_line_per_party_that_reported(
    client: Client, world: PlanWorld
) -> None:
    chart = svg(markup(client, "/plan/xx-3/"), "time")
    assert re.findall(r'<polyline class="party-line party-([\w-]+)"', chart) == [
        "government",
        "civil-society",
        "oversight-body",
    ]


def test_plan_without_reports_says_so_instead_of_a_time_chart(
    client: Client, world: PlanWorld
) -> None:
    page = markup(client, "/plan/xx-5/")
    assert 'id="time-chart-title"' not in page
    assert "No progress has been reported yet." in page


def test_timeline_draws_every_deadline_dashed(client: Client, world: PlanWorld) -> None:
    page = markup(client, "/plan/xx-5/")
    deadlines = len(re.findall(r'class="event-[\w-]+ event-deadline"', page))
    assert deadlines == 3  # due, mid-term refresh, IRM results
    assert svg(page, "timeline").count('class="mark deadline"') == deadlines


def test_milestone_chart_draws_only_dated_milestones(client: Client, world: PlanWorld) -> None:
    chart = svg(markup(client, "/commitment/XX0001/"), "milestone")
    assert chart.count('class="level-bar"') == 1  # milestone 2 has no dates


def test_commitment_without_dated_milestones_has_no_chart(client: Client, world: PlanWorld) -> None:
    assert 'id="milestone-chart-title"' not in markup(client, "/commitment/XX0002/")


def test_chart_grows_with_its_rows(client: Client, world: PlanWorld) -> None:
    def height() -> float:
        chart = svg(markup(client, "/plan/xx-3/"), "completion")
        return float(re.search(r'viewBox="0 0 \d+ ([\d.]+)"', chart).group(1))  # type: ignore[union-attr]

    before = height()
    factories.commitment(world.plan, "XX0005", number=5)
    assert height() > before


def test_stylesheet_has_print_rules() -> None:
    css = Path(queries.__file__).parent / "static" / "plans" / "plans.css"
    assert "@media print" in css.read_text(encoding="utf-8")


# ---------------------------------------------------------------- the milestones' indication


@pytest.mark.parametrize(
    ("statuses", "expected"),
    [
        ([], ""),
        ([C.NO_EVIDENCE], C.NO_EVIDENCE),
        ([C.COMPLETE, C.COMPLETE, C.NO_EVIDENCE], C.COMPLETE),
        ([C.NOT_STARTED, C.NOT_STARTED], C.NOT_STARTED),
        ([C.COMPLETE, C.NOT_STARTED], C.SUBSTANTIAL),
        ([C.SUBSTANTIAL, C.LIMITED, C.NOT_STARTED], C.LIMITED),
        ([C.LIMITED, C.NOT_STARTED], C.LIMITED),
    ],
)
def test_completion_from_milestones(statuses: list[str], expected: str) -> None:
    assert queries.completion_from_milestones(statuses) == expected
