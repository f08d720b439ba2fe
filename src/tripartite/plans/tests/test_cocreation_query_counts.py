"""The co-creation pages and API run a bounded number of SQL queries: the count with a few
inputs equals the count once many more inputs, responses, traces and pending inputs exist.
"""

from __future__ import annotations

from collections.abc import Callable

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tripartite.core.actors import system_actor
from tripartite.forums.tests.editing import user
from tripartite.plans import services
from tripartite.plans.models import ActionPlan, Commitment, Input, ReasonedResponse
from tripartite.plans.tests.factories import PlanWorld, public_input, published_input


def count(client: Client, url: str) -> int:
    first = client.get(url)  # warm up: anything cached per process is loaded before counting
    assert first.status_code == 200, (url, first.status_code)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(captured.captured_queries)


def respond(plan: ActionPlan, inputs: list[Input]) -> ReasonedResponse:
    return services.respond_to_inputs(
        system_actor(),
        plan=plan,
        inputs=inputs,
        decision="merged",
        rationale="Merged into one commitment.",
        published_on=timezone.localdate(),
    )


def withhold(plan: ActionPlan, title: str) -> None:
    services.moderate_input(
        system_actor(), public_input(plan, title), decision="withhold", reason="Insults."
    )


def test_co_creation_queries_do_not_grow_with_the_data(world: PlanWorld) -> None:
    plan = ActionPlan.objects.get(key="xx-5")
    commitment = Commitment.objects.get(key="XX0010")
    # The small record already has one of everything, so each prefetch runs in both.
    first, second = published_input(plan, "First idea"), published_input(plan, "Second idea")
    withhold(plan, "Withheld one")
    small_response = respond(plan, [first])
    services.link_inputs(system_actor(), commitment, inputs=[first])
    public_input(plan, "Pending one")

    anonymous, staff = Client(), Client()
    staff.force_login(user("counting-editor", staff=True))
    urls: dict[str, tuple[Client, Callable[[], str]]] = {
        "page": (anonymous, lambda: "/plan/xx-5/co-creation/"),
        "page unanswered": (anonymous, lambda: "/plan/xx-5/co-creation/?show=unanswered"),
        "page answered": (anonymous, lambda: "/plan/xx-5/co-creation/?show=answered"),
        "page as staff": (staff, lambda: "/plan/xx-5/co-creation/"),
        "json": (anonymous, lambda: "/plan/xx-5/co-creation.json"),
        "input": (anonymous, lambda: f"/input/{first.key}/"),
        "input json": (anonymous, lambda: f"/input/{first.key}.json"),
        "response": (anonymous, lambda: f"/response/{latest_response().key}/"),
        "response json": (anonymous, lambda: f"/response/{latest_response().key}.json"),
        "api inputs": (anonymous, lambda: "/api/v1/inputs?plan=xx-5"),
        "api responses": (anonymous, lambda: "/api/v1/responses?plan=xx-5"),
        "moderation queue": (staff, lambda: "/staff/moderation/"),
        "respond form": (staff, lambda: "/plan/xx-5/responses/new/"),
    }

    def latest_response() -> ReasonedResponse:
        return ReasonedResponse.objects.filter(plan=plan).order_by("-id").first() or small_response

    before = {name: count(client, url()) for name, (client, url) in urls.items()}

    many = [published_input(plan, f"Idea {n}") for n in range(40)]
    for n in range(5):
        withhold(plan, f"Withheld {n}")
        public_input(plan, f"Pending {n}")
    for start in range(0, 20, 5):
        respond(plan, [first, *many[start : start + 5]])
    services.link_inputs(system_actor(), commitment, inputs=[second, *many[:10]])
    respond(plan, many[20:35])  # the response page now lists 15 inputs

    after = {name: count(client, url()) for name, (client, url) in urls.items()}
    assert after == before
