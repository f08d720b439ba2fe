"""The six journeys of issue 8 in Chromium, each in two languages and once with JavaScript
off: the language is chosen with the site's own switcher (a POST form that needs no
script), every account signs in through the real login form with its authenticator code,
and the tests look for the visible text as the compiled catalogues translate it (never
hard-coded Spanish or French), with ``<html lang>`` matching.

1. A civil-society representative ends their seat with a public withdrawal letter; the
   forum page lists the seat as withdrawn, with the letter.
2. The secretariat publishes minutes; each sector's representative signs them off, civil
   society with a dissent statement.
3. A citizen without an account sends co-creation input in Spanish; it is moderated and
   answered (services, between the two browser visits); the citizen reads the response.
4. A Steering Committee member (``Role.SC_MEMBER`` on one SC seat, no other role) opens a
   concern case and records an outreach task.
5. A visitor downloads a record's receipt, then follows the public-log link to the page
   that explains how to verify it.
6. A journalist searches, opens a commitment, follows its Atom feed of progress reports and
   finds the commitment's reports in it.
"""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from django.utils import translation
from playwright.sync_api import Page, expect

from .test_joint_control import account
from .test_oversight_staff import (
    CASE_PAGE,
    CASE_TITLE,
    add_oversight_records,
    assert_case_with_task,
)
from .test_staff_pages import PASSWORD, totp_code

if TYPE_CHECKING:
    from pytest_django.live_server_helper import LiveServer

    from .conftest import Scenario

pytestmark = [pytest.mark.e2e]

NO_JS = pytest.mark.browser_context_args(java_script_enabled=False)
TWO_LANGUAGES = pytest.mark.parametrize("language", ["es", "fr"])
ATOM = "{http://www.w3.org/2005/Atom}"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
D = dt.date


# ---------------------------------------------------------------- language and sign-in


def t(language: str, message: str, **values: Any) -> str:
    """``message`` as the compiled catalogue of ``language`` has it, filled with ``values``."""
    with translation.override(language):
        text = translation.gettext(message)
    return text % values if values else text


def in_language(page: Page, language: str) -> None:
    expect(page.locator("html")).to_have_attribute("lang", language)


def choose_language(page: Page, base: str, language: str) -> None:
    """The header's switcher: a plain POST to /i18n/setlang/, kept in a cookie."""
    page.goto(base + "/")
    page.locator("#language-select").select_option(language)
    page.locator("form.lang-form button[type=submit]").click()
    in_language(page, language)


def submit(page: Page) -> None:
    page.get_by_role("main").locator("button[type=submit]").last.click()


def sign_in(page: Page, base: str, username: str, language: str) -> None:
    """The real sign-in, in ``language``: password, then the authenticator code."""
    page.goto(base + "/accounts/login/")
    in_language(page, language)
    page.get_by_label(t(language, "Username or email")).fill(username)
    expect(page.locator("label[for=id_password]")).to_contain_text(t(language, "Password"))
    page.locator("#id_password").fill(PASSWORD)
    page.get_by_role("main").get_by_role("button", name=t(language, "Sign in")).click()
    page.get_by_label(t(language, "Code")).fill(totp_code(username))
    # The code's form comes first; a second form only cancels.
    page.get_by_role("main").locator("button[type=submit]").first.click()
    expect(page.get_by_role("button", name=t(language, "Sign out"))).to_be_visible()


def sign_out(page: Page, language: str) -> None:
    page.get_by_role("button", name=t(language, "Sign out")).click()


def says(page: Page, text: str) -> None:
    """The page's status messages show ``text``."""
    expect(page.get_by_role("status").filter(has_text=text)).to_be_visible()


# ---------------------------------------------------------------- 1. a withdrawal


