"""Public pages of the Steering Committee's record and their JSON twins: what each shows,
flags that never rely on colour alone, and the confidential note that never appears."""

from __future__ import annotations

import datetime as dt
import html
import re
from typing import Any

import pytest
from django.test import Client

from tripartite.core.actors import system_actor
from tripartite.oversight import queries, services
from tripartite.oversight.models import CaseStep, ScMeeting, StatusChange
from tripartite.oversight.tests.factories import OversightWorld

D = dt.date
SECRET = "The filer asked that its staff not be named."


def page(client: Client, path: str, **params: Any) -> str:
    response = client.get(path, params)
    assert response.status_code == 200, response.content[:500]
    assert response["Content-Type"].startswith("text/html")
    return html.unescape(response.content.decode())


def visible(markup: str) -> str:
    """What a reader sees: the markup without its tags, whitespace collapsed."""
    markup = re.sub(r"<svg.*?</svg>", "", markup, flags=re.S)
    markup = re.sub(r"<head>.*?</head>", "", markup, flags=re.S)
    markup = re.sub(r"<(?:br|/(?:dt|dd|th|td|li|p|h\d|div|tr|caption))\b[^>]*>", " ", markup)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", markup)).strip()


def section(markup: str, heading_id: str) -> str:
    start = markup.index(f'aria-labelledby="{heading_id}"')
    return markup[start : markup.index("</section>", start)]


def status_change_key(world: OversightWorld) -> str:
    return StatusChange.objects.filter(member=world.other).values_list("key", flat=True)[0]


# ---------------------------------------------------------------- every page answers

PAGES = {
    "/oversight/": ["Oversight by the Steering Committee", "Standing of Exampleland"],
    "/member/xx/standing/": ["Standing of Exampleland", "Status history", "Action plan 1"],
    "/steering-committee/": ["The Steering Committee", "Seats per constituency"],
    "/scseat/yy-2015/": ["Steering Committee seat of Otherland", "Lead co-chair"],
    "/cochair/yy-lead-2016/": ["Otherland, Lead co-chair", "Oct. 1, 2016"],
    "/subcommittee/cs/": ["Criteria and Standards (C&S)", "Alice Ada"],
    "/scmeeting/sc-2017-06/": ["Steering Committee, working level", "Background pack"],
    "/scmeetings/": ["Steering Committee meetings", "1 meeting"],
    "/resolution/yy-inactive-2017/": ["Otherland is made inactive", "The recorded vote"],
    "/resolutions/": ["Resolutions", "2 resolutions", "Envoys to Exampleland"],
    "/case/xx-2017/": ["Civic space in Exampleland", "A new law restricts foreign funding"],
    "/cases/": ["Response Policy cases", "1 case", "Civic space in Exampleland"],
    "/mission/xx-2017-10/": ["Envoys' visit to Exampleland", "Gather information"],
    "/contrary/xx-1-late/": ["Exampleland acted contrary to process: Action plan late"],
    "/compliance/xx-1/": ["Compliance reading of Action plan 1", "Stored findings"],
}


@pytest.mark.parametrize("path", PAGES)
def test_page_answers_with_its_key_content(
    client: Client, world: OversightWorld, path: str
) -> None:
    shown = visible(page(client, path))
    assert [text for text in PAGES[path] if text not in shown] == []


def test_review_page_shows_the_findings_that_opened_it(
    client: Client, world: OversightWorld
) -> None:
    markup = page(client, world.review.get_absolute_url())
    assert "Procedural review of Exampleland" in visible(markup)
    assert "/contrary/xx-1-late/" in section(markup, "findings-heading")
    assert "/contrary/xx-2-late/" in section(markup, "findings-heading")


def test_status_change_page_links_the_resolution_behind_it(
    client: Client, world: OversightWorld
) -> None:
    markup = page(client, f"/statuschange/{status_change_key(world)}/")
    assert "Otherland: from Active to Inactive" in visible(markup)
    assert 'href="/resolution/yy-inactive-2017/"' in markup


