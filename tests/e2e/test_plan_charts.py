"""The plan dashboard's charts in Chromium: drawn without JavaScript, kept in print with
their data tables, and a citizen can send co-creation input with JavaScript off."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest
from playwright.sync_api import Page, expect

if TYPE_CHECKING:
    from pytest_django.live_server_helper import LiveServer

    from .conftest import Scenario

pytestmark = pytest.mark.e2e
NO_JS = pytest.mark.browser_context_args(java_script_enabled=False)

CHARTS = ["completion-chart", "time-chart", "party-chart", "timeline-chart"]


@NO_JS
@pytest.mark.parametrize("chart", CHARTS)
def test_chart_is_drawn_without_javascript(
    page: Page, live_server: LiveServer, scenario: Scenario, chart: str
) -> None:
    page.goto(live_server.url + scenario.urls["plan"])
    svg = page.locator(f"figure.{chart} svg")
    expect(svg).to_be_visible()
    box = svg.bounding_box()
    assert box is not None and box["width"] > 200 and box["height"] > 20


@NO_JS
def test_charts_and_their_tables_stay_in_print(
    page: Page, live_server: LiveServer, scenario: Scenario
) -> None:
    page.goto(live_server.url + scenario.urls["plan"])
    page.emulate_media(media="print")
    for chart in CHARTS:
        expect(page.locator(f"figure.{chart} svg")).to_be_visible()
    captions = page.locator("main table caption")
    assert captions.count() >= 4
    expect(page.get_by_role("navigation", name="Main")).to_be_hidden()


@NO_JS
def test_citizen_sends_input_without_javascript(
    page: Page, live_server: LiveServer, scenario: Scenario
) -> None:
    page.goto(live_server.url + scenario.urls["co-creation-open"])
    page.get_by_role("textbox", name="Title").fill("Open the budget data")
    page.get_by_role("textbox", name="Your input").fill(
        "Publish the budget as open data every month."
    )
    page.get_by_role("button", name="Send my input").click()
    expect(page.get_by_role("main")).to_contain_text("moderation")
