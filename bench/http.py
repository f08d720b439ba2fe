"""Pages served by the production server under load, beside a minimal view on the same server.

The data set is the generated one (``bench/http_data.py``: ``tripartite generate --scale
global``, cached). This process collects the static files and signs a checkpoint of the log
(what ``tripartite serve`` and ``tripartite worker`` would have done), picks the URLs from
the data, then starts two gunicorns with ``tripartite serve``'s command line
(``bench/http_server.py``): the product (``tripartite.settings``) and the baseline
(``bench.settings``: the same settings plus ``bench.baseline_urls.minimal_view``). wrk
(``bench/http_wrk.py``) drives each URL for a fixed time at 16 connections (2 threads),
after a one-second warm-up, then the same URL with the validators of a first response
(``If-None-Match``/``If-Modified-Since``), expecting ``304``. The baseline is driven (for
half as long) before the first run and after each run; each row's ratio is to the mean of
the two baseline runs around it (``bench/http_results.py``). Last, the peak resident memory of
each worker (``VmHWM``).
"""

from __future__ import annotations

import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass

from bench import http_data
from bench.common import Context
from bench.http_results import (
    BASELINE,
    Page,
    bracketing_baselines,
    conditional_headers,
    failed_result,
    memory_result,
    page_result,
    schedule,
)
from bench.http_server import Server, running_server
from bench.http_wrk import Load, WrkResult, run_wrk
from bench.report import Result

BASELINE_PATH = "/bench/baseline/"
#: Page runs between two baseline runs: every page is bracketed by its own two, because the
#: machine's load changes within a minute when it is shared.
BASELINE_EVERY = 1
#: A baseline run lasts this fraction of a page run (its rate settles quickly).
BASELINE_SHARE = 0.5


@dataclass(frozen=True)
class Response:
    status: int
    headers: dict[str, str]
    size: int


def fetch(url: str, headers: dict[str, str] | None = None) -> Response:
    """One GET, whatever its status (urllib raises on 3xx-5xx answers: they are answers)."""
    request = urllib.request.Request(url, headers=headers or {})  # noqa: S310 - loopback
    try:
        with urllib.request.urlopen(request, timeout=60) as answer:  # noqa: S310
            return Response(answer.status, dict(answer.headers.items()), len(answer.read()))
    except urllib.error.HTTPError as answer:
        return Response(answer.code, dict(answer.headers.items()), len(answer.read()))


# --------------------------------------------------------------------------
# The URLs, picked from the data set
# --------------------------------------------------------------------------


def _search_queries(commitment_title: str, member_name: str) -> list[str]:
    words = [w.strip(".,:;()") for w in commitment_title.split() if len(w) > 4]
    queries = ["transparency", "participación ciudadana", "budget", member_name]
    if words:
        queries.append(" ".join(words[:2]))
    return queries


