"""Steering Committee services: seats, co-chairs, subcommittees, meetings, resolutions,
member status and missions. Each write is logged; what the rules forbid is refused."""

from __future__ import annotations

import datetime as dt

import pytest

from tripartite.core.actors import system_actor
from tripartite.core.errors import Conflict, InvalidInput
from tripartite.core.models import RecordVersion
from tripartite.forums.tests import factories as forum_factories
from tripartite.oversight import services
from tripartite.oversight.models import StatusChange
from tripartite.oversight.tests.factories import cs_seat, gov_seat, person, small_committee

pytestmark = pytest.mark.django_db
D = dt.date


def _versions(record_type: str) -> int:
    return RecordVersion.objects.filter(record_type=record_type).count()


def test_a_seat_runs_three_years_from_its_1_october_start_and_is_logged() -> None:
    seat = gov_seat(forum_factories.member("fr", "France"), "fr-2016", D(2016, 10, 1))
    assert (seat.term_start, seat.term_end, seat.term_number) == (
        D(2016, 10, 1),
        D(2019, 9, 30),
        1,
    )
    assert seat.term_rule == "policy/sc-term-2011"
    assert _versions("scseat") == 1


def test_a_seat_starting_on_another_day_is_refused() -> None:
    with pytest.raises(InvalidInput, match=r"(0?1) October"):
        gov_seat(forum_factories.member(), "xx-2016", D(2016, 9, 20))


def test_a_second_consecutive_term_is_numbered_two() -> None:
    member = forum_factories.member()
    gov_seat(member, "xx-2013", D(2013, 10, 1))
    second = gov_seat(member, "xx-2016", D(2016, 10, 1))
    assert second.term_number == 2


def test_a_third_consecutive_term_is_refused() -> None:
    member = forum_factories.member()
    gov_seat(member, "xx-2010", D(2011, 10, 1))
    gov_seat(member, "xx-2014", D(2014, 10, 1))
    with pytest.raises(InvalidInput, match="at most 2 consecutive terms"):
        gov_seat(member, "xx-2017", D(2017, 10, 1))


def test_a_term_after_a_break_starts_again_at_one() -> None:
    member = forum_factories.member()
    gov_seat(member, "xx-2011", D(2011, 10, 1))
    gov_seat(member, "xx-2014", D(2014, 10, 1))
    assert gov_seat(member, "xx-2018", D(2018, 10, 1)).term_number == 1


def test_overlapping_seats_of_one_holder_are_refused() -> None:
    member = forum_factories.member()
    gov_seat(member, "xx-2015", D(2015, 10, 1))
    with pytest.raises(Conflict, match="already holds"):
        gov_seat(member, "xx-2016", D(2016, 10, 1))


def test_a_constituency_cannot_hold_more_seats_than_the_committee_has() -> None:
    small_committee(1)
    gov_seat(forum_factories.member("aa", "A"), "aa-2015")
    with pytest.raises(Conflict, match="All 1 government seats"):
        gov_seat(forum_factories.member("bb", "B"), "bb-2015")


def test_parity_holds_by_construction_a_civil_society_seat_fills_its_own_half() -> None:
    small_committee(1)
    gov_seat(forum_factories.member("aa", "A"), "aa-2015")
    assert cs_seat(person("p"), "p-2015").constituency == "civil_society"


def test_a_left_seat_frees_its_place_for_a_new_holder() -> None:
    small_committee(1)
    first = gov_seat(forum_factories.member("aa", "A"), "aa-2015")
    services.end_sc_seat(system_actor(), first, on=D(2016, 3, 31), reason="resigned")
    later = services.add_sc_seat(
        system_actor(),
        key="bb-2016",
        constituency="government",
        member=forum_factories.member("bb", "B"),
        term_start=D(2016, 10, 1),
        selection="election",
    )
    assert later.term_start == D(2016, 10, 1)


def test_two_lead_co_chairs_of_one_constituency_in_one_year_are_refused() -> None:
    first = gov_seat(forum_factories.member("aa", "A"), "aa-2015")
    second = gov_seat(forum_factories.member("bb", "B"), "bb-2015")
    services.appoint_co_chair(
        system_actor(), key="aa-lead", seat=first, role="lead", starts_on=D(2016, 10, 1)
    )
    with pytest.raises(Conflict, match="already the lead co-chair"):
        services.appoint_co_chair(
            system_actor(), key="bb-lead", seat=second, role="lead", starts_on=D(2016, 10, 1)
        )


