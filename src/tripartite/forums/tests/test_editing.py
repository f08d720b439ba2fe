"""Staff editing pages, exercised through HTTP like a browser without JavaScript.

Fixture data is built by ``factories`` (and, for the record types it has no builder
for, by the helpers below, which call the same services). Every bad input must get
a clear 4xx page and write nothing: each such test counts RecordVersion rows.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.db.models import Model
from django.http import HttpResponse
from django.test import Client
from django.urls import reverse

from tripartite.accounts.proposals import needs_joint_approval
from tripartite.accounts.tests.roles import approve_all, change_at
from tripartite.core.actors import system_actor
from tripartite.core.models import PublicRecord
from tripartite.forums import services
from tripartite.forums.edit_views import EDITABLE_MODELS
from tripartite.forums.models import (
    Decision,
    Forum,
    Letter,
    Meeting,
    MeetingAttendance,
    Member,
    Minutes,
    Organization,
    Person,
    Seat,
    SignOff,
    Statement,
)
from tripartite.forums.tests import factories
from tripartite.forums.tests.editing import (
    EditWorld,
    assert_refused,
    build_edit_world,
    fresh,
    page_text,
    user,
    versions,
    versions_of,
)

pytestmark = pytest.mark.django_db
D = dt.date


# ---------------------------------------------------------------- helpers


def person(key: str = "ana-perez", name: str = "Ana Pérez") -> Person:
    return services.create_person(system_actor(), key=key, name=name, role_title="Director")


def minutes(meeting: Meeting) -> Minutes:
    return services.publish_minutes(
        system_actor(),
        meeting,
        text="We met and agreed.",
        published_on=meeting.date + dt.timedelta(days=3),
    )


def decision(forum: Forum, seats: list[Seat]) -> Decision:
    return services.record_decision(
        system_actor(),
        key="d1",
        forum=forum,
        title="Adopt the plan",
        motion_text="Adopt it.",
        decided_on=D(2016, 4, 15),
        positions={seat: "for" for seat in seats},
    )


def statement(org: Organization) -> Statement:
    return services.publish_statement(
        system_actor(),
        key="s1",
        title="We speak",
        issued_on=D(2017, 5, 24),
        text="Our words.",
        issued_by=[org],
    )


class World(EditWorld):
    @property
    def gov(self) -> Seat:
        return self.seats[0]

    @property
    def cso(self) -> Seat:
        return self.seats[2]


@pytest.fixture
def world() -> World:
    return build_edit_world(World)


def form_data(response: HttpResponse) -> dict[str, Any]:
    """What a browser would submit from the form as the page shows it (pre-filled)."""
    data: dict[str, Any] = {}
    for bound in response.context["form"]:
        value = bound.value()
        if isinstance(value, dt.date):
            value = value.isoformat()
        elif isinstance(value, Model):
            value = value.pk
        data[bound.html_name] = "" if value is None else value
    return data


# ---------------------------------------------------------------- who may edit

PAGES: dict[str, Callable[[World], str]] = {
    "add seat": lambda w: reverse("forum-add-seat", kwargs={"key": w.forum.key}),
    "schedule meeting": lambda w: reverse("forum-schedule-meeting", kwargs={"key": w.forum.key}),
    "record decision": lambda w: reverse("forum-record-decision", kwargs={"key": w.forum.key}),
    "end seat": lambda w: reverse("seat-end", kwargs={"key": w.gov.key}),
    "attendance": lambda w: reverse("meeting-attendance", kwargs={"key": w.meeting.key}),
    "publish minutes": lambda w: reverse("meeting-publish-minutes", kwargs={"key": w.meeting.key}),
    "sign off": lambda w: reverse("meeting-sign-off", kwargs={"key": w.meeting.key}),
    "register letter": lambda w: reverse("letter-register"),
    "new version": lambda w: reverse(
        "record-new-version", kwargs={"record_type": "forum", "key": w.forum.key}
    ),
    "retract": lambda w: reverse(
        "record-retract", kwargs={"record_type": "letter", "key": w.letter.key}
    ),
}


@pytest.mark.parametrize("page", PAGES)
def test_anonymous_users_are_sent_to_login(client: Client, world: World, page: str) -> None:
    url = PAGES[page](world)
    before = versions()
    for response in (client.get(url), client.post(url, {"reason": "x", "title": "x"})):
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login") + "?next=")
    assert versions() == before


@pytest.mark.parametrize("page", PAGES)
def test_signed_in_non_staff_get_a_403_page(public: Client, world: World, page: str) -> None:
    url = PAGES[page](world)
    before = versions()
    for response in (public.get(url), public.post(url, {"reason": "x", "title": "x"})):
        assert response.status_code == 403
        assert "<h1>You cannot edit the record</h1>" in page_text(response)
    assert versions() == before


@pytest.mark.parametrize("page", PAGES)
def test_staff_see_every_form_with_a_csrf_token(staff: Client, world: World, page: str) -> None:
    response = staff.get(PAGES[page](world))
    assert response.status_code == 200
    text = page_text(response)
    assert 'name="csrfmiddlewaretoken"' in text
    assert '<form method="post"' in text


def test_a_post_without_csrf_token_is_refused(world: World) -> None:
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(user("editor", staff=True))
    url = reverse("record-retract", kwargs={"record_type": "letter", "key": world.letter.key})
    before = versions()
    response = browser.post(url, {"reason": "Forged"})
    assert response.status_code == 403
    assert versions() == before
    assert fresh(world.letter).retracted_at is None


def test_other_methods_are_not_allowed(staff: Client, world: World) -> None:
    response = staff.put(PAGES["add seat"](world))
    assert response.status_code == 405


# ---------------------------------------------------------------- forum page: seats


def seat_post(world: World, **overrides: Any) -> dict[str, Any]:
    return {
        "organization": world.org.pk,
        "sector": "",
        "role": "member",
        "representative": "",
        "start_on": "2016-02-01",
        "key": "",
        **overrides,
    }


def test_add_seat(staff: Client, world: World) -> None:
    rep = person()
    response = staff.post(PAGES["add seat"](world), seat_post(world, representative=rep.pk))
    seat = Seat.objects.get(forum=world.forum, organization=world.org)
    assert response.status_code == 303
    assert response["Location"] == seat.get_absolute_url()
    assert seat.key == f"{world.forum.key}-{world.org.key}"
    assert (seat.sector, seat.representative, seat.start_on) == (
        "civil_society",
        rep,
        D(2016, 2, 1),
    )
    assert [v.op for v in versions_of(seat)] == ["create"]
    followed = staff.get(response["Location"])
    assert "Newcomers Collective now holds a seat in Example Forum." in page_text(followed)


def test_add_seat_sector_can_differ_from_the_organisations(staff: Client, world: World) -> None:
    staff.post(PAGES["add seat"](world), seat_post(world, sector="academia"))
    assert Seat.objects.get(organization=world.org).sector == "academia"


def test_add_seat_generates_a_free_key_when_the_natural_one_is_taken(
    staff: Client, world: World
) -> None:
    staff.post(PAGES["add seat"](world), seat_post(world))
    response = staff.post(PAGES["add seat"](world), seat_post(world, start_on="2019-01-01"))
    assert response.status_code == 303
    keys = sorted(Seat.objects.filter(organization=world.org).values_list("key", flat=True))
    assert keys == [f"{world.forum.key}-newcomers", f"{world.forum.key}-newcomers-2"]


def test_add_seat_refuses_a_start_before_the_forum(staff: Client, world: World) -> None:
    before = versions()
    response = staff.post(PAGES["add seat"](world), seat_post(world, start_on="2010-01-01"))
    assert_refused(response, 422, "A seat cannot start before its forum was established.", before)
    assert not Seat.objects.filter(organization=world.org).exists()


def test_add_seat_with_a_taken_key_is_a_conflict_shown_on_the_key(
    staff: Client, world: World
) -> None:
    before = versions()
    response = staff.post(PAGES["add seat"](world), seat_post(world, key=world.gov.key))
    assert_refused(response, 409, "already exists", before)
    assert 'id="id_key_error"' in page_text(response)
    assert "This key is already taken." in page_text(response)


def test_add_seat_requires_an_organisation(staff: Client, world: World) -> None:
    before = versions()
    response = staff.post(PAGES["add seat"](world), seat_post(world, organization=""))
    assert_refused(response, 422, "Organisation: This field is required.", before)


# ---------------------------------------------------------------- forum page: meetings


def test_schedule_meeting_with_an_agenda(staff: Client, world: World) -> None:
    response = staff.post(
        PAGES["schedule meeting"](world),
        {
            "title": "Second plenary",
            "date": "2016-05-01",
            "mode": "hybrid",
            "place": "Mexico City",
            "status": "scheduled",
            "agenda": "Opening\r\n\r\n  Budget of the plan  \r\n",
            "key": "",
        },
    )
    meeting = Meeting.objects.get(title="Second plenary")
    assert response.status_code == 303
    assert response["Location"] == meeting.get_absolute_url()
    assert meeting.key == f"{world.forum.key}-2016-05-01"
    assert (meeting.forum, meeting.mode, meeting.place) == (world.forum, "hybrid", "Mexico City")
    assert [i.title for i in meeting.agenda_items.all()] == ["Opening", "Budget of the plan"]
    assert versions_of(meeting)[0].content["agenda"][1]["title"] == "Budget of the plan"


def test_schedule_meeting_needs_a_title_and_a_valid_date(staff: Client, world: World) -> None:
    before = versions()
    response = staff.post(
        PAGES["schedule meeting"](world),
        {"title": "", "date": "2016-02-30", "mode": "in_person", "status": "scheduled"},
    )
    assert_refused(response, 422, "Title: This field is required.", before)
    assert "Date: Enter a valid date." in page_text(response)


# ---------------------------------------------------------------- forum page: decisions


def positions(seats: list[Seat], **by_key: str) -> dict[str, str]:
    data = {}
    for seat in seats:
        data[f"seat-{seat.key}-position"] = by_key.get(seat.key, "for")
        data[f"seat-{seat.key}-statement"] = ""
    return data


def test_decision_form_has_a_fieldset_per_current_seat(staff: Client, world: World) -> None:
    text = page_text(staff.get(PAGES["record decision"](world) + "?on=2016-04-15"))
    assert text.count("<fieldset") == len(world.seats)
    assert '<legend><span class="sector-government">Ministry</span> (Government)</legend>' in text


def test_decision_form_asks_for_the_seats_held_on_the_chosen_day(
    staff: Client, world: World
) -> None:
    factories.seat(world.forum, world.org, start_on=D(2018, 1, 1))
    url = PAGES["record decision"](world)
    assert "Newcomers Collective" not in page_text(staff.get(url + "?on=2017-01-01"))
    assert "Newcomers Collective" in page_text(staff.get(url + "?on=2018-06-01"))


def test_record_decision(staff: Client, world: World) -> None:
    data = {
        "title": "Adopt the plan",
        "motion_text": "That the forum adopts the plan.",
        "decided_on": "2016-04-15",
        "meeting": world.meeting.pk,
        "source_url": "",
        "key": "",
        **positions(world.seats, **{world.cso.key: "against"}),
    }
    data[f"seat-{world.cso.key}-statement"] = "The plan ignores our proposals."
    response = staff.post(PAGES["record decision"](world) + "?on=2016-04-15", data)
    made = Decision.objects.get(title="Adopt the plan")
    assert response.status_code == 303
    assert response["Location"] == made.get_absolute_url()
    assert made.key == f"{world.forum.key}-2016-04-15-adopt-the-plan"
    assert (made.meeting, made.outcome) == (world.meeting, "no_consensus")
    against = made.positions.get(seat=world.cso)
    assert (against.position, against.statement) == ("against", "The plan ignores our proposals.")
    assert made.positions.count() == len(world.seats)


def test_record_decision_needs_every_seats_position(staff: Client, world: World) -> None:
    data = {
        "title": "Adopt the plan",
        "motion_text": "Adopt it.",
        "decided_on": "2016-04-15",
        **positions(world.seats),
    }
    data[f"seat-{world.gov.key}-position"] = ""
    before = versions()
    response = staff.post(PAGES["record decision"](world) + "?on=2016-04-15", data)
    assert_refused(
        response, 422, "Ministry (Government): Position: This field is required.", before
    )
    assert not Decision.objects.exists()


def test_record_decision_refuses_a_meeting_of_another_forum(staff: Client, world: World) -> None:
    other = factories.meeting(factories.forum(member_=world.forum.member, key="other"), key="m9")
    data = {
        "title": "T",
        "motion_text": "M",
        "decided_on": "2016-04-15",
        "meeting": other.pk,
        **positions(world.seats),
    }
    before = versions()
    response = staff.post(PAGES["record decision"](world) + "?on=2016-04-15", data)
    assert_refused(response, 422, "Meeting: Select a valid choice.", before)


# ---------------------------------------------------------------- seat page


def test_end_seat(staff: Client, world: World) -> None:
    response = staff.post(
        PAGES["end seat"](world), {"end_on": "2018-12-31", "end_reason": "term_ended", "letter": ""}
    )
    seat = fresh(world.gov)
    assert response.status_code == 303
    assert response["Location"] == seat.get_absolute_url()
    assert (seat.end_on, seat.end_reason) == (D(2018, 12, 31), "term_ended")
    assert [v.op for v in versions_of(seat)] == ["create", "update"]


def test_withdrawal_is_recorded_with_its_letter(staff: Client, world: World) -> None:
    url = reverse("seat-end", kwargs={"key": world.cso.key})
    before = versions()
    response = staff.post(url, {"end_on": "2017-05-23", "end_reason": "withdrawn", "letter": ""})
    assert_refused(response, 422, "A withdrawal is recorded with its public letter.", before)
    assert 'id="id_letter_error"' in page_text(response)
    assert fresh(world.cso).end_on is None

    response = staff.post(
        url, {"end_on": "2017-05-23", "end_reason": "withdrawn", "letter": world.letter.pk}
    )
    assert response.status_code == 303
    assert fresh(world.cso).withdrawal_letter == world.letter


def test_ending_an_ended_seat_is_a_conflict(staff: Client, world: World) -> None:
    services.end_seat(system_actor(), world.gov, end_on=D(2018, 1, 1), end_reason="replaced")
    assert "This seat already ended on" in page_text(staff.get(PAGES["end seat"](world)))
    before = versions()
    response = staff.post(
        PAGES["end seat"](world), {"end_on": "2019-01-01", "end_reason": "term_ended"}
    )
    assert_refused(response, 409, "already ended on 2018-01-01", before)


def test_end_seat_refuses_an_end_before_the_start(staff: Client, world: World) -> None:
    before = versions()
    response = staff.post(
        PAGES["end seat"](world), {"end_on": "2014-01-01", "end_reason": "term_ended"}
    )
    assert_refused(response, 422, "A seat cannot end before it started.", before)
    assert "The end date is before the start date." in page_text(response)


# ---------------------------------------------------------------- meeting page


def test_record_attendance(staff: Client, world: World) -> None:
    data = {f"seat-{seat.key}": "present" for seat in world.seats}
    data[f"seat-{world.cso.key}"] = "excused"
    response = staff.post(PAGES["attendance"](world), data)
    assert response.status_code == 303
    assert response["Location"] == world.meeting.get_absolute_url()
    rows = dict(
        MeetingAttendance.objects.filter(meeting=world.meeting).values_list("seat__key", "status")
    )
    assert rows == {seat.key: "excused" if seat == world.cso else "present" for seat in world.seats}
    assert versions_of(world.meeting)[-1].content["attendance"][0]["status"] in {
        "present",
        "excused",
    }


def test_attendance_lists_only_seats_held_on_the_meeting_date(staff: Client, world: World) -> None:
    factories.seat(world.forum, world.org, start_on=D(2018, 1, 1))
    text = page_text(staff.get(PAGES["attendance"](world)))
    assert "<legend>Attendance of each seat held on 2016-04-15</legend>" in text
    assert "Ministry (Government)" in text
    assert "Newcomers Collective" not in text


def test_record_attendance_refuses_an_unknown_status(staff: Client, world: World) -> None:
    data = {f"seat-{seat.key}": "present" for seat in world.seats}
    data[f"seat-{world.gov.key}"] = "asleep"
    before = versions()
    response = staff.post(PAGES["attendance"](world), data)
    assert_refused(response, 422, "Ministry (Government): Select a valid choice.", before)
    assert not MeetingAttendance.objects.exists()


def test_publish_minutes(staff: Client, world: World) -> None:
    response = staff.post(
        PAGES["publish minutes"](world),
        {"text": "The forum met.", "language": "es", "published_on": "2016-04-20"},
    )
    made = Minutes.objects.get(meeting=world.meeting)
    assert response.status_code == 303
    assert response["Location"] == world.meeting.get_absolute_url() + "#minutes"
    assert (made.text, made.language, made.published_on) == ("The forum met.", "es", D(2016, 4, 20))


def test_minutes_cannot_predate_the_meeting(staff: Client, world: World) -> None:
    before = versions()
    response = staff.post(
        PAGES["publish minutes"](world),
        {"text": "Early.", "language": "en", "published_on": "2016-01-01"},
    )
    assert_refused(
        response, 422, "Minutes cannot be published before the meeting took place.", before
    )


def test_minutes_are_published_once(staff: Client, world: World) -> None:
    minutes(world.meeting)
    assert "already published" in page_text(staff.get(PAGES["publish minutes"](world)))
    before = versions()
    response = staff.post(
        PAGES["publish minutes"](world),
        {"text": "Again.", "language": "en", "published_on": "2016-04-20"},
    )
    assert_refused(response, 409, "already published", before)


def signoff_post(seat: Seat, **overrides: str) -> dict[str, Any]:
    return {
        "seat": seat.pk,
        "position": "approve",
        "statement": "",
        "signed_on": "2016-05-01",
        **overrides,
    }


def test_sign_off_minutes(staff: Client, world: World) -> None:
    minutes(world.meeting)
    response = staff.post(
        PAGES["sign off"](world),
        signoff_post(world.cso, position="dissent", statement="The minutes omit our objection."),
    )
    made = SignOff.objects.get()
    assert response.status_code == 303
    assert response["Location"] == world.meeting.get_absolute_url() + "#signoff-civil_society"
    assert (made.seat, made.sector, made.position) == (world.cso, "civil_society", "dissent")
    assert made.statement == "The minutes omit our objection."


def test_a_dissent_needs_a_statement(staff: Client, world: World) -> None:
    minutes(world.meeting)
    before = versions()
    response = staff.post(PAGES["sign off"](world), signoff_post(world.cso, position="dissent"))
    assert_refused(response, 422, "A dissent or a reservation is signed with a statement.", before)
    assert 'id="id_statement_error"' in page_text(response)


def test_a_sector_signs_off_once(staff: Client, world: World) -> None:
    minutes(world.meeting)
    assert staff.post(PAGES["sign off"](world), signoff_post(world.seats[2])).status_code == 303
    before = versions()
    response = staff.post(PAGES["sign off"](world), signoff_post(world.seats[3]))
    assert_refused(response, 409, "has already signed off these minutes", before)


def test_sign_off_without_minutes_is_a_conflict(staff: Client, world: World) -> None:
    assert "No minutes are published" in page_text(staff.get(PAGES["sign off"](world)))
    before = versions()
    response = staff.post(PAGES["sign off"](world), signoff_post(world.gov))
    assert_refused(response, 409, "No minutes are published for this meeting yet", before)


# ---------------------------------------------------------------- letters register


def letter_post(world: World, **overrides: Any) -> dict[str, Any]:
    return {
        "reference": "CSO-2017-07",
        "key": "",
        "direction": "outbound",
        "letter_type": "letter_of_concern",
        "subject": "Surveillance of our members",
        "body": "We ask the Steering Committee to act.",
        "language": "es",
        "signatories": [world.seats[2].organization.pk, world.seats[3].organization.pk],
        "addressees": "OGP Steering Committee",
        "sent_on": "2017-07-24",
        "received_on": "",
        "response_deadline": "2017-08-24",
        "status": "awaiting_response",
        "response_to": "",
        "member": world.forum.member.pk,
        "forum": world.forum.pk,
        "source_url": "https://example.org/letter.pdf",
        **overrides,
    }


def test_register_letter(staff: Client, world: World) -> None:
    response = staff.post(PAGES["register letter"](world), letter_post(world))
    made = Letter.objects.get(reference="CSO-2017-07")
    assert response.status_code == 303
    assert response["Location"] == made.get_absolute_url()
    assert made.key == "cso-2017-07"
    assert set(made.signatories.all()) == {world.seats[2].organization, world.seats[3].organization}
    assert (made.member, made.forum, made.response_deadline) == (
        world.forum.member,
        world.forum,
        D(2017, 8, 24),
    )
    assert versions_of(made)[0].content["signatories"] == sorted(
        [world.seats[2].organization.public_id, world.seats[3].organization.public_id]
    )
    assert "Letter CSO-2017-07 is registered." in page_text(staff.get(response["Location"]))


def test_a_letter_needs_a_date(staff: Client, world: World) -> None:
    before = versions()
    response = staff.post(PAGES["register letter"](world), letter_post(world, sent_on=""))
    assert_refused(response, 422, "A letter needs a date sent or received.", before)
    assert 'id="id_sent_on_error"' in page_text(response)


def test_a_letter_reference_is_registered_once(staff: Client, world: World) -> None:
    before = versions()
    response = staff.post(
        PAGES["register letter"](world), letter_post(world, reference=world.letter.reference)
    )
    assert_refused(response, 409, "is already registered", before)


def test_a_response_names_the_letter_it_answers(staff: Client, world: World) -> None:
    before = versions()
    response = staff.post(
        PAGES["register letter"](world),
        letter_post(world, reference="OGP-1", letter_type="response"),
    )
    assert_refused(response, 422, "A response names the letter it answers.", before)

    url = PAGES["register letter"](world) + f"?response_to={world.letter.key}"
    text = page_text(staff.get(url))
    assert f'<option value="{world.letter.pk}" selected>' in text
    response = staff.post(
        PAGES["register letter"](world),
        letter_post(world, reference="OGP-1", letter_type="response", response_to=world.letter.pk),
    )
    assert response.status_code == 303
    assert Letter.objects.get(reference="OGP-1").response_to == world.letter


# ---------------------------------------------------------------- any record

RecordBuilder = Callable[[World], PublicRecord]
RECORDS: dict[str, tuple[RecordBuilder, str, Any]] = {
    # type: (builder, field to change, new value as submitted)
    "member": (lambda w: w.forum.member, "name", "Renamed Republic"),
    "forum": (lambda w: w.forum, "name", "Tripartite Technical Secretariat"),
    "seat": (lambda w: w.gov, "role", "observer"),
    "meeting": (lambda w: w.meeting, "title", "First plenary session"),
    "minutes": (lambda w: minutes(w.meeting), "text", "Corrected minutes."),
    "decision": (lambda w: decision(w.forum, w.seats), "title", "Adopt the second plan"),
    "letter": (lambda w: w.letter, "subject", "We leave the forum, and why"),
    "statement": (lambda w: statement(w.org), "title", "Our statement"),
    "organization": (lambda w: w.org, "name", "Newcomers Network"),
    "person": (lambda w: person(), "name", "Ana María Pérez"),
}


def edit_url(name: str, record: PublicRecord) -> str:
    return reverse(name, kwargs={"record_type": record.RECORD_TYPE, "key": record.key})


@pytest.mark.parametrize("record_type", RECORDS)
def test_publish_a_new_version(staff: Client, world: World, record_type: str) -> None:
    build, field, value = RECORDS[record_type]
    record = build(world)
    url = edit_url("record-new-version", record)
    shown = staff.get(url)
    assert shown.status_code == 200
    data = form_data(shown)
    assert set(data) == {*services.EDITABLE_FIELDS[type(record)], "reason"}
    data.update({field: value, "reason": "The name was misspelt."})
    response = staff.post(url, data)
    assert response.status_code == 303, page_text(response)[:3000]
    joint = needs_joint_approval(record)
    if joint:  # a forum's record: the new version waits for every sector's approval
        change = change_at(response["Location"])
        assert getattr(fresh(record), field) != value or field == "role"
        assert approve_all(change).state == "applied"
    record = fresh(record)
    if not joint:
        assert response["Location"] == record.get_absolute_url()
    latest = versions_of(record)[-1]
    assert (latest.op, latest.reason, latest.content[field]) == (
        "update",
        "The name was misspelt.",
        value,
    )
    assert latest.actor is not None and latest.actor.username == "editor"
    if not joint:
        assert "is published." in page_text(staff.get(response["Location"]))


def test_a_new_version_must_change_something(staff: Client, world: World) -> None:
    url = edit_url("record-new-version", world.forum)
    data = form_data(staff.get(url)) | {"reason": "No reason"}
    before = versions()
    response = staff.post(url, data)
    assert_refused(response, 422, "Nothing changed", before)


def test_a_new_version_needs_a_reason(staff: Client, world: World) -> None:
    url = edit_url("record-new-version", world.forum)
    data = form_data(staff.get(url)) | {"name": "Another name", "reason": "  "}
    before = versions()
    response = staff.post(url, data)
    assert_refused(response, 422, "Reason for the new version: This field is required.", before)
    assert fresh(world.forum).name == "Example Forum"


def test_a_new_version_validates_its_fields(staff: Client, world: World) -> None:
    url = edit_url("record-new-version", world.forum)
    data = form_data(staff.get(url)) | {"rules_url": "not a url", "reason": "Add the rules"}
    before = versions()
    response = staff.post(url, data)
    assert_refused(response, 422, "Enter a valid URL.", before)


@pytest.mark.parametrize("record_type", RECORDS)
def test_retract(staff: Client, world: World, record_type: str) -> None:
    record = RECORDS[record_type][0](world)
    url = edit_url("record-retract", record)
    assert staff.get(url).status_code == 200
    response = staff.post(url, {"reason": "Entered twice by mistake."})
    assert response.status_code == 303, page_text(response)[:3000]
    # A retraction is proposed; it takes effect once every sector has approved it.
    change = change_at(response["Location"])
    assert fresh(record).retracted_at is None
    assert approve_all(change).state == "applied"
    record = fresh(record)
    assert record.retraction_reason == "Entered twice by mistake."
    latest = versions_of(record)[-1]
    assert (latest.op, latest.reason) == ("retract", "Entered twice by mistake.")


@pytest.mark.parametrize("reason", ["", "   "])
def test_a_retraction_needs_a_reason(staff: Client, world: World, reason: str) -> None:
    before = versions_of(world.letter)
    count = versions()
    response = staff.post(edit_url("record-retract", world.letter), {"reason": reason})
    assert_refused(response, 422, "Reason: This field is required.", count)
    assert versions_of(world.letter) == before
    assert fresh(world.letter).retracted_at is None


def test_a_retracted_record_no_longer_changes(staff: Client, world: World) -> None:
    services.retract(system_actor(), world.letter, reason="Duplicate")
    for name in ("record-retract", "record-new-version"):
        assert "has been retracted and can no longer change" in page_text(
            staff.get(edit_url(name, world.letter))
        )
    before = versions()
    response = staff.post(edit_url("record-retract", world.letter), {"reason": "Again"})
    assert_refused(response, 409, "is already retracted", before)
    response = staff.post(
        edit_url("record-new-version", world.letter),
        {"subject": "New", "language": "en", "status": "closed", "reason": "Fix"},
    )
    assert_refused(response, 409, "has been retracted", before)


def test_unknown_records_are_404(staff: Client, world: World) -> None:
    assert (
        staff.get(
            reverse("record-retract", kwargs={"record_type": "forum", "key": "nowhere"})
        ).status_code
        == 404
    )
    assert staff.get(reverse("seat-end", kwargs={"key": "nowhere"})).status_code == 404


# ---------------------------------------------------------------- links on the public pages


def public_pages(world: World) -> dict[str, str]:
    made = {
        "decision": decision(world.forum, world.seats),
        "statement": statement(world.org),
        "person": person(),
    }
    pages = {
        record: obj.get_absolute_url()
        for record, obj in {
            "member": world.forum.member,
            "forum": world.forum,
            "seat": world.gov,
            "meeting": world.meeting,
            "letter": world.letter,
            "organization": world.org,
            **made,
        }.items()
    }
    return {**pages, "letters": reverse("letters")}


def test_staff_see_edit_links_on_every_public_page(staff: Client, world: World) -> None:
    for name, url in public_pages(world).items():
        response = staff.get(url)
        assert response.status_code == 200, name
        text = page_text(response)
        assert '<aside class="staff-actions" aria-label="Staff editing">' in text, name
        if name != "letters":
            assert 'new-version/">Publish a new version of this record</a>' in text, name
            assert '/retract/">Retract this record</a>' in text, name


def test_edit_links_point_at_working_forms(staff: Client, world: World) -> None:
    text = page_text(staff.get(world.forum.get_absolute_url()))
    for name in ("add seat", "schedule meeting", "record decision"):
        assert f'href="{PAGES[name](world)}"' in text
    text = page_text(staff.get(world.meeting.get_absolute_url()))
    assert f'href="{PAGES["publish minutes"](world)}"' in text
    assert f'href="{PAGES["sign off"](world)}"' not in text
    minutes(world.meeting)
    text = page_text(staff.get(world.meeting.get_absolute_url()))
    assert f'href="{PAGES["sign off"](world)}"' in text
    assert f'href="{edit_url("record-new-version", Minutes.objects.get())}"' in text
    assert f'href="{PAGES["register letter"](world)}"' in page_text(staff.get(reverse("letters")))


def test_no_edit_links_for_the_public(client: Client, world: World) -> None:
    pages = public_pages(world)
    for browser in (client, Client()):
        for name, url in pages.items():
            assert "staff-actions" not in page_text(browser.get(url)), name
    client.force_login(user("reader", staff=False))
    for name, url in pages.items():
        assert "staff-actions" not in page_text(client.get(url)), name


def test_every_record_type_with_a_page_can_be_versioned_and_retracted() -> None:
    assert set(RECORDS) == set(EDITABLE_MODELS)
    assert set(EDITABLE_MODELS.values()) == {
        Member,
        Forum,
        Seat,
        Meeting,
        Minutes,
        Decision,
        Letter,
        Statement,
        Organization,
        Person,
    }
