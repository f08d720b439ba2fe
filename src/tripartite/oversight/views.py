"""Public pages of the Steering Committee's record. Each page has a JSON twin at the same
path + ``.json`` that returns the same shape as the API."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tripartite.core.problems import problem_response
from tripartite.core.views import detail_page as _page

from . import charts, queries

PAGE_SIZE = 25


def _json(data: Any) -> JsonResponse:
    return JsonResponse(data, json_dumps_params={"ensure_ascii": False}, safe=False)


# ---------------------------------------------------------------- the hub


def hub(request: HttpRequest, as_json: bool = False) -> HttpResponse:
    """Members and their status, open cases and reviews, minutes to watch, resolutions."""
    data = queries.hub()
    if as_json:
        return _json(data.model_dump(mode="json"))
    return render(
        request,
        "oversight/hub.html",
        {"record": data, "status_chart": charts.status_chart(data.status_counts)},
    )


# ---------------------------------------------------------------- records

standing = _page("oversight/standing.html", queries.standing)
seat_detail = _page("oversight/scseat.html", queries.seat_detail)
co_chair_detail = _page("oversight/cochair.html", queries.co_chair_detail)
subcommittee_detail = _page("oversight/subcommittee.html", queries.subcommittee_detail)
meeting_detail = _page("oversight/scmeeting.html", queries.meeting_detail)
resolution_detail = _page("oversight/resolution.html", queries.resolution_detail)
status_change_detail = _page("oversight/statuschange.html", queries.status_change_detail)
case_detail = _page("oversight/case.html", queries.case_detail)
mission_detail = _page("oversight/mission.html", queries.mission_detail)
contrary_detail = _page("oversight/contrary.html", queries.contrary_detail)
review_detail = _page("oversight/review.html", queries.review_detail)
reading_detail = _page("oversight/compliance.html", queries.reading_detail)


# ---------------------------------------------------------------- the committee on a date


class OnDateForm(forms.Form):
    on = forms.DateField(
        label=gettext_lazy("Date"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=gettext_lazy("As YYYY-MM-DD; today when left empty."),
    )


def steering_committee(request: HttpRequest, as_json: bool = False) -> HttpResponse:
    """Seats, co-chairs and subcommittees on ``?on=YYYY-MM-DD`` (default today)."""
    form = OnDateForm(request.GET or None)
    if form.is_bound and not form.is_valid():
        if as_json:
            return problem_response(request, 400, _("Invalid date."), form.errors.as_text())
        return render(
            request, "oversight/steering_committee.html", {"form": form, "record": None}, status=400
        )
    on = form.cleaned_data.get("on") if form.is_bound else None
    data = queries.committee_on(on)
    if as_json:
        return _json(data.model_dump(mode="json"))
    if not form.is_bound:
        form = OnDateForm(initial={"on": data.on})
    return render(request, "oversight/steering_committee.html", {"form": form, "record": data})


# ---------------------------------------------------------------- lists


class MemberFilterForm(forms.Form):
    member = forms.SlugField(label=gettext_lazy("Member"), required=False, max_length=40)


def _list_view(
    template: str, queryset: Callable[[], QuerySet[Any]], shape: Callable[[Any], Any]
) -> Callable[..., HttpResponse]:
    """A paginated, member-filterable list page and its JSON twin."""

    def view(request: HttpRequest, as_json: bool = False) -> HttpResponse:
        form = MemberFilterForm(request.GET or None)
        if form.is_bound and not form.is_valid():
            if as_json:
                return problem_response(request, 400, _("Invalid filter."), form.errors.as_text())
            return render(request, template, {"form": form, "page": None}, status=400)
        member = form.cleaned_data.get("member") if form.is_bound else None
        qs = queries.filter_by_member(queryset(), member or None)
        page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
        items = [shape(row) for row in page.object_list]
        if as_json:
            return _json(
                {
                    "count": page.paginator.count,
                    "page": page.number,
                    "items": [item.model_dump(mode="json") for item in items],
                }
            )
        query = request.GET.copy()
        query.pop("page", None)
        context = {"form": form, "page": page, "items": items, "query": query.urlencode()}
        return render(request, template, context)

    return view


meetings_list = _list_view("oversight/scmeetings.html", queries.sc_meetings, queries.meeting_out)
resolutions_list = _list_view(
    "oversight/resolutions.html", queries.resolutions, queries.resolution_out
)
cases_list = _list_view("oversight/cases.html", queries.cases, queries.case_out)
