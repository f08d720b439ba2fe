"""Co-creation pages: a plan's co-creation page (its window, the input form and the register
of inputs and reasoned responses), each input and response with their JSON twins, and the
staff pages (moderation queue, reasoned responses, tracing inputs to a commitment).

Every page works without JavaScript. Every write is one call to ``plans.services``; a
refused write re-renders the form with the error's status (409, 422) and writes nothing.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from tripartite.core.errors import ServiceError
from tripartite.core.problems import problem_response
from tripartite.core.ratelimit import rate_limited
from tripartite.core.views import detail_page as _page
from tripartite.forums.edit_forms import attach_service_error
from tripartite.forums.edit_views import (
    EditPage,
    Outcome,
    SeeOther,
    error_items,
    handle,
    posted,
    staff_only,
)

from . import cocreation_forms as f
from . import cocreation_queries as q
from . import services
from .choices import Moderation
from .models import ActionPlan, Commitment, Input


def _json(data: Any) -> JsonResponse:
    return JsonResponse(data.model_dump(mode="json"), json_dumps_params={"ensure_ascii": False})


def co_creation_url(plan: ActionPlan) -> str:
    return reverse("plan-co-creation", kwargs={"key": plan.key})


# ---------------------------------------------------------------- the co-creation page


@require_http_methods(["GET", "POST"])
@rate_limited("input")  # posts only; past the limit a 429 page and nothing is written
def co_creation(request: HttpRequest, key: str, as_json: bool = False) -> HttpResponse:
    """GET: the window, the input form (while open) and the register. POST: submit input
    (with or without an account), then 303 to the page's thank-you state."""
    if as_json and request.method != "GET":
        return problem_response(request, 405, _("Method not allowed."), _("Use GET."))
    plan = q.plans().filter(key=key).first()
    if plan is None:
        if not as_json:
            raise Http404("no such plan")
        return problem_response(request, 404, _("Not found."), _("No record has this identifier."))
    filters = f.RegisterFilterForm(request.GET or None)
    if as_json and filters.is_bound and not filters.is_valid():
        return problem_response(request, 400, _("Invalid filter."), filters.errors.as_text())
    form = f.InputForm(posted(request), plan=plan, initial={"language": get_language()})
    today = timezone.localdate()
    status, error_message, unplaced = 200, "", []
    if request.method == "POST":
        if form.is_valid():
            try:
                item = services.submit_input(request.user, plan=plan, **form.submission())
            except ServiceError as error:
                status, error_message = error.status, error.message
                unplaced = attach_service_error(form, error)
            else:
                messages.success(
                    request,
                    _("Your input was received with the reference %(key)s.") % {"key": item.key},
                )
                return SeeOther(f"{co_creation_url(plan)}?sent=1#submitted")
        elif not q.window(plan, today).open:
            # What the service answers when the window is closed, whatever was sent.
            status, error_message = 409, _("This plan is not open for co-creation input.")
        else:
            status = 422
    elif filters.is_bound and not filters.is_valid():
        status = 400
    register = q.co_creation(plan, show=filters.shown(), page=request.GET.get("page"), today=today)
    if as_json:
        return _json(register.data)
    query = request.GET.copy()
    for name in ("page", "sent"):
        query.pop(name, None)
    return render(
        request,
        "plans/cocreation/page.html",
        {
            "record": register.data,
            "page": register.page,
            "filters": filters,
            "query": query.urlencode(),
            "form": form,
            "sent": request.method == "GET" and request.GET.get("sent") == "1",
            "error_message": error_message,
            # A closed window shows no form, so no field to point at.
            "error_items": (
                error_items(form) + [("", message) for message in unplaced]
                if register.data.window.open
                else []
            ),
            "pending": (
                Input.objects.filter(moderation=Moderation.PENDING).count()
                if request.user.is_staff
                else None
            ),
        },
        status=status,
    )


# ---------------------------------------------------------------- inputs and responses

input_detail = _page("plans/cocreation/input.html", q.input_detail)
response_detail = _page("plans/cocreation/response.html", q.response_detail)


# ---------------------------------------------------------------- staff: moderation queue


