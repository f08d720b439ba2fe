"""Every page and every API operation runs a bounded number of SQL queries, whatever the
data size: the count on a small record set equals the count once many more seats,
meetings, letters, decisions, sign-offs and withdrawals were added.

The two measurements are made once for the module (the data is built through the services
and rolled back afterwards); each test then compares one URL's counts.
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
from tripartite.core.models import RecordVersion
from tripartite.forums import services
from tripartite.forums.models import (
    Decision,
    DecisionPosition,
    Letter,
    Meeting,
    MeetingAttendance,
    Organization,
    Seat,
    SignOff,
    WithdrawalGroup,
)
from tripartite.forums.tests import factories
from tripartite.forums.tests.read_world import World, assert_test_database, build_world

D = dt.date

# Every test uses the database, so pytest-django sets up the test database (and never lets
# the module fixture below reach the development one).
pytestmark = pytest.mark.django_db


@dataclass(frozen=True)
class Case:
    """One page type or API operation: measured on ``small`` before growth and on ``large``
    after (the same URL unless the small record cannot grow, e.g. a decision's positions)."""

    small: str
    large: str | None = None

    @property
    def after_url(self) -> str:
        return self.large or self.small


CASES: dict[str, Case] = {
    # pages
    "page home": Case("/"),
    "page member": Case("/member/mx/"),
    "page forum": Case("/forum/stt/"),
    "page seat": Case("/seat/stt-article19/"),
    "page meeting": Case("/meeting/stt-2016-04/"),
    "page decision": Case("/decision/stt-2016-d1/", "/decision/big-decision/"),
    "page letters": Case("/letters/"),
    "page letters filtered": Case("/letters/?sector=civil_society&year=2017"),
    "page letter": Case("/letter/mx-2017-0001/", "/letter/big-letter/"),
    "page statement": Case("/statement/cso-2017-statement/", "/statement/big-statement/"),
    "page organization": Case("/organization/article19/"),
    "page person": Case("/person/jdoe/"),
    "page history": Case("/history/member/mx/"),
    "canonical json": Case("/records/member/mx/v1.json"),
    # JSON twins of pages
    "json member": Case("/member/mx.json"),
    "json forum": Case("/forum/stt.json"),
    "json seat": Case("/seat/stt-article19.json"),
    "json meeting": Case("/meeting/stt-2016-04.json"),
    "json decision": Case("/decision/stt-2016-d1.json", "/decision/big-decision.json"),
    "json letters": Case("/letters.json"),
    "json letter": Case("/letter/mx-2017-0001.json", "/letter/big-letter.json"),
    "json statement": Case("/statement/cso-2017-statement.json", "/statement/big-statement.json"),
    "json organization": Case("/organization/article19.json"),
    "json person": Case("/person/jdoe.json"),
    # API lists
    "api members": Case("/api/v1/members"),
    "api forums": Case("/api/v1/forums"),
    "api seats": Case("/api/v1/seats"),
    "api meetings": Case("/api/v1/meetings"),
    "api decisions": Case("/api/v1/decisions"),
    "api letters": Case("/api/v1/letters"),
    "api letters filtered": Case("/api/v1/letters?sector=civil_society&year=2017"),
    "api statements": Case("/api/v1/statements"),
    "api versions": Case("/api/v1/records/member/mx/versions"),
    # API details
    "api member": Case("/api/v1/members/mx"),
    "api forum": Case("/api/v1/forums/stt"),
    "api seat": Case("/api/v1/seats/stt-article19"),
    "api meeting": Case("/api/v1/meetings/stt-2016-04"),
    "api decision": Case("/api/v1/decisions/stt-2016-d1", "/api/v1/decisions/big-decision"),
    "api letter": Case("/api/v1/letters/mx-2017-0001", "/api/v1/letters/big-letter"),
    "api statement": Case(
        "/api/v1/statements/cso-2017-statement", "/api/v1/statements/big-statement"
    ),
    "api organization": Case("/api/v1/organizations/article19"),
    "api person": Case("/api/v1/people/jdoe"),
    "api version": Case("/api/v1/records/member/mx/versions/1"),
}

WITHDRAWAL_GROUP_FORUM = (
    "BUG (N+1): seat_out() builds ref(seat.withdrawal_group), whose get_absolute_url() reads "
    "group.forum, and queries.seats() selects 'withdrawal_group' but not "
    "'withdrawal_group__forum': one extra `SELECT ... FROM forums_forum` per withdrawn seat. "
    "Fix: add 'withdrawal_group__forum' to SEAT_RELATED in forums/queries.py."
)
TIMELINE_GROUP_FORUM = (
    " Also membership_timeline() calls group.get_absolute_url() on WithdrawalGroup rows loaded "
    "without their forum: one more forum query per collective withdrawal. Fix: "
    "select_related('forum', 'letter') on the groups in forum_detail."
)
KNOWN_BUGS: dict[str, str] = {}


# ---------------------------------------------------------------- growing the record


def grow(world: World) -> None:
    """Add many rows of every kind around the records the URLs show."""
    actor = system_actor()
    member, forum, person = world.member, world.forum, world.person
    a19 = world.csos[0].organization

    for n in range(6):
        factories.member(key=f"grow-member-{n}", name=f"Growland {n}")

    # More forums of the member; Article 19 and the ministry sit in each, Jane Doe represents.
    # Article 19 walks out of two of them.
    for n in range(4):
        local = factories.forum(
            member, key=f"mx-local-{n}", name=f"Local forum {n}", established_on=D(2016, 1, 1)
        )
        a19_seat = factories.seat(local, a19, start_on=D(2016, 1, 1), representative=person)
        factories.seat(local, world.gov.organization, start_on=D(2016, 1, 1), representative=person)
        if n < 2:
            services.record_collective_withdrawal(
                actor,
                key=f"local-walkout-{n}",
                forum=local,
                seats=[a19_seat],
                withdrawn_on=D(2017, 6, 1),
                title="Article 19 leaves",
                letter=world.walkout,
            )

    # Many more seats in the forum, in four sectors; some represented by Jane Doe.
    sectors = ["government", "oversight_body", "civil_society", "academia"]
    new_seats: list[Seat] = []
    for n in range(16):
        org = factories.organization(
            f"grow-org-{n}", sectors[n % 4], f"Grown Org {n}", member=member
        )
        new_seats.append(
            factories.seat(
                forum, org, start_on=D(2015, 6, 1), representative=person if n % 3 == 0 else None
            )
        )
    all_seats = [world.gov, world.ovs, *world.csos, *new_seats]
    by_sector = {sector: next(s for s in new_seats if s.sector == sector) for sector in sectors}

    # Meetings with agendas, attendance, minutes and a sign-off from four sectors.
    meetings: list[Meeting] = []
    for n in range(6):
        day = D(2016, 6, 1) + dt.timedelta(days=30 * n)
        meeting = factories.meeting(
            forum, key=f"grow-meeting-{n}", day=day, agenda=[f"Item {i}" for i in range(5)]
        )
        services.record_attendance(actor, meeting, attendance={s: "present" for s in all_seats})
        minutes = services.publish_minutes(actor, meeting, text=f"Minutes {n}", published_on=day)
        for sector in sectors:
            services.sign_off_minutes(
                actor,
                minutes,
                seat=by_sector[sector],
                position="dissent",
                statement=f"Reservation {n}",
                signed_on=day,
            )
        meetings.append(meeting)

    # The measured meeting: longer agenda, everyone's attendance, two more sign-offs.
    measured = world.meeting
    services.set_agenda(actor, measured, agenda=[f"Point {i}" for i in range(10)])
    services.record_attendance(actor, measured, attendance={s: "excused" for s in all_seats})
    services.sign_off_minutes(
        actor, world.minutes, seat=world.ovs, position="approve", signed_on=D(2016, 4, 23)
    )
    services.sign_off_minutes(
        actor,
        world.minutes,
        seat=by_sector["academia"],
        position="approve_with_statement",
        statement="With reservations",
        signed_on=D(2016, 4, 23),
    )

    # Decisions with a position from every seat, several at the measured meeting.
    decisions: list[Decision] = []
    for n in range(6):
        decisions.append(
            services.record_decision(
                actor,
                key=f"grow-decision-{n}",
                forum=forum,
                title=f"Decision {n}",
                motion_text="Motion.",
                decided_on=D(2016, 4, 15),
                meeting=measured if n % 2 else meetings[n],
                positions={
                    s: ("against", "No.") if i % 4 == 0 else "for" for i, s in enumerate(all_seats)
                },
            )
        )
    decisions.append(
        services.record_decision(
            actor,
            key="big-decision",
            forum=forum,
            title="Big decision",
            motion_text="Motion.",
            decided_on=D(2016, 4, 15),
            meeting=measured,
            positions={
                s: ("abstain", "Unsure.") if i % 5 == 0 else "for" for i, s in enumerate(all_seats)
            },
        )
    )

    # Letters with several signatories each, linked to meetings and decisions.
    orgs = list(Organization.objects.order_by("key"))
    for n in range(20):
        signatories = (a19, *orgs[n % 7 : n % 7 + 3])
        factories.letter(
            key=f"grow-letter-{n}",
            reference=f"GROW-{n:03d}",
            subject=f"Grown letter {n}",
            letter_type="letter_of_concern",
            signatories=signatories,
            member=member,
            forum=forum,
            sent_on=D(2017, 1, 1) + dt.timedelta(days=n),
            meetings=[measured],
            decisions=decisions[:2],
            status="awaiting_response",
        )
    for n in range(5):
        factories.letter(
            key=f"grow-reply-{n}",
            reference=f"REPLY-{n:03d}",
            subject=f"Reply {n}",
            letter_type="response",
            direction="inbound",
            sent_on=None,
            received_on=D(2017, 7, 1 + n),
            response_to=world.walkout,
            member=member,
            signatories=tuple(orgs[n : n + 2]),
        )
    big_letter = factories.letter(
        key="big-letter",
        reference="BIG-001",
        subject="Big letter",
        member=member,
        forum=forum,
        signatories=tuple(orgs[:12]),
        meetings=[measured, *meetings],
        decisions=decisions,
        response_deadline=D(2018, 3, 1),
    )
    for n in range(4):
        factories.letter(
            key=f"big-reply-{n}",
            reference=f"BIG-REPLY-{n}",
            subject=f"Answer {n}",
            letter_type="response",
            direction="inbound",
            sent_on=None,
            received_on=D(2018, 2, 1 + n),
            response_to=big_letter,
        )

    # Withdrawals: two collective ones and single seats ending.
    leaving = [s for s in new_seats if s.sector in ("civil_society", "academia")]
    services.record_collective_withdrawal(
        actor,
        key="grow-walkout-0",
        forum=forum,
        seats=leaving[:4],
        withdrawn_on=D(2018, 1, 1),
        title="Second walk-out",
        letter=world.walkout,
    )
    services.record_collective_withdrawal(
        actor,
        key="grow-walkout-1",
        forum=forum,
        seats=leaving[4:],
        withdrawn_on=D(2018, 2, 1),
        title="Third walk-out",
        letter=big_letter,
    )
    for seat in [s for s in new_seats if s.sector == "government"][:2]:
        services.end_seat(
            actor, Seat.objects.get(pk=seat.pk), end_on=D(2018, 3, 1), end_reason="term_ended"
        )

    # Statements, one by many issuers.
    for n in range(6):
        services.publish_statement(
            actor,
            key=f"grow-statement-{n}",
            title=f"Statement {n}",
            issued_on=D(2017, 8, 1 + n),
            text="Text.",
            issued_by=[a19, *orgs[n : n + 2]],
            member=member,
            forum=forum,
        )
    services.publish_statement(
        actor,
        key="big-statement",
        title="Big statement",
        issued_on=D(2017, 9, 1),
        text="Text.",
        issued_by=orgs[:10],
        member=member,
        forum=forum,
    )

    # More versions of the member whose history is shown.
    for n in range(8):
        services.update_record(actor, member, changes={"region": f"Region {n}"})

    assert Letter.objects.count() > 30


# ---------------------------------------------------------------- measuring


@dataclass
class Measure:
    status: int
    queries: list[str]


def measure(client: Client, url: str) -> Measure:
    client.get(url)  # warm up: anything cached per process is loaded before counting
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    return Measure(response.status_code, [q["sql"] for q in captured.captured_queries])


def sizes() -> dict[str, int]:
    """How many rows surround the records the URLs show."""
    return {
        "seats of the forum": Seat.objects.filter(forum__key="stt").count(),
        "withdrawn seats of the forum": Seat.objects.filter(
            forum__key="stt", withdrawal_group__isnull=False
        ).count(),
        "collective withdrawals": WithdrawalGroup.objects.count(),
        "meetings": Meeting.objects.count(),
        "attendance of the meeting": MeetingAttendance.objects.filter(
            meeting__key="stt-2016-04"
        ).count(),
        "sign-offs": SignOff.objects.count(),
        "decisions": Decision.objects.count(),
        "positions of the decision shown": DecisionPosition.objects.filter(
            decision__key__in=["stt-2016-d1", "big-decision"]
        ).count(),
        "letters": Letter.objects.count(),
        "signatures": Letter.signatories.through.objects.count(),
        "seats of the organisation": Seat.objects.filter(organization__key="article19").count(),
        "seats of the person": Seat.objects.filter(representative__key="jdoe").count(),
        "versions of the member": RecordVersion.objects.filter(
            record_type="member", record_key="mx"
        ).count(),
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
        world = build_world()
        small = sizes()
        before = {name: measure(client, case.small) for name, case in CASES.items()}
        grow(world)
        large = sizes()
        after = {name: measure(client, case.after_url) for name, case in CASES.items()}
        transaction.set_rollback(True)
    return Measured({name: (before[name], after[name]) for name in CASES}, (small, large))


def shape(sql: str) -> str:
    """A query with its literal values blanked, so repeats of one query compare equal."""
    sql = re.sub(r"'(?:[^']|'')*'", "?", sql)
    sql = re.sub(r"\b\d+\b", "?", sql)
    return re.sub(r"\(\?(?:, \?)*\)", "(…)", sql)


def repeated(before: list[str], after: list[str]) -> str:
    grown = Counter(map(shape, after)) - Counter(map(shape, before))
    return "\n".join(f"  +{n} x {sql[:300]}" for sql, n in grown.most_common())


def cases() -> list[Any]:
    return [
        pytest.param(name, marks=pytest.mark.xfail(strict=True, reason=KNOWN_BUGS[name]))
        if name in KNOWN_BUGS
        else name
        for name in CASES
    ]


def test_every_url_answers_200(measured: Measured) -> None:
    failing = {
        name: (b.status, a.status)
        for name, (b, a) in measured.counts.items()
        if (b.status, a.status) != (200, 200)
    }
    assert failing == {}


def test_the_record_really_grew_several_fold(measured: Measured) -> None:
    small, large = measured.sizes
    too_small = {
        what: (small[what], large[what]) for what in small if large[what] < 3 * max(small[what], 1)
    }
    assert too_small == {}


@pytest.mark.parametrize("name", cases())
def test_query_count_does_not_grow_with_the_data(measured: Measured, name: str) -> None:
    before, after = measured.counts[name]
    assert len(after.queries) == len(before.queries), (
        f"{CASES[name].after_url}: {len(before.queries)} queries on the small record, "
        f"{len(after.queries)} on the large one; repeated:\n"
        + repeated(before.queries, after.queries)
    )
