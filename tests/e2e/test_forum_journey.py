"""A visitor follows a forum's story from the home page to the letter its members left with.

JavaScript is on and the Content-Security-Policy is enforced: any CSP violation, failed
resource or script error shows up as a console error and fails the journey.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest
from playwright.sync_api import Page, expect

if TYPE_CHECKING:
    from pytest_django.live_server_helper import LiveServer

    from .conftest import Scenario, Watch


pytestmark = pytest.mark.e2e


def test_visitor_follows_a_collective_withdrawal_to_its_letter(
    page: Page, live_server: LiveServer, scenario: Scenario, watch: Watch
) -> None:
    traffic = watch(page)
    page.goto(live_server.url + scenario.urls["home"])

    # Home → member
    page.get_by_role("link", name=scenario.member_name, exact=True).click()
    expect(page.locator("h1")).to_have_text(scenario.member_name)

    # Member → forum
    page.get_by_role("link", name=scenario.forum_name, exact=True).click()
    expect(page.locator("h1")).to_have_text(scenario.forum_name)

    # The composition by sector: civil society has left, and the page says so.
    balance = page.get_by_role("list", name="Seats by sector")
    expect(balance.get_by_role("listitem")).to_have_text(
        ["1 Government", "0 Civil society", "1 Oversight body"]
    )
    expect(page.get_by_role("note")).to_contain_text("The civil society sector holds no seat")

    # The membership timeline shows the collective withdrawal as one event.
    timeline = page.locator("section", has=page.get_by_role("heading", name="Membership timeline"))
    withdrawal = timeline.get_by_role("listitem").filter(has_text=scenario.withdrawal_title)
    expect(withdrawal).to_have_count(1)
    expect(withdrawal).to_contain_text("3 seats withdrew together")
    for name in scenario.signatories:
        expect(withdrawal.get_by_role("link", name=name)).to_be_visible()

    # Follow the withdrawal to its letter, and see who signed it.
    page.get_by_role("article").filter(has_text=scenario.withdrawal_title).get_by_role(
        "link", name="Their letter"
    ).click()
    expect(page.locator("h1")).to_have_text(scenario.letter_subject)
    signatories = page.locator(
        "section", has=page.get_by_role("heading", name=f"{len(scenario.signatories)} signatories")
    )
    expect(signatories.get_by_role("listitem")).to_have_count(len(scenario.signatories))
    for name in scenario.signatories:
        expect(signatories.get_by_role("link", name=name)).to_be_visible()

    assert traffic.errors == []
    assert traffic.elsewhere(live_server.url) == []
