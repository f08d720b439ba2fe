"""The staff editing pages in Chromium: accessible (axe, also with errors shown) and
usable without JavaScript, signed in through the real login form."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest
from playwright.sync_api import Browser, Page, expect

if TYPE_CHECKING:
    from pytest_django.live_server_helper import LiveServer

    from .conftest import Axe, Scenario

pytestmark = [pytest.mark.e2e]

PASSWORD = "a long staff passphrase 2017"

# Edit pages by URL, filled from the scenario's records.
EDIT_PAGES = {
    "member-create": "/members/new/",
    "organization-create": "/organizations/new/",
    "person-create": "/people/new/",
    "statement-publish": "/statements/new/",
    "letter-register": "/letters/new/",
    "forum-create": "/member/mx/forums/new/",
    "seat-add": "/forum/mx-tts/seats/new/",
    "meeting-schedule": "/forum/mx-tts/meetings/new/",
    "decision-record": "/forum/mx-tts/decisions/new/?on=2016-04-15",
    "withdrawal-record": "/forum/mx-tts/withdrawals/new/",
    "seat-end": "/seat/mx-tts-mx-ministry/end/",
    "meeting-agenda": "/meeting/mx-tts-2016-04/agenda/",
    "meeting-attendance": "/meeting/mx-tts-2016-04/attendance/",
    "minutes-sign-off": "/meeting/mx-tts-2016-04/minutes/sign-off/",
    "forum-new-version": "/forum/mx-tts/new-version/",
    "letter-retract": "/letter/mx-2017-0012/retract/",
    "plan-create": "/member/xx/plans/new/",
    "plan-transition": "/plan/xx-3/transition/",
    "commitment-add": "/plan/xx-5/commitments/new/",
    "milestone-add": "/commitment/XX0001/milestones/new/",
    "progress-report": "/commitment/XX0001/progress/new/",
    "irm-report-publish": "/plan/xx-3/irm-reports/new/",
    "assessment-record": "/irm-report/xx-5-review/assessments/new/",
    "assessment-new-version": "/assessment/xx-3-progress-xx0001/new-version/",
    "commitment-retract": "/commitment/XX0002/retract/",
    "moderation-queue": "/staff/moderation/",
    "response-publish": "/plan/xx-3/responses/new/",
    "inputs-link": "/commitment/XX0002/inputs/",
    "document-upload": "/documents/new/?attach=meeting/mx-tts-2016-04",
    "document-add-file": "/document/mx-tts-2016-04-minutes/files/new/",
    "document-redact": "/document/mx-tts-2016-04-minutes/redact/",
}


def make_staff() -> None:
    """The e2e editor: a password, a verified address and an authenticator app."""
    from allauth.account.models import EmailAddress
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.create_user(
        "secretariat", email="secretariat@example.org", password=PASSWORD, is_staff=True
    )
    EmailAddress.objects.create(user=user, email=user.email, primary=True, verified=True)
    TOTP.activate(user, generate_totp_secret())
    from tripartite.accounts.tests.roles import hold_every_role

    hold_every_role(user)  # every editing role, on every record of the scenario


def totp_code(username: str = "secretariat") -> str:
    """What the editor's authenticator app shows now."""
    from django.contrib.auth import get_user_model

    from tripartite.accounts.tests.helpers import totp_code as code_of

    return code_of(get_user_model().objects.get(username=username))


def sign_in(page: Page, base_url: str, username: str = "secretariat") -> None:
    """The real sign-in: username and password, then the authenticator code."""
    page.goto(base_url + "/accounts/login/")
    page.get_by_label("Username or email").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("main").get_by_role("button", name="Sign in").click()
    page.get_by_label("Code").fill(totp_code(username))
    page.get_by_role("main").get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()


@pytest.mark.browser_context_args(bypass_csp=True)
@pytest.mark.parametrize("name", sorted(EDIT_PAGES))
def test_edit_page_has_no_axe_violations(
    page: Page, live_server: LiveServer, scenario: Scenario, axe: Axe, name: str
) -> None:
    make_staff()
    sign_in(page, live_server.url)
    response = page.goto(live_server.url + EDIT_PAGES[name])
    assert response is not None and response.status == 200

    assert axe(page) == []


@pytest.mark.browser_context_args(bypass_csp=True)
def test_form_with_errors_has_no_axe_violations(
    page: Page, live_server: LiveServer, scenario: Scenario, axe: Axe
) -> None:
    make_staff()
    sign_in(page, live_server.url)
    page.goto(live_server.url + EDIT_PAGES["letter-retract"])
    # Blank but not empty: the browser lets it through, the service refuses it.
    page.get_by_label("Reason").fill("   ")
    page.get_by_role("main").locator("button[type=submit]").last.click()

    expect(page.get_by_role("alert")).to_be_visible()
    assert axe(page) == []


def test_staff_adds_a_seat_without_javascript(
    browser: Browser, live_server: LiveServer, scenario: Scenario
) -> None:
    make_staff()
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    sign_in(page, live_server.url)
    page.goto(live_server.url + EDIT_PAGES["person-create"])
    page.get_by_label("Name").first.fill("Rosa Díaz")
    page.get_by_role("main").locator("button[type=submit]").last.click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Rosa Díaz")
    context.close()
