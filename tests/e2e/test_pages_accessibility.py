"""Every page type passes axe-core (WCAG 2.0/2.1 A and AA, plus best practices) in Chromium.

The contexts bypass the CSP only so that axe-core can be injected; the other browser
tests keep the CSP enforced.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest
from playwright.sync_api import Page

if TYPE_CHECKING:
    from pytest_django.live_server_helper import LiveServer

    from .conftest import Axe, Scenario


pytestmark = [
    pytest.mark.e2e,
    pytest.mark.frontend,
    pytest.mark.browser_context_args(bypass_csp=True),
]

PAGE_TYPES = [
    "home",
    "member",
    "forum",
    "seat",
    "meeting",
    "decision",
    "letters",
    "letters-filtered",
    "letter",
    "statement",
    "organization",
    "person",
    "history",
    "login",
    "signup",
    "password-reset",
    "log",
    "plans",
    "plan",
    "plan-four-years",
    "commitment",
    "milestone",
    "progress",
    "irm-report",
    "assessment",
    "co-creation-open",
    "co-creation-register",
    "input",
    "response",
    "policies",
    "policy",
    "oversight",
    "standing",
    "steering-committee",
    "scseat",
    "cochair",
    "subcommittee",
    "scmeeting",
    "scmeetings",
    "resolution",
    "resolutions",
    "case",
    "cases",
    "mission",
    "contrary",
    "review",
    "statuschange",
    "compliance",
    "repository",
    "document",
    "search",
    "search-results",
    "open-data",
    "mirrors",
    "mirror-source",
    "mirror-record",
    "unsubscribe",
    "confidential",
    "translation",
    "changes",
    "change",
    "roles",
    "confidential-keys",
    "recipientkey",
    "sealed",
]


@pytest.mark.parametrize("page_type", PAGE_TYPES)
def test_page_has_no_axe_violations(
    page: Page, live_server: LiveServer, scenario: Scenario, axe: Axe, page_type: str
) -> None:
    response = page.goto(live_server.url + scenario.urls[page_type])
    assert response is not None and response.status == 200

    assert axe(page) == []


def test_page_in_spanish_has_no_axe_violations(
    page: Page, live_server: LiveServer, scenario: Scenario, axe: Axe
) -> None:
    """Translated pages keep their language attribute, labels and landmarks."""
    page.context.add_cookies([{"name": "django_language", "value": "es", "url": live_server.url}])
    page.goto(live_server.url + scenario.urls["forum"])
    assert page.get_attribute("html", "lang") == "es"

    assert axe(page) == []


def test_axe_check_reports_a_bad_page(page: Page, axe: Axe) -> None:
    """The check bites: a page without language, landmarks, alt text or labels fails."""
    page.set_content("<html><body><img src='x.png'><input type='text'></body></html>")

    rules = {violation.split(":", 1)[0] for violation in axe(page)}

    assert {"html-has-lang", "image-alt", "label", "landmark-one-main"} <= rules
