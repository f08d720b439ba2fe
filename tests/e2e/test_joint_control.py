"""The two-sector rule in Chromium, signed in through the real login form: the government
representative proposes a new version of a forum's letter, the civil-society
representative approves it and the change appears; the site operator's retraction of the
same letter waits and never appears, since no sector approves it. Each step also without
JavaScript, and the change page has no axe violations."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

import pytest
from playwright.sync_api import Browser, Page, expect

from .test_staff_pages import PASSWORD, sign_in

if TYPE_CHECKING:
    from pytest_django.live_server_helper import LiveServer

    from .conftest import Axe, Scenario

pytestmark = [pytest.mark.e2e]

OLD_SUBJECT = "Proposal for the fourth plan"
NEW_SUBJECT = "Joint proposal for the fourth plan"


def account(username: str) -> Any:
    from allauth.account.models import EmailAddress
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.create_user(
        username, email=f"{username}@example.org", password=PASSWORD, is_staff=True
    )
    EmailAddress.objects.create(user=user, email=user.email, primary=True, verified=True)
    TOTP.activate(user, generate_totp_secret())
    return user


def two_sector_forum() -> str:
    """A forum of government and civil society, one letter, a representative of each
    sector and a site operator. Returns the letter's key."""
    from tripartite.accounts.roles import Role
    from tripartite.accounts.tests.roles import grant
    from tripartite.core.actors import system_actor
    from tripartite.forums import services
    from tripartite.forums.models import Member

    actor = system_actor()
    mx = Member.objects.get(key="mx")
    forum = services.create_forum(
        actor, key="mx-joint", member=mx, name="Joint Forum", established_on=dt.date(2019, 1, 1)
    )
    seats = {}
    for sector in ("government", "civil_society"):
        org = services.create_organization(
            actor, key=f"joint-{sector}", name=f"Joint {sector}", sector=sector, member=mx
        )
        seats[sector] = services.add_seat(
            actor,
            key=f"joint-{sector}",
            forum=forum,
            organization=org,
            start_on=dt.date(2019, 1, 1),
        )
    services.register_letter(
        actor,
        key="joint-letter",
        reference="JOINT-1",
        direction="outbound",
        letter_type="other",
        subject=OLD_SUBJECT,
        forum=forum,
        member=mx,
        sent_on=dt.date(2019, 2, 1),
    )
    grant(account("gov-rep"), Role.SECTOR_REPRESENTATIVE, seats["government"])
    grant(account("cso-rep"), Role.SECTOR_REPRESENTATIVE, seats["civil_society"])
    grant(account("operator"), Role.OPERATOR)
    return "joint-letter"


def sign_out(page: Page) -> None:
    page.get_by_role("button", name="Sign out").click()


def propose_new_subject(page: Page, base: str) -> str:
    page.goto(base + "/letter/joint-letter/new-version/")
    page.get_by_label("Subject").fill(NEW_SUBJECT)
    page.get_by_label("Reason for the new version").fill("Both sectors wrote it.")
    page.get_by_role("main").locator("button[type=submit]").last.click()
    expect(page.get_by_text("Awaiting approval").first).to_be_visible()
    return page.url


def the_letter_subject(page: Page, base: str) -> str:
    page.goto(base + "/letter/joint-letter/")
    return page.get_by_role("heading", level=1).inner_text()


def run_the_journey(page: Page, base: str) -> None:
    sign_in(page, base, "gov-rep")
    change_url = propose_new_subject(page, base)
    assert the_letter_subject(page, base) == OLD_SUBJECT  # nothing yet
    sign_out(page)

    sign_in(page, base, "cso-rep")
    page.goto(change_url)
    page.get_by_label("Approves").check()
    page.get_by_role("button", name="Send the answer").click()
    expect(page.get_by_text("Approved: the change has taken effect.")).to_be_visible()
    assert the_letter_subject(page, base) == NEW_SUBJECT
    sign_out(page)

    sign_in(page, base, "operator")
    page.goto(base + "/letter/joint-letter/retract/")
    page.get_by_label("Reason").fill("The operator wants it gone.")
    page.get_by_role("main").locator("button[type=submit]").last.click()
    expect(page.get_by_text("Awaiting approval").first).to_be_visible()
    expect(page.get_by_role("button", name="Send the answer")).to_have_count(0)
    page.goto(base + "/letter/joint-letter/")
    expect(page.get_by_text("has been retracted")).to_have_count(0)


def assert_logged() -> None:
    from tripartite.accounts.models import JointChange
    from tripartite.forums.models import Letter

    applied, pending = JointChange.objects.filter(target="letter/joint-letter").order_by(
        "proposed_at"
    )
    assert applied.state == "applied" and pending.state == "pending"
    assert sorted(a.sector for a in applied.approvals.all()) == ["civil_society", "government"]
    assert Letter.objects.get(key="joint-letter").retracted_at is None


def test_one_sector_proposes_another_approves_the_operator_alone_cannot(
    page: Page, live_server: LiveServer, scenario: Scenario
) -> None:
    two_sector_forum()
    run_the_journey(page, live_server.url)
    assert_logged()


def test_the_two_sector_rule_without_javascript(
    browser: Browser, live_server: LiveServer, scenario: Scenario
) -> None:
    two_sector_forum()
    context = browser.new_context(java_script_enabled=False)
    run_the_journey(context.new_page(), live_server.url)
    context.close()
    assert_logged()


@pytest.mark.browser_context_args(bypass_csp=True)
def test_the_change_page_has_no_axe_violations(
    page: Page, live_server: LiveServer, scenario: Scenario, axe: Axe
) -> None:
    two_sector_forum()
    sign_in(page, live_server.url, "gov-rep")
    change_url = propose_new_subject(page, live_server.url)
    sign_out(page)
    sign_in(page, live_server.url, "cso-rep")
    page.goto(change_url)  # with the answer form
    assert axe(page) == []
    page.goto(live_server.url + "/changes/")
    assert axe(page) == []
    page.goto(live_server.url + "/roles/")
    assert axe(page) == []