RECORD_PAGES = [
    "/scseat/yy-2015/",
    "/cochair/yy-lead-2016/",
    "/subcommittee/cs/",
    "/scmeeting/sc-2017-06/",
    "/resolution/yy-inactive-2017/",
    "/case/xx-2017/",
    "/mission/xx-2017-10/",
    "/contrary/xx-1-late/",
    "/compliance/xx-1/",
    "/review/xx-2/",
    "/statuschange/yy-2017-06-28-inactive/",
]


@pytest.mark.parametrize("path", RECORD_PAGES)
def test_record_page_shows_version_history_and_log_entry(
    client: Client, world: OversightWorld, path: str
) -> None:
    markup = page(client, path)
    record_type, key = path.strip("/").split("/")
    assert f'href="/history/{record_type}/{key}/"' in markup
    assert "Recorded in the public log" in visible(markup)


@pytest.mark.parametrize("path", RECORD_PAGES)
def test_history_of_every_record_type_links_back_to_its_page(
    client: Client, world: OversightWorld, path: str
) -> None:
    record_type, key = path.strip("/").split("/")
    markup = page(client, f"/history/{record_type}/{key}/")
    assert f'href="{path}"' in markup


@pytest.mark.parametrize("path", ["/case/nope/", "/scseat/nope/", "/member/nope/standing/"])
def test_unknown_record_page_is_404(client: Client, world: OversightWorld, path: str) -> None:
    assert client.get(path).status_code == 404


def test_unknown_record_twin_is_problem_json(client: Client, world: OversightWorld) -> None:
    response = client.get("/case/nope.json")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/problem+json"


# ---------------------------------------------------------------- JSON twins and the API agree

TWINS = {
    "/member/xx/standing.json": "/api/v1/members/xx/standing",
    "/steering-committee.json?on=2017-01-01": "/api/v1/steering-committee?on=2017-01-01",
    "/scseat/yy-2015.json": "/api/v1/sc-seats/yy-2015",
    "/cochair/yy-lead-2016.json": "/api/v1/co-chairs/yy-lead-2016",
    "/subcommittee/cs.json": "/api/v1/subcommittees/cs",
    "/scmeeting/sc-2017-06.json": "/api/v1/sc-meetings/sc-2017-06",
    "/resolution/yy-inactive-2017.json": "/api/v1/resolutions/yy-inactive-2017",
    "/case/xx-2017.json": "/api/v1/cases/xx-2017",
    "/mission/xx-2017-10.json": "/api/v1/missions/xx-2017-10",
    "/contrary/xx-1-late.json": "/api/v1/contrary-findings/xx-1-late",
    "/compliance/xx-1.json": "/api/v1/compliance-readings/xx-1",
}


@pytest.mark.parametrize("twin", TWINS)
def test_json_twin_returns_what_the_api_returns(
    client: Client, world: OversightWorld, twin: str
) -> None:
    from_page, from_api = client.get(twin), client.get(TWINS[twin])
    assert (from_page.status_code, from_api.status_code) == (200, 200)
    assert from_page.json() == from_api.json()


def test_record_page_links_its_json_twin(client: Client, world: OversightWorld) -> None:
    assert 'href="/case/xx-2017.json"' in page(client, "/case/xx-2017/")


# ---------------------------------------------------------------- the confidential note


def test_confidential_note_is_kept_in_the_database(world: OversightWorld) -> None:
    """The premise of the next tests: the note exists, only not in public."""
    assert CaseStep.objects.filter(case=world.case, confidential_note=SECRET).exists()


@pytest.mark.parametrize(
    "path",
    ["/case/xx-2017/", "/case/xx-2017.json", "/api/v1/cases/xx-2017", "/history/case/xx-2017/"],
)
def test_confidential_note_never_appears_publicly(
    client: Client, world: OversightWorld, path: str
) -> None:
    response = client.get(path)
    assert response.status_code == 200
    assert SECRET not in html.unescape(response.content.decode())


def test_case_page_says_a_confidential_note_was_recorded_with_its_commitment(
    client: Client, world: OversightWorld
) -> None:
    commitment = CaseStep.objects.get(
        case=world.case, confidential_note=SECRET
    ).confidential_commitment
    shown = visible(page(client, "/case/xx-2017/"))
    assert f"A confidential note was recorded (commitment sha256:{commitment})." in shown


# ---------------------------------------------------------------- cases


