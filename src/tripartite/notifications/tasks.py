"""Delivery: from a new record version to e-mails, through the worker (django-tasks).

1. ``on_record_saved`` (the ``core.recording.record_saved`` signal) waits for the writing
   transaction to commit, then ``fan_out`` finds who follows the record or one of its
   parents (``parents.PARENTS``): one follow per user, the nearest one.
2. Immediate followers get one e-mail each: ``send_change`` is queued per follower and
   run by ``tripartite worker``.
3. Daily-digest followers get a ``DigestItem``; ``send_digests`` sends each user one
   e-mail with everything since their last digest, then deletes what it sent. It runs once
   a day: ``tripartite worker`` starts it at ``TRIPARTITE_DIGEST_HOUR`` (``schedule``), and
   ``tripartite notifications digest`` runs the same day's claim by hand.

Every e-mail has a plain-text body and an HTML alternative in the language the user
followed in, a link to each record, and a one-click unsubscribe (RFC 8058 headers and a
signed link in the body).
"""

from __future__ import annotations

import datetime as dt
import logging
from collections import defaultdict
from typing import Any

from django.core.mail import EmailMultiAlternatives
from django.db import OperationalError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django_tasks import task

from tripartite.core.models import PublicRecord, RecordVersion
from tripartite.core.recording import on_commit_together

from . import tokens
from .models import DigestItem, DigestMark, Follow, Frequency
from .parents import ancestors
from .records import absolute, describe, load

logger = logging.getLogger(__name__)

# A digest is sent at most this often per user, however often the command runs.
DIGEST_MIN_HOURS = 20


# ---------------------------------------------------------------- from a change to follows


def on_record_saved(
    sender: Any, instance: PublicRecord, version: RecordVersion, **kwargs: Any
) -> None:
    """After the writing transaction commits, tell whoever follows the record or a parent.

    The changes of one transaction are handled together, so a batch of thousands of
    records costs one query when nobody follows anything (the common case)."""
    change = (instance, version.version, version.op, version.at.isoformat(), version.actor_id)
    on_commit_together("notifications", change, fan_out_many)


def fan_out_many(changes: list[tuple[PublicRecord, int, str, str, int | None]]) -> None:
    if not Follow.objects.exists():
        return
    for instance, number, op, at, actor_id in changes:
        try:
            fan_out(instance, version=number, op=op, at=at, actor_id=actor_id)
        except Exception:  # one record's failure must not silence the others' followers
            logger.exception("notifying the followers of %s failed", instance.public_id)


def fan_out(
    instance: PublicRecord, *, version: int, op: str, at: str, actor_id: int | None = None
) -> dict[str, int]:
    """Queue one e-mail per immediate follower and one digest item per daily follower."""
    if not Follow.objects.exists():  # the common case costs one query
        return {"immediate": 0, "digest": 0}
    public_id = instance.public_id
    targets = [public_id, *ancestors(instance)]
    rank = {record: position for position, record in enumerate(targets)}
    follows = Follow.objects.filter(record__in=targets, user__is_active=True)
    if actor_id is not None:  # nobody is told about their own change
        follows = follows.exclude(user_id=actor_id)
    nearest: dict[int, Follow] = {}
    for follow in sorted(follows, key=lambda f: (rank[f.record], f.pk)):
        nearest.setdefault(follow.user_id, follow)
    immediate = digest = 0
    for follow in nearest.values():
        if follow.frequency == Frequency.IMMEDIATE:
            send_change.enqueue(follow.pk, public_id, version, op, at)
            immediate += 1
        else:
            DigestItem.objects.get_or_create(
                follow=follow,
                record=public_id,
                version=version,
                defaults={"op": op, "at": dt.datetime.fromisoformat(at)},
            )
            digest += 1
    return {"immediate": immediate, "digest": digest}


# ---------------------------------------------------------------- messages


def op_label(op: str) -> str:
    labels = {
        RecordVersion.Op.CREATE: _("was recorded"),
        RecordVersion.Op.UPDATE: _("has a new version"),
        RecordVersion.Op.RETRACT: _("was retracted"),
    }
    return str(labels.get(op, op))  # type: ignore[call-overload]


def unsubscribe_url(token: str) -> str:
    return absolute(reverse("notifications-unsubscribe", kwargs={"token": token}))


def _message(
    *, to: str, subject: str, template: str, context: dict[str, Any], unsubscribe: str
) -> EmailMultiAlternatives:
    context = {
        **context,
        "unsubscribe_url": unsubscribe,
        "manage_url": absolute(reverse("notifications")),
    }
    text = render_to_string(f"notifications/email/{template}.txt", context)
    html = render_to_string(f"notifications/email/{template}.html", context)
    message = EmailMultiAlternatives(
        subject=" ".join(subject.split()),
        body=text,
        to=[to],
        headers={
            "List-Unsubscribe": f"<{unsubscribe}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            "Auto-Submitted": "auto-generated",
        },
    )
    message.attach_alternative(html, "text/html")
    return message


