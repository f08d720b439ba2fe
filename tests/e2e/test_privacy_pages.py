"""The personal-data pages and the rate-limit page in Chromium: accessible (axe), and
deleting an account works without JavaScript."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pytest
from playwright.sync_api import Browser, Page, expect

if TYPE_CHECKING:
    from pytest_django.live_server_helper import LiveServer

    from .conftest import Axe, Scenario, Watch

pytestmark = [pytest.mark.e2e]

PASSWORD = "a long passphrase for tests 2017"


def make_reader() -> None:
    """A public account: follows records, sends input; no editing role, no MFA needed."""
    from allauth.account.models import EmailAddress
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.create_user(
        "reader", email="reader@example.org", password=PASSWORD
    )
    EmailAddress.objects.create(user=user, email=user.email, primary=True, verified=True)


def sign_in(page: Page, base_url: str) -> None:
    page.goto(base_url + "/accounts/login/")
    page.get_by_label("Username or email").fill("reader")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("main").get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()


@pytest.mark.browser_context_args(bypass_csp=True)
def test_privacy_pages_have_no_axe_violations(
    page: Page, live_server: LiveServer, scenario: Scenario, axe: Axe
) -> None:
    make_reader()
    sign_in(page, live_server.url)
    page.goto(live_server.url + "/accounts/sessions/")
    menu = page.get_by_role("navigation", name="Your account")
    menu.get_by_role("link", name="Your personal data").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your personal data")
    assert axe(page) == []

    menu = page.get_by_role("navigation", name="Your account")
    menu.get_by_role("link", name="Delete my account").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Delete my account")
    assert axe(page) == []
    # A wrong password: the error is on the field, and the page stays accessible.
    page.get_by_label("Your password").fill("not it")
    page.get_by_role("button", name="Delete my account permanently").click()
    expect(page.get_by_role("main")).to_contain_text("This is not the account's password.")
    assert axe(page) == []


@pytest.mark.browser_context_args(bypass_csp=True)
def test_the_rate_limit_page_has_no_axe_violations(
    page: Page, live_server: LiveServer, scenario: Scenario, axe: Axe, settings: Any
) -> None:
    settings.TRIPARTITE_RATE_LIMITS_ENABLED = True
    settings.TRIPARTITE_RATE_LIMITS = {"account_delete": "0/h"}
    make_reader()
    sign_in(page, live_server.url)
    page.goto(live_server.url + "/accounts/privacy/delete/")
    page.get_by_label("Your password").fill(PASSWORD)
    with page.expect_response(lambda r: r.request.method == "POST") as posted:
        page.get_by_role("button", name="Delete my account permanently").click()
    assert posted.value.status == 429
    assert posted.value.headers["retry-after"].isdigit()
    expect(page.get_by_role("heading", level=1)).to_have_text("Too many submissions.")
    assert axe(page) == []


def test_deleting_an_account_works_without_javascript(
    browser: Browser, live_server: LiveServer, scenario: Scenario, watch: Watch
) -> None:
    from django.contrib.auth import get_user_model

    make_reader()
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    traffic = watch(page)
    sign_in(page, live_server.url)
    page.goto(live_server.url + "/accounts/privacy/delete/")
    page.get_by_label("Your password").fill(PASSWORD)
    page.get_by_role("button", name="Delete my account permanently").click()
    expect(page.get_by_role("main")).to_contain_text("Your account is deleted")
    expect(page.get_by_role("link", name="Sign in")).to_be_visible()
    assert not get_user_model().objects.filter(username="reader").exists()
    assert traffic.elsewhere(live_server.url) == []
    context.close()
