"""Staff pages of the Steering Committee's record, exercised through HTTP like a browser
without JavaScript: concern cases (filing, steps with a confidential note, outreach tasks),
resolutions, member status, SC meetings, seats and co-chairs, envoy missions, procedural
review, and a new version or retraction of any oversight record. Every refused request
must write nothing: each such test counts RecordVersion rows.

The record pages are built separately: the tests check the redirect's Location (the
record's page, or its history page while its type has none) and never follow it.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Iterator
from types import SimpleNamespace
from typing import Any

import pytest
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.test import Client
from django.urls import reverse

from tripartite.accounts.tests.roles import approve_all, change_at
from tripartite.core.models import PublicRecord
from tripartite.forums.tests.editing import (
    assert_refused,
    fresh,
    page_text,
    user,
    versions,
    versions_of,
)
from tripartite.forums.tests.read_world import kept_for_module
from tripartite.oversight.edit_views import EDITABLE_MODELS, RETRACTABLE_MODELS, url_of
from tripartite.oversight.models import (
    CoChair,
    ConcernCase,
    ContraryFinding,
    EnvoyMission,
    Resolution,
    ScMeeting,
    ScSeat,
    StatusChange,
    Subcommittee,
)
from tripartite.oversight.tests.factories import OversightWorld, oversight_world
from tripartite.plans.tests.editing import section

pytestmark = pytest.mark.django_db
D = dt.date


@pytest.fixture(scope="module")
def module_world(django_db_setup: None, django_db_blocker: Any) -> Iterator[OversightWorld]:
    yield from kept_for_module(django_db_blocker, oversight_world)


@pytest.fixture
def world(module_world: OversightWorld, db: None) -> OversightWorld:
    return module_world


@pytest.fixture
def staff(client: Client) -> Client:
    client.force_login(user("editor", staff=True))
    return client


@pytest.fixture
def public(client: Client) -> Client:
    client.force_login(user("reader", staff=False))
    return client


def url(name: str, **kwargs: Any) -> str:
    return reverse(name, kwargs=kwargs or None)


def edit_url(name: str, record: PublicRecord) -> str:
    return reverse(name, kwargs={"record_type": record.RECORD_TYPE, "key": record.key})


def assert_saved(response: HttpResponse, record: PublicRecord, op: str = "create") -> None:
    """303 to the record's page, and the record's latest version by the editor."""
    assert response.status_code == 303, page_text(response)[:3000]
    assert response["Location"] == url_of(record)
    latest = versions_of(record)[-1]
    assert latest.op == op
    assert latest.actor is not None and latest.actor.username == "editor"


def field_errors(response: HttpResponse, name: str) -> list[str]:
    return [str(error) for error in response.context["form"].errors.get(name, [])]


# ---------------------------------------------------------------- who may edit

PAGES: dict[str, Callable[[OversightWorld], str]] = {
    "file case": lambda w: url("case-file"),
    "advance case": lambda w: url("case-advance", key=w.case.key),
    "add task": lambda w: url("case-add-task", key=w.case.key),
    "close task": lambda w: url("case-close-task", key=w.case.key, number=1),
    "attach to case": lambda w: url("case-attach", key=w.case.key),
    "record resolution": lambda w: url("resolution-record") + f"?meeting={w.meeting.key}",
    "change status": lambda w: url("member-change-status", key=w.other.key),
    "schedule meeting": lambda w: url("scmeeting-schedule"),
    "set agenda": lambda w: url("scmeeting-agenda", key=w.meeting.key),
    "publish minutes": lambda w: url("scmeeting-publish-minutes", key=w.meeting.key),
    "background document": lambda w: url("scmeeting-add-document", key=w.meeting.key),
    "add seat": lambda w: url("scseat-add"),
    "end seat": lambda w: url("scseat-end", key=w.gov_seats[1].key),
    "appoint co-chair": lambda w: url("cochair-appoint") + f"?seat={w.gov_seats[0].key}",
    "create subcommittee": lambda w: url("subcommittee-create"),
    "set subcommittee members": lambda w: url("subcommittee-members", key=w.subcommittee.key),
    "record mission": lambda w: url("mission-record") + f"?resolution={w.consensus.key}",
    "report mission": lambda w: url("mission-report", key=w.mission.key),
    "contrary finding": lambda w: url("contrary-record"),
    "advance review": lambda w: url("review-advance", key=w.review.key),
    "new version": lambda w: edit_url("record-new-version", w.resolution),
    "retract": lambda w: edit_url("record-retract", w.case),
}


@pytest.mark.parametrize("page", PAGES)
def test_anonymous_users_are_sent_to_login(
    client: Client, world: OversightWorld, page: str
) -> None:
    target = PAGES[page](world)
    before = versions()
    for response in (client.get(target), client.post(target, {"reason": "x", "to": "x"})):
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login") + "?next=")
    assert versions() == before


@pytest.mark.parametrize("page", PAGES)
def test_signed_in_non_staff_get_a_403_page(
    public: Client, world: OversightWorld, page: str
) -> None:
    target = PAGES[page](world)
    before = versions()
    for response in (public.get(target), public.post(target, {"reason": "x", "to": "x"})):
        assert response.status_code == 403
        assert "<h1>You cannot edit the record</h1>" in page_text(response)
    assert versions() == before


@pytest.mark.parametrize("page", PAGES)
def test_staff_see_every_form_with_labelled_fields_and_a_csrf_token(
    staff: Client, world: OversightWorld, page: str
) -> None:
    response = staff.get(PAGES[page](world))
    assert response.status_code == 200
    text = page_text(response)
    assert 'name="csrfmiddlewaretoken"' in text
    assert '<form method="post" class="stack">' in text
    form = response.context["form"]
    for bound in form.visible_fields():
        if bound.field.widget.use_fieldset:
            assert "<legend>" + str(bound.label) in text, bound.name
        else:
            assert f'<label for="{bound.id_for_label}">' in text, bound.name


def test_a_post_without_csrf_token_is_refused(world: OversightWorld) -> None:
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(user("editor", staff=True))
    before = versions()
    response = browser.post(PAGES["retract"](world), {"reason": "Forged"})
    assert response.status_code == 403
    assert versions() == before
    assert fresh(world.case).retracted_at is None


def test_other_methods_are_not_allowed(staff: Client, world: OversightWorld) -> None:
    assert staff.put(PAGES["advance case"](world)).status_code == 405
    assert staff.delete(PAGES["retract"](world)).status_code == 405


def test_unknown_records_are_404(staff: Client, world: OversightWorld) -> None:
    assert staff.get(url("case-advance", key="nowhere")).status_code == 404
    assert staff.get(url("case-close-task", key=world.case.key, number=9)).status_code == 404
    assert staff.get(url("member-change-status", key="nowhere")).status_code == 404
    for name, models in (
        ("record-new-version", EDITABLE_MODELS),
        ("record-retract", RETRACTABLE_MODELS),
    ):
        for record_type in models:
            response = staff.get(
                reverse(name, kwargs={"record_type": record_type, "key": "nowhere"})
            )
            assert response.status_code == 404, (name, record_type)


# ---------------------------------------------------------------- filing a case

CASE = {
    "track": "response_policy",
    "title": "Surveillance of civil society",
    "concerns": "Spyware was used against members of the forum.",
    "received_on": "2018-07-16",
    "source_url": "https://example.org/case",
}


def case_data(world: OversightWorld, **extra: Any) -> dict[str, Any]:
    return {**CASE, "member": world.member.pk, "letter": world.letter.pk, **extra}


def test_file_a_case_with_eligible_filers(staff: Client, world: OversightWorld) -> None:
    response = staff.post(
        url("case-file"),
        case_data(
            world,
            **{
                "filer-1-organization": world.filer.pk,
                "filer-1-category": "involved_entity",
                "filer-2-organization": world.multilateral.pk,
                "filer-2-category": "multilateral_partner",
            },
        ),
    )
    case = ConcernCase.objects.get(key="xx-2018")
    assert_saved(response, case)
    assert case.state == "received" and case.received_on == D(2018, 7, 16)
    assert case.letter == world.letter
    content = case.to_record()
    assert content["filers"] == [
        {"organization": world.filer.public_id, "category": "involved_entity"},
        {"organization": world.multilateral.public_id, "category": "multilateral_partner"},
    ]
    assert versions_of(case)[0].content == content


def test_the_case_form_pre_fills_the_member(staff: Client, world: OversightWorld) -> None:
    response = staff.get(url("case-file") + f"?member={world.member.key}")
    assert response.context["form"]["member"].value() == world.member.pk
    text = page_text(response)
    assert "<legend>Filer 1</legend>" in text and "<legend>Filer 5</legend>" in text
    assert '<label for="id_filed_by_person">Filed by a person</label>' in text


def test_a_case_filed_by_a_person_is_refused_with_the_response_policy_reason(
    staff: Client, world: OversightWorld
) -> None:
    before = versions()
    response = staff.post(
        url("case-file"),
        case_data(
            world,
            filed_by_person=world.envoy.pk,
            **{"filer-1-organization": world.filer.pk, "filer-1-category": "involved_entity"},
        ),
    )
    reason = "An individual acting on his or her own behalf cannot file a concern"
    assert_refused(response, 422, reason, before)
    errors = field_errors(response, "filed_by_person")
    assert len(errors) == 1 and reason in errors[0] and errors[0].startswith("Carol: ")
    assert not ConcernCase.objects.filter(title=CASE["title"]).exists()


def test_an_ineligible_organisation_is_refused_on_its_row(
    staff: Client, world: OversightWorld
) -> None:
    before = versions()
    response = staff.post(
        url("case-file"),
        case_data(
            world,
            **{
                "filer-1-organization": world.filer.pk,
                "filer-1-category": "involved_entity",
                "filer-2-organization": world.filer.pk + 1000,
                "filer-2-category": "involved_entity",
                "filer-3-organization": world.multilateral.pk,
                "filer-3-category": "involved_entity",
            },
        ),
    )
    assert response.status_code == 422  # an unknown organisation: the form refuses it
    assert field_errors(response, "filer-2-organization")
    response = staff.post(
        url("case-file"),
        case_data(
            world,
            **{
                "filer-1-organization": world.filer.pk,
                "filer-1-category": "involved_entity",
                "filer-3-organization": world.multilateral.pk,
                "filer-3-category": "involved_entity",
            },
        ),
    )
    message = "An entity files as involved in OGP only about the country"
    assert_refused(response, 422, message, before)
    assert message in field_errors(response, "filer-3-organization")[0]
    assert "Filer 3: Organisation: Devbank:" in page_text(response)


def test_a_case_needs_an_eligible_filer(staff: Client, world: OversightWorld) -> None:
    before = versions()
    response = staff.post(url("case-file"), case_data(world))
    message = "A case is filed by at least one eligible organisation."
    assert_refused(response, 422, message, before)
    assert field_errors(response, "filer-1-organization") == [message]


def test_the_form_refuses_a_filer_listed_twice_or_without_category(
    staff: Client, world: OversightWorld
) -> None:
    before = versions()
    response = staff.post(
        url("case-file"),
        case_data(
            world,
            **{
                "filer-1-organization": world.filer.pk,
                "filer-1-category": "involved_entity",
                "filer-2-organization": world.filer.pk,
                "filer-2-category": "involved_entity",
                "filer-4-organization": world.multilateral.pk,
            },
        ),
    )
    assert response.status_code == 422
    assert field_errors(response, "filer-2-organization") == [
        "This organisation is already listed as a filer."
    ]
    assert field_errors(response, "filer-4-category") == [
        "Choose the category under which it files."
    ]
    assert versions() == before


# ---------------------------------------------------------------- steps of a case


def test_the_step_form_offers_only_the_next_states(staff: Client, world: OversightWorld) -> None:
    response = staff.get(url("case-advance", key=world.case.key))  # in eligibility review
    select = section(page_text(response), 'name="to"', "</select>")
    for state in ("eligible", "ineligible", "member_withdrew"):
        assert f'value="{state}"' in select, state
    for state in ("received", "acknowledged", "merits_review", "resolved", "stage2"):
        assert f'value="{state}"' not in select, state
    text = page_text(response)
    assert "Confidential note (kept out of the public record)" in text


def test_a_step_with_a_confidential_note_keeps_the_note_out_of_the_record(
    staff: Client, world: OversightWorld
) -> None:
    secret = "The minister's adviser confirmed the spyware purchase off the record."
    response = staff.post(
        url("case-advance", key=world.case.key),
        {
            "to": "eligible",
            "on": "2017-04-01",
            "by": "su",
            "document": "Eligibility finding",
            "document_url": "https://example.org/eligible",
            "note": "The concern is eligible.",
            "confidential_note": secret,
        },
    )
    case = fresh(world.case)
    assert_saved(response, case, op="update")
    assert case.state == "eligible" and case.state_since == D(2017, 4, 1)
    step = case.steps.order_by("-id").first()
    assert step.confidential_note == secret
    assert step.note == "The concern is eligible." and step.actor_body == "su"
    content = case.to_record()
    published = json.dumps(content) + json.dumps(versions_of(case)[-1].content)
    assert secret not in published and "spyware purchase" not in published
    assert content["steps"][-1]["confidential_commitment"] == step.confidential_commitment
    assert len(step.confidential_commitment) == 64


def test_a_forbidden_step_shows_the_rules_reason(staff: Client, world: OversightWorld) -> None:
    before = versions()
    response = staff.post(
        url("case-advance", key=world.case.key),
        {"to": "resolved", "on": "2017-04-01", "by": "cs"},
    )
    message = "A case cannot go from Eligibility review to Resolved"
    assert_refused(response, 422, message, before)
    assert message in field_errors(response, "to")[0]
    assert fresh(world.case).state == "eligibility_review"


def test_a_step_by_the_wrong_body_shows_the_rules_reason(
    staff: Client, world: OversightWorld
) -> None:
    before = versions()
    response = staff.post(
        url("case-advance", key=world.case.key),
        {"to": "eligible", "on": "2017-04-01", "by": "sc"},
    )
    assert_refused(
        response, 422, "Eligible is a step for Support Unit, not for Steering Committee", before
    )


def test_a_step_dated_before_the_current_state_is_refused(
    staff: Client, world: OversightWorld
) -> None:
    before = versions()
    response = staff.post(
        url("case-advance", key=world.case.key),
        {"to": "eligible", "on": "2017-01-01", "by": "su"},
    )
    assert_refused(response, 422, "a later step cannot be dated earlier", before)
    assert field_errors(response, "on")


# ---------------------------------------------------------------- outreach tasks


def test_add_and_close_an_outreach_task(staff: Client, world: OversightWorld) -> None:
    response = staff.post(
        url("case-add-task", key=world.case.key),
        {"title": "Meet the filers", "owner": world.envoy.pk, "due_on": "2017-07-01"},
    )
    case = fresh(world.case)
    assert_saved(response, case, op="update")
    task = case.tasks.get(number=2)
    assert task.title == "Meet the filers" and task.owner == world.envoy
    assert case.to_record()["tasks"][1]["title"] == "Meet the filers"

    response = staff.post(
        url("case-close-task", key=world.case.key, number=2),
        {"status": "done", "on": "2017-06-30", "outcome": "Met in Mexico City."},
    )
    assert_saved(response, case, op="update")
    task.refresh_from_db()
    assert (task.status, task.done_on, task.outcome) == (
        "done",
        D(2017, 6, 30),
        "Met in Mexico City.",
    )
    notice = page_text(staff.get(url("case-close-task", key=world.case.key, number=2)))
    assert "This task is already done." in notice


def test_a_task_due_before_the_case_is_refused(staff: Client, world: OversightWorld) -> None:
    before = versions()
    response = staff.post(
        url("case-add-task", key=world.case.key),
        {"title": "Too early", "owner": world.envoy.pk, "due_on": "2016-01-01"},
    )
    assert_refused(response, 422, "A task cannot be due before the case was received.", before)
    assert field_errors(response, "due_on")


def test_link_letters_to_a_case(staff: Client, world: OversightWorld) -> None:
    from tripartite.forums.tests import factories as forum_factories

    answer = forum_factories.letter("answer-1", member=world.member, subject="The answer")
    response = staff.post(url("case-attach", key=world.case.key), {"letters": [answer.pk]})
    case = fresh(world.case)
    assert_saved(response, case, op="update")
    assert case.to_record()["letters"] == [answer.public_id]


# ---------------------------------------------------------------- resolutions


RESOLUTION = {
    "body": "sc",
    "title": "Exampleland stays under review",
    "text": "The SC asks Exampleland to deliver its plan.",
    "outcome": "adopted",
    "adopted_on": "2017-06-27",
}


def test_record_a_resolution_by_vote(staff: Client, world: OversightWorld) -> None:
    response = staff.post(
        url("resolution-record"),
        {
            **RESOLUTION,
            "meeting": world.meeting.pk,
            "member": world.member.pk,
            "case": world.case.pk,
            "method": "vote",
            "votes_for": "3",
            "votes_against": "1",
            "abstentions": "0",
            "effective_on": "2017-07-01",
        },
    )
    resolution = Resolution.objects.get(title=RESOLUTION["title"])
    assert_saved(response, resolution)
    assert resolution.key == "xx-2017-06-27"
    assert resolution.to_record()["votes"] == {"for": 3, "against": 1, "abstain": 0}
    assert resolution.case == world.case and resolution.meeting == world.meeting


def test_a_vote_larger_than_the_committee_is_refused(staff: Client, world: OversightWorld) -> None:
    before = versions()
    response = staff.post(
        url("resolution-record"),
        {
            **RESOLUTION,
            "method": "vote",
            "votes_for": "3",
            "votes_against": "1",
            "abstentions": "1",
        },
    )
    message = "5 votes were recorded but the body had 4 seats that day."
    assert_refused(response, 422, message, before)
    assert field_errors(response, "votes_for") == [message]


def test_a_consensus_has_no_vote_count(staff: Client, world: OversightWorld) -> None:
    before = versions()
    response = staff.post(
        url("resolution-record"), {**RESOLUTION, "method": "consensus", "votes_for": "3"}
    )
    assert response.status_code == 422
    assert field_errors(response, "votes_for") == ["A decision by consensus has no vote count."]
    assert versions() == before


def test_a_resolution_form_pre_fills_its_meeting(staff: Client, world: OversightWorld) -> None:
    form = staff.get(PAGES["record resolution"](world)).context["form"]
    assert form["meeting"].value() == world.meeting.pk
    assert form["adopted_on"].value() == world.meeting.ends_on


# ---------------------------------------------------------------- member status


def test_change_a_members_status(staff: Client, world: OversightWorld) -> None:
    response = staff.post(
        url("member-change-status", key=world.other.key),
        {
            "to": "active",
            "on": "2018-07-01",
            "reason": "The SC returned Otherland to active status.",
            "resolution": world.resolution.pk,
        },
    )
    change = StatusChange.objects.get(member=world.other, to_status="active")
    assert_saved(response, change)
    assert fresh(world.other).status == "active"
    assert versions_of(world.other)[-1].op == "update"


def test_a_status_without_its_decision_is_refused(staff: Client, world: OversightWorld) -> None:
    response = staff.get(url("member-change-status", key=world.member.key))
    select = section(page_text(response), 'name="to"', "</select>")
    assert 'value="inactive"' in select and 'value="suspended"' not in select
    before = versions()
    response = staff.post(
        url("member-change-status", key=world.member.key),
        {"to": "inactive", "on": "2018-01-01", "reason": "Not rectified."},
    )
    message = "Only a Steering Committee resolution can make a member Inactive."
    assert_refused(response, 422, message, before)
    assert field_errors(response, "to") == [message]


# ---------------------------------------------------------------- SC meetings


def test_schedule_a_meeting_with_its_agenda(staff: Client, world: OversightWorld) -> None:
    response = staff.post(
        url("scmeeting-schedule"),
        {
            "title": "Steering Committee, ministerial level",
            "body": "sc",
            "level": "ministerial",
            "starts_on": "2017-09-20",
            "place": "New York",
            "mode": "in_person",
            "agenda": "Opening\n\nResponse Policy cases\n",
        },
    )
    meeting = ScMeeting.objects.get(key="sc-2017-09-20")
    assert_saved(response, meeting)
    assert meeting.ends_on == D(2017, 9, 20)
    assert [item["title"] for item in meeting.to_record()["agenda"]] == [
        "Opening",
        "Response Policy cases",
    ]


def test_a_meeting_ending_before_it_starts_is_refused(staff: Client, world: OversightWorld) -> None:
    response = staff.post(
        url("scmeeting-schedule"),
        {
            "title": "Backwards",
            "body": "sc",
            "level": "working",
            "starts_on": "2017-09-20",
            "ends_on": "2017-09-19",
            "mode": "remote",
        },
    )
    assert response.status_code == 422
    assert field_errors(response, "ends_on") == ["A meeting cannot end before it starts."]


def test_set_the_agenda_keeps_the_links_of_kept_items(staff: Client, world: OversightWorld) -> None:
    response = staff.post(
        url("scmeeting-agenda", key=world.meeting.key),
        {"agenda": "Exampleland: civic space\nCo-chairs' report"},
    )
    meeting = fresh(world.meeting)
    assert_saved(response, meeting, op="update")
    agenda = meeting.to_record()["agenda"]
    assert agenda[0]["case"] == world.case.public_id
    assert agenda[1] == {"position": 2, "title": "Co-chairs' report", "member": None, "case": None}


def test_publish_the_minutes_and_a_background_document(
    staff: Client, world: OversightWorld
) -> None:
    before = versions()
    response = staff.post(
        url("scmeeting-publish-minutes", key=world.meeting.key), {"published_on": "2017-07-20"}
    )
    assert_refused(response, 422, "Minutes need a text or the address", before)
    assert field_errors(response, "url")

    response = staff.post(
        url("scmeeting-publish-minutes", key=world.meeting.key),
        {"published_on": "2017-07-20", "url": "https://example.org/minutes"},
    )
    meeting = fresh(world.meeting)
    assert_saved(response, meeting, op="update")
    assert meeting.minutes_published_on == D(2017, 7, 20)
    assert "were published on" in page_text(
        staff.get(url("scmeeting-publish-minutes", key=world.meeting.key))
    )

    response = staff.post(
        url("scmeeting-add-document", key=world.meeting.key),
        {"title": "Agenda notes", "published_on": "2017-06-01"},
    )
    assert_saved(response, meeting, op="update")
    assert fresh(world.meeting).to_record()["background"][0]["title"] == "Agenda notes"


# ---------------------------------------------------------------- seats and co-chairs


def test_record_a_seat_and_appoint_a_co_chair(staff: Client, world: OversightWorld) -> None:
    response = staff.post(
        url("scseat-add"),
        {
            "constituency": "civil_society",
            "person": world.envoy.pk,
            "organization": world.filer.pk,
            "term_start": "2018-10-01",
            "selection": "selection_committee",
            "region": "Americas",
        },
    )
    seat = ScSeat.objects.get(key="carol-2018")
    assert_saved(response, seat)
    assert seat.term_end == D(2021, 9, 30)

    response = staff.post(
        url("cochair-appoint"), {"seat": seat.pk, "role": "incoming", "starts_on": "2019-10-01"}
    )
    co_chair = CoChair.objects.get(key="carol-incoming-2019")
    assert_saved(response, co_chair)
    assert co_chair.ends_on == D(2020, 9, 30)


def test_record_a_subcommittee_and_its_members(staff: Client, world: OversightWorld) -> None:
    response = staff.post(
        url("subcommittee-create"),
        {"code": "TLS", "name": "Thematic Leadership", "remit": "Themes."},
    )
    subcommittee = Subcommittee.objects.get(key="tls")
    assert_saved(response, subcommittee)
    seats = [world.gov_seats[1].pk, world.cs_seats[1].pk]
    response = staff.post(
        url("subcommittee-members", key="tls"),
        {"on": "2016-01-01", "seats": seats, "co_chairs": [world.cs_seats[1].pk]},
    )
    assert_saved(response, subcommittee, op="update")
    assert subcommittee.memberships.filter(co_chair=True).count() == 1


def test_unequal_subcommittee_members_show_the_rule(staff: Client, world: OversightWorld) -> None:
    before = versions()
    response = staff.post(
        url("subcommittee-members", key=world.subcommittee.key),
        {"on": "2016-06-01", "seats": [world.gov_seats[0].pk, world.gov_seats[1].pk]},
    )
    assert_refused(response, 422, "equal number of government and civil-society", before)


def test_a_term_on_the_wrong_day_shows_the_rule(staff: Client, world: OversightWorld) -> None:
    before = versions()
    response = staff.post(
        url("scseat-add"),
        {
            "constituency": "civil_society",
            "person": world.envoy.pk,
            "term_start": "2018-09-01",
            "selection": "selection_committee",
        },
    )
    assert_refused(response, 422, "A Steering Committee term starts on", before)
    assert field_errors(response, "term_start")


def test_a_co_chair_year_starts_on_1_october(staff: Client, world: OversightWorld) -> None:
    before = versions()
    response = staff.post(
        url("cochair-appoint"),
        {"seat": world.gov_seats[0].pk, "role": "lead", "starts_on": "2017-09-01"},
    )
    assert_refused(response, 422, "A co-chair year starts on 1 October.", before)
    assert field_errors(response, "starts_on")


def test_end_a_seat_early(staff: Client, world: OversightWorld) -> None:
    seat = world.gov_seats[1]
    response = staff.post(
        url("scseat-end", key=seat.key), {"on": "2018-01-31", "reason": "resigned"}
    )
    assert_saved(response, fresh(seat), op="update")
    assert fresh(seat).ended_on == D(2018, 1, 31)


# ---------------------------------------------------------------- envoy missions


def test_record_and_report_a_mission(staff: Client, world: OversightWorld) -> None:
    form = staff.get(PAGES["record mission"](world)).context["form"]
    assert form["member"].value() == world.member.pk
    response = staff.post(
        url("mission-record"),
        {
            "member": world.member.pk,
            "title": "Second visit",
            "mandate": "Follow up on the recommendations.",
            "envoys": [world.envoy.pk],
            "staff": [],
            "resolution": world.consensus.pk,
            "case": world.case.pk,
            "starts_on": "2018-03-01",
            "ends_on": "2018-03-02",
            "place": "Example City",
        },
    )
    mission = EnvoyMission.objects.get(key="xx-2018-03")
    assert_saved(response, mission)
    assert mission.to_record()["envoys"] == [world.envoy.public_id]

    response = staff.post(
        url("mission-report", key=mission.key),
        {"reported_on": "2018-03-20", "report": "The envoys met the government."},
    )
    assert_saved(response, fresh(mission), op="update")
    assert fresh(mission).reported_on == D(2018, 3, 20)


def test_a_mission_needs_an_envoy(staff: Client, world: OversightWorld) -> None:
    response = staff.post(
        url("mission-record"),
        {"member": world.member.pk, "title": "Nobody", "mandate": "Go."},
    )
    assert response.status_code == 422
    assert field_errors(response, "envoys")


# ---------------------------------------------------------------- procedural review


def test_record_a_contrary_finding(staff: Client, world: OversightWorld) -> None:
    plan = world.findings[0].plan
    response = staff.post(
        url("contrary-record"),
        {
            "plan": plan.pk,
            "trigger": "no_repository",
            "source": "irm_report",
            "found_on": "2014-03-01",
            "explanation": "No online repository was kept.",
        },
    )
    finding = ContraryFinding.objects.get(key=f"{plan.key}-no_repository")
    assert_saved(response, finding)
    assert finding.member == world.member


def test_advance_a_review_and_refuse_a_forbidden_step(staff: Client, world: OversightWorld) -> None:
    target = url("review-advance", key=world.review.key)
    before = versions()
    response = staff.post(target, {"to": "closed", "on": "2015-02-01", "by": "cs"})
    assert_refused(response, 422, "A procedural review cannot go from Open to Closed.", before)

    response = staff.post(
        target, {"to": "support_plan", "on": "2015-02-01", "by": "cs", "note": "Support agreed."}
    )
    review = fresh(world.review)
    assert_saved(response, review, op="update")
    assert review.state == "support_plan"


# ---------------------------------------------------------------- any record


def test_publish_a_new_version_of_a_resolution(staff: Client, world: OversightWorld) -> None:
    target = edit_url("record-new-version", world.consensus)
    form = staff.get(target).context["form"]
    data = {bound.html_name: bound.value() or "" for bound in form}
    data.update(title="Two envoys to Exampleland", reason="The title was incomplete.")
    response = staff.post(target, data)
    resolution = fresh(world.consensus)
    assert_saved(response, resolution, op="update")
    assert resolution.title == "Two envoys to Exampleland"
    assert versions_of(resolution)[-1].reason == "The title was incomplete."


def test_a_version_that_changes_nothing_is_refused(staff: Client, world: OversightWorld) -> None:
    target = edit_url("record-new-version", world.mission)
    form = staff.get(target).context["form"]
    data = {bound.html_name: bound.value() or "" for bound in form}
    data["reason"] = "No change."
    before = versions()
    assert_refused(staff.post(target, data), 422, "Nothing changed", before)


def test_retract_a_case(staff: Client, world: OversightWorld) -> None:
    response = staff.post(edit_url("record-retract", world.case), {"reason": "Filed twice."})
    # The international record: both Steering Committee constituencies approve.
    change = change_at(response["Location"])
    assert change.forum is None and change.required == ["government", "civil_society"]
    assert approve_all(change).state == "applied"
    case = fresh(world.case)
    assert versions_of(case)[-1].op == "retract"
    assert case.retraction_reason == "Filed twice."
    text = page_text(staff.get(url("case-advance", key=case.key)))
    assert "has been retracted" in text and '<form method="post" class="stack">' not in text
    before = versions()
    response = staff.post(url("case-add-task", key=case.key), {"title": "x"})
    assert response.status_code in (409, 422)
    assert versions() == before


def test_every_editable_and_retractable_type_has_its_pages() -> None:
    assert set(EDITABLE_MODELS) == {
        "scseat",
        "cochair",
        "subcommittee",
        "scmeeting",
        "resolution",
        "statuschange",
        "mission",
    }
    assert set(RETRACTABLE_MODELS) == set(EDITABLE_MODELS) | {"case", "contrary", "review"}


def records_of(world: OversightWorld) -> list[PublicRecord]:
    return [
        world.gov_seats[0],
        world.lead_gov,
        world.subcommittee,
        world.meeting,
        world.resolution,
        StatusChange.objects.filter(member=world.other).first(),  # type: ignore[list-item]
        world.case,
        world.mission,
        world.findings[0],
        world.review,
    ]


def test_every_record_type_has_its_version_and_retraction_pages(
    staff: Client, world: OversightWorld
) -> None:
    for record in records_of(world):
        pages = [edit_url("record-retract", record)]
        if record.RECORD_TYPE in EDITABLE_MODELS:
            pages.append(edit_url("record-new-version", record))
        for target in pages:
            response = staff.get(target)
            assert response.status_code == 200, target
            assert '<form method="post" class="stack">' in page_text(response), target
            back = section(page_text(response), '<nav aria-label="Breadcrumb">', "</nav>")
            assert f'href="{url_of(record)}"' in back, target


def test_the_staff_links_of_the_public_pages(world: OversightWorld) -> None:
    editor = SimpleNamespace(is_staff=True)
    reader = SimpleNamespace(is_staff=False)

    def links(record: Any, who: Any = editor) -> str:
        return render_to_string("oversight/edit/_actions.html", {"record": record, "user": who})

    case = SimpleNamespace(
        id=world.case.public_id,
        retracted=False,
        tasks=[SimpleNamespace(number=1, status="open"), SimpleNamespace(number=2, status="done")],
    )
    text = links(case)
    assert url("case-advance", key=world.case.key) in text
    assert url("case-close-task", key=world.case.key, number=1) in text
    assert url("case-close-task", key=world.case.key, number=2) not in text
    assert edit_url("record-retract", world.case) in text
    assert "new-version" not in text
    meeting = SimpleNamespace(
        id=world.meeting.public_id, retracted=False, minutes_published_on=None
    )
    text = links(meeting)
    assert url("scmeeting-publish-minutes", key=world.meeting.key) in text
    assert edit_url("record-new-version", world.meeting) in text
    assert links(case, reader).strip() == ""
    assert "/retract/" not in links(SimpleNamespace(id=world.case.public_id, retracted=True))
    assert url("case-file") in links(None)
