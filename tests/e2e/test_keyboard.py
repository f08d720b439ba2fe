"""Keyboard-only use in Chromium (WCAG 2.1: 2.1.1 keyboard, 2.4.1 bypass blocks, 2.4.3 focus
order, 2.4.7 focus visible): the first Tab reaches the skip link, which moves focus to the
content; Tab then walks the page in document order, and every focused control shows a
visible outline."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest
from playwright.sync_api import Page

if TYPE_CHECKING:
    from pytest_django.live_server_helper import LiveServer

    from .conftest import Scenario

pytestmark = [pytest.mark.e2e, pytest.mark.frontend]

PAGES = ["forum", "meeting", "letter", "commitment", "search", "login", "confidential"]

# The focused element's outline (or a box shadow standing in for one), in CSS pixels.
FOCUS_RING = """() => {
  const el = document.activeElement;
  const style = getComputedStyle(el);
  const outline = style.outlineStyle === 'none' ? 0 : parseFloat(style.outlineWidth);
  return {tag: el.tagName, outline, shadow: style.boxShadow !== 'none'};
}"""

# Whether the element focused now comes after the one focused before, in document order.
AFTER_PREVIOUS = """() => {
  const now = document.activeElement;
  const before = window.__previousFocus;
  window.__previousFocus = now;
  if (!before || before === now) return true;
  return Boolean(before.compareDocumentPosition(now) & Node.DOCUMENT_POSITION_FOLLOWING);
}"""


def test_the_first_tab_reaches_the_skip_link_which_moves_focus_to_the_content(
    page: Page, live_server: LiveServer, scenario: Scenario
) -> None:
    page.goto(live_server.url + scenario.urls["forum"])
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.classList.contains('skip-link')")
    box = page.locator(".skip-link").bounding_box()
    assert box is not None and box["x"] >= 0 and box["y"] >= 0  # shown when focused
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"
    page.keyboard.press("Tab")
    assert page.evaluate("document.getElementById('main').contains(document.activeElement)")


@pytest.mark.parametrize("name", PAGES)
def test_tab_walks_the_page_in_order_with_a_visible_focus(
    page: Page, live_server: LiveServer, scenario: Scenario, name: str
) -> None:
    page.goto(live_server.url + scenario.urls[name])
    page.evaluate("() => { window.__previousFocus = null; }")
    seen = 0
    for _step in range(40):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement === document.body"):
            break  # past the last control
        ring = page.evaluate(FOCUS_RING)
        assert ring["outline"] >= 2 or ring["shadow"], f"{name}: no visible focus on {ring}"
        assert page.evaluate(AFTER_PREVIOUS), f"{name}: focus jumped backwards"
        seen += 1
    assert seen >= 3