def representative_with_letter() -> tuple[Any, Any]:
    """A civil-society seat of Mexico's forum since 2018, its representative's account
    and the public letter that says why it leaves (registered beforehand)."""
    from tripartite.accounts.roles import Role
    from tripartite.accounts.tests.roles import grant
    from tripartite.core.actors import system_actor
    from tripartite.forums import services
    from tripartite.forums.models import Forum

    actor = system_actor()
    forum = Forum.objects.get(key="mx-tts")
    org = services.create_organization(
        actor,
        key="mx-open-data",
        name="Open Data Collective",
        sector="civil_society",
        member=forum.member,
    )
    seat = services.add_seat(
        actor, key="mx-tts-open-data", forum=forum, organization=org, start_on=D(2018, 1, 15)
    )
    letter = services.register_letter(
        actor,
        key="mx-2019-0001",
        reference="MX-2019-0001",
        direction="outbound",
        letter_type="withdrawal",
        subject="The Open Data Collective leaves the forum",
        forum=forum,
        member=forum.member,
        sent_on=D(2019, 3, 1),
        signatories=[org],
    )
    grant(account("cso-rep"), Role.SECTOR_REPRESENTATIVE, seat)
    return seat, letter


def withdraw(page: Page, base: str, language: str) -> None:
    seat, letter = representative_with_letter()
    choose_language(page, base, language)
    sign_in(page, base, "cso-rep", language)

    page.goto(base + f"/seat/{seat.key}/end/")
    in_language(page, language)
    expect(page.get_by_role("heading", level=1)).to_have_text(
        t(language, "End the seat of %(organization)s", organization="Open Data Collective")
    )
    expect(page.locator("label[for=id_letter]")).to_contain_text(t(language, "Withdrawal letter"))
    page.locator("#id_end_on").fill("2019-03-01")
    page.locator("#id_end_reason").select_option("withdrawn")
    page.locator("#id_letter").select_option(str(letter.pk))
    submit(page)
    says(
        page,
        t(
            language,
            "The seat of %(organization)s ended on %(date)s.",
            organization="Open Data Collective",
            date="2019-03-01",
        ),
    )

    # Anyone (signed out) sees it on the forum page: a former seat, withdrawn, its letter.
    sign_out(page, language)
    page.goto(base + "/forum/mx-tts/")
    in_language(page, language)
    former = page.get_by_role("region", name=t(language, "Former seats"))
    row = former.get_by_role("row").filter(has_text="Open Data Collective")
    expect(row).to_contain_text(t(language, "Withdrawn"))
    link = row.get_by_role("link", name=t(language, "letter"), exact=True)
    expect(link).to_have_attribute("href", letter.get_absolute_url())
    link.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(letter.subject)

    seat.refresh_from_db()
    assert (seat.end_reason, seat.withdrawal_letter_id) == ("withdrawn", letter.pk)


@TWO_LANGUAGES
def test_representative_withdraws_with_a_public_letter(
    page: Page, live_server: LiveServer, scenario: Scenario, language: str
) -> None:
    withdraw(page, live_server.url, language)


@NO_JS
def test_representative_withdraws_without_javascript(
    page: Page, live_server: LiveServer, scenario: Scenario
) -> None:
    withdraw(page, live_server.url, "es")


# ---------------------------------------------------------------- 2. minutes signed off

DISSENT = "The minutes leave out the civil-society proposal on open contracting."


def meeting_without_minutes() -> dict[str, Any]:
    """A held meeting of Mexico's forum without minutes, its secretariat, and one
    representative for a seat of each sector. Returns the seats by sector."""
    from tripartite.accounts.roles import Role
    from tripartite.accounts.tests.roles import grant
    from tripartite.core.actors import system_actor
    from tripartite.forums import services
    from tripartite.forums.models import Forum, Seat

    forum = Forum.objects.get(key="mx-tts")
    services.schedule_meeting(
        system_actor(),
        key="mx-tts-2016-10",
        forum=forum,
        title="Plenary session on the midterm review",
        date=D(2016, 10, 14),
        status="held",
    )
    grant(account("secretary"), Role.SECRETARIAT, forum)
    seats = {}
    for sector in ("government", "oversight_body", "civil_society"):
        seats[sector] = Seat.objects.filter(forum=forum, sector=sector).order_by("key").first()
        grant(account(f"rep-{sector}"), Role.SECTOR_REPRESENTATIVE, seats[sector])
    return seats


