"""Page throughput of a large action plan, beside a minimal Django view.

A plan of N commitments with ten milestones each (500 by 10 by default, as the plans issue
asks) and a progress report per commitment from two parties is built through the services
(so it is logged like real data). Then the plan dashboard, its JSON twin and a commitment
page are requested through Django's test client, in alternating rounds with the baseline:
``bench.baseline_urls.minimal_view`` behind the same settings and middleware. Each row
also says how many SQL queries one request ran (bounded: it must not grow with N).
"""

from __future__ import annotations

import datetime as dt
import os
import time
from collections.abc import Callable

from bench.common import Context, alternate
from bench.report import Result

D = dt.date


def before_setup(ctx: Context) -> None:
    os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings"


def _build(ctx: Context, commitments: int, milestones: int) -> str:
    from django.db import transaction

    from tripartite.core.actors import system_actor
    from tripartite.forums import services as forum_services
    from tripartite.plans import services

    actor = system_actor()
    started = time.monotonic()
    with transaction.atomic():
        member = forum_services.create_member(actor, key="bx", name="Benchland", kind="country")
        gov = forum_services.create_organization(
            actor, key="bx-gov", name="Ministry", sector="government"
        )
        cso = forum_services.create_organization(
            actor, key="bx-cso", name="Civic Group", sector="civil_society"
        )
        plan = services.create_plan(
            actor,
            key="bx-1",
            member=member,
            number=1,
            title="Large plan",
            start_on=D(2022, 1, 1),
            end_on=D(2025, 12, 31),
            length=4,
        )
        services.transition_plan(actor, plan, to="co_creation", on=D(2021, 9, 1))
        themes = ["Water", "Health", "Anti-corruption", "Gender", "Climate", "Justice"]
        levels = ["not_started", "limited", "substantial", "complete"]
        for n in range(1, commitments + 1):
            commitment = services.add_commitment(
                actor,
                key=f"BX{n:04d}",
                plan=plan,
                number=n,
                title=f"Commitment {n}",
                lead_institution=gov,
                themes=[themes[n % len(themes)]],
                ogp_values=["ati", "cp"] if n % 2 else ["pa"],
            )
            for m in range(1, milestones + 1):
                services.add_milestone(
                    actor,
                    commitment=commitment,
                    number=m,
                    deliverable=f"Deliverable {m}",
                    responsible=gov,
                    status=levels[(n + m) % len(levels)],
                )
            services.report_progress(
                actor,
                commitment=commitment,
                party="government",
                reported_on=D(2023, 1, 1),
                completion=levels[n % 4],
                text="Self-report.",
                author=gov,
            )
            services.report_progress(
                actor,
                commitment=commitment,
                party="civil_society",
                reported_on=D(2023, 2, 1),
                completion=levels[(n + 1) % 4],
                text="Shadow report.",
                author=cso,
            )
        services.transition_plan(actor, plan, to="delivered", on=D(2022, 1, 1))
        services.transition_plan(actor, plan, to="implementing", on=D(2022, 1, 2))
    records = 3 + 1 + commitments * (milestones + 3)
    ctx.notes.append(
        f"plan: {commitments:,} commitments, {commitments * milestones:,} milestones and "
        f"{commitments * 2:,} progress reports built through the services "
        f"({records:,} records) in {time.monotonic() - started:.0f} s"
    )
    return plan.key


def bench_plan_pages(ctx: Context) -> list[Result]:
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    # As in production (DEBUG off): pages name their static files from the manifest.
    call_command("collectstatic", interactive=False, verbosity=0)
    commitments = int(ctx.pick(500, 50))
    plan_key = _build(ctx, commitments, 10)
    client = Client(HTTP_HOST="127.0.0.1")

    def get(url: str) -> None:
        response = client.get(url)
        if response.status_code != 200:
            raise RuntimeError(f"{url} answered {response.status_code}")

    def requests_to(url: str) -> Callable[[int], None]:
        def run(count: int) -> None:
            for _ in range(count):
                get(url)

        return run

    def queries(url: str) -> int:
        with CaptureQueriesContext(connection) as captured:
            get(url)
        return len(captured)

    baseline_url = "/bench/baseline/"
    pages = [
        (f"plan dashboard ({commitments} commitments)", f"/plan/{plan_key}/", 1),
        (f"plan dashboard JSON twin ({commitments} commitments)", f"/plan/{plan_key}.json", 1),
        ("commitment page (10 milestones, 2 reports)", "/commitment/BX0001/", 10),
    ]
    results = []
    for label, url, per_round in pages:
        get(url)  # warm: templates compiled, caches filled, as in a running server
        rates = alternate(
            requests_to(url),
            requests_to(baseline_url),
            per_round=per_round,
            budget_s=ctx.pick(20, 4),
        )
        size = len(client.get(url).content)
        results.append(
            Result(
                benchmark="pages",
                name=label,
                database=ctx.database,
                unit="req/s",
                value=rates.subject,
                baseline_name="minimal Django view, same stack",
                baseline_value=rates.baseline,
                higher_is_better=True,
                detail=(
                    f"{rates.subject_ops:,} requests in {rates.rounds} rounds through "
                    f"django.test.Client; SQL queries per request: {queries(url)}; "
                    f"response {size / 1024:,.0f} KiB"
                ),
                baseline_detail=f"{rates.baseline_ops:,} requests",
            )
        )
    return results
