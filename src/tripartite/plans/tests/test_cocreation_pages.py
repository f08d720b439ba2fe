"""The co-creation page, input and response pages, through HTTP: submitting input with and
without an account, what the register shows (and never shows), and the JSON twins.

Plan ``xx-5`` of the shared world is open for input; plan ``xx-3`` (implementing) is
closed and holds published, withheld and pending input, a response and traced commitments.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.utils import timezone

from tripartite.core.actors import system_actor
from tripartite.forums.tests.editing import assert_refused, page_text, versions
from tripartite.plans import services
from tripartite.plans.models import ActionPlan, Input
from tripartite.plans.tests.factories import PlanWorld, published_input

OPEN = "/plan/xx-5/co-creation/"
CLOSED = "/plan/xx-3/co-creation/"
CLOSED_MESSAGE = "This plan is not open for co-creation input."
SECRET_EMAIL = "private.person@example.org"


def submission(**changes: Any) -> dict[str, Any]:
    data = {
        "title": "Open the budget data",
        "text": "Publish the budget as open data, every month.",
        "language": "en",
        "submitter_name": "",
        "submitter_organization": "",
        "contact_email": "",
        "website": "",
    }
    data.update(changes)
    return {name: value for name, value in data.items() if value is not None}


def body(client: Client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return page_text(response)


def inputs_of_xx5() -> list[Input]:
    return list(Input.objects.filter(plan__key="xx-5"))


# ---------------------------------------------------------------- the window and the form


def test_open_plan_shows_the_window_and_the_form(client: Client, world: PlanWorld) -> None:
    text = body(client, OPEN)
    assert "Open: you can send input today." in text
    assert 'name="csrfmiddlewaretoken"' in text
    for name in ("title", "text", "language", "submitter_name", "contact_email"):
        assert f'name="{name}"' in text
    # Publishing the name is off unless ticked, and explained.
    checkbox = re.search(r'<input type="checkbox" name="publish_name"[^>]*>', text)
    assert checkbox is not None and "checked" not in checkbox.group(0)
    assert "never published" in text
    # The honeypot: hidden by a class (no inline style), out of the tab order, no autofill.
    trap = re.search(r'<div class="visually-hidden">.*?</div>\s*</div>', text, re.S)
    assert trap is not None and "Leave this field empty" in trap.group(0)
    field = re.search(r'<input type="text" name="website"[^>]*>', text)
    assert field is not None
    assert 'tabindex="-1"' in field.group(0) and 'autocomplete="off"' in field.group(0)
    assert "style=" not in text and "<script" not in text


def test_closed_plan_shows_a_clear_message_instead_of_the_form(
    client: Client, world: PlanWorld
) -> None:
    text = body(client, CLOSED)
    assert "Closed: no input is taken today." in text
    assert "This plan is not taking input" in text
    assert 'name="title"' not in text


def test_unknown_plan_is_404(client: Client, world: PlanWorld) -> None:
    assert client.get("/plan/nope/co-creation/").status_code == 404
    response = client.get("/plan/nope/co-creation.json")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/problem+json"


# ---------------------------------------------------------------- submitting


def test_anonymous_submission_waits_for_moderation(client: Client, world: PlanWorld) -> None:
    before = versions()
    response = client.post(OPEN, submission(contact_email=SECRET_EMAIL))
    assert response.status_code == 303
    assert response["Location"] == f"{OPEN}?sent=1#submitted"
    [item] = inputs_of_xx5()
    assert (item.moderation, item.version, item.account, item.contact_email) == (
        "pending",
        0,
        None,
        SECRET_EMAIL,
    )
    assert versions() == before  # private until moderated: nothing on the record or log
    thanks = body(client, response["Location"])
    assert "Thank you: your input was received." in thanks
    assert "awaits moderation" in thanks
    assert item.key in thanks  # the reference, in the confirmation message
    # The register does not show it.
    register = thanks.split('id="register-heading"', 1)[1]
    assert "Open the budget data" not in register


def test_signed_in_submission_is_tied_to_the_account(world: PlanWorld, public: Client) -> None:
    response = public.post(OPEN, submission())
    assert response.status_code == 303
    [item] = inputs_of_xx5()
    assert item.account == get_user_model().objects.get(username="reader")


def test_submission_to_a_closed_plan_is_refused_with_409(client: Client, world: PlanWorld) -> None:
    before = (versions(), Input.objects.count())
    response = client.post(CLOSED, submission())
    assert_refused(response, 409, CLOSED_MESSAGE, before[0])
    assert Input.objects.count() == before[1]
    # An incomplete form to a closed plan is refused for the same reason.
    response = client.post(CLOSED, submission(title=""))
    assert_refused(response, 409, CLOSED_MESSAGE, before[0])
    assert Input.objects.count() == before[1]


def test_plan_opening_later_is_closed_with_its_date(client: Client, world: PlanWorld) -> None:
    # A fresh row: the shared world's objects must not change (the database is rolled back
    # after each test, the objects in memory are not).
    services.update_record(
        system_actor(),
        ActionPlan.objects.get(key="xx-5"),
        changes={"co_creation_opens_on": timezone.localdate() + dt.timedelta(days=10)},
    )
    text = body(client, OPEN)
    assert "Co-creation has not opened yet" in text
    response = client.post(OPEN, submission())
    assert_refused(response, 409, CLOSED_MESSAGE, versions())
    assert inputs_of_xx5() == []


def test_honeypot_refuses_the_submission(client: Client, world: PlanWorld) -> None:
    before = versions()
    response = client.post(OPEN, submission(website="http://spam.example"))
    assert_refused(response, 422, "catches automated spam", before)
    assert inputs_of_xx5() == []


def test_missing_text_is_refused_on_the_field(client: Client, world: PlanWorld) -> None:
    before = versions()
    response = client.post(OPEN, submission(text=""))
    assert_refused(response, 422, "Your input: This field is required.", before)
    text = page_text(response)
    assert 'aria-invalid="true"' in text and "id_text_error" in text
    assert inputs_of_xx5() == []


def test_publishing_a_name_needs_the_name(client: Client, world: PlanWorld) -> None:
    before = versions()
    response = client.post(OPEN, submission(publish_name="on"))
    assert_refused(response, 422, "To publish your name, give it.", before)
    assert "id_submitter_name_error" in page_text(response)
    assert inputs_of_xx5() == []


def test_bad_email_is_refused(client: Client, world: PlanWorld) -> None:
    response = client.post(OPEN, submission(contact_email="not an address"))
    assert_refused(response, 422, "E-mail for the response", versions())
    assert inputs_of_xx5() == []


def test_the_form_needs_its_csrf_token(world: PlanWorld) -> None:
    client = Client(enforce_csrf_checks=True)
    assert client.post(OPEN, submission()).status_code == 403
    assert inputs_of_xx5() == []


def test_the_json_twin_takes_no_post(client: Client, world: PlanWorld) -> None:
    response = client.post("/plan/xx-5/co-creation.json", submission())
    assert response.status_code == 405
    assert inputs_of_xx5() == []


# ---------------------------------------------------------------- consent and private data


def public_outputs(client: Client, item: Input) -> dict[str, str]:
    """Every public place an input shows up."""
    plan = item.plan.key
    urls = [
        f"/plan/{plan}/co-creation/",
        f"/plan/{plan}/co-creation.json",
        f"/input/{item.key}/",
        f"/input/{item.key}.json",
        f"/api/v1/inputs?plan={plan}",
        f"/api/v1/inputs/{item.key}",
        f"/api/v1/responses?plan={plan}",
        f"/records/input/{item.key}/v1.json",
        f"/history/input/{item.key}/",
    ]
    return {url: body(client, url) for url in urls}


def test_name_without_consent_and_email_are_never_published(
    client: Client, world: PlanWorld
) -> None:
    citizen = get_user_model().objects.create_user("citizen-account", password=None)
    item = services.submit_input(
        citizen,
        plan=world.next_plan,
        title="Protect journalists",
        text="A protection mechanism with civil society in its board.",
        submitter_name="Hidden Name",
        submitter_organization="Press Freedom Network",
        publish_name=False,
        contact_email=SECRET_EMAIL,
    )
    published = services.moderate_input(system_actor(), item, decision="publish")
    assert published is not None
    services.respond_to_inputs(
        system_actor(),
        plan=world.next_plan,
        inputs=[published],
        decision="partially",
        rationale="The board will include civil society.",
        published_on=timezone.localdate(),
    )
    for url, text in public_outputs(client, item).items():
        assert "Protect journalists" in text, url
        assert "Hidden Name" not in text, url
        assert SECRET_EMAIL not in text, url
        assert "citizen-account" not in text, url
    assert "Press Freedom Network" in body(client, f"/input/{item.key}/")
    assert "Name not published" in body(client, f"/input/{item.key}/")


def test_consented_name_is_published(client: Client, world: PlanWorld) -> None:
    consented, kept = world.inputs
    register = body(client, CLOSED)
    assert "Ana Ruiz" in register
    assert "Kept Private" not in register
    assert client.get(f"/input/{consented.key}.json").json()["submitter"] == "Ana Ruiz"
    assert client.get(f"/input/{kept.key}.json").json()["submitter"] == ""
    assert "Kept Private" not in body(client, f"/input/{kept.key}/")


def test_pending_input_does_not_exist_publicly(client: Client, world: PlanWorld) -> None:
    pending = world.pending
    assert client.get(f"/input/{pending.key}/").status_code == 404
    response = client.get(f"/input/{pending.key}.json")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/problem+json"
    assert client.get(f"/history/input/{pending.key}/").status_code == 404
    assert client.get(f"/records/input/{pending.key}/v1.json").status_code == 404
    for url in (CLOSED, "/plan/xx-3/co-creation.json"):
        text = body(client, url)
        assert "Awaiting a moderator" not in text
        assert pending.key not in text
        assert "a@example.org" not in text


def test_withheld_input_shows_the_reason_never_the_words(client: Client, world: PlanWorld) -> None:
    withheld = world.withheld
    for url in (CLOSED, f"/input/{withheld.key}/"):
        text = body(client, url)
        assert "Withheld by moderation." in text
        assert "Personal attacks on a named official." in text
        assert "Abusive text" not in text
        assert "Please publish the data behind this." not in text.split(withheld.key)[-1][:400]
    data = client.get(f"/input/{withheld.key}.json").json()
    assert (data["moderation"], data["title"], data["text"]) == ("withheld", "", "")
    assert data["moderation_reason"] == "Personal attacks on a named official."
    assert data["waiting_days"] is None  # withheld input is not waiting for a response


# ---------------------------------------------------------------- the register


def test_register_shows_responses_and_what_still_waits(client: Client, world: PlanWorld) -> None:
    text = body(client, CLOSED)
    assert text.count("Both proposals became commitments XX0001 and XX0002.") == 2
    assert "Accepted" in text
    assert "No response yet — waiting 0 days" in text
    summary = re.sub(r"\s+", " ", text.split('class="balance"', 1)[1].split("</ul>", 1)[0])
    assert "3</span> published inputs" in summary
    assert "2</span> with a response" in summary
    assert "1</span> without a response" in summary
    assert "1</span> withheld by moderation" in summary
    assert world.unanswered.key in summary  # the oldest unanswered input, linked


def test_register_json_twin(client: Client, world: PlanWorld) -> None:
    data = client.get("/plan/xx-3/co-creation.json").json()
    assert data["summary"] == {
        "published": 3,
        "withheld": 1,
        "answered": 2,
        "unanswered": 1,
        "oldest_unanswered_days": 0,
        "oldest_unanswered": {
            "id": world.unanswered.public_id,
            "label": "Publish procurement contracts",
            "url": f"/input/{world.unanswered.key}/",
        },
    }
    assert data["window"]["open"] is False
    assert [item["id"] for item in data["items"]] == [
        world.inputs[0].public_id,
        world.inputs[1].public_id,
        world.unanswered.public_id,
        world.withheld.public_id,
    ]
    assert "contact_email" not in str(data) and "account" not in data["items"][0]


@pytest.mark.parametrize(
    ("show", "expected"),
    [("answered", ["inputs0", "inputs1"]), ("unanswered", ["unanswered"])],
)
def test_register_filter(client: Client, world: PlanWorld, show: str, expected: list[str]) -> None:
    keys = {
        "inputs0": world.inputs[0].public_id,
        "inputs1": world.inputs[1].public_id,
        "unanswered": world.unanswered.public_id,
    }
    data = client.get(f"/plan/xx-3/co-creation.json?show={show}").json()
    assert [item["id"] for item in data["items"]] == [keys[name] for name in expected]
    assert data["summary"]["published"] == 3  # the summary covers the whole register
    text = body(client, f"{CLOSED}?show={show}")
    for name, public_id in keys.items():
        assert (f'id="{public_id.split("/")[1]}"' in text) == (name in expected)


def test_invalid_filter_is_a_400(client: Client, world: PlanWorld) -> None:
    assert client.get(f"{CLOSED}?show=everything").status_code == 400
    response = client.get("/plan/xx-3/co-creation.json?show=everything")
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"


def test_waiting_days_are_counted_from_the_day_received(client: Client, world: PlanWorld) -> None:
    received = timezone.now() - dt.timedelta(days=12)
    item = services.submit_input(
        system_actor(),
        plan=world.next_plan,
        title="Letter received at the ministry",
        text="Transcribed by the secretariat.",
        channel="offline",
        received_at=received,
    )
    services.moderate_input(system_actor(), item, decision="publish")
    published_input(world.next_plan, "Sent today")
    text = body(client, OPEN)
    assert "No response yet — waiting 12 days" in text
    assert "No response yet — waiting 0 days" in text
    data = client.get("/plan/xx-5/co-creation.json").json()
    assert data["summary"]["oldest_unanswered_days"] == 12
    assert data["summary"]["oldest_unanswered"]["id"] == item.public_id
    assert [i["waiting_days"] for i in data["items"]] == [12, 0]


def test_register_is_paginated_by_25(client: Client, world: PlanWorld) -> None:
    for n in range(27):
        published_input(world.next_plan, f"Idea number {n:02d}")
    first = client.get("/plan/xx-5/co-creation.json").json()
    second = client.get("/plan/xx-5/co-creation.json?page=2").json()
    assert (first["count"], first["pages"], len(first["items"]), len(second["items"])) == (
        27,
        2,
        25,
        2,
    )
    text = body(client, OPEN)
    assert "Page 1 of 2" in text and "page=2" in text
    assert "Idea number 26" in body(client, f"{OPEN}?page=2")


# ---------------------------------------------------------------- input and response pages


def test_input_page_traces_responses_and_commitments(client: Client, world: PlanWorld) -> None:
    text = body(client, f"/input/{world.inputs[0].key}/")
    assert "Open the water data" in text
    assert 'lang="es"' in text
    assert "Both proposals became commitments" in text
    assert 'href="/commitment/XX0001/"' in text
    assert f"/history/input/{world.inputs[0].key}/" in text
    data = client.get(f"/input/{world.inputs[0].key}.json").json()
    assert [c["id"] for c in data["commitments"]] == ["commitment/XX0001"]
    assert [r["id"] for r in data["responses"]] == [world.response.public_id]


def test_response_page_lists_its_inputs_and_their_commitments(
    client: Client, world: PlanWorld
) -> None:
    text = body(client, f"/response/{world.response.key}/")
    assert "Reasoned response: Accepted" in text
    assert "Both proposals became commitments XX0001 and XX0002." in text
    for item in world.inputs:
        assert f'href="/input/{item.key}/"' in text
    assert 'href="/commitment/XX0001/"' in text and 'href="/commitment/XX0002/"' in text
    data = client.get(f"/response/{world.response.key}.json").json()
    assert data["decision"] == "accepted"
    assert [i["id"] for i in data["inputs"]] == [i.public_id for i in world.inputs]
    assert [c["id"] for c in data["commitments"]] == ["commitment/XX0001", "commitment/XX0002"]
    assert client.get("/response/nope/").status_code == 404


def test_staff_see_links_to_respond(world: PlanWorld, staff: Client) -> None:
    text = body(staff, CLOSED)
    assert f"/plan/xx-3/responses/new/?input={world.unanswered.key}" in text
    assert "/staff/moderation/" in text
    assert "Moderation queue (1 input waiting)" in text


def test_visitors_see_no_staff_links(client: Client, world: PlanWorld) -> None:
    text = body(client, CLOSED)
    assert "/responses/new/" not in text and "/staff/moderation/" not in text
