"""The read-only world shared by the API, page and query-count tests: a small forum
record built through the services, once per module (see ``kept_for_module``)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any, TypeVar

from django.db import connection, transaction

from tripartite.core.actors import system_actor
from tripartite.forums import services
from tripartite.forums.models import (
    Decision,
    Forum,
    Letter,
    Meeting,
    Member,
    Minutes,
    Organization,
    Person,
    Seat,
    Statement,
    WithdrawalGroup,
)
from tripartite.forums.tests import factories

D = dt.date
T = TypeVar("T")


@dataclass
class World:
    """A small forum record, built through the services (shared by the page tests)."""

    member: Member
    other_member: Member
    forum: Forum
    gov: Seat
    ovs: Seat
    csos: list[Seat]
    person: Person
    meeting: Meeting
    minutes: Minutes
    decision: Decision
    walkout: Letter
    reply: Letter
    request: Letter
    other_letter: Letter
    group: WithdrawalGroup
    statement: Statement

    @property
    def cso_orgs(self) -> list[Organization]:
        return [seat.organization for seat in self.csos]


def build_world() -> World:
    actor = system_actor()
    member = factories.member(key="mx", name="Mexico")
    other_member = factories.member(key="zz", name="Zedland")
    forum = factories.forum(
        member,
        key="stt",
        name="Tripartite Technical Secretariat",
        original_name="Secretariado Técnico Tripartita",
    )
    person = services.create_person(actor, key="jdoe", name="Jane Doe", role_title="Head of Unit")
    gov = factories.seat(
        forum,
        factories.organization(
            "sfp", "government", "Ministry of Public Administration", member=member
        ),
        representative=person,
    )
    ovs = factories.seat(
        forum,
        factories.organization("inai", "oversight_body", "Information Institute", member=member),
    )
    csos = [
        factories.seat(forum, factories.organization(key, "civil_society", name, member=member))
        for key, name in [("article19", "Article 19"), ("fundar", "Fundar"), ("imco", "IMCO")]
    ]
    meeting = factories.meeting(
        forum, key="stt-2016-04", title="Plenary of April", day=D(2016, 4, 15), place="Mexico City"
    )
    services.record_attendance(
        actor, meeting, attendance={gov: "present", ovs: "absent", csos[0]: "present"}
    )
    minutes = services.publish_minutes(
        actor, meeting, text="The plan was discussed.", published_on=D(2016, 4, 20)
    )
    services.sign_off_minutes(
        actor, minutes, seat=gov, position="approve", signed_on=D(2016, 4, 21)
    )
    services.sign_off_minutes(
        actor,
        minutes,
        seat=csos[0],
        position="dissent",
        statement="The minutes omit the surveillance complaint.",
        signed_on=D(2016, 4, 22),
    )
    decision = services.record_decision(
        actor,
        key="stt-2016-d1",
        forum=forum,
        meeting=meeting,
        title="Adopt the third plan",
        motion_text="The secretariat adopts the third action plan.",
        decided_on=D(2016, 4, 15),
        positions={
            gov: "for",
            ovs: "for",
            csos[0]: ("against", "Not consulted."),
            csos[1]: "for",
            csos[2]: "abstain",
        },
    )
    walkout = factories.letter(
        key="mx-2017-0001",
        reference="MX-2017-0001",
        subject="Civil society leaves the secretariat",
        signatories=tuple(s.organization for s in csos),
        member=member,
        forum=forum,
        status="awaiting_response",
        response_deadline=D(2017, 6, 30),
        meetings=[meeting],
        decisions=[decision],
        body="We withdraw.",
    )
    reply = factories.letter(
        key="mx-2017-0002",
        reference="MX-2017-0002",
        subject="Answer of the co-chairs",
        letter_type="response",
        direction="inbound",
        sent_on=None,
        received_on=D(2017, 6, 5),
        response_to=walkout,
        member=member,
        status="closed",
    )
    request = factories.letter(
        key="mx-2016-0001",
        reference="MX-2016-0001",
        subject="Request for information",
        letter_type="request",
        signatories=(gov.organization,),
        member=member,
        sent_on=D(2016, 3, 1),
        status="responded",
    )
    other_letter = factories.letter(
        key="zz-2017-0001",
        reference="ZZ-2017-0001",
        subject="Invitation",
        letter_type="invitation",
        member=other_member,
        sent_on=D(2017, 2, 1),
        status="no_response_needed",
    )
    group = services.record_collective_withdrawal(
        actor,
        key="stt-cso-2017",
        forum=forum,
        seats=csos,
        withdrawn_on=D(2017, 5, 23),
        title="Civil society withdraws",
        letter=walkout,
        summary="Surveillance of members.",
    )
    statement = services.publish_statement(
        actor,
        key="cso-2017-statement",
        title="Why we left",
        issued_on=D(2017, 5, 23),
        text="We cannot take part while surveilled.",
        issued_by=[s.organization for s in csos],
        member=member,
        forum=forum,
    )
    return World(
        member=member,
        other_member=other_member,
        forum=forum,
        gov=gov,
        ovs=ovs,
        csos=[Seat.objects.get(pk=s.pk) for s in csos],
        person=person,
        meeting=meeting,
        minutes=minutes,
        decision=decision,
        walkout=walkout,
        reply=reply,
        request=request,
        other_letter=other_letter,
        group=group,
        statement=statement,
    )


def assert_test_database() -> None:
    """Module-scoped fixtures write outside pytest-django's per-test guard: make sure the
    connection points at the test database (it does only if some test requests ``db``)."""
    name = str(connection.settings_dict["NAME"])
    assert "memory" in name or "test" in name, f"refusing to write to {name}"


def kept_for_module(
    django_db_blocker: Any,
    build: Callable[[], T] = build_world,  # type: ignore[assignment]
) -> Iterator[T]:
    """Build the world once for a module, inside a transaction rolled back at its end.

    Each test still runs in its own savepoint (``db``), so what a test writes is undone
    after it, and what the module built is undone after the module (as Django's
    ``setUpTestData``).
    """
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            assert_test_database()
            built = build()
        except BaseException:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)
            raise
    try:
        yield built
    finally:
        with django_db_blocker.unblock():
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)
