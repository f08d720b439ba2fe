"""Write services of the forum record: what each does, what each refuses, and that a
refusal leaves nothing half-written."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest

from tripartite.core.actors import system_actor
from tripartite.core.errors import Conflict, InvalidInput
from tripartite.core.models import RecordVersion
from tripartite.forums import services
from tripartite.forums.models import (
    AgendaItem,
    Decision,
    DecisionPosition,
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
    WithdrawalGroup,
)
from tripartite.forums.tests import factories

pytestmark = pytest.mark.django_db

D = dt.date

TRACKED = (
    RecordVersion,
    Member,
    Organization,
    Person,
    Forum,
    Seat,
    WithdrawalGroup,
    Meeting,
    AgendaItem,
    MeetingAttendance,
    Minutes,
    SignOff,
    Decision,
    DecisionPosition,
    Letter,
    Statement,
    Letter.signatories.through,
    Letter.meetings.through,
    Letter.decisions.through,
    Statement.issued_by.through,
)


def row_counts() -> dict[str, int]:
    return {model._meta.label: model.objects.count() for model in TRACKED}


@contextmanager
def nothing_written() -> Iterator[None]:
    """Asserts that no row of any forum model or version was added or removed."""
    before = row_counts()
    yield
    assert row_counts() == before


def versions(record: Any) -> list[RecordVersion]:
    return list(
        RecordVersion.objects.filter(
            record_type=record.RECORD_TYPE, record_key=record.key
        ).order_by("version")
    )


@pytest.fixture
def actor() -> Any:
    return system_actor()


@pytest.fixture
def forum_and_seats() -> tuple[Forum, list[Seat]]:
    """Forum ``xx-forum``: seats[0] government, seats[1] oversight body, seats[2:] CSOs."""
    return factories.tripartite_forum()


@pytest.fixture
def forum(forum_and_seats: tuple[Forum, list[Seat]]) -> Forum:
    return forum_and_seats[0]


@pytest.fixture
def seats(forum_and_seats: tuple[Forum, list[Seat]]) -> list[Seat]:
    return forum_and_seats[1]


@pytest.fixture
def other_forum() -> tuple[Forum, list[Seat]]:
    """Forum ``yy-forum`` of another member: a government seat and a CSO seat."""
    forum = factories.forum(factories.member(key="yy", name="Otherland"), key="yy-forum")
    return forum, [
        factories.seat(forum, factories.organization("yy-gov", "government")),
        factories.seat(forum, factories.organization("yy-cso", "civil_society")),
    ]


@pytest.fixture
def meeting(forum: Forum) -> Meeting:
    return factories.meeting(forum)


@pytest.fixture
def minutes(actor: Any, meeting: Meeting) -> Minutes:
    return services.publish_minutes(actor, meeting, text="We met.", published_on=D(2016, 4, 20))


# ---------------------------------------------------------------- members, organisations, people


def test_create_member_records_version_1(actor: Any) -> None:
    member = services.create_member(
        actor, key="mx", name="Mexico", kind="country", iso2="MX", joined_on=D(2011, 9, 20)
    )
    [version] = versions(member)
    assert version.content["name"] == "Mexico"
    assert version.content["joined_on"] == "2011-09-20"


def test_create_member_with_a_taken_key_is_a_conflict(actor: Any) -> None:
    factories.member(key="mx")
    with nothing_written(), pytest.raises(Conflict):
        services.create_member(actor, key="mx", name="Other", kind="country")


def test_create_member_with_an_unknown_kind_is_invalid(actor: Any) -> None:
    with nothing_written(), pytest.raises(InvalidInput) as refused:
        services.create_member(actor, key="mx", name="Mexico", kind="planet")
    assert "kind" in refused.value.field_errors


def test_create_member_with_a_key_that_is_not_a_slug_is_invalid(actor: Any) -> None:
    with nothing_written(), pytest.raises(InvalidInput):
        services.create_member(actor, key="m x", name="Mexico", kind="country")


def test_create_organization_links_its_member(actor: Any) -> None:
    member = factories.member()
    org = services.create_organization(
        actor, key="article19", name="Article 19", sector="civil_society", member=member
    )
    assert versions(org)[0].content["member"] == "member/xx"


def test_create_organization_with_a_taken_key_is_a_conflict(actor: Any) -> None:
    factories.organization("article19", "civil_society")
    with nothing_written(), pytest.raises(Conflict):
        services.create_organization(actor, key="article19", name="A19", sector="civil_society")


def test_create_organization_with_an_unknown_sector_is_invalid(actor: Any) -> None:
    with nothing_written(), pytest.raises(InvalidInput) as refused:
        services.create_organization(actor, key="a19", name="Article 19", sector="church")
    assert "sector" in refused.value.field_errors


def test_create_person_records_the_public_role(actor: Any) -> None:
    person = services.create_person(actor, key="jdoe", name="J. Doe", role_title="Director")
    assert versions(person)[0].content == {
        "id": "person/jdoe",
        "type": "person",
        "name": "J. Doe",
        "role_title": "Director",
    }


def test_create_person_with_a_taken_key_is_a_conflict(actor: Any) -> None:
    services.create_person(actor, key="jdoe", name="J. Doe")
    with nothing_written(), pytest.raises(Conflict):
        services.create_person(actor, key="jdoe", name="Someone else")


# ---------------------------------------------------------------- forums


def test_create_forum_refers_to_its_member_by_public_id(actor: Any) -> None:
    forum = factories.forum(key="stt", decision_rule="majority")
    content = versions(forum)[0].content
    assert (content["member"], content["decision_rule"]) == ("member/xx", "majority")


def test_create_forum_with_a_taken_key_is_a_conflict() -> None:
    member = factories.member()
    factories.forum(member, key="stt")
    with nothing_written(), pytest.raises(Conflict):
        factories.forum(member, key="stt")


def test_forum_may_replace_a_forum_of_the_same_member() -> None:
    member = factories.member()
    old = factories.forum(member, key="stt")
    new = factories.forum(member, key="cc", predecessor=old, established_on=D(2019, 1, 1))
    assert versions(new)[0].content["predecessor"] == "forum/stt"
    assert list(old.successors.all()) == [new]


def test_forum_cannot_replace_a_forum_of_another_member() -> None:
    old = factories.forum(factories.member(key="aa"), key="old")
    other_member = factories.member(key="bb")
    with nothing_written(), pytest.raises(InvalidInput):
        factories.forum(other_member, key="new", predecessor=old)


# ---------------------------------------------------------------- seats


def test_seat_takes_its_sector_from_the_organisation(forum: Forum) -> None:
    org = factories.organization("uni", "academia")
    seat = factories.seat(forum, org)
    assert seat.sector == "academia"
    assert versions(seat)[0].content["organization"] == "organization/uni"


def test_seat_sector_may_be_given_explicitly(forum: Forum) -> None:
    org = factories.organization("uni", "academia")
    seat = factories.seat(forum, org, sector="civil_society")
    assert seat.sector == "civil_society"


def test_seat_records_its_representative(actor: Any, forum: Forum) -> None:
    person = services.create_person(actor, key="jdoe", name="J. Doe")
    seat = factories.seat(forum, factories.organization("uni", "academia"), representative=person)
    assert versions(seat)[0].content["representative"] == "person/jdoe"


def test_seat_with_a_taken_key_is_a_conflict(forum: Forum, seats: list[Seat]) -> None:
    with nothing_written(), pytest.raises(Conflict):
        factories.seat(forum, seats[0].organization)


def test_seat_cannot_start_before_its_forum_was_established(forum: Forum) -> None:
    org = factories.organization("uni", "academia")
    with nothing_written(), pytest.raises(InvalidInput):
        factories.seat(forum, org, start_on=D(2014, 12, 31))


def test_seat_cannot_start_after_its_forum_was_dissolved() -> None:
    forum = factories.forum(dissolved_on=D(2017, 5, 23))
    org = factories.organization("uni", "academia")
    with nothing_written(), pytest.raises(InvalidInput):
        factories.seat(forum, org, start_on=D(2018, 1, 1))


def test_end_seat_records_a_new_version_with_the_end(actor: Any, seats: list[Seat]) -> None:
    services.end_seat(actor, seats[0], end_on=D(2018, 12, 1), end_reason="term_ended")
    seat = Seat.objects.get(pk=seats[0].pk)
    assert (seat.end_on, seat.end_reason, seat.version) == (D(2018, 12, 1), "term_ended", 2)
    assert versions(seat)[-1].content["end_on"] == "2018-12-01"


def test_seat_cannot_end_before_it_started(actor: Any, seats: list[Seat]) -> None:
    with nothing_written(), pytest.raises(InvalidInput) as refused:
        services.end_seat(actor, seats[0], end_on=D(2014, 1, 1), end_reason="term_ended")
    assert "end_on" in refused.value.field_errors
    assert Seat.objects.get(pk=seats[0].pk).end_on is None


def test_withdrawal_needs_its_letter(actor: Any, seats: list[Seat]) -> None:
    with nothing_written(), pytest.raises(InvalidInput) as refused:
        services.end_seat(actor, seats[2], end_on=D(2017, 5, 23), end_reason="withdrawn")
    assert "letter" in refused.value.field_errors
    assert Seat.objects.get(pk=seats[2].pk).end_on is None


def test_withdrawal_records_its_letter(actor: Any, seats: list[Seat]) -> None:
    letter = factories.letter(signatories=(seats[2].organization,))
    services.end_seat(actor, seats[2], end_on=D(2017, 5, 23), end_reason="withdrawn", letter=letter)
    assert Seat.objects.get(pk=seats[2].pk).withdrawal_letter == letter
    assert versions(seats[2])[-1].content["withdrawal_letter"] == "letter/l1"


def test_seat_end_reason_must_be_known(actor: Any, seats: list[Seat]) -> None:
    with nothing_written(), pytest.raises(InvalidInput):
        services.end_seat(actor, seats[0], end_on=D(2018, 1, 1), end_reason="bored")


def test_seat_that_ended_cannot_end_again(actor: Any, seats: list[Seat]) -> None:
    services.end_seat(actor, seats[0], end_on=D(2018, 1, 1), end_reason="term_ended")
    with nothing_written(), pytest.raises(Conflict):
        services.end_seat(actor, seats[0], end_on=D(2019, 1, 1), end_reason="replaced")


# ---------------------------------------------------------------- collective withdrawal


def withdraw_together(
    actor: Any, forum: Forum, group_seats: list[Seat], **fields: Any
) -> WithdrawalGroup:
    if "letter" not in fields:
        fields["letter"] = factories.letter(signatories=tuple(s.organization for s in group_seats))
    fields.setdefault("title", "Civil society leaves the forum")
    fields.setdefault("withdrawn_on", D(2017, 5, 23))
    return services.record_collective_withdrawal(
        actor, key="cso-walkout", forum=forum, seats=group_seats, **fields
    )


def test_collective_withdrawal_ends_every_seat_as_withdrawn(
    actor: Any, forum: Forum, seats: list[Seat]
) -> None:
    group = withdraw_together(actor, forum, seats[2:])
    ended = list(Seat.objects.filter(pk__in=[s.pk for s in seats[2:]]))
    assert {
        (s.end_on, s.end_reason, s.withdrawal_group_id, s.withdrawal_letter_id) for s in ended
    } == {(D(2017, 5, 23), "withdrawn", group.pk, group.letter_id)}


def test_collective_withdrawal_is_one_group(actor: Any, forum: Forum, seats: list[Seat]) -> None:
    withdraw_together(actor, forum, seats[2:])
    [group] = WithdrawalGroup.objects.all()
    assert sorted(s.key for s in group.seats.all()) == sorted(s.key for s in seats[2:])


def test_collective_withdrawal_leaves_other_seats_alone(
    actor: Any, forum: Forum, seats: list[Seat]
) -> None:
    withdraw_together(actor, forum, seats[2:])
    assert [s.end_on for s in Seat.objects.filter(pk__in=[seats[0].pk, seats[1].pk])] == [
        None,
        None,
    ]


def test_collective_withdrawal_versions_the_group_with_its_seats(
    actor: Any, forum: Forum, seats: list[Seat]
) -> None:
    group = withdraw_together(actor, forum, seats[2:])
    [version] = versions(group)
    assert version.content["seats"] == sorted(s.public_id for s in seats[2:])
    assert version.content["letter"] == group.letter.public_id


def test_collective_withdrawal_versions_each_seat(
    actor: Any, forum: Forum, seats: list[Seat]
) -> None:
    withdraw_together(actor, forum, seats[2:])
    for seat in seats[2:]:
        latest = versions(seat)[-1]
        assert (latest.version, latest.content["withdrawal_group"]) == (2, "withdrawal/cso-walkout")


def test_collective_withdrawal_with_a_seat_of_another_forum_is_refused(
    actor: Any, forum: Forum, seats: list[Seat], other_forum: tuple[Forum, list[Seat]]
) -> None:
    letter = factories.letter()
    with nothing_written(), pytest.raises(InvalidInput):
        withdraw_together(actor, forum, [seats[2], other_forum[1][1]], letter=letter)
    assert Seat.objects.get(pk=seats[2].pk).end_on is None


def test_collective_withdrawal_with_a_seat_already_ended_leaves_nothing_half_written(
    actor: Any, forum: Forum, seats: list[Seat]
) -> None:
    # The group row and the first seats are written before the ended seat is reached.
    services.end_seat(actor, seats[4], end_on=D(2016, 1, 1), end_reason="term_ended")
    letter = factories.letter()
    with nothing_written(), pytest.raises(Conflict):
        withdraw_together(actor, forum, seats[2:], letter=letter)
    assert [s.end_on for s in Seat.objects.filter(pk__in=[seats[2].pk, seats[3].pk])] == [
        None,
        None,
    ]


def test_collective_withdrawal_before_a_seat_started_leaves_nothing_half_written(
    actor: Any, forum: Forum, seats: list[Seat]
) -> None:
    late = factories.seat(
        forum, factories.organization("late", "civil_society"), start_on=D(2017, 6, 1)
    )
    letter = factories.letter()
    with nothing_written(), pytest.raises(InvalidInput):
        withdraw_together(actor, forum, [seats[2], late], letter=letter)
    assert Seat.objects.get(pk=seats[2].pk).end_on is None


def test_collective_withdrawal_needs_seats(actor: Any, forum: Forum) -> None:
    letter = factories.letter()
    with nothing_written(), pytest.raises(InvalidInput):
        withdraw_together(actor, forum, [], letter=letter)


def test_collective_withdrawal_with_a_taken_key_is_a_conflict(
    actor: Any, forum: Forum, seats: list[Seat]
) -> None:
    withdraw_together(actor, forum, seats[2:3])
    with nothing_written(), pytest.raises(Conflict):
        withdraw_together(actor, forum, seats[3:4], letter=Letter.objects.get())


def test_collective_withdrawal_without_a_title_is_invalid_input(
    actor: Any, forum: Forum, seats: list[Seat]
) -> None:
    letter = factories.letter()
    with nothing_written(), pytest.raises(InvalidInput):
        withdraw_together(actor, forum, seats[2:], letter=letter, title="")


def test_collective_withdrawal_needs_its_letter(
    actor: Any, forum: Forum, seats: list[Seat]
) -> None:
    with nothing_written(), pytest.raises(InvalidInput):
        withdraw_together(actor, forum, seats[2:], letter=None)


# ---------------------------------------------------------------- meetings, agenda, attendance


def test_schedule_meeting_versions_its_agenda_in_order(actor: Any, forum: Forum) -> None:
    meeting = services.schedule_meeting(
        actor,
        key="m1",
        forum=forum,
        title="Plenary",
        date=D(2016, 4, 15),
        agenda=["Opening", {"title": "Plan", "description": "Second plan"}],
    )
    assert versions(meeting)[0].content["agenda"] == [
        {"position": 1, "title": "Opening", "description": ""},
        {"position": 2, "title": "Plan", "description": "Second plan"},
    ]


def test_meeting_with_a_taken_key_is_a_conflict(forum: Forum, meeting: Meeting) -> None:
    with nothing_written(), pytest.raises(Conflict):
        factories.meeting(forum, key="m1")


def test_meeting_with_an_untitled_agenda_item_leaves_nothing_half_written(
    actor: Any, forum: Forum
) -> None:
    # The meeting row is saved before its agenda is written and found invalid.
    with nothing_written(), pytest.raises(InvalidInput):
        services.schedule_meeting(
            actor,
            key="m1",
            forum=forum,
            title="Plenary",
            date=D(2016, 4, 15),
            agenda=["Opening", "  "],
        )


def test_set_agenda_replaces_the_agenda_in_a_new_version(actor: Any, meeting: Meeting) -> None:
    services.set_agenda(actor, meeting, agenda=["Only item"])
    first, second = versions(meeting)
    assert [i["title"] for i in first.content["agenda"]] == [
        "Opening",
        "Progress of the action plan",
    ]
    assert [i["title"] for i in second.content["agenda"]] == ["Only item"]
    assert list(meeting.agenda_items.values_list("title", flat=True)) == ["Only item"]


def test_set_agenda_refused_keeps_the_previous_agenda(actor: Any, meeting: Meeting) -> None:
    with nothing_written(), pytest.raises(InvalidInput):
        services.set_agenda(actor, meeting, agenda=["New", ""])
    assert list(meeting.agenda_items.values_list("title", flat=True)) == [
        "Opening",
        "Progress of the action plan",
    ]
    assert Meeting.objects.get(pk=meeting.pk).version == 1


def test_record_attendance_versions_it_by_seat(
    actor: Any, meeting: Meeting, seats: list[Seat]
) -> None:
    services.record_attendance(
        actor, meeting, attendance={seats[0]: "present", seats[2]: "excused"}
    )
    assert versions(meeting)[-1].content["attendance"] == sorted(
        [
            {"seat": seats[0].public_id, "status": "present"},
            {"seat": seats[2].public_id, "status": "excused"},
        ],
        key=lambda row: row["seat"],
    )


def test_record_attendance_replaces_the_previous_list(
    actor: Any, meeting: Meeting, seats: list[Seat]
) -> None:
    services.record_attendance(actor, meeting, attendance={seats[0]: "present"})
    services.record_attendance(actor, meeting, attendance={seats[1]: "absent"})
    assert list(MeetingAttendance.objects.values_list("seat__key", "status")) == [
        (seats[1].key, "absent")
    ]


def test_attendance_of_a_seat_of_another_forum_is_refused(
    actor: Any, meeting: Meeting, seats: list[Seat], other_forum: tuple[Forum, list[Seat]]
) -> None:
    with nothing_written(), pytest.raises(InvalidInput):
        services.record_attendance(
            actor, meeting, attendance={seats[0]: "present", other_forum[1][0]: "present"}
        )


def test_attendance_with_an_unknown_status_is_refused(
    actor: Any, meeting: Meeting, seats: list[Seat]
) -> None:
    with nothing_written(), pytest.raises(InvalidInput):
        services.record_attendance(actor, meeting, attendance={seats[0]: "asleep"})


# ---------------------------------------------------------------- minutes and sign-offs


def test_minutes_take_the_key_of_their_meeting(minutes: Minutes) -> None:
    assert minutes.public_id == "minutes/m1"
    assert versions(minutes)[0].content["meeting"] == "meeting/m1"


def test_minutes_need_a_text(actor: Any, meeting: Meeting) -> None:
    with nothing_written(), pytest.raises(InvalidInput):
        services.publish_minutes(actor, meeting, text="  ", published_on=D(2016, 4, 20))


def test_minutes_are_published_once(actor: Any, meeting: Meeting, minutes: Minutes) -> None:
    with nothing_written(), pytest.raises(Conflict):
        services.publish_minutes(actor, meeting, text="Again", published_on=D(2016, 4, 21))


def test_minutes_cannot_be_published_before_the_meeting(actor: Any, meeting: Meeting) -> None:
    with nothing_written(), pytest.raises(InvalidInput):
        services.publish_minutes(actor, meeting, text="Prophecy", published_on=D(2016, 4, 1))


def sign(
    minutes: Minutes,
    seat: Seat,
    position: str = "approve",
    statement: str = "",
    signed_on: dt.date = D(2016, 4, 25),
) -> SignOff:
    return services.sign_off_minutes(
        system_actor(),
        minutes,
        seat=seat,
        position=position,
        signed_on=signed_on,
        statement=statement,
    )


def test_sign_off_is_keyed_by_minutes_and_sector(minutes: Minutes, seats: list[Seat]) -> None:
    signoff = sign(minutes, seats[2])
    assert signoff.public_id == "signoff/m1-civil-society"
    assert versions(signoff)[0].content["seat"] == seats[2].public_id


def test_dissent_is_signed_with_its_statement(minutes: Minutes, seats: list[Seat]) -> None:
    signoff = sign(minutes, seats[2], "dissent", "  The minutes omit our objection.  ")
    assert (signoff.position, signoff.statement) == ("dissent", "The minutes omit our objection.")


@pytest.mark.parametrize("position", ["dissent", "approve_with_statement"])
@pytest.mark.parametrize("statement", ["", "   "])
def test_dissent_or_reservation_without_a_statement_is_refused(
    minutes: Minutes, seats: list[Seat], position: str, statement: str
) -> None:
    with nothing_written(), pytest.raises(InvalidInput) as refused:
        sign(minutes, seats[2], position, statement)
    assert "statement" in refused.value.field_errors


def test_sign_off_with_an_unknown_position_is_refused(minutes: Minutes, seats: list[Seat]) -> None:
    with nothing_written(), pytest.raises(InvalidInput):
        sign(minutes, seats[2], "shrug")


def test_second_sign_off_of_the_same_sector_is_a_conflict(
    minutes: Minutes, seats: list[Seat]
) -> None:
    sign(minutes, seats[2])
    with nothing_written(), pytest.raises(Conflict):
        sign(minutes, seats[3], "dissent", "Another CSO disagrees")  # same sector, other seat


def test_each_sector_signs_off_once(minutes: Minutes, seats: list[Seat]) -> None:
    for seat in seats[:3]:
        sign(minutes, seat)
    assert sorted(minutes.signoffs.values_list("sector", flat=True)) == [
        "civil_society",
        "government",
        "oversight_body",
    ]


def test_seat_that_started_after_the_meeting_cannot_sign_off(
    forum: Forum, minutes: Minutes
) -> None:
    late = factories.seat(forum, factories.organization("late", "academia"), start_on=D(2016, 5, 1))
    with nothing_written(), pytest.raises(InvalidInput):
        sign(minutes, late)


def test_seat_that_ended_before_the_meeting_cannot_sign_off(
    actor: Any, minutes: Minutes, seats: list[Seat]
) -> None:
    services.end_seat(actor, seats[0], end_on=D(2016, 1, 1), end_reason="term_ended")
    with nothing_written(), pytest.raises(InvalidInput):
        sign(minutes, Seat.objects.get(pk=seats[0].pk))


def test_seat_of_another_forum_cannot_sign_off(
    minutes: Minutes, other_forum: tuple[Forum, list[Seat]]
) -> None:
    with nothing_written(), pytest.raises(InvalidInput):
        sign(minutes, other_forum[1][0])


def test_minutes_cannot_be_signed_off_before_they_are_published(
    minutes: Minutes, seats: list[Seat]
) -> None:
    with nothing_written(), pytest.raises(InvalidInput):
        sign(minutes, seats[0], signed_on=D(2016, 4, 19))


# ---------------------------------------------------------------- decisions


def decide(forum: Forum, positions: dict[Seat, Any], **fields: Any) -> Decision:
    return services.record_decision(
        system_actor(),
        key=fields.pop("key", "d1"),
        forum=forum,
        title="Adopt the plan",
        motion_text="The forum adopts the third action plan.",
        decided_on=D(2016, 4, 15),
        positions=positions,
        **fields,
    )


def test_decision_outcome_follows_the_forums_rule(forum: Forum, seats: list[Seat]) -> None:
    # Consensus of sectors (the default): one CSO against means no consensus.
    decision = decide(forum, {seats[0]: "for", seats[1]: "for", seats[2]: "against"})
    assert decision.outcome == "no_consensus"


def test_decision_under_majority_rule(seats: list[Seat]) -> None:
    forum = factories.forum(seats[0].forum.member, key="maj", decision_rule="majority")
    maj_seats = [factories.seat(forum, s.organization) for s in seats[:3]]
    decision = decide(forum, {maj_seats[0]: "for", maj_seats[1]: "for", maj_seats[2]: "against"})
    assert decision.outcome == "adopted"


def test_decision_versions_every_position_with_its_statement(
    forum: Forum, seats: list[Seat]
) -> None:
    decision = decide(forum, {seats[0]: "for", seats[2]: ("against", "  Not consulted.  ")})
    assert versions(decision)[0].content["positions"] == sorted(
        [
            {
                "seat": seats[0].public_id,
                "sector": "government",
                "position": "for",
                "statement": "",
            },
            {
                "seat": seats[2].public_id,
                "sector": "civil_society",
                "position": "against",
                "statement": "Not consulted.",
            },
        ],
        key=lambda row: row["seat"],
    )
    assert DecisionPosition.objects.filter(decision=decision).count() == 2


def test_decision_may_belong_to_a_meeting(
    forum: Forum, meeting: Meeting, seats: list[Seat]
) -> None:
    decision = decide(forum, {seats[0]: "for"}, meeting=meeting)
    assert versions(decision)[0].content["meeting"] == "meeting/m1"


def test_decision_with_a_taken_key_is_a_conflict(forum: Forum, seats: list[Seat]) -> None:
    decide(forum, {seats[0]: "for"})
    with nothing_written(), pytest.raises(Conflict):
        decide(forum, {seats[0]: "for"})


def test_decision_with_a_seat_of_another_forum_is_refused(
    forum: Forum, seats: list[Seat], other_forum: tuple[Forum, list[Seat]]
) -> None:
    with nothing_written(), pytest.raises(InvalidInput):
        decide(forum, {seats[0]: "for", other_forum[1][0]: "for"})


def test_decision_with_a_meeting_of_another_forum_is_refused(
    seats: list[Seat], other_forum: tuple[Forum, list[Seat]]
) -> None:
    other_meeting = factories.meeting(other_forum[0], key="other-m")
    with nothing_written(), pytest.raises(InvalidInput):
        decide(seats[0].forum, {seats[0]: "for"}, meeting=other_meeting)


def test_decision_with_an_unknown_position_is_refused(forum: Forum, seats: list[Seat]) -> None:
    with nothing_written(), pytest.raises(InvalidInput):
        decide(forum, {seats[0]: "maybe"})


def test_decision_with_a_seat_that_had_ended_is_refused(
    actor: Any, forum: Forum, seats: list[Seat]
) -> None:
    services.end_seat(actor, seats[0], end_on=D(2016, 1, 1), end_reason="term_ended")
    with nothing_written(), pytest.raises(InvalidInput):
        decide(forum, {Seat.objects.get(pk=seats[0].pk): "for", seats[2]: "for"})


def test_updating_a_decision_recomputes_its_outcome(
    actor: Any, forum: Forum, seats: list[Seat]
) -> None:
    decision = decide(forum, {seats[0]: "for", seats[1]: "abstain", seats[2]: "for"})
    assert decision.outcome == "no_consensus"
    services.update_record(actor, forum, changes={"decision_rule": "majority"})
    decision = Decision.objects.get(pk=decision.pk)
    services.update_record(actor, decision, changes={"title": "Adopt the plan (corrected)"})
    assert Decision.objects.get(pk=decision.pk).outcome == "adopted"
    assert versions(decision)[-1].content["outcome"] == "adopted"


# ---------------------------------------------------------------- letters


def test_letter_links_signatories_meetings_and_decisions(
    forum: Forum, meeting: Meeting, seats: list[Seat]
) -> None:
    decision = decide(forum, {seats[0]: "for"})
    orgs = (seats[3].organization, seats[2].organization)
    letter = factories.letter(
        signatories=orgs, meetings=[meeting], decisions=[decision], forum=forum
    )
    content = versions(letter)[0].content
    assert content["signatories"] == sorted(o.public_id for o in orgs)
    assert (content["meetings"], content["decisions"], content["forum"]) == (
        ["meeting/m1"],
        ["decision/d1"],
        "forum/xx-forum",
    )


def test_letter_with_a_taken_key_is_a_conflict() -> None:
    factories.letter(key="l1", reference="REF-1")
    with nothing_written(), pytest.raises(Conflict):
        factories.letter(key="l1", reference="REF-2")


def test_letter_with_a_taken_reference_is_a_conflict() -> None:
    factories.letter(key="l1", reference="REF-1")
    with nothing_written(), pytest.raises(Conflict) as refused:
        factories.letter(key="l2", reference="REF-1")
    assert "reference" in refused.value.field_errors


def test_letter_without_a_date_is_refused() -> None:
    with nothing_written(), pytest.raises(InvalidInput) as refused:
        factories.letter(sent_on=None)
    assert "sent_on" in refused.value.field_errors


def test_letter_with_only_a_date_received_is_accepted() -> None:
    letter = factories.letter(sent_on=None, received_on=D(2017, 6, 1), direction="inbound")
    assert letter.dated == D(2017, 6, 1)


def test_response_letter_without_response_to_is_refused() -> None:
    with nothing_written(), pytest.raises(InvalidInput) as refused:
        factories.letter(letter_type="response")
    assert "response_to" in refused.value.field_errors


def test_response_letter_names_the_letter_it_answers() -> None:
    original = factories.letter(key="l1")
    response = factories.letter(
        key="l2", letter_type="response", response_to=original, direction="inbound"
    )
    assert versions(response)[0].content["response_to"] == "letter/l1"
    assert list(original.responses.all()) == [response]


def test_letter_with_an_unknown_direction_is_invalid() -> None:
    with nothing_written(), pytest.raises(InvalidInput):
        factories.letter(direction="sideways")


# ---------------------------------------------------------------- statements


def test_statement_lists_its_issuers(actor: Any) -> None:
    orgs = [
        factories.organization("b-org", "civil_society"),
        factories.organization("a-org", "civil_society"),
    ]
    statement = services.publish_statement(
        actor,
        key="s1",
        title="On surveillance",
        issued_on=D(2017, 6, 1),
        text="We condemn it.",
        issued_by=orgs,
    )
    assert versions(statement)[0].content["issued_by"] == [
        "organization/a-org",
        "organization/b-org",
    ]


def test_statement_may_name_its_issuer_as_text(actor: Any) -> None:
    statement = services.publish_statement(
        actor,
        key="s1",
        title="Response",
        issued_on=D(2017, 6, 1),
        text="We respond.",
        issuer_label="OGP co-chairs",
    )
    assert versions(statement)[0].content["issuer_label"] == "OGP co-chairs"


def test_statement_without_an_issuer_is_refused(actor: Any) -> None:
    with nothing_written(), pytest.raises(InvalidInput) as refused:
        services.publish_statement(
            actor,
            key="s1",
            title="Anonymous",
            issued_on=D(2017, 6, 1),
            text="Someone said something.",
        )
    assert "issued_by" in refused.value.field_errors


def test_statement_without_a_text_is_refused(actor: Any) -> None:
    with nothing_written(), pytest.raises(InvalidInput):
        services.publish_statement(
            actor,
            key="s1",
            title="Empty",
            issued_on=D(2017, 6, 1),
            text=" ",
            issuer_label="Someone",
        )


def test_statement_with_a_taken_key_is_a_conflict(actor: Any) -> None:
    services.publish_statement(
        actor,
        key="s1",
        title="First",
        issued_on=D(2017, 6, 1),
        text="Text.",
        issuer_label="Someone",
    )
    with nothing_written(), pytest.raises(Conflict):
        services.publish_statement(
            actor,
            key="s1",
            title="Second",
            issued_on=D(2017, 6, 2),
            text="Text.",
            issuer_label="Someone",
        )


# ---------------------------------------------------------------- update_record and retract


def test_update_record_publishes_a_new_version_with_its_reason(actor: Any) -> None:
    member = factories.member()
    version = services.update_record(
        actor, member, changes={"status": "under_review"}, reason="SC resolution"
    )
    assert (version.version, version.op, version.reason) == (2, "update", "SC resolution")
    assert version.content["status"] == "under_review"


def test_update_record_refuses_fields_that_cannot_change(actor: Any, seats: list[Seat]) -> None:
    with nothing_written(), pytest.raises(InvalidInput, match="forum"):
        services.update_record(actor, seats[0], changes={"forum": None})
    assert Seat.objects.get(pk=seats[0].pk).version == 1


def test_update_record_refuses_a_change_that_changes_nothing(actor: Any) -> None:
    member = factories.member(name="Exampleland")
    with nothing_written(), pytest.raises(InvalidInput):
        services.update_record(actor, member, changes={"name": "Exampleland"})


def test_update_record_refuses_invalid_values(actor: Any) -> None:
    member = factories.member()
    with nothing_written(), pytest.raises(InvalidInput):
        services.update_record(actor, member, changes={"status": "on_holiday"})
    assert Member.objects.get(pk=member.pk).status == "active"


def test_update_record_cannot_move_a_seat_start_after_its_end(
    actor: Any, seats: list[Seat]
) -> None:
    services.end_seat(actor, seats[0], end_on=D(2016, 1, 1), end_reason="term_ended")
    seat = Seat.objects.get(pk=seats[0].pk)
    with nothing_written(), pytest.raises(InvalidInput):
        services.update_record(actor, seat, changes={"start_on": D(2017, 1, 1)})


def test_retract_keeps_every_earlier_version(actor: Any, forum: Forum, seats: list[Seat]) -> None:
    letter = factories.letter()
    services.retract(actor, letter, reason="Registered in error")
    assert [v.op for v in versions(letter)] == ["create", "retract"]
    assert Letter.objects.filter(pk=letter.pk).exists()


def test_nothing_new_can_be_recorded_under_a_retracted_forum(actor: Any, forum: Forum) -> None:
    services.retract(actor, forum, reason="Recorded by mistake")
    org = factories.organization("late-cso", "civil_society")
    with nothing_written(), pytest.raises(Conflict, match="retracted"):
        services.add_seat(
            actor, key="late-seat", forum=forum, organization=org, start_on=D(2016, 1, 1)
        )


def test_no_meeting_can_be_scheduled_for_a_retracted_forum(actor: Any, forum: Forum) -> None:
    services.retract(actor, forum, reason="Recorded by mistake")
    with nothing_written(), pytest.raises(Conflict, match="retracted"):
        services.schedule_meeting(
            actor, key="late-meeting", forum=forum, title="Late", date=D(2016, 1, 1)
        )
