"""The Steering Committee's staff pages in Chromium: a staff member opens a concern case
and records an outreach task through the forms, signed in through the real login form;
the forms are accessible (axe, also with errors shown) and work without JavaScript."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

import pytest
from playwright.sync_api import Browser, Page, expect

from .test_staff_pages import make_staff, sign_in

if TYPE_CHECKING:
    from pytest_django.live_server_helper import LiveServer

    from .conftest import Axe, Scenario

pytestmark = [pytest.mark.e2e]

CASE_TITLE = "Surveillance of civil-society members"
# Where a successful form goes: the case's page, or its history page while it has none.
CASE_PAGE = re.compile(r"/(case/mx-2018/|history/case/mx-2018/)$")


def add_oversight_records() -> None:
    """What the forms need besides the scenario: an organisation that takes part in
    Mexico's process (an eligible filer), and a case in eligibility review."""
    import datetime as dt

    from tripartite.core.actors import system_actor
    from tripartite.forums import services
    from tripartite.forums.models import Member
    from tripartite.oversight import case_services

    actor = system_actor()
    mx = Member.objects.get(key="mx")
    watch = services.create_organization(
        actor, key="mx-watch", name="Mexican Watch", sector="civil_society", member=mx
    )
    case = case_services.file_case(
        actor,
        key="mx-2017",
        member=mx,
        title="Closing of civic space",
        concerns="A new law restricts NGOs.",
        received_on=dt.date(2017, 3, 1),
        filers=[(watch, "involved_entity")],
    )
    case_services.advance_case(actor, case, to="acknowledged", on=dt.date(2017, 3, 5), by="su")


EDIT_PAGES = {
    "case-file": "/cases/new/?member=mx",
    "case-advance": "/case/mx-2017/advance/",
    "case-add-task": "/case/mx-2017/tasks/new/",
    "resolution-record": "/resolutions/new/",
    "member-change-status": "/member/mx/status/new/",
    "scmeeting-schedule": "/scmeetings/new/",
    "scseat-add": "/steering-committee/seats/new/",
    "cochair-appoint": "/steering-committee/co-chairs/new/",
    "mission-record": "/missions/new/?case=mx-2017",
    "contrary-record": "/contrary-findings/new/",
    "case-retract": "/case/mx-2017/retract/",
}


def submit(page: Page) -> None:
    page.get_by_role("main").locator("button[type=submit]").last.click()


def file_the_case(page: Page, base_url: str) -> None:
    page.goto(base_url + EDIT_PAGES["case-file"])
    page.get_by_label("Title").fill(CASE_TITLE)
    page.get_by_label("Concerns raised").fill("Spyware was used against members of the forum.")
    page.get_by_label("Received on").fill("2018-07-16")
    filer = page.get_by_role("group", name="Filer 1")
    filer.get_by_label("Organisation").select_option(label="Mexican Watch (Civil society)")
    filer.get_by_label("Eligible as").select_option(
        label="Entity involved in OGP and in the country"
    )
    submit(page)
    expect(page).to_have_url(CASE_PAGE)


def add_a_task(page: Page, base_url: str) -> None:
    page.goto(base_url + "/case/mx-2018/tasks/new/")
    page.get_by_label("Task").fill("Reach out to officials and civil society")
    page.get_by_label("Owner").select_option(label="Ana Ruiz")
    page.get_by_label("Due on").fill("2018-08-01")
    submit(page)
    expect(page).to_have_url(CASE_PAGE)


def assert_case_with_task() -> None:
    from tripartite.oversight.models import ConcernCase

    case = ConcernCase.objects.get(key="mx-2018")
    assert case.title == CASE_TITLE
    assert [filer.organization.key for filer in case.filers.all()] == ["mx-watch"]
    assert [task.title for task in case.tasks.all()] == ["Reach out to officials and civil society"]
    assert case.version == 2  # filed, then the task


@pytest.mark.browser_context_args(bypass_csp=True)
@pytest.mark.parametrize("name", sorted(EDIT_PAGES))
def test_oversight_edit_page_has_no_axe_violations(
    page: Page, live_server: LiveServer, scenario: Scenario, axe: Axe, name: str
) -> None:
    make_staff()
    add_oversight_records()
    sign_in(page, live_server.url)
    response = page.goto(live_server.url + EDIT_PAGES[name])
    assert response is not None and response.status == 200

    assert axe(page) == []


@pytest.mark.browser_context_args(bypass_csp=True)
def test_staff_opens_a_case_and_records_an_outreach_task(
    page: Page, live_server: LiveServer, scenario: Scenario, axe: Axe
) -> None:
    make_staff()
    add_oversight_records()
    sign_in(page, live_server.url)

    # A person cannot file: the Response Policy's reason is shown, next to the field too.
    page.goto(live_server.url + EDIT_PAGES["case-file"])
    page.get_by_label("Title").fill(CASE_TITLE)
    page.get_by_label("Concerns raised").fill("Spyware was used.")
    page.get_by_label("Received on").fill("2018-07-16")
    page.get_by_label("Filed by a person").select_option(label="Ana Ruiz")
    submit(page)
    alert = page.get_by_role("alert")
    expect(alert).to_contain_text("An individual acting on his or her own behalf cannot file")
    expect(page.locator("#id_filed_by_person_error")).to_contain_text("Ana Ruiz:")
    assert axe(page) == []

    file_the_case(page, live_server.url)
    page.goto(live_server.url + "/case/mx-2018/tasks/new/")
    assert axe(page) == []
    add_a_task(page, live_server.url)
    assert_case_with_task()


def test_staff_opens_a_case_without_javascript(
    browser: Browser, live_server: LiveServer, scenario: Scenario
) -> None:
    make_staff()
    add_oversight_records()
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    sign_in(page, live_server.url)
    file_the_case(page, live_server.url)
    add_a_task(page, live_server.url)
    assert_case_with_task()
    context.close()
