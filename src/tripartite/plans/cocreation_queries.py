"""Read side of co-creation: the register of a plan's public input, each input and each
reasoned response, in a fixed number of queries whatever the number of inputs.

Input waiting for moderation (version 0) does not exist publicly: every public query
here starts from ``public_inputs()``, which leaves it out. Nothing read here carries the
contact e-mail or the account; the name only with the submitter's consent.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import Count, Exists, Min, OuterRef, Prefetch, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _

from tripartite.forums.schemas import Ref

from . import cocreation_schemas as s
from .choices import Moderation
from .models import ActionPlan, Commitment, Input, ReasonedResponse
from .rules import co_creation_open

PAGE_SIZE = 25
PUBLIC_MODERATION = (Moderation.PUBLISHED, Moderation.WITHHELD)
# The register's filter: every public input, those with a response, those still waiting.
SHOW_CHOICES = ("all", "answered", "unanswered")


# ---------------------------------------------------------------- references


def plan_ref(plan: ActionPlan) -> Ref:
    return Ref(id=plan.public_id, label=plan.title, url=plan.get_absolute_url())


def member_ref(plan: ActionPlan) -> Ref:
    member = plan.member
    return Ref(id=member.public_id, label=member.name, url=member.get_absolute_url())


def commitment_ref(commitment: Commitment) -> Ref:
    title = commitment.short_title or commitment.title
    return Ref(
        id=commitment.public_id,
        label=f"{commitment.key} — {title}",
        url=commitment.get_absolute_url(),
    )


def input_label(item: Input) -> str:
    """What a link to an input says: its title, or that it was withheld (never its words)."""
    if item.moderation == Moderation.WITHHELD:
        return _("Input withheld by moderation, received on %(date)s") % {
            "date": received_on(item).isoformat()
        }
    return item.title


def input_ref(item: Input) -> Ref:
    return Ref(id=item.public_id, label=input_label(item), url=item.get_absolute_url())


def received_on(item: Input) -> dt.date:
    return timezone.localdate(item.received_at)


def waiting_days(item: Input, today: dt.date) -> int:
    """Whole days since the input was received (0 on the day itself)."""
    return max((today - received_on(item)).days, 0)


# ---------------------------------------------------------------- querysets (bounded queries)


def _live_responses() -> QuerySet[ReasonedResponse]:
    return ReasonedResponse.objects.filter(retracted_at__isnull=True)


def public_inputs() -> QuerySet[Input]:
    """Inputs on the public record: published or withheld, never pending. Each carries
    ``has_response``: whether a response that is not retracted answers it."""
    return (
        Input.objects.filter(moderation__in=PUBLIC_MODERATION, version__gt=0)
        .select_related("plan")
        .annotate(has_response=Exists(_live_responses().filter(inputs=OuterRef("pk"))))
        .prefetch_related(
            Prefetch(
                "responses",
                queryset=ReasonedResponse.objects.order_by("published_on", "id"),
            ),
            Prefetch(
                "commitments",
                queryset=Commitment.objects.filter(retracted_at__isnull=True).order_by(
                    "number", "key"
                ),
            ),
        )
        .order_by("received_at", "id")
    )


def filter_inputs(
    queryset: QuerySet[Input],
    *,
    plan: str | None = None,
    answered: bool | None = None,
    moderation: str | None = None,
    commitment: str | None = None,
) -> QuerySet[Input]:
    """Narrow ``public_inputs()``. ``answered`` True: with a response; False: published,
    not retracted and still without one (the inputs that wait)."""
    if plan:
        queryset = queryset.filter(plan__key=plan)
    if moderation:
        queryset = queryset.filter(moderation=moderation)
    if commitment:
        queryset = queryset.filter(commitments__key=commitment, commitments__retracted_at=None)
    # ``has_response`` is the annotation of ``public_inputs()`` (a Q, which the type
    # checker does not resolve against the model's fields).
    if answered is True:
        queryset = queryset.filter(Q(has_response=True))
    elif answered is False:
        queryset = queryset.filter(
            Q(has_response=False), moderation=Moderation.PUBLISHED, retracted_at__isnull=True
        )
    return queryset


def responses() -> QuerySet[ReasonedResponse]:
    return (
        ReasonedResponse.objects.select_related("plan")
        .prefetch_related(
            Prefetch("inputs", queryset=Input.objects.order_by("received_at", "id")),
            Prefetch(
                "inputs__commitments",
                queryset=Commitment.objects.filter(retracted_at__isnull=True).order_by(
                    "number", "key"
                ),
            ),
        )
        .order_by("published_on", "id")
    )


# ---------------------------------------------------------------- shapes


def response_brief(response: ReasonedResponse) -> s.ResponseBrief:
    return s.ResponseBrief(
        id=response.public_id,
        version=response.version,
        url=response.get_absolute_url(),
        decision=response.decision,
        rationale=response.rationale,
        published_on=response.published_on,
        language=response.language,
        retracted=response.is_retracted,
    )


def input_out(item: Input, today: dt.date | None = None) -> s.InputOut:
    """The public shape of a published or withheld input (from ``public_inputs()``)."""
    today = today or timezone.localdate()
    withheld = item.moderation == Moderation.WITHHELD
    answered = bool(getattr(item, "has_response", False))
    waits = item.moderation == Moderation.PUBLISHED and not answered and not item.is_retracted
    return s.InputOut(
        id=item.public_id,
        version=item.version,
        url=item.get_absolute_url(),
        plan=plan_ref(item.plan),
        received_at=item.received_at,
        received_on=received_on(item),
        channel=item.channel,
        language=item.language,
        moderation=item.moderation,
        moderation_reason=item.moderation_reason,
        moderated_at=item.moderated_at,
        # A withheld input is on the record as received and withheld, not its words.
        title="" if withheld else item.title,
        text="" if withheld else item.text,
        submitter="" if withheld else item.public_submitter,
        organization="" if withheld else item.submitter_organization,
        responses=[response_brief(r) for r in item.responses.all()],
        commitments=[commitment_ref(c) for c in item.commitments.all()],  # type: ignore[attr-defined]
        answered=answered,
        waiting_days=waiting_days(item, today) if waits else None,
        retracted=item.is_retracted,
    )


def response_out(response: ReasonedResponse) -> s.ResponseOut:
    inputs = [item for item in response.inputs.all() if item.moderation in PUBLIC_MODERATION]
    commitments: dict[str, Ref] = {}
    for item in inputs:
        for commitment in item.commitments.all():  # type: ignore[attr-defined]
            commitments.setdefault(commitment.public_id, commitment_ref(commitment))
    return s.ResponseOut(
        id=response.public_id,
        version=response.version,
        url=response.get_absolute_url(),
        plan=plan_ref(response.plan),
        decision=response.decision,
        rationale=response.rationale,
        published_on=response.published_on,
        language=response.language,
        inputs=[input_ref(item) for item in inputs],
        commitments=list(commitments.values()),
        retracted=response.is_retracted,
    )


# ---------------------------------------------------------------- details


def input_detail(key: str) -> s.InputOut:
    """A published or withheld input; 404 for one waiting for moderation."""
    return input_out(get_object_or_404(public_inputs(), key=key))


def response_detail(key: str) -> s.ResponseOut:
    return response_out(get_object_or_404(responses(), key=key))


def plans() -> QuerySet[ActionPlan]:
    return ActionPlan.objects.select_related("member")


def window(plan: ActionPlan, today: dt.date) -> s.CoCreationWindow:
    return s.CoCreationWindow(
        state=plan.state,
        opens_on=plan.co_creation_opens_on,
        closes_on=plan.co_creation_closes_on,
        today=today,
        open=not plan.is_retracted
        and co_creation_open(
            plan.state, plan.co_creation_opens_on, plan.co_creation_closes_on, today
        ),
    )


def summary(plan: ActionPlan, today: dt.date) -> s.RegisterSummary:
    """The register's counts in one query, and the input waiting longest in another."""
    waiting = Q(moderation=Moderation.PUBLISHED, has_response=False, retracted_at__isnull=True)
    base = Input.objects.filter(plan=plan, moderation__in=PUBLIC_MODERATION, version__gt=0)
    counts: dict[str, Any] = base.annotate(
        has_response=Exists(_live_responses().filter(inputs=OuterRef("pk")))
    ).aggregate(
        published=Count("pk", filter=Q(moderation=Moderation.PUBLISHED)),
        withheld=Count("pk", filter=Q(moderation=Moderation.WITHHELD)),
        answered=Count("pk", filter=Q(has_response=True)),
        unanswered=Count("pk", filter=waiting),
        oldest=Min("received_at", filter=waiting),
    )
    oldest = None
    if counts["unanswered"]:
        oldest = (
            filter_inputs(public_inputs().prefetch_related(None), answered=False)
            .filter(plan=plan)
            .first()
        )
    return s.RegisterSummary(
        published=counts["published"],
        withheld=counts["withheld"],
        answered=counts["answered"],
        unanswered=counts["unanswered"],
        oldest_unanswered_days=waiting_days(oldest, today) if oldest else None,
        oldest_unanswered=input_ref(oldest) if oldest else None,
    )