def test_case_page_lists_filers_with_their_eligibility(
    client: Client, world: OversightWorld
) -> None:
    shown = visible(section(page(client, "/case/xx-2017/"), "filers-heading"))
    assert "Watchdog Entity involved in OGP and in the country" in shown
    assert "Devbank Multilateral partner" in shown


def test_case_timeline_says_when_no_deadline_is_published(
    client: Client, world: OversightWorld
) -> None:
    timeline = section(page(client, "/case/xx-2017/"), "timeline-heading")
    assert "No published deadline" in timeline
    assert 'href="/policy/case-acknowledge-2014/"' in timeline


def test_case_timeline_links_the_letter_of_concern(client: Client, world: OversightWorld) -> None:
    timeline = section(page(client, "/case/xx-2017/"), "timeline-heading")
    assert 'href="/letter/concern-1/"' in timeline


def test_overdue_outreach_task_is_flagged_in_words(client: Client, world: OversightWorld) -> None:
    tasks = visible(section(page(client, "/case/xx-2017/"), "tasks-heading"))
    assert "Carol" in tasks and "Open Overdue" in tasks


# ---------------------------------------------------------------- SC meetings and minutes


def test_overdue_minutes_are_flagged(client: Client, world: OversightWorld) -> None:
    minutes = visible(section(page(client, "/scmeeting/sc-2017-06/"), "minutes-heading"))
    assert "Due July 12, 2017" in minutes
    assert "State Overdue" in minutes


def test_minutes_due_date_links_its_policy_row(client: Client, world: OversightWorld) -> None:
    minutes = section(page(client, "/scmeeting/sc-2017-06/"), "minutes-heading")
    assert 'href="/policy/sc-minutes-2011/"' in minutes


def test_minutes_published_after_the_due_date_are_flagged_late(
    client: Client, world: OversightWorld
) -> None:
    meeting = ScMeeting.objects.get(pk=world.meeting.pk)
    services.publish_sc_minutes(
        system_actor(), meeting, published_on=D(2017, 8, 1), url="https://example.org/minutes"
    )
    minutes = visible(section(page(client, "/scmeeting/sc-2017-06/"), "minutes-heading"))
    assert "State Published late" in minutes


def test_minutes_state_rule(world: OversightWorld) -> None:
    meeting = ScMeeting(minutes_due_on=D(2017, 7, 12))
    assert queries.minutes_state(meeting, D(2017, 7, 12)) == "pending"
    assert queries.minutes_state(meeting, D(2017, 7, 13)) == "overdue"
    meeting.minutes_published_on = D(2017, 7, 12)
    assert queries.minutes_state(meeting, D(2030, 1, 1)) == "published"


def test_background_documents_are_marked_in_advance_or_late(
    client: Client, world: OversightWorld
) -> None:
    shown = visible(section(page(client, "/scmeeting/sc-2017-06/"), "background-heading"))
    assert "Background pack June 20, 2017 In advance" in shown
    assert "Late note June 28, 2017 Late" in shown


def test_agenda_links_the_member_and_the_case(client: Client, world: OversightWorld) -> None:
    agenda = section(page(client, "/scmeeting/sc-2017-06/"), "agenda-heading")
    assert 'href="/member/xx/"' in agenda and 'href="/case/xx-2017/"' in agenda


def test_hub_lists_meetings_with_overdue_minutes(client: Client, world: OversightWorld) -> None:
    shown = visible(section(page(client, "/oversight/"), "minutes-heading"))
    assert "Steering Committee, working level" in shown and "Overdue" in shown


# ---------------------------------------------------------------- resolutions


def test_resolution_page_shows_the_vote_as_a_table(client: Client, world: OversightWorld) -> None:
    votes = visible(section(page(client, "/resolution/yy-inactive-2017/"), "votes-heading"))
    assert "For 3 Against 0 Abstaining 1" in votes


def test_consensus_resolution_has_no_vote_table(client: Client, world: OversightWorld) -> None:
    assert 'id="votes-heading"' not in page(client, "/resolution/xx-envoys-2017/")


def test_resolution_page_lists_the_mission_it_mandated(
    client: Client, world: OversightWorld
) -> None:
    missions = section(page(client, "/resolution/xx-envoys-2017/"), "missions-heading")
    assert 'href="/mission/xx-2017-10/"' in missions


