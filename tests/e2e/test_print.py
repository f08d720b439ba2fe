"""Printing a record gives a clean page: the record, without the site's chrome.

Print media is emulated in Chromium for a staff member, signed in through the real login
form, so that every control a page can carry is there to be hidden: the main navigation,
the language switcher, the staff actions and the follow form.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest
from playwright.sync_api import Locator, Page

from .test_staff_pages import make_staff, sign_in

if TYPE_CHECKING:
    from pytest_django.live_server_helper import LiveServer

    from .conftest import Scenario


pytestmark = [pytest.mark.e2e, pytest.mark.frontend]

RECORDS = ["forum", "meeting", "letter", "commitment"]

# True when the element, or one of its ancestors, is display: none.
HIDDEN = """element => {
    for (let node = element; node; node = node.parentElement) {
        if (getComputedStyle(node).display === "none") return true;
    }
    return false;
}"""


def hidden(locator: Locator) -> bool:
    return bool(locator.evaluate(HIDDEN))


@pytest.mark.parametrize("record", RECORDS)
def test_printed_record_shows_only_the_record(
    page: Page, live_server: LiveServer, scenario: Scenario, record: str
) -> None:
    make_staff()
    sign_in(page, live_server.url)
    page.goto(live_server.url + scenario.urls[record])
    chrome = {
        "main navigation": page.locator(".site-header nav"),
        "language switcher": page.locator(".lang-form"),
        "staff actions": page.locator(".staff-actions"),
        "skip link": page.locator(".skip-link"),
        "site footer": page.locator(".site-footer"),
        "follow form": page.locator(".follow"),
        "translate link": page.locator('main p:has(> a[href^="/translate/"])'),
    }
    # On screen they are all there (the staff member sees the staff actions).
    for name, locator in chrome.items():
        assert locator.count() == 1, name
        assert not hidden(locator), f"{name} is hidden on screen"
    forms = page.locator("form")
    assert forms.count() >= 3, "sign-out, language and follow forms expected"

    page.emulate_media(media="print")

    shown = [name for name, locator in chrome.items() if not hidden(locator)]
    assert shown == [], f"printed with the {', '.join(shown)}"
    printed_forms = [
        forms.nth(i).evaluate("form => form.outerHTML.slice(0, 120)")
        for i in range(forms.count())
        if not hidden(forms.nth(i))
    ]
    assert printed_forms == []
    main = page.locator("main")
    assert not hidden(main)
    assert main.get_by_role("heading", level=1).is_visible()
    assert main.locator(".facts").first.is_visible()
