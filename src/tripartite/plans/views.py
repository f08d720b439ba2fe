"""Public pages of action plans. Each page has a JSON twin at the same path + ``.json``."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tripartite.core.problems import problem_response
from tripartite.core.views import detail_page as _page

from . import charts, queries
from . import schemas as s
from .choices import PlanState

PAGE_SIZE = 25


# Per-commitment charts and tables show one page of commitments at a time, so a plan of
# hundreds of commitments stays a light page; the counts by theme, value and month cover
# the whole plan. The JSON twin and the API carry every commitment.
COMMITMENTS_PER_PAGE = 50


def _plan_page(plan: s.PlanDetail, page_number: str | None) -> dict[str, Any]:
    live = [c for c in plan.commitments if not c.retracted]
    page = Paginator(live, COMMITMENTS_PER_PAGE).get_page(page_number)
    shown = list(page.object_list)
    return {
        "timeline_chart": charts.timeline_chart(plan),
        "completion_chart": charts.completion_chart(shown),
        "theme_chart": charts.stacked_chart(plan.progress.by_theme),
        "value_chart": charts.stacked_chart(plan.progress.by_value),
        "time_chart": charts.over_time_chart(plan.progress.over_time),
        "party_chart": charts.party_chart(shown),
        "live_commitments": shown,
        "commitment_count": len(live),
        "commitment_page": page,
        "retracted_commitments": [c for c in plan.commitments if c.retracted],
    }


_plan_twin = _page("plans/plan.html", queries.plan_detail)


def plan_detail(request: HttpRequest, key: str, as_json: bool = False) -> HttpResponse:
    """The plan dashboard; ``?page=N`` pages through its commitments."""
    if as_json:
        return _plan_twin(request, key, as_json=True)
    plan = queries.plan_detail(key)
    context = {"record": plan, **_plan_page(plan, request.GET.get("page"))}
    return render(request, "plans/plan.html", context)


commitment_detail = _page(
    "plans/commitment.html",
    queries.commitment_detail,
    lambda commitment: {
        "milestone_chart": charts.milestone_chart(commitment),
        "levels": [level for level in queries.LEVELS if level],
    },
)
milestone_detail = _page(
    "plans/milestone.html", queries.milestone_detail, lambda m: {"views": [m.view]}
)
progress_detail = _page(
    "plans/progress.html", queries.progress_detail, lambda report: {"views": [report.view]}
)
irm_report_detail = _page("plans/irm_report.html", queries.irm_report_detail)
assessment_detail = _page("plans/assessment.html", queries.assessment_detail)


# ---------------------------------------------------------------- all plans


class PlanFilterForm(forms.Form):
    member = forms.SlugField(label=gettext_lazy("Member"), required=False, max_length=40)
    state = forms.ChoiceField(
        label=gettext_lazy("State"),
        required=False,
        choices=[("", gettext_lazy("Any state")), *PlanState.choices],
    )


def plans_list(request: HttpRequest, as_json: bool = False) -> HttpResponse:
    """Every action plan, by member and number, filtered by member and state."""
    form = PlanFilterForm(request.GET or None)
    if form.is_bound and not form.is_valid():
        if as_json:
            return problem_response(request, 400, _("Invalid filter."), form.errors.as_text())
        return render(request, "plans/plans.html", {"form": form, "page": None}, status=400)
    filters: dict[str, Any] = form.cleaned_data if form.is_bound else {}
    qs = queries.filter_plans(
        queries.plans().order_by("member__name", "number"),
        member=filters.get("member") or None,
        state=filters.get("state") or None,
    )
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    items = [queries.plan_out(plan) for plan in page.object_list]
    if as_json:
        return JsonResponse(
            {
                "count": page.paginator.count,
                "page": page.number,
                "items": [item.model_dump(mode="json") for item in items],
            },
            json_dumps_params={"ensure_ascii": False},
        )
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "plans/plans.html",
        {"form": form, "page": page, "items": items, "query": query.urlencode()},
    )


# ---------------------------------------------------------------- policy rows
# The rows live in core (``core.policy``); their pages live here because they show the
# plans each row gave a deadline to.


def policy_list(request: HttpRequest, as_json: bool = False) -> HttpResponse:
    """Every rule row, built in and recorded, with its source and whether it was verified."""
    rows = queries.policy_rows()
    if as_json:
        return JsonResponse(
            {"count": len(rows), "items": [row.model_dump(mode="json") for row in rows]},
            json_dumps_params={"ensure_ascii": False},
        )
    return render(request, "plans/policies.html", {"rows": rows})


def _policy_params(record: Any) -> dict[str, Any]:
    params = [
        (name, ", ".join(map(str, value)) if isinstance(value, list) else str(value))
        for name, value in record.params.items()
    ]
    return {"params": params}


policy_detail = _page("plans/policy.html", queries.policy_detail, _policy_params)
