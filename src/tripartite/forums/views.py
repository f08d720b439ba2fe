"""Public pages of the forum record. Each page has a JSON twin at the same path + ``.json``."""

from __future__ import annotations

from typing import Any

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.translation import gettext as _

from tripartite.core.problems import problem_response
from tripartite.core.views import detail_page as _page
from tripartite.ledger.keys import forum_policy_text
from tripartite.ledger.queries import forum_policy_status
from tripartite.plans import queries as plan_queries

from . import queries
from .charts import membership_chart
from .choices import LetterStatus, LetterType, Sector
from .forms import LetterFilterForm
from .models import Forum

member_detail = _page(
    "forums/member.html",
    queries.member_detail,
    # The member's action plans (page only: the plans have their own API, /api/v1/plans).
    lambda member: {"plans": plan_queries.member_plans(member.id.split("/", 1)[1])},
)
forum_detail = _page(
    "forums/forum.html",
    queries.forum_detail,
    lambda forum: {
        "chart": membership_chart(forum, timezone.localdate()),
        "log_policy": forum_policy_status(forum.witness_policy),
    },
)


def forum_log_policy(request: HttpRequest, key: str) -> HttpResponse:
    """The forum's witness policy as tlog-policy text, for `tripartite verify --policy`
    and `tripartite verify-receipt --policy`."""
    forum = get_object_or_404(Forum, key=key)
    return HttpResponse(
        forum_policy_text(forum.witness_policy), content_type="text/plain; charset=utf-8"
    )


seat_detail = _page("forums/seat.html", queries.seat_detail)
meeting_detail = _page("forums/meeting.html", queries.meeting_detail)
decision_detail = _page("forums/decision.html", queries.decision_detail)
letter_detail = _page("forums/letter.html", queries.letter_detail)
statement_detail = _page("forums/statement.html", queries.statement_detail)
organization_detail = _page("forums/organization.html", queries.organization_detail)
person_detail = _page("forums/person.html", queries.person_detail)


def letters_register(request: HttpRequest, as_json: bool = False) -> HttpResponse:
    form = LetterFilterForm(request.GET or None)
    if form.is_bound and not form.is_valid():
        if as_json:
            return problem_response(request, 400, _("Invalid filter."), form.errors.as_text())
        return render(request, "forums/letters.html", {"form": form, "page": None}, status=400)
    filters: dict[str, Any] = form.cleaned_data if form.is_bound else {}
    qs = queries.filter_letters(
        queries.letters(),
        letter_type=filters.get("type") or None,
        year=filters.get("year") or None,
        sector=filters.get("sector") or None,
        status=filters.get("status") or None,
        member=filters.get("member") or None,
    )
    page = Paginator(qs, 25).get_page(request.GET.get("page"))
    items = [queries.letter_out(letter) for letter in page.object_list]
    if as_json:
        return JsonResponse(
            {
                "count": page.paginator.count,
                "page": page.number,
                "items": [i.model_dump(mode="json") for i in items],
            }
        )
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "forums/letters.html",
        {
            "form": form,
            "page": page,
            "items": items,
            "query": query.urlencode(),
            "types": LetterType,
            "statuses": LetterStatus,
            "sectors": Sector,
        },
    )