def sector_label(language: str, sector: str) -> str:
    from tripartite.forums.choices import Sector

    with translation.override(language):
        return str(Sector(sector).label)


def publish_and_sign_off(page: Page, base: str, language: str) -> None:
    seats = meeting_without_minutes()
    meeting = base + "/meeting/mx-tts-2016-10/"
    choose_language(page, base, language)

    sign_in(page, base, "secretary", language)
    page.goto(meeting + "minutes/new/")
    in_language(page, language)
    expect(page.get_by_role("heading", level=1)).to_have_text(
        t(
            language,
            "Publish the minutes of %(meeting)s",
            meeting="Plenary session on the midterm review",
        )
    )
    page.locator("#id_text").fill("The forum reviewed the plan at midterm.")
    submit(page)
    says(page, t(language, "The minutes are published."))
    sign_out(page, language)

    positions = {"government": "approve", "oversight_body": "approve", "civil_society": "dissent"}
    for sector, position in positions.items():
        sign_in(page, base, f"rep-{sector}", language)
        page.goto(meeting + "minutes/sign-off/")
        in_language(page, language)
        page.locator("#id_seat").select_option(str(seats[sector].pk))
        page.locator("#id_position").select_option(position)
        if position == "dissent":
            page.locator("#id_statement").fill(DISSENT)
        submit(page)
        says(
            page,
            t(
                language,
                "The %(sector)s sector signed off the minutes.",
                sector=sector_label(language, sector),
            ),
        )
        sign_out(page, language)

    page.goto(meeting)
    in_language(page, language)
    expect(page.get_by_role("heading", name=t(language, "Sign-off by sector"))).to_be_visible()
    for sector, position in (("government", "Approves"), ("oversight_body", "Approves")):
        expect(page.locator(f"#signoff-{sector}")).to_contain_text(t(language, position))
    dissent = page.locator("#signoff-civil_society")
    expect(dissent).to_contain_text(t(language, "Dissents"))
    expect(dissent.locator("blockquote")).to_have_text(DISSENT)
    expect(page.get_by_text(t(language, "Not yet signed off by:"))).to_have_count(0)


@TWO_LANGUAGES
def test_secretariat_publishes_minutes_and_each_sector_signs_off(
    page: Page, live_server: LiveServer, scenario: Scenario, language: str
) -> None:
    publish_and_sign_off(page, live_server.url, language)


@NO_JS
def test_minutes_are_signed_off_without_javascript(
    page: Page, live_server: LiveServer, scenario: Scenario
) -> None:
    publish_and_sign_off(page, live_server.url, "fr")


# ---------------------------------------------------------------- 3. co-creation input

INPUT_TITLE = "Datos abiertos del presupuesto"
INPUT_TEXT = "Publiquen el presupuesto ejecutado cada mes, en formatos abiertos."
RATIONALE = "The proposal becomes a commitment of the plan."


def send_input(page: Page, base: str, url: str, language: str) -> None:
    choose_language(page, base, language)
    page.goto(base + url)
    in_language(page, language)
    expect(page.locator("label[for=id_text]")).to_contain_text(t(language, "Your input"))
    page.locator("#id_title").fill(INPUT_TITLE)
    page.locator("#id_text").fill(INPUT_TEXT)
    expect(page.locator("#id_language")).to_have_value(language)  # the page's, proposed
    page.locator("#id_language").select_option("es")  # the citizen writes in Spanish
    page.get_by_role("button", name=t(language, "Send my input")).click()
    in_language(page, language)


def moderate_and_answer() -> Any:
    """What the moderator and the secretariat do between the citizen's two visits."""
    from django.utils import timezone

    from tripartite.core.actors import system_actor
    from tripartite.plans import services
    from tripartite.plans.models import Input

    item = Input.objects.get(title=INPUT_TITLE)
    published = services.moderate_input(system_actor(), item, decision="publish")
    assert published is not None
    services.respond_to_inputs(
        system_actor(),
        plan=published.plan,
        inputs=[published],
        decision="accepted",
        rationale=RATIONALE,
        published_on=timezone.localdate(),
    )
    return published


