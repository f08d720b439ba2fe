"""Every oversight page, JSON twin, feed and API operation runs a bounded number of SQL
queries: the count on the small world of ``oversight_world`` equals the count once the
record has grown several-fold (more members and their status changes, seats over three
more terms with co-chairs and subcommittee members, meetings with agendas, background
documents and resolutions, cases with filers, steps and tasks, missions with envoys,
contrary findings and the reviews they open, letters).

The two measurements are made once for the module (built through the services and rolled
back afterwards); each test then compares one URL's counts.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from dataclasses import dataclass
from typing import Any

import pytest
from django.db import connection, transaction
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext

from tripartite.core.actors import system_actor
from tripartite.forums.models import Letter, Member
from tripartite.forums.tests import factories as forum_factories
from tripartite.forums.tests.read_world import assert_test_database
from tripartite.oversight import case_services, review_services, services
from tripartite.oversight.models import (
    CaseStep,
    CoChair,
    ConcernCase,
    ContraryFinding,
    EnvoyMission,
    ProceduralReview,
    Resolution,
    ScAgendaItem,
    ScMeeting,
    ScSeat,
    StatusChange,
    SubcommitteeMembership,
)
from tripartite.oversight.tests import factories
from tripartite.oversight.tests.conftest import oversight_read_world
from tripartite.oversight.tests.factories import OversightWorld

D = dt.date
pytestmark = pytest.mark.django_db

URLS: list[str] = [
    # pages
    "/oversight/",
    "/member/xx/standing/",
    "/member/yy/standing/",
    "/steering-committee/",
    "/steering-committee/?on=2017-01-01",
    "/scseat/yy-2015/",
    "/cochair/yy-lead-2016/",
    "/subcommittee/cs/",
    "/scmeeting/sc-2017-06/",
    "/scmeetings/",
    "/resolution/yy-inactive-2017/",
    "/resolutions/",
    "/resolutions/?member=xx",
    "/case/xx-2017/",
    "/cases/",
    "/mission/xx-2017-10/",
    "/contrary/xx-1-late/",
    "/review/xx-2/",
    "/compliance/xx-1/",
    "/letters/feed.atom",
    # JSON twins
    "/oversight.json",
    "/member/xx/standing.json",
    "/steering-committee.json?on=2017-01-01",
    "/scmeeting/sc-2017-06.json",
    "/case/xx-2017.json",
    "/cases.json",
    # API lists
    "/api/v1/sc-seats",
    "/api/v1/co-chairs",
    "/api/v1/subcommittees",
    "/api/v1/sc-meetings",
    "/api/v1/sc-meetings?member=xx",
    "/api/v1/resolutions",
    "/api/v1/status-changes",
    "/api/v1/cases",
    "/api/v1/missions",
    "/api/v1/contrary-findings",
    "/api/v1/reviews",
    "/api/v1/compliance-readings",
    # API details
    "/api/v1/members/xx/standing",
    "/api/v1/steering-committee?on=2017-01-01",
    "/api/v1/sc-seats/yy-2015",
    "/api/v1/co-chairs/yy-lead-2016",
    "/api/v1/subcommittees/cs",
    "/api/v1/sc-meetings/sc-2017-06",
    "/api/v1/resolutions/yy-inactive-2017",
    "/api/v1/cases/xx-2017",
    "/api/v1/missions/xx-2017-10",
    "/api/v1/contrary-findings/xx-1-late",
    "/api/v1/reviews/xx-2",
    "/api/v1/compliance-readings/xx-1",
]


# ---------------------------------------------------------------- growing the record


def grow(world: OversightWorld) -> None:
    actor = system_actor()
    members = [forum_factories.member(f"g{n}", f"Growland {n}") for n in range(8)]
    # Seats over three more terms, each term's co-chairs, and subcommittee members.
    for start in (D(2018, 10, 1), D(2021, 10, 1), D(2024, 10, 1)):
        year = start.year
        gov = [
            factories.gov_seat(members[i], f"g{i}-{year}", start=start)
            for i in ((year - 2018) // 3 * 2, (year - 2018) // 3 * 2 + 1)
        ]
        cs = [
            factories.cs_seat(factories.person(f"p{year}-{i}"), f"p{year}-{i}", start=start)
            for i in range(2)
        ]
        for offset in range(3):
            begins = D(year + offset, 10, 1)
            if begins.year + 1 > start.year + 3:
                break
            for seat, role in (
                (gov[0], "lead"),
                (gov[1], "incoming"),
                (cs[0], "lead"),
                (cs[1], "incoming"),
            ):
                services.appoint_co_chair(
                    actor,
                    key=f"{seat.key}-{role}-{begins.year}",
                    seat=seat,
                    role=role,
                    starts_on=begins,
                )
        services.set_subcommittee_members(
            actor, world.subcommittee, on=start, seats=[*gov, *cs], co_chairs=[cs[0]]
        )
    # Meetings with agendas, background documents and resolutions about the world's member.
    for n in range(6):
        day = D(2017, 6, 27)
        meeting = ScMeeting.objects.get(pk=world.meeting.pk)
        if n:
            day = D(2019 + n, 4, 20)
            meeting = services.schedule_sc_meeting(
                actor,
                key=f"sc-grow-{n}",
                title=f"Meeting {n}",
                level="ministerial",
                starts_on=day,
                agenda=[
                    {"title": f"Item {i}", "member": world.member, "case": world.case}
                    for i in range(5)
                ],
            )
        for i in range(4):
            services.add_background_document(
                actor, meeting, title=f"Paper {n}-{i}", published_on=day - dt.timedelta(days=i)
            )
        for i in range(3):
            services.record_resolution(
                actor,
                key=f"grow-{n}-{i}",
                title=f"Resolution {n}.{i}",
                text="Text.",
                adopted_on=day if n else D(2017, 6, 28),
                method="vote",
                votes={"for": 2, "against": 1, "abstain": 1},
                meeting=meeting,
                member=world.member,
                case=world.case,
            )
    # Status changes of the new members, each by resolution.
    for n, member in enumerate(members):
        resolution = services.record_resolution(
            actor,
            key=f"inactive-g{n}",
            title=f"Growland {n} inactive",
            text="Text.",
            adopted_on=D(2020, 1, 1 + n),
            method="consensus",
            member=member,
        )
        services.change_member_status(
            actor,
            member,
            to="inactive",
            on=D(2020, 1, 1 + n),
            reason="Stage two.",
            resolution=resolution,
        )
        services.change_member_status(
            actor,
            Member.objects.get(pk=member.pk),
            to="active",
            on=D(2021, 1, 1 + n),
            reason="Reactivated.",
            resolution=services.record_resolution(
                actor,
                key=f"active-g{n}",
                title=f"Growland {n} active again",
                text="Text.",
                adopted_on=D(2021, 1, 1 + n),
                method="consensus",
                member=member,
            ),
        )
    # The world's case: more steps, tasks, letters and missions; and more cases.
    case = ConcernCase.objects.get(pk=world.case.pk)
    for i in range(6):
        case_services.add_outreach_task(
            actor, case, title=f"Task {i}", owner=world.envoy, due_on=D(2017, 7, 1 + i)
        )
    letters = [
        forum_factories.letter(f"grow-letter-{i}", member=world.member, sent_on=D(2017, 4, 1 + i))
        for i in range(8)
    ]
    case_services.attach_to_case(actor, case, letters=letters)
    resolution = Resolution.objects.get(key="xx-envoys-2017")
    for i in range(5):
        services.record_mission(
            actor,
            key=f"xx-grow-{i}",
            member=world.member,
            title=f"Visit {i}",
            mandate="Gather information.",
            envoys=[factories.person(f"envoy-{i}-{j}") for j in range(3)],
            resolution=resolution,
            case=case,
            starts_on=D(2018, 1, 1 + i),
        )
    multilateral = world.multilateral
    for n, member in enumerate(members):
        other_case = case_services.file_case(
            actor,
            key=f"g{n}-case",
            member=member,
            title=f"Concerns about Growland {n}",
            concerns="Concerns.",
            received_on=D(2022, 1, 1 + n),
            filers=[(multilateral, "multilateral_partner")],
        )
        case_services.advance_case(actor, other_case, to="acknowledged", on=D(2022, 2, 1), by="su")
        case_services.advance_case(
            actor,
            other_case,
            to="eligibility_review",
            on=D(2022, 2, 2),
            by="su",
            confidential_note=f"Secret {n}",
        )
    # Contrary findings in two consecutive cycles of new members, opening reviews.
    for n in range(4):
        member = forum_factories.member(f"h{n}", f"Hindland {n}")
        for plan in factories.contrary_plans(member, 2):
            review_services.record_contrary_finding(
                actor,
                key=f"{plan.key}-late",
                plan=plan,
                trigger="late_plan",
                source="calendar",
                found_on=D(plan.start_on.year + 1, 1, 15),
                explanation="Late.",
            )


# ---------------------------------------------------------------- measuring


@dataclass
class Measure:
    status: int
    queries: list[str]


def measure(client: Client, url: str) -> Measure:
    client.get(url)  # warm up
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    return Measure(response.status_code, [q["sql"] for q in captured.captured_queries])


def sizes() -> dict[str, int]:
    return {
        "members": Member.objects.count(),
        "seats": ScSeat.objects.count(),
        "co-chairs": CoChair.objects.count(),
        "subcommittee members": SubcommitteeMembership.objects.count(),
        "meetings": ScMeeting.objects.count(),
        "agenda items": ScAgendaItem.objects.count(),
        "resolutions": Resolution.objects.count(),
        "status changes": StatusChange.objects.count(),
        "cases": ConcernCase.objects.count(),
        "case steps": CaseStep.objects.count(),
        "missions": EnvoyMission.objects.count(),
        "contrary findings": ContraryFinding.objects.count(),
        "reviews": ProceduralReview.objects.count(),
        "letters": Letter.objects.count(),
    }


@dataclass
class Measured:
    counts: dict[str, tuple[Measure, Measure]]
    sizes: tuple[dict[str, int], dict[str, int]]


@pytest.fixture(scope="module")
def measured(django_db_setup: None, django_db_blocker: Any) -> Measured:
    client = Client()
    static = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
    with (
        django_db_blocker.unblock(),
        override_settings(
            STORAGES={
                "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
                "staticfiles": static,
            }
        ),
        transaction.atomic(),
    ):
        assert_test_database()
        world = oversight_read_world()
        small = sizes()
        before = {url: measure(client, url) for url in URLS}
        grow(world)
        large = sizes()
        after = {url: measure(client, url) for url in URLS}
        transaction.set_rollback(True)
    return Measured({url: (before[url], after[url]) for url in URLS}, (small, large))


def shape(sql: str) -> str:
    sql = re.sub(r"'(?:[^']|'')*'", "?", sql)
    sql = re.sub(r"\b\d+\b", "?", sql)
    return re.sub(r"\(\?(?:, \?)*\)", "(…)", sql)


def repeated(before: list[str], after: list[str]) -> str:
    grown = Counter(map(shape, after)) - Counter(map(shape, before))
    return "\n".join(f"  +{n} x {sql[:300]}" for sql, n in grown.most_common())


def test_every_url_answers_200(measured: Measured) -> None:
    failing = {
        url: (b.status, a.status)
        for url, (b, a) in measured.counts.items()
        if (b.status, a.status) != (200, 200)
    }
    assert failing == {}


def test_the_record_really_grew_several_fold(measured: Measured) -> None:
    small, large = measured.sizes
    too_small = {
        what: (small[what], large[what]) for what in small if large[what] < 3 * max(small[what], 1)
    }
    assert too_small == {}


@pytest.mark.parametrize("url", URLS)
def test_query_count_does_not_grow_with_the_record(measured: Measured, url: str) -> None:
    before, after = measured.counts[url]
    assert len(after.queries) == len(before.queries), (
        f"{url}: {len(before.queries)} queries on the small record, "
        f"{len(after.queries)} on the large one; repeated:\n"
        + repeated(before.queries, after.queries)
    )
