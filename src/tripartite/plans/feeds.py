"""Atom feeds of progress, a plan's or one commitment's: each party's reports, newest first."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import linebreaks
from django.utils.translation import gettext as _

from . import queries
from .choices import Completion, Party
from .models import ProgressReport


def _when(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(12, 0), tzinfo=dt.UTC)


def _title(report: ProgressReport) -> str:
    what = (
        _("milestone %(n)s of %(commitment)s")
        % {"n": report.milestone.number, "commitment": report.commitment.key}
        if report.milestone is not None
        else report.commitment.key
    )
    title = _("%(party)s on %(what)s: %(completion)s") % {
        "party": Party(report.party).label,
        "what": what,
        "completion": Completion(report.completion).label,
    }
    if report.is_retracted:
        title = _("Retracted: %(title)s") % {"title": title}
    return title


def plan_progress_feed(request: HttpRequest, key: str) -> HttpResponse:
    """The latest progress reports of the plan (at most ``queries.FEED_SIZE``)."""
    plan = queries.plan_for_feed(key)
    return _progress_feed(
        request,
        page=plan,
        title=_("Progress of %(plan)s") % {"plan": plan.title},
        description=_(
            "Progress reports on the commitments of %(plan)s by government, civil society "
            "and the oversight body, each in its own words."
        )
        % {"plan": plan.title},
        reports=queries.feed_reports(plan),
    )


def commitment_progress_feed(request: HttpRequest, key: str) -> HttpResponse:
    """The latest progress reports of one commitment, for those who follow just that one."""
    commitment = queries.commitment_for_feed(key)
    label = f"{commitment.key}: {commitment.title}"
    return _progress_feed(
        request,
        page=commitment,
        title=_("Progress of %(commitment)s") % {"commitment": label},
        description=_(
            "Progress reports on %(commitment)s by government, civil society and the "
            "oversight body, each in its own words."
        )
        % {"commitment": label},
        reports=queries.feed_reports(commitment.plan, commitment=commitment),
    )


def _progress_feed(
    request: HttpRequest, *, page: Any, title: str, description: str, reports: list[ProgressReport]
) -> HttpResponse:
    feed = Atom1Feed(
        title=title,
        link=request.build_absolute_uri(page.get_absolute_url()),
        description=description,
        feed_url=request.build_absolute_uri(request.path),
        language=request.LANGUAGE_CODE if hasattr(request, "LANGUAGE_CODE") else None,
        feed_guid=request.build_absolute_uri(page.get_absolute_url()),
    )
    for report in reports:
        url = request.build_absolute_uri(report.get_absolute_url())
        text = report.text if not report.is_retracted else report.retraction_reason
        feed.add_item(
            title=_title(report),
            link=url,
            description=linebreaks(text, autoescape=True),  # the summary is HTML: escape it
            unique_id=url,
            pubdate=_when(report.reported_on),
            updateddate=report.updated_at,
            author_name=report.author.name if report.author else str(Party(report.party).label),
            categories=[report.party, report.completion],
        )
    response = HttpResponse(content_type="application/atom+xml; charset=utf-8")
    feed.write(response, "utf-8")
    return response