def citizen_reads_the_response(page: Page, base: str, scenario: Scenario, language: str) -> None:
    send_input(page, base, scenario.urls["co-creation-open"], language)
    from tripartite.plans.models import Input

    item = Input.objects.get(title=INPUT_TITLE)
    says(page, t(language, "Your input was received with the reference %(key)s.", key=item.key))
    assert item.language == "es"

    item = moderate_and_answer()

    page.goto(base + item.get_absolute_url())
    in_language(page, language)
    expect(page.locator("h1 span[lang=es]")).to_have_text(INPUT_TITLE)
    expect(page.locator(".statement[lang=es]").first).to_have_text(INPUT_TEXT)
    expect(page.get_by_role("heading", name=t(language, "Reasoned response"))).to_be_visible()
    expect(page.locator(".badge").first).to_have_text(t(language, "Accepted"))
    expect(page.get_by_text(RATIONALE)).to_be_visible()


@TWO_LANGUAGES
def test_citizen_sends_input_and_reads_the_reasoned_response(
    page: Page, live_server: LiveServer, scenario: Scenario, language: str
) -> None:
    citizen_reads_the_response(page, live_server.url, scenario, language)


@NO_JS
def test_citizen_input_and_response_without_javascript(
    page: Page, live_server: LiveServer, scenario: Scenario
) -> None:
    citizen_reads_the_response(page, live_server.url, scenario, "es")


# ---------------------------------------------------------------- 4. a concern case


def steering_committee_member() -> None:
    """An account holding Role.SC_MEMBER on one SC seat, and no other role."""
    from tripartite.accounts.roles import Role
    from tripartite.accounts.tests.roles import grant
    from tripartite.oversight.models import ScSeat

    grant(account("sc-member"), Role.SC_MEMBER, ScSeat.objects.order_by("key").first())


def open_case_with_task(page: Page, base: str, language: str) -> None:
    from tripartite.forums.models import Organization

    add_oversight_records()
    steering_committee_member()
    choose_language(page, base, language)
    sign_in(page, base, "sc-member", language)

    page.goto(base + "/cases/new/?member=mx")
    in_language(page, language)
    expect(page.get_by_role("heading", level=1)).to_have_text(t(language, "File a concern case"))
    expect(page.locator("label[for=id_concerns]")).to_contain_text(t(language, "Concerns raised"))
    page.locator("#id_title").fill(CASE_TITLE)
    page.locator("#id_concerns").fill("Spyware was used against members of the forum.")
    page.locator("#id_received_on").fill("2018-07-16")
    watch = Organization.objects.get(key="mx-watch")
    page.locator("#id_filer-1-organization").select_option(str(watch.pk))
    page.locator("#id_filer-1-category").select_option("involved_entity")
    submit(page)
    expect(page).to_have_url(CASE_PAGE)
    says(page, t(language, "The case “%(title)s” is open.", title=CASE_TITLE))

    page.goto(base + "/case/mx-2018/tasks/new/")
    in_language(page, language)
    expect(page.get_by_role("heading", level=1)).to_have_text(
        t(language, "Add a task to %(case)s", case=CASE_TITLE)
    )
    page.locator("#id_title").fill("Reach out to officials and civil society")
    page.locator("#id_owner").select_option(label="Ana Ruiz")
    page.locator("#id_due_on").fill("2018-08-01")
    submit(page)
    expect(page).to_have_url(CASE_PAGE)
    says(page, t(language, "Task %(number)s of the case is on the record.", number=1))
    assert_case_with_task()


@TWO_LANGUAGES
def test_sc_member_opens_a_case_and_records_an_outreach_task(
    page: Page, live_server: LiveServer, scenario: Scenario, language: str
) -> None:
    open_case_with_task(page, live_server.url, language)


@NO_JS
def test_sc_member_opens_a_case_without_javascript(
    page: Page, live_server: LiveServer, scenario: Scenario
) -> None:
    open_case_with_task(page, live_server.url, "es")


