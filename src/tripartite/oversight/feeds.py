"""Atom feed of the letters register: every letter, and the responses it got, newest first."""

from __future__ import annotations

import datetime as dt

from django.db.models import F
from django.db.models.functions import Coalesce
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import linebreaks
from django.utils.translation import gettext as _

from tripartite.forums import queries as forum_queries
from tripartite.forums.choices import LetterDirection, LetterType
from tripartite.forums.models import Letter

from .queries import FEED_SIZE


def _when(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(12, 0), tzinfo=dt.UTC)


def _day(letter: Letter) -> dt.date:
    return letter.sent_on or letter.received_on or letter.created_at.date()


def _title(letter: Letter) -> str:
    title = _("%(reference)s: %(subject)s") % {
        "reference": letter.reference,
        "subject": letter.subject,
    }
    if letter.response_to_id is not None and letter.response_to is not None:
        title = _("Response to %(reference)s — %(title)s") % {
            "reference": letter.response_to.reference,
            "title": title,
        }
    if letter.is_retracted:
        title = _("Retracted: %(title)s") % {"title": title}
    return title


def feed_letters() -> list[Letter]:
    """The latest letters (responses included), newest first, bounded."""
    return list(
        forum_queries.letters()
        .select_related("response_to")
        .annotate(day=Coalesce("sent_on", "received_on"))
        .order_by(F("day").desc(nulls_last=True), "-id")[:FEED_SIZE]
    )


def letters_feed(request: HttpRequest) -> HttpResponse:
    """The letters register as Atom (at most ``FEED_SIZE`` entries)."""
    register = request.build_absolute_uri(reverse("letters"))
    feed = Atom1Feed(
        title=_("Letters register"),
        link=register,
        description=_(
            "Every letter received and sent, with its signatories, and the responses it got."
        ),
        feed_url=request.build_absolute_uri(request.path),
        language=getattr(request, "LANGUAGE_CODE", None),
        feed_guid=request.build_absolute_uri(request.path),
    )
    for letter in feed_letters():
        url = request.build_absolute_uri(letter.get_absolute_url())
        text = letter.body if not letter.is_retracted else letter.retraction_reason
        signatories = [org.name for org in letter.signatories.all()]
        feed.add_item(
            title=_title(letter),
            link=url,
            description=linebreaks(text or letter.subject, autoescape=True),
            unique_id=url,
            pubdate=_when(_day(letter)),
            updateddate=letter.updated_at,
            author_name=", ".join(signatories) or letter.addressees or _("Unknown sender"),
            categories=[
                str(LetterDirection(letter.direction).label),
                str(LetterType(letter.letter_type).label),
            ],
        )
    response = HttpResponse(content_type="application/atom+xml; charset=utf-8")
    feed.write(response, "utf-8")
    return response
