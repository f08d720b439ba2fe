"""The account pages in Chromium: sign-in with two-factor authentication, setting up an
authenticator, the session list; accessible (axe) and working without JavaScript."""

from __future__ import annotations

import re
import time
from typing import TYPE_CHECKING

import pytest
from playwright.sync_api import Browser, Page, expect

from .test_staff_pages import PASSWORD, make_staff, sign_in

if TYPE_CHECKING:
    from pytest_django.live_server_helper import LiveServer

    from .conftest import Axe, Scenario, Watch

pytestmark = [pytest.mark.e2e]


def make_staff_without_mfa() -> None:
    from allauth.account.models import EmailAddress
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.create_user(
        "newcomer", email="newcomer@example.org", password=PASSWORD, is_staff=True
    )
    EmailAddress.objects.create(user=user, email=user.email, primary=True, verified=True)
    from tripartite.accounts.roles import Role
    from tripartite.accounts.tests.roles import grant

    grant(user, Role.SUPPORT_UNIT)  # a role, but no second factor yet


def sign_in_without_mfa(page: Page, base_url: str) -> None:
    page.goto(base_url + "/accounts/login/")
    page.get_by_label("Username or email").fill("newcomer")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("main").get_by_role("button", name="Sign in").click()


def code_for(secret: str) -> str:
    from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value

    return format_hotp_value(hotp_value(secret, int(time.time()) // 30))


@pytest.mark.browser_context_args(bypass_csp=True)
def test_two_factor_step_has_no_axe_violations(
    page: Page, live_server: LiveServer, scenario: Scenario, axe: Axe
) -> None:
    make_staff()
    page.goto(live_server.url + "/accounts/login/")
    page.get_by_label("Username or email").fill("secretariat")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("main").get_by_role("button", name="Sign in").click()
    expect(page.get_by_label("Code")).to_be_visible()
    assert axe(page) == []
    # A wrong code: the error is tied to the field, and the page stays accessible.
    page.get_by_label("Code").fill("000000")
    page.get_by_role("main").get_by_role("button", name="Sign in").click()
    expect(page.get_by_label("Code")).to_have_attribute("aria-invalid", "true")
    assert axe(page) == []


@pytest.mark.browser_context_args(bypass_csp=True)
def test_staff_without_mfa_sets_up_an_authenticator_then_edits(
    page: Page, live_server: LiveServer, scenario: Scenario, axe: Axe
) -> None:
    make_staff_without_mfa()
    sign_in_without_mfa(page, live_server.url)
    page.goto(live_server.url + "/members/new/")
    expect(page).to_have_url(re.compile(r"/accounts/2fa/totp/activate/$"))
    assert axe(page) == []

    secret = page.locator("#authenticator_secret").input_value()
    page.get_by_label("Authenticator code").fill(code_for(secret))
    page.get_by_role("main").get_by_role("button", name="Activate").click()
    expect(page).to_have_url(re.compile(r"/accounts/2fa/recovery-codes/$"))
    assert axe(page) == []

    response = page.goto(live_server.url + "/members/new/")
    assert response is not None and response.status == 200


@pytest.mark.browser_context_args(bypass_csp=True)
@pytest.mark.parametrize(
    "url",
    [
        "/accounts/sessions/",
        "/accounts/2fa/",
        "/accounts/email/",
        "/accounts/invite/",
        "/accounts/tokens/",
    ],
)
def test_account_page_has_no_axe_violations(
    page: Page, live_server: LiveServer, scenario: Scenario, axe: Axe, url: str
) -> None:
    make_staff()
    sign_in(page, live_server.url)
    response = page.goto(live_server.url + url)
    assert response is not None and response.status == 200
    assert axe(page) == []


def test_sign_in_and_sessions_work_without_javascript(
    browser: Browser, live_server: LiveServer, scenario: Scenario, watch: Watch
) -> None:
    make_staff()
    other = browser.new_context(java_script_enabled=False)
    sign_in(other.new_page(), live_server.url)
    # The same code cannot sign in twice: forget it, as if the next period had come.
    from django.core.cache import cache

    cache.clear()

    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    traffic = watch(page)
    sign_in(page, live_server.url)
    page.goto(live_server.url + "/accounts/sessions/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Sessions")
    expect(page.locator("main table tbody tr")).to_have_count(2)
    page.get_by_role("button", name="Sign out of all other sessions").click()
    expect(page.locator("main table tbody tr")).to_have_count(1)
    expect(page.get_by_role("main")).to_contain_text("This browser")
    assert traffic.elsewhere(live_server.url) == []

    stale = other.pages[0]
    stale.goto(live_server.url + "/accounts/sessions/")
    expect(stale).to_have_url(re.compile(r"/accounts/login/"))
    context.close()
    other.close()


def test_an_api_token_is_made_and_revoked_without_javascript(
    browser: Browser, live_server: LiveServer, scenario: Scenario
) -> None:
    make_staff()
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    sign_in(page, live_server.url)
    page.goto(live_server.url + "/accounts/tokens/")
    page.get_by_label("Name").fill("progress reporting")
    page.get_by_role("button", name="Make the token").click()
    secret = page.locator("#new-token").inner_text()
    assert secret.startswith("tpt_")
    row = page.locator("main table tbody tr")
    expect(row).to_have_count(1)
    page.get_by_role("button", name="Revoke progress reporting").click()
    expect(page.locator("main table tbody tr td").last).to_have_text("revoked")
    expect(page.locator("#new-token")).to_have_count(0)
    context.close()
