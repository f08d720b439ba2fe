"""The session list: which sessions of a user are signed in, and signing out the others.

Sessions live in the database (``SESSION_ENGINE``); a ``SessionRecord`` ties one to its
user with two times, rounded to a quarter of an hour. The session itself remembers when
its row was last touched, so most requests cost no query.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.sessions.models import Session
from django.http import HttpRequest
from django.utils import timezone

from .models import SessionRecord

GRAIN = dt.timedelta(minutes=15)
_STAMP = "_tripartite_seen"


def _rounded(moment: dt.datetime) -> dt.datetime:
    """Down to the quarter of an hour: the list needs no more than that."""
    return moment.replace(minute=moment.minute - moment.minute % 15, second=0, microsecond=0)


def signed_in(request: HttpRequest, user: Any) -> None:
    """A sign-in: a row for the (new) session."""
    session = request.session
    if not session.session_key:
        session.save()
    moment = _rounded(timezone.now())
    SessionRecord.objects.update_or_create(
        session_key=session.session_key,
        defaults={"user": user, "created_at": moment, "last_seen_at": moment},
    )
    session[_STAMP] = moment.isoformat()


def seen(request: HttpRequest) -> None:
    """A request of a signed-in session: touch its row once per quarter of an hour."""
    session = request.session
    moment = _rounded(timezone.now())
    stamp = session.get(_STAMP)
    if stamp == moment.isoformat():
        return
    user: Any = request.user
    updated = SessionRecord.objects.filter(session_key=session.session_key, user=user).update(
        last_seen_at=moment
    )
    if not updated:
        SessionRecord.objects.update_or_create(
            session_key=session.session_key,
            defaults={"user": user, "created_at": moment, "last_seen_at": moment},
        )
    session[_STAMP] = moment.isoformat()


def signed_out(request: HttpRequest) -> None:
    key = request.session.session_key
    if key:
        SessionRecord.objects.filter(session_key=key).delete()


def active(user: Any) -> list[SessionRecord]:
    """The user's sessions that are still signed in, most recently seen first; rows of
    sessions that expired or ended elsewhere are dropped on the way."""
    records = list(SessionRecord.objects.filter(user=user))
    live = set(
        Session.objects.filter(
            session_key__in=[r.session_key for r in records], expire_date__gt=timezone.now()
        ).values_list("session_key", flat=True)
    )
    dead = [r.pk for r in records if r.session_key not in live]
    if dead:
        SessionRecord.objects.filter(pk__in=dead).delete()
    return [r for r in records if r.session_key in live]


def sign_out_others(request: HttpRequest) -> int:
    """End every other session of the signed-in user; how many were ended."""
    user: Any = request.user
    others = SessionRecord.objects.filter(user=user).exclude(
        session_key=request.session.session_key
    )
    keys = list(others.values_list("session_key", flat=True))
    ended = Session.objects.filter(session_key__in=keys).delete()[0]
    others.delete()
    return int(ended)