def _change(record: dict[str, Any], version: int, op: str, at: str | dt.datetime) -> dict[str, Any]:
    when = dt.datetime.fromisoformat(at) if isinstance(at, str) else at
    return {"record": record, "version": version, "op": op, "what": op_label(op), "at": when}


def change_message(
    follow: Follow, record: str, version: int, op: str, at: str
) -> EmailMultiAlternatives:
    """The e-mail about one change, for one immediate follower, in their language."""
    found = load([record, follow.record])
    changed = describe(found.get(record), record)
    followed = describe(found.get(follow.record), follow.record)
    with translation.override(follow.language):
        change = _change(changed, version, op, at)
        subject = _("%(title)s %(what)s (version %(version)s)") % {
            "title": changed["title"],
            "what": change["what"],
            "version": version,
        }
        return _message(
            to=follow.user.email,
            subject=f"[Tripartite] {subject}",
            template="change",
            context={
                "change": change,
                "followed": followed,
                "via": follow.record != record,
                "language": follow.language,
            },
            unsubscribe=unsubscribe_url(tokens.for_follow(follow.user_id, follow.pk)),
        )


def digest_message(user: Any, items: list[DigestItem]) -> EmailMultiAlternatives:
    """One e-mail with every waiting change of ``user``, grouped by the record followed."""
    follows = {item.follow_id: item.follow for item in items}
    found = load({item.record for item in items} | {f.record for f in follows.values()})
    language = max(follows.values(), key=lambda f: (f.created_at, f.pk)).language
    with translation.override(language):
        groups: dict[int, list[dict[str, Any]]] = defaultdict(list)
        for item in items:
            groups[item.follow_id].append(
                _change(
                    describe(found.get(item.record), item.record), item.version, item.op, item.at
                )
            )
        sections = [
            {
                "followed": describe(found.get(follow.record), follow.record),
                "changes": groups[follow.pk],
                "unsubscribe_url": unsubscribe_url(tokens.for_follow(user.pk, follow.pk)),
            }
            for follow in sorted(follows.values(), key=lambda f: f.record)
        ]
        count = len(items)
        subject = ngettext(
            "Your daily digest: one change to records you follow",
            "Your daily digest: %(count)s changes to records you follow",
            count,
        ) % {"count": count}
        return _message(
            to=user.email,
            subject=f"[Tripartite] {subject}",
            template="digest",
            context={"sections": sections, "count": count, "language": language},
            unsubscribe=unsubscribe_url(tokens.for_digest(user.pk)),
        )


# ---------------------------------------------------------------- tasks


@task()
def send_change(follow_id: int, record: str, version: int, op: str, at: str) -> dict[str, int]:
    """E-mail one immediate follower about one change (nothing if they stopped following)."""
    follow = Follow.objects.select_related("user").filter(pk=follow_id).first()
    if follow is None or not follow.user.is_active or not follow.user.email:
        return {"sent": 0}
    sent = change_message(follow, record, version, op, at).send()
    return {"sent": int(sent)}


@task()
def send_digests(force: bool = False, since: str | None = None) -> dict[str, int]:
    """Send each user with waiting changes one digest, unless they had one after ``since``
    (an ISO date-time; by default ``DIGEST_MIN_HOURS`` ago; ``force`` sends anyway). A
    failed send keeps its items. The worker's daily run (``schedule``) passes the start of
    its day, so that a run taken over after a crash skips whoever already had theirs."""
    now = timezone.now()
    cutoff = (
        dt.datetime.fromisoformat(since)
        if since is not None
        else now - dt.timedelta(hours=DIGEST_MIN_HOURS)
    )
    recent = set(DigestMark.objects.filter(sent_at__gte=cutoff).values_list("user_id", flat=True))
    pending: dict[int, list[DigestItem]] = defaultdict(list)
    for item in DigestItem.objects.select_related("follow__user").order_by("at", "pk"):
        pending[item.follow.user_id].append(item)
    sent = skipped = failed = 0
    for user_id, items in pending.items():
        user = items[0].follow.user
        if not user.is_active or not user.email:
            DigestItem.objects.filter(pk__in=[i.pk for i in items]).delete()  # cannot be sent
            skipped += 1
            continue
        if user_id in recent and not force:
            skipped += 1
            continue
        try:
            # The digest is marked sent, then sent, in one transaction: a send that fails
            # rolls the mark back (the items wait for the next run), and a database that
            # cannot take the mark (locked) stops the run before any mail goes out, so a
            # run taken over later never sends the same digest twice.
            with transaction.atomic():
                DigestItem.objects.filter(pk__in=[i.pk for i in items]).delete()
                DigestMark.objects.update_or_create(user_id=user_id, defaults={"sent_at": now})
                digest_message(user, items).send()
        except OperationalError:
            raise  # the database, not this user: the whole run is released and retried
        except Exception:  # one bad address or a hiccup must not stop the others
            logger.exception("digest for user %s was not sent", user_id)
            failed += 1
            continue
        sent += 1
    return {"sent": sent, "skipped": skipped, "failed": failed}
