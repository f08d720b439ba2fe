"""The 503 page (core/unavailable.py) in Chromium: the very response the middleware gives
when the database is busy, served for a page's URL; accessible (axe), translated, and
readable without JavaScript."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest
from playwright.sync_api import Browser, Page, Route, expect

if TYPE_CHECKING:
    from pytest_django.live_server_helper import LiveServer

    from .conftest import Axe

pytestmark = [pytest.mark.e2e, pytest.mark.frontend]


def serve_the_503(page: Page, url: str, language: str = "en") -> None:
    """Answer ``url`` with the middleware's own 503 for a busy database, rendered in
    ``language``; its style sheet still comes from the live server."""
    from django.test import RequestFactory
    from django.utils import translation

    from tripartite.core.unavailable import BUSY, unavailable_response

    with translation.override(language):
        response = unavailable_response(RequestFactory().get("/letters/"), BUSY)
    body = response.content

    def fulfil(route: Route) -> None:
        route.fulfill(
            status=response.status_code,
            headers={"Content-Type": "text/html; charset=utf-8", **dict(response.items())},
            body=body,
        )

    page.route(url, fulfil)


@pytest.mark.browser_context_args(bypass_csp=True)
def test_the_503_page_has_no_axe_violations(page: Page, live_server: LiveServer, axe: Axe) -> None:
    url = live_server.url + "/letters/"
    serve_the_503(page, url)
    response = page.goto(url)
    assert response is not None and response.status == 503
    assert response.headers["retry-after"] == "5"
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "The service is unavailable for a moment."
    )
    assert axe(page) == []


def test_the_503_page_reads_without_javascript_in_the_visitors_language(
    browser: Browser, live_server: LiveServer
) -> None:
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    url = live_server.url + "/letters/"
    serve_the_503(page, url, "es")
    page.goto(url)
    expect(page.locator("html")).to_have_attribute("lang", "es")
    expect(page.get_by_role("alert")).to_contain_text("No se guardó nada de esta solicitud.")
    expect(page.get_by_role("link", name="Página de inicio")).to_be_visible()
    context.close()
