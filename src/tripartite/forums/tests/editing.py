"""Helpers shared by the staff editing tests (``test_editing*.py``).

The ``staff`` and ``public`` clients are fixtures in ``conftest.py``; each test module
subclasses :class:`EditWorld` with the shortcuts it reads, and builds it with
:func:`build_edit_world` in its own ``world`` fixture.
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from typing import Any, TypeVar

from django.contrib.auth import get_user_model
from django.http import HttpResponse

from tripartite.core.models import PublicRecord, RecordVersion
from tripartite.forums.models import Forum, Letter, Meeting, Organization, Seat
from tripartite.forums.tests import factories


def versions() -> int:
    return RecordVersion.objects.count()


def versions_of(record: PublicRecord) -> list[RecordVersion]:
    return list(
        RecordVersion.objects.filter(
            record_type=record.RECORD_TYPE, record_key=record.key
        ).order_by("version")
    )


def page_text(response: HttpResponse) -> str:
    return html.unescape(response.content.decode())


def fresh(record: PublicRecord) -> Any:
    return type(record).objects.get(pk=record.pk)


def user(username: str, *, staff: bool) -> Any:
    """A test account; staff get an activated authenticator app, as editing requires."""
    account = get_user_model().objects.create_user(username, password=None, is_staff=staff)
    if staff:
        from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

        TOTP.activate(account, generate_totp_secret())
        from tripartite.accounts.tests.roles import hold_every_role

        hold_every_role(account)
    return account


def assert_refused(response: HttpResponse, status: int, message: str, before: int) -> None:
    """A clear 4xx: the status, the message inside the alert summary, nothing written."""
    assert response.status_code == status, page_text(response)[:2000]
    text = page_text(response)
    assert 'role="alert"' in text
    summary = text.split('role="alert"', 1)[1].split("</div>", 1)[0]
    assert message in summary, summary
    assert versions() == before


@dataclass
class EditWorld:
    forum: Forum
    seats: list[Seat]
    meeting: Meeting
    letter: Letter
    org: Organization  # an organisation with no seat yet


W = TypeVar("W", bound=EditWorld)


def build_edit_world(cls: type[W]) -> W:
    """A forum with three civil-society seats, a meeting, a letter and a seatless org."""
    forum, seats = factories.tripartite_forum(cso_count=3)
    return cls(
        forum=forum,
        seats=seats,
        meeting=factories.meeting(forum),
        letter=factories.letter(signatories=(seats[2].organization,), forum=forum),
        org=factories.organization("newcomers", "civil_society", "Newcomers Collective"),
    )
