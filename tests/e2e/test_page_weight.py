"""First visit of every public page: under 150 KB transferred, nothing from another host.

Each test gets a fresh browser context from pytest-playwright, so the cache is empty and
the page's stylesheet, scripts, icon and images are all fetched: this is a first visit.
Bytes are what went over the wire: the response headers plus the body as sent
(``Request.sizes()``: ``responseBodySize`` is the encoded size, so a compressed response
counts compressed).

The module prints the five heaviest pages at the end of the run.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Page, Request

from .conftest import Traffic
from .test_pages_accessibility import PAGE_TYPES

if TYPE_CHECKING:
    from pytest_django.live_server_helper import LiveServer

    from .conftest import Scenario


pytestmark = [pytest.mark.e2e, pytest.mark.frontend]

LIMIT = 150 * 1024


@dataclass
class Weight:
    """What a page load transferred: bytes by URL, and every URL requested."""

    by_url: dict[str, int] = field(default_factory=dict)
    requested: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)

    @property
    def total(self) -> int:
        return sum(self.by_url.values())

    def heaviest(self, n: int = 3) -> str:
        rows = sorted(self.by_url.items(), key=lambda item: -item[1])[:n]
        return ", ".join(f"{urlsplit(url).path} {size / 1024:.1f} KB" for url, size in rows)


def measure(page: Page) -> Weight:
    """Record, from now on, the bytes each finished request transferred."""
    weight = Weight()

    def finished(request: Request) -> None:
        sizes = request.sizes()
        size = max(sizes["responseBodySize"], 0) + max(sizes["responseHeadersSize"], 0)
        weight.by_url[request.url] = weight.by_url.get(request.url, 0) + size

    page.on("request", lambda request: weight.requested.append(request.url))
    page.on("requestfinished", finished)
    page.on("requestfailed", lambda request: weight.failed.append(request.url))
    return weight


@pytest.fixture(scope="module")
def weights(request: pytest.FixtureRequest) -> Iterator[dict[str, Weight]]:
    """Every measured page; the heaviest five are printed when the module is done."""
    measured: dict[str, Weight] = {}
    yield measured
    plugins = request.config.pluginmanager
    reporter, capture = plugins.get_plugin("terminalreporter"), plugins.get_plugin("capturemanager")
    if reporter is None or capture is None or not measured:
        return
    with capture.global_and_fixture_disabled():  # the report goes to the terminal
        reporter.write_line("")  # after the progress dots
        reporter.write_sep("-", "heaviest first visits (limit 150 KB)")
        for page_type, weight in sorted(measured.items(), key=lambda item: -item[1].total)[:5]:
            reporter.write_line(
                f"{page_type:24} {weight.total / 1024:6.1f} KB  ({weight.heaviest()})"
            )


@pytest.mark.parametrize("page_type", PAGE_TYPES)
def test_first_visit_is_light_and_local(
    page: Page,
    live_server: LiveServer,
    scenario: Scenario,
    weights: dict[str, Weight],
    page_type: str,
) -> None:
    weight = measure(page)

    response = page.goto(live_server.url + scenario.urls[page_type])
    assert response is not None and response.status == 200
    # Late requests too (the icon, images below the fold): wait until the network is quiet.
    page.wait_for_load_state("networkidle")

    weights[page_type] = weight
    assert weight.by_url, "no finished request was measured"
    assert Traffic(requests=weight.requested).elsewhere(live_server.url) == []
    assert weight.total < LIMIT, (
        f"{weight.total / 1024:.1f} KB transferred (limit 150 KB): {weight.heaviest(5)}"
    )