def test_a_co_chair_must_hold_a_seat_for_the_whole_year() -> None:
    seat = gov_seat(forum_factories.member(), "xx-2015", D(2015, 10, 1))
    with pytest.raises(InvalidInput, match="whole co-chair year"):
        services.appoint_co_chair(
            system_actor(), key="late", seat=seat, role="lead", starts_on=D(2018, 10, 1)
        )


def test_a_subcommittee_with_unequal_constituencies_is_refused() -> None:
    sub = services.create_subcommittee(system_actor(), key="gl", code="GL", name="GL")
    seats = [
        gov_seat(forum_factories.member("aa", "A"), "aa-2015"),
        gov_seat(forum_factories.member("bb", "B"), "bb-2015"),
        cs_seat(person("p"), "p-2015"),
    ]
    with pytest.raises(InvalidInput, match="equal number"):
        services.set_subcommittee_members(system_actor(), sub, on=D(2016, 1, 1), seats=seats)


def test_a_new_subcommittee_membership_ends_the_previous_one() -> None:
    sub = services.create_subcommittee(system_actor(), key="gl", code="GL", name="GL")
    a = gov_seat(forum_factories.member("aa", "A"), "aa-2015")
    b = gov_seat(forum_factories.member("bb", "B"), "bb-2015")
    p = cs_seat(person("p"), "p-2015")
    services.set_subcommittee_members(system_actor(), sub, on=D(2016, 1, 1), seats=[a, p])
    services.set_subcommittee_members(system_actor(), sub, on=D(2017, 1, 1), seats=[b, p])
    ended = sub.memberships.get(seat=a)
    assert ended.ends_on == D(2016, 12, 31)
    assert sub.to_record()["members"][-1]["starts_on"] == "2017-01-01"


def test_sc_minutes_are_due_fourteen_days_after_the_meeting() -> None:
    meeting = services.schedule_sc_meeting(
        system_actor(),
        key="m",
        title="SC",
        level="working",
        starts_on=D(2017, 6, 27),
        ends_on=D(2017, 6, 28),
    )
    assert meeting.minutes_due_on == D(2017, 7, 12)
    assert meeting.minutes_rule == "policy/sc-minutes-2011"


def test_minutes_need_a_text_or_an_address() -> None:
    meeting = services.schedule_sc_meeting(
        system_actor(), key="m", title="SC", level="working", starts_on=D(2017, 6, 27)
    )
    with pytest.raises(InvalidInput, match="Minutes need"):
        services.publish_sc_minutes(system_actor(), meeting, published_on=D(2017, 7, 1))


def test_a_recorded_vote_larger_than_the_committee_is_refused() -> None:
    with pytest.raises(InvalidInput, match="22 seats"):
        services.record_resolution(
            system_actor(),
            key="r",
            title="R",
            text="T",
            adopted_on=D(2016, 5, 4),
            method="vote",
            votes={"for": 20, "against": 3, "abstain": 3},
        )


def test_a_recorded_vote_needs_all_three_counts() -> None:
    with pytest.raises(InvalidInput, match="for, against and abstaining"):
        services.record_resolution(
            system_actor(),
            key="r",
            title="R",
            text="T",
            adopted_on=D(2016, 5, 4),
            method="vote",
            votes={"for": 16},
        )


def test_a_consensus_resolution_has_no_vote_count() -> None:
    resolution = services.record_resolution(
        system_actor(), key="r", title="R", text="T", adopted_on=D(2017, 6, 28), method="consensus"
    )
    assert resolution.to_record()["votes"] is None


def test_a_resolution_of_a_meeting_is_dated_within_it() -> None:
    meeting = services.schedule_sc_meeting(
        system_actor(), key="m", title="SC", level="working", starts_on=D(2017, 6, 27)
    )
    with pytest.raises(InvalidInput, match="during the meeting"):
        services.record_resolution(
            system_actor(),
            key="r",
            title="R",
            text="T",
            adopted_on=D(2017, 7, 1),
            method="consensus",
            meeting=meeting,
        )


def _resolution(member: object, day: dt.date = D(2016, 5, 4)) -> object:
    return services.record_resolution(
        system_actor(),
        key=f"r-{day}",
        title="Inactive",
        text="The SC designates the member inactive.",
        adopted_on=day,
        method="vote",
        votes={"for": 16, "against": 3, "abstain": 3},
        member=member,  # type: ignore[arg-type]
    )


def test_a_status_change_updates_the_member_and_keeps_its_basis() -> None:
    member = forum_factories.member("az", "Azerbaijan")
    resolution = _resolution(member)
    change = services.change_member_status(
        system_actor(),
        member,
        to="inactive",
        on=D(2016, 5, 4),
        reason="Response Policy",
        resolution=resolution,  # type: ignore[arg-type]
    )
    member.refresh_from_db()
    assert (member.status, member.status_since) == ("inactive", D(2016, 5, 4))
    assert change.to_record()["resolution"] == "resolution/r-2016-05-04"
    assert RecordVersion.objects.filter(record_type="member", record_key="az").count() == 2