def test_resolution_page_lists_the_status_change_it_caused(
    client: Client, world: OversightWorld
) -> None:
    changes = visible(section(page(client, "/resolution/yy-inactive-2017/"), "changes-heading"))
    assert "Active → Inactive" in changes


def test_resolutions_list_filters_by_member(client: Client, world: OversightWorld) -> None:
    shown = visible(page(client, "/resolutions/", member="yy"))
    assert "1 resolution" in shown and "Envoys to Exampleland" not in shown


def test_list_twin_is_paginated_json(client: Client, world: OversightWorld) -> None:
    body = client.get("/cases.json").json()
    assert (body["count"], body["page"], [i["id"] for i in body["items"]]) == (
        1,
        1,
        ["case/xx-2017"],
    )


# ---------------------------------------------------------------- the Steering Committee


def test_committee_on_a_date_shows_the_seats_held_then(
    client: Client, world: OversightWorld
) -> None:
    shown = visible(section(page(client, "/steering-committee/", on="2017-01-01"), "seats-heading"))
    assert "Otherland" in shown and "Alice Ada" in shown
    assert "Term 1" in shown


def test_committee_before_the_terms_shows_vacancies(client: Client, world: OversightWorld) -> None:
    shown = visible(page(client, "/steering-committee/", on="2015-01-01"))
    assert "0 seats held" in shown and "2 vacant or not on the record" in shown


def test_committee_states_the_seat_count_from_its_policy_row(
    client: Client, world: OversightWorld
) -> None:
    markup = page(client, "/steering-committee/", on="2017-01-01")
    assert "Seats per constituency 2" in visible(markup)
    assert 'href="/policy/sc-size-test-2/"' in markup


def test_committee_states_parity_of_seats_from_the_rule(
    client: Client, world: OversightWorld
) -> None:
    shown = visible(page(client, "/steering-committee/", on="2017-01-01"))
    assert "Parity of seats The rule gives government and civil society 2 seats each." in shown
    assert "2 government and 2 civil-society seats." in shown
    assert "Unequal" not in shown


def test_committee_with_unequal_holders_says_so_without_denying_parity(
    client: Client, world: OversightWorld
) -> None:
    services.end_sc_seat(system_actor(), world.cs_seats[1], on=D(2016, 6, 1), reason="resigned")
    shown = visible(page(client, "/steering-committee/", on="2017-01-01"))
    assert "2 government and 1 civil-society seats. Unequal" in shown
    assert "1 vacant or not on the record" in shown


def test_committee_shows_the_co_chairs_on_the_date(client: Client, world: OversightWorld) -> None:
    on_date = visible(
        section(page(client, "/steering-committee/", on="2017-01-01"), "cochairs-heading")
    )
    assert "Otherland Government Lead co-chair" in on_date
    before = visible(
        section(page(client, "/steering-committee/", on="2016-01-01"), "cochairs-heading")
    )
    assert "No co-chair is recorded for this date." in before


def test_committee_flags_a_subcommittee_with_unequal_numbers(
    client: Client, world: OversightWorld
) -> None:
    services.end_sc_seat(system_actor(), world.cs_seats[0], on=D(2016, 6, 1), reason="resigned")
    shown = visible(
        section(page(client, "/steering-committee/", on="2017-01-01"), "subcommittees-heading")
    )
    assert "1 government and 0 civil-society members · Unequal numbers" in shown


def test_committee_form_works_without_javascript(client: Client, world: OversightWorld) -> None:
    markup = page(client, "/steering-committee/")
    assert '<form method="get"' in markup and 'name="on"' in markup


def test_committee_with_a_bad_date_is_400(client: Client, world: OversightWorld) -> None:
    assert client.get("/steering-committee/", {"on": "yesterday"}).status_code == 400
    twin = client.get("/steering-committee.json", {"on": "yesterday"})
    assert (twin.status_code, twin["Content-Type"]) == (400, "application/problem+json")


# ---------------------------------------------------------------- a member's standing