def pick_pages() -> list[Page]:
    """The pages the issue names, on records of the data set: the first member (by key)
    with a forum, its first forum, the plan with the most commitments and its first
    commitment, and a full tile from the middle of the log."""
    from django.db.models import Count
    from django.urls import reverse

    from tripartite.forums.models import Forum, Member
    from tripartite.ledger.models import LogEntry
    from tripartite.ledger.tiles import tile_path
    from tripartite.plans.models import ActionPlan, Commitment

    member = Member.objects.filter(forums__isnull=False).order_by("key").first()
    forum = Forum.objects.filter(member=member).order_by("key").first()
    plan = ActionPlan.objects.annotate(size=Count("commitments")).order_by("-size", "key").first()
    if member is None or forum is None or plan is None:
        raise RuntimeError("the data set has no member with a forum, or no action plan")
    commitment = Commitment.objects.filter(plan=plan).order_by("number", "key").first()
    if commitment is None:
        raise RuntimeError("the largest plan has no commitment")
    entries = LogEntry.objects.count()
    full_tiles = entries // 256
    tile = tile_path(0, full_tiles // 2) if full_tiles else tile_path(0, 0, entries)
    plan_size = plan.size
    queries = _search_queries(commitment.title, member.name)
    search = tuple(reverse("search") + "?" + urllib.parse.urlencode({"q": q}) for q in queries)
    return [
        Page("member page", (reverse("member-detail", args=[member.key]),)),
        Page("forum page", (reverse("forum-detail", args=[forum.key]),)),
        Page(
            f"plan dashboard ({plan_size} commitments)",
            (reverse("plan-detail", args=[plan.key]),),
            min_ratio=0.25,
        ),
        Page(
            "commitment page",
            (reverse("commitment-detail", args=[commitment.key]),),
            min_ratio=0.5,
        ),
        Page("letters register", (reverse("letters"),), min_ratio=0.25),
        Page(f"search ({len(search)} queries rotated)", search, conditional=False),
        Page(
            f"search ({len(search)} queries rotated), one connection: latency",
            search,
            connections=1,
            latency_limit=(95, 50.0),
            conditional=False,
        ),
        Page("API list (commitments, first page)", ("/api/v1/commitments",)),
        Page(
            "API detail (commitment)",
            (f"/api/v1/commitments/{urllib.parse.quote(commitment.key)}",),
            min_ratio=0.5,
        ),
        Page("latest checkpoint", (reverse("log-checkpoint"),)),
        Page(f"log tile (level 0, of {entries:,} entries)", ("/log/" + tile,)),
    ]


# --------------------------------------------------------------------------
# Preparing the instance as serve and worker would
# --------------------------------------------------------------------------


def _prepare(ctx: Context) -> None:
    from django.core.management import call_command

    from tripartite.ledger import checkpointer
    from tripartite.ledger.models import LogEntry
    from tripartite.ledger.queries import latest_checkpoint

    call_command("collectstatic", interactive=False, verbosity=0)
    latest = latest_checkpoint()
    if latest is None or latest.size < LogEntry.objects.count():
        checkpointer.run_once()
    # The servers are separate processes: let them see a quiet database.
    from django.db import connections

    connections.close_all()


# --------------------------------------------------------------------------
# The runs
# --------------------------------------------------------------------------


def _with_conditional(ctx: Context, product: Server, pages: list[Page]) -> list[Page]:
    """Each page, followed by its conditional twin when it sends a validator that works."""
    runs = []
    for page in pages:
        runs.append(page)
        if not page.conditional:
            continue
        url = product.base_url + page.paths[0]
        first = fetch(url)
        validators = conditional_headers(first.headers)
        if not validators:
            ctx.notes.append(
                f"http/{ctx.database}: {page.label}: no validator (no ETag or "
                "Last-Modified in the response), so no conditional run"
            )
            continue
        second = fetch(url, validators)
        if second.status != 304:
            ctx.notes.append(
                f"http/{ctx.database}: {page.label}: sends "
                f"{', '.join(validators)} but answered {second.status}, not 304, when given "
                "them back: no conditional run"
            )
            continue
        runs.append(page.as_conditional(validators))
    return runs


def _drive(server: Server, page: Page, load: Load) -> WrkResult:
    return run_wrk(
        server.base_url,
        list(page.paths),
        Load(connections=page.connections, threads=load.threads, seconds=load.seconds),
        headers=dict(page.headers),
        expected_status=304 if page.is_conditional_run else 200,
    )


def bench_http(ctx: Context) -> list[Result]:
    data_set = http_data.scale(ctx)
    _prepare(ctx)
    pages = pick_pages()
    load = Load(connections=16, threads=2, seconds=ctx.pick(10, 3))
    warm_up = Load(connections=16, threads=2, seconds=1)
    baseline_page = Page("baseline", (BASELINE_PATH,))
    logs = ctx.data_dir
    with (
        running_server("product", "tripartite.settings", logs) as product,
        running_server("baseline", "bench.settings", logs, probe=BASELINE_PATH) as baseline,
    ):
        broken = []
        for page in pages:
            answers = {fetch(product.base_url + path).status for path in page.paths}
            if answers != {200}:
                why = "answered " + ", ".join(str(status) for status in sorted(answers))
                broken.append(failed_result(page, ctx.database, why))
        working = [p for p in pages if p.label not in {r.name for r in broken}]
        runs = _with_conditional(ctx, product, working)
        order = schedule(runs, BASELINE_EVERY)
        _drive(baseline, baseline_page, warm_up)
        measured: list[tuple[Page, WrkResult, int]] = []
        baseline_runs: list[WrkResult] = []
        for item in order:
            if item == BASELINE:
                ctx.say("baseline")
                short = Load(load.connections, load.threads, load.seconds * BASELINE_SHARE)
                baseline_runs.append(_drive(baseline, baseline_page, short))
                continue
            assert isinstance(item, Page)
            ctx.say(item.label)
            if not item.is_conditional_run:
                _drive(product, item, warm_up)
            size = fetch(product.base_url + item.paths[0], dict(item.headers)).size
            measured.append((item, _drive(product, item, load), size))
        workers = product.workers_peak_mb()
        baseline_workers = baseline.workers_peak_mb()
    means = bracketing_baselines(order, [run.rate for run in baseline_runs])
    p50s = bracketing_baselines(order, [run.p(50) for run in baseline_runs])
    p99s = bracketing_baselines(order, [run.p(99) for run in baseline_runs])
    results = [
        page_result(
            page,
            ctx.database,
            result,
            mean,
            response_bytes=size,
            baseline_latency_ms=(p50, p99),
        )
        for (page, result, size), mean, p50, p99 in zip(measured, means, p50s, p99s, strict=True)
    ]
    results += broken
    results.append(memory_result(ctx.database, workers, baseline_workers))
    for result in results:
        result.detail = f"{data_set} data set; {result.detail}"
    rates = ", ".join(f"{run.rate:,.0f}" for run in baseline_runs)
    ctx.notes.append(
        f"http/{ctx.database}: baseline runs (req/s, in order): {rates}; "
        f"{load.seconds:.0f} s per page run, {load.seconds * BASELINE_SHARE:.0f} s per "
        f"baseline run, wrk {load.connections} connections, "
        f"{load.threads} threads; gunicorn access logs in the throwaway data dir"
    )
    return results