# ---------------------------------------------------------------- 5. a receipt


def download_receipt(page: Page, base: str, scenario: Scenario, language: str) -> None:
    from tripartite.core.models import RecordVersion
    from tripartite.forums.models import Letter
    from tripartite.ledger.proof import parse_receipt

    letter = Letter.objects.get(key="mx-2017-0012")
    choose_language(page, base, language)
    page.goto(base + scenario.urls["letter"])
    in_language(page, language)
    link = page.locator("p.log-status a[download]")
    expect(link).to_have_text(
        t(language, "Download the receipt of version %(version)s", version=letter.version)
    )
    with page.expect_download() as event:
        link.click()
    download = event.value
    assert download.suggested_filename == f"letter-mx-2017-0012-v{letter.version}.tlog-proof"
    receipt = parse_receipt(Path(download.path()).read_bytes())
    logged = RecordVersion.objects.get(
        record_type="letter", record_key="mx-2017-0012", version=letter.version
    )
    assert receipt.index == logged.log_entry.index

    # The same paragraph links the public log, which says how to check the receipt.
    page.locator("p.log-status a[href='/log']").click()
    in_language(page, language)
    expect(page.get_by_role("heading", level=1)).to_have_text(t(language, "The public log"))
    how = page.get_by_role("region", name=t(language, "How to check a record"))
    expect(how).to_contain_text(t(language, "Check the receipt with your own copy of Tripartite:"))
    expect(how.locator("code").filter(has_text="verify-receipt")).to_have_text(
        "tripartite verify-receipt FILE"
    )


@TWO_LANGUAGES
def test_visitor_downloads_a_receipt_and_learns_how_to_verify_it(
    page: Page, live_server: LiveServer, scenario: Scenario, language: str
) -> None:
    download_receipt(page, live_server.url, scenario, language)


@NO_JS
def test_receipt_without_javascript(
    page: Page, live_server: LiveServer, scenario: Scenario
) -> None:
    download_receipt(page, live_server.url, scenario, "fr")


# ---------------------------------------------------------------- 6. search and a feed

COMMITMENT = "Water metering and discharges"


def search_and_follow_the_feed(page: Page, base: str, language: str) -> None:
    choose_language(page, base, language)
    page.goto(base + "/search/")
    in_language(page, language)
    expect(page.get_by_role("heading", level=1)).to_have_text(t(language, "Search the record"))
    page.locator("#id_q").fill("water metering")
    page.get_by_role("button", name=t(language, "Search"), exact=True).click()
    expect(page.get_by_role("heading", name=t(language, "Results"), exact=True)).to_be_visible()
    page.get_by_role("link", name=COMMITMENT).click()

    in_language(page, language)
    expect(page.get_by_role("heading", level=1)).to_contain_text(COMMITMENT)
    feed_link = page.get_by_role(
        "link", name=t(language, "The progress reports of this commitment (Atom feed)")
    )
    expect(feed_link).to_have_attribute("type", "application/atom+xml")
    href = feed_link.get_attribute("href")
    assert href is not None

    response = page.request.get(base + href)  # with the context's cookies: its language
    assert response.ok
    assert response.headers["content-type"].startswith("application/atom+xml")
    feed = ET.fromstring(response.body())
    assert feed.tag == f"{ATOM}feed"
    assert feed.get(XML_LANG) == language
    titles = [entry.findtext(f"{ATOM}title", "") for entry in feed.iter(f"{ATOM}entry")]
    assert titles and all("XX0001" in title for title in titles), titles


@pytest.mark.parametrize("language", ["fr", "es"])
def test_journalist_searches_and_follows_a_commitments_feed(
    page: Page, live_server: LiveServer, scenario: Scenario, language: str
) -> None:
    search_and_follow_the_feed(page, live_server.url, language)


@NO_JS
def test_search_and_feed_without_javascript(
    page: Page, live_server: LiveServer, scenario: Scenario
) -> None:
    search_and_follow_the_feed(page, live_server.url, "fr")