def test_standing_shows_the_status_history_with_its_basis(
    client: Client, world: OversightWorld
) -> None:
    markup = page(client, "/member/yy/standing/")
    history = section(markup, "history-heading")
    assert "Active → Inactive" in visible(history)
    assert 'href="/resolution/yy-inactive-2017/"' in history


def test_standing_shows_each_finding_status_in_words_and_shape(
    client: Client, world: OversightWorld
) -> None:
    compliance = section(page(client, "/member/xx/standing/"), "compliance-heading")
    dash = "\N{EN DASH}"
    light = f'<span class="light light-not-applicable" aria-hidden="true">{dash}</span>'
    assert f"{light}<strong>Not applicable</strong>" in compliance
    assert "<strong>Insufficient evidence</strong>" in compliance


def test_standing_marks_unverified_rules(client: Client, world: OversightWorld) -> None:
    compliance = visible(section(page(client, "/member/xx/standing/"), "compliance-heading"))
    assert "Unverified rule" in compliance


def test_standing_links_each_finding_to_its_policy_row(
    client: Client, world: OversightWorld
) -> None:
    compliance = section(page(client, "/member/xx/standing/"), "compliance-heading")
    assert 'href="/policy/' in compliance


def test_standing_links_the_stored_reading(client: Client, world: OversightWorld) -> None:
    compliance = section(page(client, "/member/xx/standing/"), "compliance-heading")
    assert 'href="/compliance/xx-1/"' in compliance


def test_standing_lists_findings_reviews_cases_and_missions(
    client: Client, world: OversightWorld
) -> None:
    markup = page(client, "/member/xx/standing/")
    assert 'href="/contrary/xx-2-late/"' in section(markup, "contrary-heading")
    assert f'href="{world.review.get_absolute_url()}"' in section(markup, "reviews-heading")
    assert 'href="/case/xx-2017/"' in section(markup, "open-cases-heading")
    assert "No case about the member is closed." in section(markup, "closed-cases-heading")
    assert 'href="/mission/xx-2017-10/"' in section(markup, "missions-heading")


def test_member_page_links_its_standing(client: Client, world: OversightWorld) -> None:
    assert 'href="/member/xx/standing/"' in page(client, "/member/xx/")


# ---------------------------------------------------------------- the hub


def test_hub_links_each_member_to_its_standing(client: Client, world: OversightWorld) -> None:
    members = section(page(client, "/oversight/"), "members-heading")
    for key in ("xx", "yy", "zz"):
        assert f'href="/member/{key}/standing/"' in members


def test_hub_shows_status_and_status_since(client: Client, world: OversightWorld) -> None:
    members = visible(section(page(client, "/oversight/"), "members-heading"))
    assert "Standing of Otherland Country Inactive June 28, 2017" in members


def test_hub_lists_open_cases_and_reviews(client: Client, world: OversightWorld) -> None:
    markup = page(client, "/oversight/")
    assert 'href="/case/xx-2017/"' in section(markup, "cases-heading")
    assert f'href="{world.review.get_absolute_url()}"' in section(markup, "reviews-heading")


def test_hub_lists_the_latest_resolutions(client: Client, world: OversightWorld) -> None:
    resolutions = section(page(client, "/oversight/"), "resolutions-heading")
    assert 'href="/resolution/yy-inactive-2017/"' in resolutions


def test_hub_announces_the_letters_feed(client: Client, world: OversightWorld) -> None:
    assert '<link rel="alternate" type="application/atom+xml" href="/letters/feed.atom"' in page(
        client, "/oversight/"
    )


def test_navigation_links_the_hub(client: Client, world: OversightWorld) -> None:
    assert '<a href="/oversight/">Oversight</a>' in page(client, "/plans/")


def test_hub_twin_has_the_members_and_status_counts(client: Client, world: OversightWorld) -> None:
    body = client.get("/oversight.json").json()
    counts = {row["status"]: row["count"] for row in body["status_counts"]}
    assert (counts["active"], counts["inactive"], counts["under_review"]) == (1, 1, 1)
    assert [m["id"] for m in body["members"]] == ["member/xx", "member/yy", "member/zz"]


def test_pages_in_spanish_translate_value_labels(client: Client, world: OversightWorld) -> None:
    client.cookies["django_language"] = "es"
    assert '<html lang="es">' in page(client, "/oversight/")
