"""Following a record in Chromium: the Follow button on a record page, the list of follows
with its frequency setting and Unfollow buttons; without JavaScript, and accessible."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest
from playwright.sync_api import Page, expect

if TYPE_CHECKING:
    from pytest_django.live_server_helper import LiveServer

    from .conftest import Axe, Scenario

pytestmark = [pytest.mark.e2e]


def signed_in(page: Page, base_url: str) -> None:
    """A citizen's session, as after signing in (the sign-in form is tested elsewhere)."""
    from django.contrib.auth import get_user_model
    from django.test import Client

    user = get_user_model().objects.create_user("citizen", email="citizen@example.org")
    client = Client()
    client.force_login(user)
    cookie = client.cookies["sessionid"].value
    page.context.add_cookies([{"name": "sessionid", "value": cookie, "url": base_url}])


@pytest.mark.browser_context_args(java_script_enabled=False)
def test_follow_from_a_record_page_then_manage_without_javascript(
    page: Page, live_server: LiveServer, scenario: Scenario
) -> None:
    from tripartite.notifications.models import Follow

    signed_in(page, live_server.url)
    page.goto(live_server.url + scenario.urls["meeting"])

    page.get_by_label("E-mail me about changes").select_option("daily")
    page.get_by_role("button", name="Follow", exact=True).click()

    expect(page).to_have_url(live_server.url + scenario.urls["meeting"])
    expect(page.get_by_role("main")).to_contain_text("You follow this record (In a daily digest)")
    follow = Follow.objects.get(user__username="citizen")
    assert follow.frequency == "daily" and follow.record.startswith("meeting/")

    page.get_by_role("link", name="Your notifications").click()
    expect(page.locator("h1")).to_have_text("Your notifications")
    page.locator("main select").select_option("immediate")
    page.get_by_role("button", name="Save").click()
    expect(page.locator("main select")).to_have_value("immediate")
    page.get_by_role("button", name="Unfollow").click()
    expect(page.get_by_role("main")).to_contain_text("You follow no record yet.")
    assert not Follow.objects.filter(user__username="citizen").exists()


@pytest.mark.browser_context_args(bypass_csp=True)
def test_notification_pages_have_no_axe_violations(
    page: Page, live_server: LiveServer, scenario: Scenario, axe: Axe
) -> None:
    from tripartite.notifications import services

    signed_in(page, live_server.url)
    from django.contrib.auth import get_user_model

    citizen = get_user_model().objects.get(username="citizen")
    services.follow(citizen, record="forum/mx-tts", frequency="daily")

    for path in ("/notifications/", "/notifications/follow/?record=forum/mx-tts"):
        page.goto(live_server.url + path)
        assert axe(page) == [], path
    page.goto(live_server.url + scenario.urls["meeting"])  # with the Follow form
    assert axe(page) == []