@staff_only
def moderation_queue(request: HttpRequest) -> HttpResponse:
    """Pending input of every plan, oldest first, each with its own moderation form."""
    number = request.GET.get("page")
    status, error_message, unplaced = 200, "", []
    posted_form: f.ModerationForm | None = None
    if request.method == "POST":
        item = get_object_or_404(
            Input.objects.select_related("plan"), key=request.POST.get("input", "")
        )
        posted_form = f.ModerationForm(request.POST, prefix=item.key)
        if not posted_form.is_valid():
            status = 422
        else:
            decision = posted_form.cleaned_data["decision"]
            try:
                services.moderate_input(
                    request.user, item, decision=decision, reason=posted_form.cleaned_data["reason"]
                )
            except ServiceError as error:
                status, error_message = error.status, error.message
                unplaced = attach_service_error(posted_form, error)
            else:
                done = {
                    "publish": _("%(id)s is published."),
                    "withhold": _(
                        "%(id)s is withheld; the record keeps the reason, not its words."
                    ),
                    "discard": _("%(id)s is discarded as spam."),
                }[decision]
                messages.success(request, done % {"id": item.public_id})
                url = reverse("plans-moderation")
                return SeeOther(f"{url}?page={number}" if number else url)
    page = Paginator(q.pending_inputs(), q.PAGE_SIZE).get_page(number)
    today = timezone.localdate()
    entries = [
        (
            item,
            posted_form
            if posted_form is not None and posted_form.prefix == item.key
            else f.ModerationForm(prefix=item.key),
            q.waiting_days(item, today),
        )
        for item in page.object_list
    ]
    items = error_items(posted_form) if posted_form is not None else []
    return render(
        request,
        "plans/cocreation/moderation.html",
        {
            "page": page,
            "entries": entries,
            "error_message": error_message,
            "error_items": items + [("", message) for message in unplaced],
        },
        status=status,
    )


# ---------------------------------------------------------------- staff: reasoned responses


@staff_only
def respond(request: HttpRequest, key: str) -> HttpResponse:
    plan = get_object_or_404(q.plans(), key=key)
    chosen = request.GET.getlist("input")
    initial: dict[str, Any] = {
        "published_on": timezone.localdate(),
        "language": plan.language,
        "inputs": list(Input.objects.filter(plan=plan, key__in=chosen)) if chosen else [],
    }
    form = f.RespondForm(posted(request), plan=plan, initial=initial)
    has_inputs = form.fields["inputs"].queryset.exists()  # type: ignore[attr-defined]
    notice = "" if has_inputs else _("This plan has no published input to respond to yet.")

    def perform() -> Outcome:
        data = form.cleaned_data
        response = services.respond_to_inputs(
            request.user,
            plan=plan,
            inputs=list(data["inputs"]),
            decision=data["decision"],
            rationale=data["rationale"],
            published_on=data["published_on"],
            language=data["language"],
        )
        return response.get_absolute_url(), _("The reasoned response %(id)s is published.") % {
            "id": response.public_id
        }

    page = EditPage(
        title=_("Publish a reasoned response: %(plan)s") % {"plan": plan.title},
        back=(co_creation_url(plan), _("Co-creation of %(plan)s") % {"plan": plan.title}),
        submit=_("Publish the response"),
        intro=_(
            "The forum's answer to one or more published inputs: what it decided (accepted, "
            "partially accepted, merged with other input, not taken up) and why."
        ),
        notice=notice,
        template="plans/cocreation/respond.html",
    )
    return handle(request, page, form, perform)


@staff_only
def link_inputs(request: HttpRequest, key: str) -> HttpResponse:
    commitment = get_object_or_404(
        Commitment.objects.select_related("plan", "plan__member"), key=key
    )
    linked = list(commitment.inputs.order_by("received_at", "id"))
    form = f.LinkInputsForm(posted(request), commitment=commitment, linked=linked)
    notice = ""
    if commitment.is_retracted:
        notice = _("This commitment has been retracted; nothing new can be recorded under it.")
    elif not form.has_choices():
        notice = _("No other published input of this plan can be linked to this commitment.")

    def perform() -> Outcome:
        data = form.cleaned_data
        services.link_inputs(
            request.user, commitment, inputs=list(data["inputs"]), reason=data["reason"]
        )
        return commitment.get_absolute_url(), _("The inputs are traced to %(id)s.") % {
            "id": commitment.public_id
        }

    title = commitment.short_title or commitment.title
    page = EditPage(
        title=_("Trace inputs to commitment %(key)s") % {"key": commitment.key},
        back=(commitment.get_absolute_url(), f"{commitment.key} — {title}"),
        submit=_("Link the inputs"),
        intro=_(
            "Record which co-creation inputs this commitment came from. Each input's page "
            "then shows the commitment, and the commitment its inputs."
        ),
        notice=notice,
        template="plans/cocreation/link_inputs.html",
        context={"linked": [q.input_ref(item) for item in linked]},
    )
    return handle(request, page, form, perform)
