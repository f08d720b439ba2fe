"""Every page works with JavaScript off, and no page loads anything from another host.

These contexts keep the site's Content-Security-Policy enforced.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

import pytest
from playwright.sync_api import Page, expect

if TYPE_CHECKING:
    from pytest_django.live_server_helper import LiveServer

    from .conftest import Scenario, Watch


pytestmark = pytest.mark.e2e

NO_JS = pytest.mark.browser_context_args(java_script_enabled=False)

# Page type → its main heading and text the page must show.
PAGES: dict[str, tuple[str, list[str]]] = {
    "home": (
        "The public record of open-government forums",
        ["Mexico", "Tripartite Technical Secretariat", "Co-chairs' statement on Mexico"],
    ),
    "member": ("Mexico", ["Tripartite Technical Secretariat", "MX-2017-0012"]),
    "translation": (
        "Translation of letter/mx-2017-0012 (Spanish)",
        ["La sociedad civil deja el Secretariado", "Translated from version 1 of the original"],
    ),
    "changes": ("Changes awaiting joint approval", ["Awaiting approval", "proposed by"]),
    "change": (
        "",
        ["Awaiting approval", "Approval needed from", "A word was missing."],
    ),
    "roles": ("Who may edit the record", ["No editing role has been granted yet."]),
    "forum": (
        "Tripartite Technical Secretariat",
        [
            "Current composition",
            "The civil society sector holds no seat",
            "Membership timeline",
            "Civil society withdraws",
            "3 seats withdrew together",
            "Recorded in the public log",
            "Download the receipt of version 2",
        ],
    ),
    "seat": (
        "Ministry of Public Administration in the Tripartite Technical Secretariat",
        ["Government", "Ana Ruiz", "Current seat"],
    ),
    "meeting": (
        "Plenary session on the third action plan",
        [
            "Any other business",
            "Welcome by the chair.",
            "Excused",
            "Dissents",
            "The minutes omit our request",
            "Not yet signed off by:",
        ],
    ),
    "decision": (
        "Independent review of the commitments",
        [
            "No consensus",
            "The forum commissions an independent review",
            "Without a review the plan cannot be trusted.",
        ],
    ),
    "letters": (
        "Letters register",
        [
            "3 letters",
            "Civil society leaves the Tripartite Technical Secretariat",
            "Request for the forum's participation rules",
        ],
    ),
    "letters-filtered": (
        "Letters register",
        ["1 letter", "Civil society leaves the Tripartite Technical Secretariat"],
    ),
    "letter": (
        "Civil society leaves the Tripartite Technical Secretariat",
        [
            "3 signatories",
            "Article Nineteen",
            "Budget Watch",
            "Citizen Data Lab",
            "The co-chairs answer the civil-society letter",
        ],
    ),
    "statement": (
        "Co-chairs' statement on Mexico",
        ["OGP co-chairs", "take note of the withdrawal"],
    ),
    "organization": ("Article Nineteen", ["Seats in forums", "Letters signed", "Withdrawn"]),
    "person": ("Ana Ruiz", ["Director of Open Government", "Ministry of Public Administration"]),
    "history": (
        "History of forum/mx-tts",
        [
            "Version 2",
            "The description was completed.",
            "What changed",
            "+Its rules were never published.",
        ],
    ),
    "login": ("Sign in", ["Username or email", "Password", "Forgot your password?"]),
    "signup": ("Sign Up", ["Email", "Username", "Password"]),
    "password-reset": ("Password Reset", ["Email"]),
    "log": ("The public log", ["Latest checkpoint", "tripartite verify-receipt"]),
    "plans": ("Action plans", ["Action plan 3", "Action plan 5"]),
    "plan": (
        "Action plan 3",
        [
            "Timeline and deadlines",
            "Completion by commitment",
            "Commitments by theme",
            "Access to drinking water",
            "Each party's view",
            "Parties disagree",
            "Progress report 2016-2017",
        ],
    ),
    "plan-four-years": ("Action plan 5", ["Mid-term refresh due", "Beneficial ownership register"]),
    "commitment": (
        "XX0001: Water metering and discharges",
        [
            "Publish metering data",
            "Progress, as each party reports it",
            "Shadow report",
            "IRM assessments",
            "Open the water data",
        ],
    ),
    "milestone": ("Milestone 1: Publish metering data", ["Every report, by date"]),
    "progress": (
        "Progress report by Civil society (shadow report) on XX0001: Water metering and discharges",
        ["What the other parties report on the same work"],
    ),
    "irm-report": ("Progress report 2016-2017", ["Assessments of commitments", "Involve"]),
    "assessment": ("IRM assessment of XX0001: Water metering and discharges", ["Transformative"]),
    "co-creation-open": ("Co-creation of Action plan 5", ["Send your input"]),
    "co-creation-register": (
        "Co-creation of Action plan 3",
        [
            "Register of inputs and responses",
            "Input withheld by moderation",
            "Personal attacks on a named official.",
        ],
    ),
    "input": ("Open the water data", ["Ana Ruiz", "Reasoned response"]),
    "response": ("Reasoned response: Accepted", ["The inputs it answers"]),
    "policies": ("Rules that change over time", ["plan.delivery", "irm.starred"]),
    "policy": (
        "Two-year plans are delivered by 30 June of the plan's first year",
        ["Plans whose due date it set", "Action plan 3"],
    ),
    "oversight": (
        "Oversight by the Steering Committee",
        ["Members per status", "Standing of Mexico", "Surveillance of civil society in Mexico"],
    ),
    "standing": (
        "Standing of Mexico",
        ["Status history", "Under procedural review", "Compliance of Action plan 1", "Envoys"],
    ),
    "steering-committee": (
        "The Steering Committee",
        ["Parity of seats", "France", "Manish Bapna", "Lead co-chair", "Equal numbers"],
    ),
    "scseat": ("Steering Committee seat of France", ["Election", "Lead co-chair"]),
    "cochair": ("France, Lead co-chair", ["Government"]),
    "subcommittee": ("Criteria and Standards (C&S)", ["Manish Bapna", "France"]),
    "scmeeting": (
        "Steering Committee, working level",
        ["Background pack", "In advance", "Late note", "Overdue", "Envoys to Mexico"],
    ),
    "scmeetings": ("Steering Committee meetings", ["1 meeting", "Overdue"]),
    "resolution": ("Envoys to Mexico", ["The recorded vote", "Envoys' visit to Mexico"]),
    "resolutions": ("Resolutions", ["1 resolution", "Envoys to Mexico"]),
    "case": (
        "Surveillance of civil society in Mexico",
        ["Civic Watch", "Multilateral partner", "A confidential note was recorded", "Overdue"],
    ),
    "cases": ("Response Policy cases", ["1 case", "Eligibility review"]),
    "mission": ("Envoys' visit to Mexico", ["Envoy One", "Gather information"]),
    "contrary": ("Mexico acted contrary to process: Action plan late", ["Action plan 1"]),
    "review": ("Procedural review of Mexico", ["The findings that opened it", "Action plan 2"]),
    "statuschange": (
        "Mexico: from Active to Under procedural review",
        ["Contrary to process in 2 consecutive action-plan cycles"],
    ),
    "compliance": ("Compliance reading of Action plan 1", ["Stored findings of Action plan 1"]),
    "open-data": (
        "Open data",
        [
            "Data package (zip)",
            "Popolo JSON",
            "Decisions of every forum (Atom)",
            "Meetings calendar",
        ],
    ),
    "mirrors": ("Mirrored instances", ["mx.example.org/log", "https://mx.example.org"]),
    "mirror-source": (
        "Mirror of mx.example.org/log",
        ["Verified checkpoint", "letter/mx-2017-0012"],
    ),
    "mirror-record": (
        "letter/mx-2017-0012",
        ["Mirrored from mx.example.org/log", "verified at checkpoint", "We withdraw"],
    ),
    "unsubscribe": (
        "Unsubscribe",
        ["Stop the e-mails about this record?", "Tripartite Technical Secretariat"],
    ),
    "repository": (
        "Repository of Mexico",
        ["Outside any action plan", "Minutes of the plenary session of 15 April 2016"],
    ),
    "document": (
        "Minutes of the plenary session of 15 April 2016",
        ["Sealed", "The name of a person at risk.", "Download file 2", "Text extracted"],
    ),
    "search": ("Search the record", ["Every public record and the text of every document"]),
    "search-results": (
        "Search the record",
        ["result", "Refine the results", "Minutes of the plenary session of 15 April 2016"],
    ),
    "confidential": (
        "Write to the Steering Committee in confidence",
        ["What is not protected", "JavaScript is off", "Civil-society co-chair", "Seal and send"],
    ),
    "confidential-keys": (
        "Recipient keys of the confidential channel",
        ["Civil-society co-chair", "Steering Committee co-chair", "active"],
    ),
    "recipientkey": (
        "Recipient key of Civil-society co-chair",
        ["Fingerprint", "Active: every new message is sealed to it."],
    ),
    "sealed": (
        "Sealed submission",
        [
            "sealed/s-",
            "SHA-256 of the sealed text",
            "Civil-society co-chair",
            "Recorded in the public log",
        ],
    ),
}


@NO_JS
@pytest.mark.parametrize("page_type", list(PAGES))
def test_page_works_without_javascript(
    page: Page, live_server: LiveServer, scenario: Scenario, watch: Watch, page_type: str
) -> None:
    heading, texts = PAGES[page_type]
    traffic = watch(page)

    response = page.goto(live_server.url + scenario.urls[page_type])

    assert response is not None and response.status == 200
    if heading:
        expect(page.locator("h1")).to_have_text(heading)
    shown = " ".join(page.locator("main").inner_text().split())
    assert [text for text in texts if text not in shown] == []
    assert traffic.elsewhere(live_server.url) == []


@NO_JS
def test_letters_register_filters_without_javascript(
    page: Page, live_server: LiveServer, scenario: Scenario
) -> None:
    page.goto(live_server.url + scenario.urls["letters"])
    expect(page.get_by_role("status")).to_have_text("3 letters")

    page.get_by_label("Type", exact=True).select_option("withdrawal")
    page.get_by_label("Year", exact=True).fill("2017")
    page.get_by_role("button", name="Filter").click()

    expect(page).to_have_url(re.compile(r"/letters/\?.*type=withdrawal"))
    expect(page.get_by_role("status")).to_have_text("1 letter")
    rows = page.locator("main table tbody tr")
    expect(rows).to_have_count(1)
    expect(rows).to_contain_text(scenario.letter_subject)
    expect(page.get_by_label("Type", exact=True)).to_have_value("withdrawal")


@NO_JS
def test_language_switcher_works_without_javascript(
    page: Page, live_server: LiveServer, scenario: Scenario
) -> None:
    page.goto(live_server.url + scenario.urls["forum"])
    assert page.get_attribute("html", "lang") == "en"

    page.get_by_label("Language", exact=True).select_option("es")
    page.get_by_role("button", name="Change", exact=True).click()

    expect(page.locator("html")).to_have_attribute("lang", "es")
    expect(page).to_have_url(live_server.url + scenario.urls["forum"])
    expect(page.locator("h1")).to_have_text(scenario.forum_name)
    expect(page.locator("#language-select")).to_have_value("es")


def test_no_page_requests_another_host(
    page: Page, live_server: LiveServer, scenario: Scenario, watch: Watch
) -> None:
    """With JavaScript on (so scripts would be fetched too) and the CSP enforced."""
    traffic = watch(page)
    elsewhere = {}
    for page_type, path in scenario.urls.items():
        traffic.requests.clear()
        page.goto(live_server.url + path)  # returns once the page and its resources loaded
        if traffic.elsewhere(live_server.url):
            elsewhere[page_type] = traffic.elsewhere(live_server.url)

    assert elsewhere == {}
    assert traffic.requests, "the request listener saw nothing"
