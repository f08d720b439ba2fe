"""Search in Chromium: a plain GET form with JavaScript off, live results with htmx when it
is on (htmx served from our own static files, under the site's CSP, no console errors)."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

import pytest
from playwright.sync_api import Page, expect

if TYPE_CHECKING:
    from pytest_django.live_server_helper import LiveServer

    from .conftest import Axe, Scenario, Watch

pytestmark = pytest.mark.e2e

TITLE = "Minutes of the plenary session of 15 April 2016"


@pytest.mark.browser_context_args(java_script_enabled=False)
def test_search_works_as_a_plain_form_without_javascript(
    page: Page, live_server: LiveServer, scenario: Scenario
) -> None:
    page.goto(live_server.url + scenario.urls["search"])

    # A word no backend matches (PostgreSQL's stemmers would match a misspelling).
    page.get_by_label("Search the record").fill("qwxyzzy")
    page.get_by_role("button", name="Search", exact=True).click()
    expect(page).to_have_url(re.compile(r"/search/\?q=qwxyzzy"))
    expect(page.get_by_role("status")).to_contain_text("0 results")

    page.get_by_label("Search the record").fill("surveillance")
    page.get_by_role("button", name="Search", exact=True).click()
    expect(page.get_by_role("heading", name=TITLE)).to_be_visible()
    expect(page.locator("main mark").first).to_have_text(re.compile("surveillance", re.I))

    page.get_by_role("link", name=re.compile(r"^Document \(")).click()
    expect(page).to_have_url(re.compile(r"type=document"))
    expect(page.get_by_role("status")).to_have_text("1 result for “surveillance”")


def test_live_results_with_htmx_under_the_csp(
    page: Page, live_server: LiveServer, scenario: Scenario, watch: Watch
) -> None:
    traffic = watch(page)
    page.goto(live_server.url + scenario.urls["search"])

    with page.expect_response(re.compile(r"/search/\?q=surveil")) as answer:
        page.get_by_label("Search the record").press_sequentially("surveil", delay=20)

    assert answer.value.request.headers.get("hx-request") == "true"
    expect(page.get_by_role("heading", name=TITLE)).to_be_visible()
    expect(page).to_have_url(re.compile(r"/search/\?q=surveil"))
    assert traffic.errors == []
    assert traffic.elsewhere(live_server.url) == []


@pytest.mark.browser_context_args(bypass_csp=True)
def test_live_results_have_no_axe_violations(
    page: Page, live_server: LiveServer, scenario: Scenario, axe: Axe
) -> None:
    page.goto(live_server.url + scenario.urls["search"])
    page.get_by_label("Search the record").fill("forum")
    page.get_by_label("Search the record").press("Enter")
    expect(page.get_by_role("heading", name="Results", exact=True)).to_be_visible()

    assert axe(page) == []
