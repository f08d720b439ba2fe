"""Build forum records for tests through the services (never by writing rows directly)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from tripartite.core.actors import system_actor
from tripartite.forums import services
from tripartite.forums.models import Forum, Letter, Meeting, Member, Organization, Seat

D = dt.date


def member(key: str = "xx", name: str = "Exampleland") -> Member:
    return services.create_member(system_actor(), key=key, name=name, kind="country", iso2="XX")


def organization(key: str, sector: str, name: str | None = None, **fields: Any) -> Organization:
    return services.create_organization(
        system_actor(), key=key, name=name or key.title(), sector=sector, **fields
    )


def forum(member_: Member | None = None, key: str = "xx-forum", **fields: Any) -> Forum:
    fields.setdefault("established_on", D(2015, 1, 1))
    return services.create_forum(
        system_actor(),
        key=key,
        member=member_ or member(),
        name=fields.pop("name", "Example Forum"),
        **fields,
    )


def seat(
    forum_: Forum, org: Organization, start_on: dt.date = D(2015, 1, 1), **fields: Any
) -> Seat:
    return services.add_seat(
        system_actor(),
        key=f"{forum_.key}-{org.key}",
        forum=forum_,
        organization=org,
        start_on=start_on,
        **fields,
    )


def tripartite_forum(key: str = "xx-forum", cso_count: int = 3) -> tuple[Forum, list[Seat]]:
    """A forum with one government seat, one oversight-body seat and ``cso_count`` CSO seats."""
    f = forum(key=key)
    seats = [
        seat(f, organization(f"{key}-gov", "government", "Ministry")),
        seat(f, organization(f"{key}-ovs", "oversight_body", "Information Institute")),
    ]
    seats += [
        seat(f, organization(f"{key}-cso{i}", "civil_society", f"Civic Group {i}"))
        for i in range(cso_count)
    ]
    return f, seats


def meeting(
    forum_: Forum, key: str = "m1", day: dt.date = D(2016, 4, 15), **fields: Any
) -> Meeting:
    fields.setdefault("agenda", ["Opening", "Progress of the action plan"])
    return services.schedule_meeting(
        system_actor(),
        key=key,
        forum=forum_,
        title=fields.pop("title", "Plenary session"),
        date=day,
        status="held",
        **fields,
    )


def letter(key: str = "l1", signatories: tuple[Organization, ...] = (), **fields: Any) -> Letter:
    fields.setdefault("sent_on", D(2017, 5, 23))
    fields.setdefault("direction", "outbound")
    fields.setdefault("letter_type", "withdrawal")
    return services.register_letter(
        system_actor(),
        key=key,
        reference=fields.pop("reference", key.upper()),
        subject=fields.pop("subject", "We leave the forum"),
        signatories=signatories,
        **fields,
    )
