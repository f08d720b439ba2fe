"""The HTTP benchmark's plan of runs and the shaping of wrk's figures into report rows.

Plain functions without Django or a server, tested in ``tests/bench/test_http_parsing.py``.

The baseline (the minimal view) is measured before the first page, again after every few
page runs, and after the last one; each page's ratio is to the mean of the two baseline runs
around it, so that a change of the machine's load during the run (it is shared) moves the
page and its baseline alike.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from bench.http_wrk import WrkResult
from bench.report import Result

BENCHMARK = "http"
BASELINE_NAME = "minimal Django view, same gunicorn"
#: The issue's targets.
P99_LIMIT_MS = 100.0
CONDITIONAL_MIN_RATIO = 0.8
SEARCH_P95_LIMIT_MS = 50.0
WORKER_MEMORY_LIMIT_MB = 200.0


@dataclass(frozen=True)
class Page:
    """One URL (or a rotation of URLs) to drive, and the issue's targets for it."""

    label: str
    paths: tuple[str, ...]
    #: The least ratio to the baseline's req/s the issue asks for (None: no such target).
    min_ratio: float | None = None
    connections: int = 16
    #: (percentile, limit in ms) the latency must stay under.
    latency_limit: tuple[int, float] = (99, P99_LIMIT_MS)
    #: Requested again with the validators of a first response, expecting 304.
    conditional: bool = True
    #: The headers of a conditional run (If-None-Match/If-Modified-Since); {} otherwise.
    headers: tuple[tuple[str, str], ...] = ()

    @property
    def is_conditional_run(self) -> bool:
        return bool(self.headers)

    def as_conditional(self, headers: dict[str, str]) -> Page:
        """The same page asked with validators: 304 expected, at 0.8 of the baseline."""
        return Page(
            label=f"{self.label}, conditional (304)",
            paths=self.paths,
            min_ratio=CONDITIONAL_MIN_RATIO,
            connections=self.connections,
            latency_limit=self.latency_limit,
            conditional=False,
            headers=tuple(sorted(headers.items())),
        )


BASELINE = "baseline"


def schedule(pages: Sequence[Page], every: int) -> list[Page | str]:
    """The order of the runs: ``BASELINE`` first, after every ``every`` pages, and last."""
    if every < 1:
        raise ValueError("every must be at least 1")
    order: list[Page | str] = [BASELINE]
    for n, page in enumerate(pages, start=1):
        order.append(page)
        if n % every == 0 or n == len(pages):
            order.append(BASELINE)
    return order


def bracketing_baselines(
    order: Sequence[Page | str], baseline_rates: Sequence[float]
) -> list[float]:
    """For each page of ``order`` (in order), the mean rate of the baseline runs just before
    and just after it; ``baseline_rates`` are the baseline runs' rates in order."""
    if len(baseline_rates) != sum(1 for item in order if item == BASELINE):
        raise ValueError("one rate per baseline run")
    means = []
    seen = 0
    for item in order:
        if item == BASELINE:
            seen += 1
            continue
        before = baseline_rates[seen - 1] if seen else baseline_rates[0]
        after = baseline_rates[seen] if seen < len(baseline_rates) else before
        means.append((before + after) / 2)
    return means


def conditional_headers(response_headers: dict[str, str]) -> dict[str, str]:
    """What a browser sends back: If-None-Match from ETag, If-Modified-Since from
    Last-Modified (header names compared without case); {} when the page sent neither."""
    lower = {k.lower(): v for k, v in response_headers.items()}
    headers = {}
    if "etag" in lower:
        headers["If-None-Match"] = lower["etag"]
    if "last-modified" in lower:
        headers["If-Modified-Since"] = lower["last-modified"]
    return headers


def _ms(value: float) -> str:
    return f"{value:.1f} ms" if value < 100 else f"{value:,.0f} ms"


def page_result(
    page: Page,
    database: str,
    measured: WrkResult,
    baseline_rate: float,
    *,
    response_bytes: int | None = None,
    baseline_latency_ms: tuple[float, float] | None = None,
) -> Result:
    """One report row: req/s and latency of ``page``, its ratio to the baseline and targets."""
    percentile, limit = page.latency_limit
    ratio = measured.rate / baseline_rate if baseline_rate else 0.0
    targets = []
    checks = []
    if page.min_ratio is not None:
        targets.append(f"≥ {page.min_ratio:.2f}x")
        checks.append(ratio >= page.min_ratio)
    targets.append(f"p{percentile} < {limit:.0f} ms")
    checks.append(measured.p(percentile) < limit)
    problem = measured.problem()
    detail = [
        f"p50 {_ms(measured.p(50))}, p95 {_ms(measured.p(95))}, p99 {_ms(measured.p(99))} "
        f"at {page.connections} connection{'s' if page.connections > 1 else ''}",
        f"{measured.requests:,} requests in {measured.seconds:.0f} s",
    ]
    if response_bytes is not None:
        detail.append(f"response {response_bytes / 1024:,.1f} KiB")
    if len(page.paths) > 1:
        detail.append(f"{len(page.paths)} URLs rotated: " + ", ".join(page.paths))
    else:
        detail.append(f"`{page.paths[0]}`")
    if page.headers:
        detail.append("sent " + ", ".join(name for name, _ in page.headers))
    if problem:
        detail.insert(0, f"FAILED: {problem}")
    return Result(
        benchmark=BENCHMARK,
        name=page.label,
        database=database,
        unit="req/s",
        value=measured.rate,
        baseline_name=BASELINE_NAME,
        baseline_value=baseline_rate,
        higher_is_better=True,
        detail="; ".join(detail),
        baseline_detail=(
            f"p50 {_ms(baseline_latency_ms[0])}, p99 {_ms(baseline_latency_ms[1])} "
            "(mean of the runs around it)"
            if baseline_latency_ms
            else ""
        ),
        target=", ".join(targets),
        met=all(checks) and not problem,
    )


def memory_result(
    database: str, workers_mb: list[float], baseline_workers_mb: list[float]
) -> Result:
    """The row of peak resident memory per gunicorn worker (VmHWM after every run)."""
    peak = max(workers_mb) if workers_mb else 0.0
    baseline_peak = max(baseline_workers_mb) if baseline_workers_mb else 0.0
    return Result(
        benchmark=BENCHMARK,
        name="peak resident memory per gunicorn worker (VmHWM, after all runs)",
        database=database,
        unit="MB",
        value=peak,
        baseline_name="worker of the baseline server",
        baseline_value=baseline_peak,
        higher_is_better=False,
        detail="workers: " + ", ".join(f"{mb:,.0f} MB" for mb in workers_mb),
        baseline_detail="workers: " + ", ".join(f"{mb:,.0f} MB" for mb in baseline_workers_mb),
        target=f"≤ {WORKER_MEMORY_LIMIT_MB:.0f} MB",
        met=bool(workers_mb) and peak <= WORKER_MEMORY_LIMIT_MB,
    )


def failed_result(page: Page, database: str, why: str) -> Result:
    """The row of a page that could not be measured (it did not answer 200)."""
    percentile, limit = page.latency_limit
    target = (f"≥ {page.min_ratio:.2f}x, " if page.min_ratio is not None else "") + (
        f"p{percentile} < {limit:.0f} ms"
    )
    return Result(
        benchmark=BENCHMARK,
        name=page.label,
        database=database,
        unit="req/s",
        value=0.0,
        baseline_name=BASELINE_NAME,
        baseline_value=0.0,
        higher_is_better=True,
        detail=f"FAILED: {why}; not measured: `{page.paths[0]}`",
        target=target,
        met=False,
    )