@dataclass
class Register:
    """The co-creation page's data: the plan row (for the form), the page's schema and
    Django's page (for the pagination links)."""

    plan: ActionPlan
    data: s.CoCreationPage
    page: Page[Input]


def co_creation(
    plan: ActionPlan, *, show: str = "all", page: Any = None, today: dt.date | None = None
) -> Register:
    """The plan's window, the register's summary and one page (25) of the register.
    ``plan`` comes from ``plans()`` (with its member)."""
    today = today or timezone.localdate()
    answered = {"answered": True, "unanswered": False}.get(show)
    queryset = filter_inputs(public_inputs().filter(plan=plan), answered=answered)
    found = Paginator(queryset, PAGE_SIZE).get_page(page)
    data = s.CoCreationPage(
        plan=plan_ref(plan),
        member=member_ref(plan),
        window=window(plan, today),
        summary=summary(plan, today),
        show=show,
        count=found.paginator.count,
        page=found.number,
        pages=found.paginator.num_pages,
        items=[input_out(item, today) for item in found.object_list],
    )
    return Register(plan=plan, data=data, page=found)


# ---------------------------------------------------------------- staff: moderation queue


def pending_inputs() -> QuerySet[Input]:
    """Input waiting for moderation, of every plan, oldest first (staff only)."""
    return (
        Input.objects.filter(moderation=Moderation.PENDING)
        .select_related("plan", "plan__member")
        .order_by("received_at", "id")
    )


def commitment_inputs(commitment: Commitment) -> list[Ref]:
    """Traceability back: the published inputs a commitment came from."""
    return [
        input_ref(item)
        for item in commitment.inputs.filter(moderation__in=PUBLIC_MODERATION).order_by(
            "received_at", "id"
        )
    ]
