"""Staff pages of co-creation through HTTP: the moderation queue, reasoned responses and
tracing inputs to a commitment. Who may open them, what they write, what they refuse."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from tripartite.core.models import RecordVersion
from tripartite.forums.tests.editing import assert_refused, page_text, versions, versions_of
from tripartite.plans.models import Commitment, Input, ReasonedResponse
from tripartite.plans.tests.factories import PlanWorld, public_input, published_input

QUEUE = "/staff/moderation/"
RESPOND = "/plan/xx-3/responses/new/"
LINK = "/commitment/XX0002/inputs/"
PAGES = (QUEUE, RESPOND, LINK)


def fresh(item: Input) -> Input | None:
    return Input.objects.filter(pk=item.pk).first()


def decide(item: Input, decision: str, reason: str = "") -> dict[str, Any]:
    return {"input": item.key, f"{item.key}-decision": decision, f"{item.key}-reason": reason}


# ---------------------------------------------------------------- who may open the pages


@pytest.mark.parametrize("url", PAGES)
def test_anonymous_users_are_sent_to_sign_in(client: Client, world: PlanWorld, url: str) -> None:
    for response in (client.get(url), client.post(url, {})):
        assert response.status_code == 302
        assert response["Location"].startswith(f"/accounts/login/?next={url}")


@pytest.mark.parametrize("url", PAGES)
def test_signed_in_non_staff_get_403(world: PlanWorld, public: Client, url: str) -> None:
    before = versions()
    assert public.get(url).status_code == 403
    assert public.post(url, {"input": world.pending.key}).status_code == 403
    assert versions() == before
    assert fresh(world.pending) is not None


@pytest.mark.parametrize("url", PAGES)
def test_staff_pages_need_the_csrf_token(world: PlanWorld, staff: Client, url: str) -> None:
    staff.handler.enforce_csrf_checks = True  # type: ignore[attr-defined]
    before = versions()
    assert staff.post(url, decide(world.pending, "publish")).status_code == 403
    assert versions() == before


# ---------------------------------------------------------------- the moderation queue


def test_queue_lists_pending_input_of_every_plan_oldest_first(
    world: PlanWorld, staff: Client
) -> None:
    later = public_input(world.next_plan, "A later idea", text="Words only staff read yet.")
    response = staff.get(QUEUE)
    assert response.status_code == 200
    text = page_text(response)
    assert text.index(world.pending.key) < text.index(later.key)
    assert "Words only staff read yet." in text  # the full text, for the moderator
    assert "a@example.org" not in text  # the e-mail is not needed to moderate
    assert "Given (never published)" in text
    assert world.inputs[0].key not in text  # already published
    assert "2 inputs wait for moderation." in text
    # Each decision is a radio group in a fieldset with a legend.
    assert f'<input type="radio" name="{later.key}-decision" value="withhold"' in text
    assert "<legend>Decision" in text


def test_publishing_puts_the_input_on_the_record(
    client: Client, world: PlanWorld, staff: Client
) -> None:
    before = versions()
    response = staff.post(QUEUE, decide(world.pending, "publish"))
    assert response.status_code == 303 and response["Location"] == QUEUE
    item = fresh(world.pending)
    assert item is not None and (item.moderation, item.version) == ("published", 1)
    assert versions() == before + 1
    assert "is published" in page_text(staff.get(QUEUE))
    public = page_text(client.get("/plan/xx-3/co-creation/"))
    assert "Awaiting a moderator" in public
    assert "a@example.org" not in public
    assert client.get(f"/input/{item.key}/").status_code == 200


def test_withholding_needs_a_reason_and_keeps_it(world: PlanWorld, staff: Client) -> None:
    before = versions()
    response = staff.post(QUEUE, decide(world.pending, "withhold"))
    assert_refused(response, 422, "Give the reason to withhold or discard this input.", before)
    assert f"id_{world.pending.key}-reason_error" in page_text(response)
    assert fresh(world.pending).moderation == "pending"  # type: ignore[union-attr]

    response = staff.post(QUEUE, decide(world.pending, "withhold", "Names a private person."))
    assert response.status_code == 303
    item = fresh(world.pending)
    assert item is not None
    assert (item.moderation, item.moderation_reason) == ("withheld", "Names a private person.")
    assert versions_of(item)[-1].content["text"] == ""


def test_discarding_spam_deletes_it(world: PlanWorld, staff: Client) -> None:
    before = versions()
    response = staff.post(QUEUE, decide(world.pending, "discard", "Advertising."))
    assert response.status_code == 303
    assert fresh(world.pending) is None
    assert versions() == before


def test_input_moderated_already_is_refused_with_409(world: PlanWorld, staff: Client) -> None:
    before = versions()
    response = staff.post(QUEUE, decide(world.inputs[0], "withhold", "Too late."))
    assert_refused(response, 409, "has already been moderated", before)


def test_missing_decision_and_unknown_input(world: PlanWorld, staff: Client) -> None:
    before = versions()
    response = staff.post(QUEUE, {"input": world.pending.key})
    assert_refused(response, 422, f"{world.pending.key}: Decision: This field is required.", before)
    assert (
        staff.post(QUEUE, decide(world.pending, "publish") | {"input": "nope"}).status_code == 404
    )


# ---------------------------------------------------------------- reasoned responses


def respond_data(*inputs: Input, **changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "inputs": [item.key for item in inputs],
        "decision": "partially",
        "rationale": "The procurement data joins commitment XX0001's portal.",
        "published_on": timezone.localdate().isoformat(),
        "language": "en",
    }
    data.update(changes)
    return data


def test_respond_form_lists_unanswered_input_first(world: PlanWorld, staff: Client) -> None:
    text = page_text(staff.get(f"{RESPOND}?input={world.unanswered.key}"))
    assert text.index(world.unanswered.key) < text.index(world.inputs[0].key)
    assert "(no response yet, waiting 0 days)" in text and "(already answered)" in text
    assert world.pending.key not in text and world.withheld.key not in text
    # ?input= ticks the input.
    box = text.split(f'value="{world.unanswered.key}"', 1)[1].split(">", 1)[0]
    assert "checked" in box
    assert "<legend>Inputs this response answers" in text


def test_response_is_published_and_shown_in_the_register(
    client: Client, world: PlanWorld, staff: Client
) -> None:
    before = versions()
    response = staff.post(RESPOND, respond_data(world.unanswered))
    assert response.status_code == 303
    created = ReasonedResponse.objects.get(inputs=world.unanswered)
    assert response["Location"] == f"/response/{created.key}/"
    assert versions() == before + 1
    register = client.get("/plan/xx-3/co-creation.json").json()
    assert register["summary"]["unanswered"] == 0
    item = next(i for i in register["items"] if i["id"] == world.unanswered.public_id)
    assert item["answered"] is True and item["waiting_days"] is None
    assert [r["decision"] for r in item["responses"]] == ["partially"]
    text = page_text(client.get("/plan/xx-3/co-creation/"))
    assert "Partially accepted" in text
    assert "The procurement data joins commitment XX0001's portal." in text


@pytest.mark.parametrize(
    ("changes", "status", "message"),
    [
        ({"inputs": []}, 422, "Tick at least one input."),
        ({"rationale": ""}, 422, "Rationale: This field is required."),
        ({"decision": "maybe"}, 422, "Select a valid choice."),
        ({"published_on": "2001-01-01"}, 422, "cannot be dated before the input it answers"),
    ],
)
def test_bad_response_is_refused_and_writes_nothing(
    world: PlanWorld, staff: Client, changes: dict[str, Any], status: int, message: str
) -> None:
    before = versions()
    response = staff.post(RESPOND, respond_data(world.unanswered, **changes))
    assert_refused(response, status, message, before)
    assert not ReasonedResponse.objects.filter(inputs=world.unanswered).exists()


def test_pending_or_withheld_input_cannot_be_answered(world: PlanWorld, staff: Client) -> None:
    before = versions()
    for item in (world.pending, world.withheld):
        response = staff.post(RESPOND, respond_data(item))
        assert_refused(response, 422, "Select a valid choice.", before)


def test_plan_without_published_input_shows_a_notice(world: PlanWorld, staff: Client) -> None:
    text = page_text(staff.get("/plan/xx-5/responses/new/"))
    assert "This plan has no published input to respond to yet." in text
    assert 'name="rationale"' not in text


# ---------------------------------------------------------------- traceability


def test_inputs_are_traced_to_a_commitment_both_ways(
    client: Client, world: PlanWorld, staff: Client
) -> None:
    page = page_text(staff.get(LINK))
    assert (
        world.inputs[1].key in page.split('<form method="post" class="stack"', 1)[0]
    )  # already traced, listed above
    before = versions()
    response = staff.post(LINK, {"inputs": [world.unanswered.key], "reason": "Merged."})
    assert response.status_code == 303 and response["Location"] == "/commitment/XX0002/"
    assert versions() == before + 1
    commitment = Commitment.objects.get(key="XX0002")
    assert set(commitment.inputs.values_list("key", flat=True)) == {
        world.inputs[1].key,
        world.unanswered.key,
    }
    # input → commitment
    assert 'href="/commitment/XX0002/"' in page_text(client.get(f"/input/{world.unanswered.key}/"))
    # commitment → inputs
    listed = client.get("/api/v1/inputs", {"commitment": "XX0002"}).json()
    assert [i["id"] for i in listed["items"]] == [
        world.inputs[1].public_id,
        world.unanswered.public_id,
    ]
    latest = RecordVersion.objects.filter(record_type="commitment", record_key="XX0002").last()
    assert latest is not None and latest.reason == "Merged."


def test_linking_refuses_what_is_not_offered(world: PlanWorld, staff: Client) -> None:
    other = published_input(world.next_plan, "For the next plan")
    before = versions()
    for keys in ([], [other.key], [world.inputs[1].key], [world.pending.key]):
        response = staff.post(LINK, {"inputs": keys})
        assert response.status_code == 422
        assert versions() == before


def test_commitment_with_every_input_linked_shows_a_notice(world: PlanWorld, staff: Client) -> None:
    url = "/commitment/XX0010/inputs/"  # a commitment of xx-5, which has no published input
    text = page_text(staff.get(url))
    assert "No other published input of this plan can be linked" in text
    assert staff.get("/commitment/nope/inputs/").status_code == 404