def test_a_status_change_the_machine_forbids_is_refused_and_nothing_is_written() -> None:
    member = forum_factories.member("az", "Azerbaijan")
    with pytest.raises(InvalidInput, match="Only a Steering Committee resolution"):
        services.change_member_status(
            system_actor(), member, to="suspended", on=D(2016, 5, 4), reason="x"
        )
    assert not StatusChange.objects.exists()
    member.refresh_from_db()
    assert member.status == "active"


def test_a_status_change_cannot_predate_the_resolution_behind_it() -> None:
    member = forum_factories.member("az", "Azerbaijan")
    resolution = _resolution(member, D(2016, 5, 4))
    with pytest.raises(InvalidInput, match="before the resolution"):
        services.change_member_status(
            system_actor(),
            member,
            to="inactive",
            on=D(2016, 5, 1),
            reason="x",
            resolution=resolution,  # type: ignore[arg-type]
        )


def test_a_status_change_cannot_rest_on_a_resolution_about_another_member() -> None:
    member = forum_factories.member("az", "Azerbaijan")
    resolution = _resolution(forum_factories.member("hu", "Hungary"))
    with pytest.raises(InvalidInput, match="another member"):
        services.change_member_status(
            system_actor(),
            member,
            to="inactive",
            on=D(2016, 5, 4),
            reason="x",
            resolution=resolution,  # type: ignore[arg-type]
        )


def test_a_mission_needs_an_envoy() -> None:
    with pytest.raises(InvalidInput, match="at least one envoy"):
        services.record_mission(
            system_actor(),
            key="m",
            member=forum_factories.member(),
            title="Visit",
            mandate="Gather information",
            envoys=[],
        )


def test_a_mission_report_is_a_new_logged_version() -> None:
    mission = services.record_mission(
        system_actor(),
        key="m",
        member=forum_factories.member(),
        title="Visit",
        mandate="Gather information",
        envoys=[person("envoy")],
        starts_on=D(2017, 10, 19),
        ends_on=D(2017, 10, 20),
    )
    services.report_mission(
        system_actor(), mission, reported_on=D(2017, 11, 30), report="Findings."
    )
    assert _versions("mission") == 2
    assert mission.to_record()["envoys"] == ["person/envoy"]


def test_an_empty_membership_ends_the_subcommittee_s_current_members() -> None:
    sub = services.create_subcommittee(system_actor(), key="gl", code="GL", name="GL")
    a = gov_seat(forum_factories.member("aa", "A"), "aa-2015")
    p = cs_seat(person("p"), "p-2015")
    services.set_subcommittee_members(system_actor(), sub, on=D(2016, 1, 1), seats=[a, p])
    services.set_subcommittee_members(system_actor(), sub, on=D(2018, 10, 1), seats=[])
    assert {m.ends_on for m in sub.memberships.all()} == {D(2018, 9, 30)}
    with pytest.raises(InvalidInput, match="no current members"):
        services.set_subcommittee_members(system_actor(), sub, on=D(2019, 1, 1), seats=[])


def test_a_status_change_cannot_rest_on_a_case_about_another_member() -> None:
    from tripartite.oversight.tests.factories import oversight_world

    world = oversight_world()
    resolution = services.record_resolution(
        system_actor(),
        key="yy-active",
        title="Active again",
        text="T",
        adopted_on=D(2018, 1, 1),
        method="consensus",
        member=world.other,
    )
    with pytest.raises(InvalidInput, match="case concerns another member"):
        services.change_member_status(
            system_actor(),
            world.other,
            to="active",
            on=D(2018, 1, 1),
            reason="x",
            resolution=resolution,
            case=world.case,
        )


def test_a_mission_cannot_carry_a_case_about_another_member() -> None:
    from tripartite.oversight.tests.factories import oversight_world

    world = oversight_world()
    with pytest.raises(InvalidInput, match="case concerns another member"):
        services.record_mission(
            system_actor(),
            key="m2",
            member=world.other,
            title="Visit",
            mandate="Gather information",
            envoys=[world.envoy],
            case=world.case,
        )


def test_a_government_seat_without_a_member_says_so() -> None:
    with pytest.raises(InvalidInput, match="held by a member government"):
        services.add_sc_seat(
            system_actor(),
            key="x",
            constituency="government",
            term_start=D(2016, 10, 1),
            selection="election",
        )
