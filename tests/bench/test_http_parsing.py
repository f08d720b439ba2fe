"""The HTTP benchmark's plain parts: wrk's Lua script and output, the plan of runs, the
report rows, and the carrying over of rows in docs/BENCHMARKS.md.

The benchmark itself is not a test (speed is never asserted); these check that its figures
are read and shaped correctly.
"""

from __future__ import annotations

import shutil
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
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
from bench.http_wrk import (
    MARKER,
    Load,
    WrkError,
    WrkResult,
    lua_script,
    lua_string,
    parse_wrk_output,
    run_wrk,
)
from bench.report import Note, Result, RunInfo, carry_over, markdown, previous_run


def wrk_line(**overrides: object) -> str:
    data: dict[str, object] = {
        "requests": 3000,
        "duration_us": 3_000_000,
        "bytes": 123456,
        "connect": 0,
        "read": 0,
        "write": 0,
        "status": 0,
        "timeout": 0,
        "unexpected": 0,
        "first_unexpected": 0,
        "mean_us": 5123.4,
        "max_us": 90000,
        "percentiles_us": '{"50": 4000, "90": 8000, "95": 9500, "99": 20000}',
    }
    data.update(overrides)
    # Values are JSON text already (the percentiles an object), as the Lua hook prints them.
    return MARKER + "{" + ", ".join(f'"{k}": {v}' for k, v in data.items()) + "}"


def measured(rate: float = 1000.0, p99_ms: float = 20.0, **overrides: object) -> WrkResult:
    line = wrk_line(
        requests=int(rate * 3),
        percentiles_us=f'{{"50": 4000, "90": 8000, "95": 9500, "99": {int(p99_ms * 1000)}}}',
        **overrides,
    )
    return parse_wrk_output(line)


# ---------------------------------------------------------------- wrk's output


def test_parse_wrk_output_reads_the_marked_line_among_wrks_own_output() -> None:
    stdout = "Running 3s test @ http://127.0.0.1:8000\n  2 threads\n" + wrk_line() + "\n"
    result = parse_wrk_output(stdout)
    assert result.requests == 3000
    assert result.rate == pytest.approx(1000.0)
    assert result.percentiles_ms == {50: 4.0, 90: 8.0, 95: 9.5, 99: 20.0}
    assert result.mean_ms == pytest.approx(5.1234)
    assert result.problem() == ""


def test_parse_wrk_output_without_the_marked_line_is_an_error() -> None:
    with pytest.raises(WrkError, match="WRK_JSON"):
        parse_wrk_output("Running 3s test\nunable to connect to 127.0.0.1:1\n")


def test_socket_errors_and_unexpected_statuses_are_a_problem() -> None:
    result = parse_wrk_output(wrk_line(read=3, unexpected=7, first_unexpected=302))
    assert result.failures == 10
    assert result.problem() == ("3 read errors, 7 responses with an unexpected status (first: 302)")


def test_a_run_without_any_completed_request_is_a_problem() -> None:
    assert parse_wrk_output(wrk_line(requests=0)).problem() == "no request completed"


# ---------------------------------------------------------------- the Lua script


def test_lua_string_escapes_quotes_backslashes_and_non_ascii_bytes() -> None:
    assert lua_string('a"b\\c') == '"a\\"b\\\\c"'
    assert lua_string("é") == '"\\195\\169"'
    assert lua_string('W/"3-17"') == '"W/\\"3-17\\""'


def test_lua_script_lists_every_path_and_header_and_the_expected_status() -> None:
    script = lua_script(["/a/", "/search/?q=x"], {"If-None-Match": '"v1"'}, 304)
    assert 'local paths = {"/a/", "/search/?q=x"}' in script
    assert '["If-None-Match"] = "\\"v1\\""' in script
    assert "local expected = 304" in script


def test_lua_script_needs_a_path() -> None:
    with pytest.raises(ValueError):
        lua_script([], {}, 200)


class _Conditional(BaseHTTPRequestHandler):
    """200 with an ETag, or 304 when If-None-Match carries it back; records what it saw."""

    seen: list[tuple[str, str | None]] = []

    def do_GET(self) -> None:
        sent = self.headers.get("If-None-Match")
        self.seen.append((self.path, sent))
        if sent == '"é-1"'.encode().decode("latin-1"):
            self.send_response(304)
            self.end_headers()
            return
        body = b"ok"
        self.send_response(200)
        self.send_header("ETag", '"v"')
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def loopback_server() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Conditional)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    _Conditional.seen = []
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


@pytest.mark.skipif(shutil.which("wrk") is None, reason="wrk is not installed")
def test_wrk_rotates_the_paths_and_sends_the_headers_byte_for_byte(loopback_server: str) -> None:
    result = run_wrk(
        loopback_server,
        ["/one", "/two"],
        Load(connections=2, threads=1, seconds=1),
        headers={"If-None-Match": '"é-1"'},
        expected_status=304,
    )
    assert result.requests > 0
    assert result.problem() == ""
    assert {path for path, _ in _Conditional.seen} == {"/one", "/two"}
    assert {sent for _, sent in _Conditional.seen} == {'"é-1"'.encode().decode("latin-1")}


@pytest.mark.skipif(shutil.which("wrk") is None, reason="wrk is not installed")
def test_wrk_counts_responses_whose_status_was_not_expected(loopback_server: str) -> None:
    result = run_wrk(
        loopback_server, ["/"], Load(connections=2, threads=1, seconds=1), expected_status=304
    )
    assert result.unexpected == result.requests > 0
    assert result.first_unexpected == 200


# ---------------------------------------------------------------- the plan of runs


def test_schedule_puts_the_baseline_first_after_every_n_pages_and_last() -> None:
    pages = [Page(str(n), (f"/{n}",)) for n in range(5)]
    order = schedule(pages, every=2)
    labels = [item if item == BASELINE else item.label for item in order]  # type: ignore[union-attr]
    assert labels == [BASELINE, "0", "1", BASELINE, "2", "3", BASELINE, "4", BASELINE]


def test_each_page_is_compared_with_the_mean_of_the_baselines_around_it() -> None:
    pages = [Page(str(n), (f"/{n}",)) for n in range(3)]
    order = schedule(pages, every=2)
    assert bracketing_baselines(order, [1000.0, 2000.0, 4000.0]) == [1500.0, 1500.0, 3000.0]


def test_bracketing_needs_one_rate_per_baseline_run() -> None:
    order = schedule([Page("a", ("/a",))], every=4)
    with pytest.raises(ValueError):
        bracketing_baselines(order, [1000.0])


def test_conditional_headers_come_from_etag_and_last_modified_whatever_their_case() -> None:
    headers = {"etag": '"p-42"', "Last-Modified": "Sun, 29 Nov 2026 12:00:00 GMT", "X": "y"}
    assert conditional_headers(headers) == {
        "If-None-Match": '"p-42"',
        "If-Modified-Since": "Sun, 29 Nov 2026 12:00:00 GMT",
    }
    assert conditional_headers({"Content-Type": "text/html"}) == {}


def test_a_conditional_run_expects_304_at_the_conditional_target() -> None:
    page = Page("commitment page", ("/commitment/MX0064/",), min_ratio=0.5)
    conditional = page.as_conditional({"If-None-Match": '"1"'})
    assert conditional.is_conditional_run and not page.is_conditional_run
    assert conditional.min_ratio == 0.8
    assert conditional.label == "commitment page, conditional (304)"


# ---------------------------------------------------------------- report rows


def test_page_result_meets_its_target_with_enough_throughput_and_a_low_p99() -> None:
    page = Page("commitment page", ("/commitment/MX0064/",), min_ratio=0.5)
    row = page_result(page, "sqlite", measured(rate=2000.0, p99_ms=40.0), 3000.0)
    assert row.ratio == pytest.approx(2 / 3)
    assert row.target == "≥ 0.50x, p99 < 100 ms"
    assert row.met is True
    assert "p99 40.0 ms at 16 connections" in row.detail


def test_page_result_misses_its_target_when_the_ratio_is_too_low() -> None:
    page = Page("plan dashboard", ("/plan/x/",), min_ratio=0.25)
    assert page_result(page, "sqlite", measured(rate=500.0), 3000.0).met is False


def test_page_result_misses_its_target_when_p99_is_too_high() -> None:
    page = Page("member page", ("/member/x/",))
    row = page_result(page, "sqlite", measured(rate=3000.0, p99_ms=150.0), 3000.0)
    assert row.target == "p99 < 100 ms"
    assert row.met is False


def test_page_result_of_a_run_with_errors_fails_whatever_its_figures() -> None:
    page = Page("member page", ("/member/x/",))
    row = page_result(page, "sqlite", measured(rate=3000.0, status=12), 3000.0)
    assert row.met is False
    assert row.detail.startswith("FAILED: 12 status errors")


def test_the_search_latency_row_checks_p95_against_50_ms() -> None:
    page = Page("search", ("/search/?q=a", "/search/?q=b"), connections=1, latency_limit=(95, 50))
    row = page_result(page, "postgresql", measured(rate=50.0), 3000.0)
    assert row.target == "p95 < 50 ms"
    assert row.met is True
    assert "2 URLs rotated" in row.detail


def test_memory_result_takes_the_largest_worker_against_200_mb() -> None:
    row = memory_result("sqlite", [120.0, 180.5], [90.0, 91.0])
    assert (row.value, row.baseline_value, row.met) == (180.5, 91.0, True)
    assert memory_result("sqlite", [120.0, 230.0], [90.0]).met is False
    assert memory_result("sqlite", [], [90.0]).met is False


# ---------------------------------------------------------------- docs/BENCHMARKS.md


def _row(benchmark: str, database: str, value: float) -> Result:
    return Result(benchmark, f"{benchmark} figure", database, "req/s", value, "base", 10.0, True)


def _info(date: str) -> RunInfo:
    return RunInfo(
        date=date,
        command="python -m bench",
        cpus=2,
        cpu_model="CPU",
        memory="1 GiB",
        system="Linux",
        python="3.11",
        django="5.2",
        sqlite="3.40",
        postgresql="15",
        load_start=(0.0, 0.0, 0.0),
        load_end=(0.0, 0.0, 0.0),
        seconds=1.0,
        seed=1,
        quick=False,
        notes=["http/sqlite: a note"],
        spec_notes=[("http", "http/sqlite: a note")],
    )


def test_the_report_reads_back_its_own_rows_and_notes_with_their_date() -> None:
    row = _row("http", "sqlite", 5.0)
    row.detail = "a detail with -- and | in it"
    row.target, row.met = "≥ 0.50x", True
    text = markdown(_info("2026-11-29 18:00 UTC"), [row])
    rows, notes = previous_run(text)
    assert len(rows) == 1
    assert rows[0].detail == row.detail
    assert (rows[0].value, rows[0].met, rows[0].run_date) == (5.0, True, "2026-11-29 18:00 UTC")
    assert notes == [Note("http", "2026-11-29 18:00 UTC", "http/sqlite: a note")]


def test_rows_of_benchmarks_not_run_again_are_carried_over_in_the_benchmarks_order() -> None:
    old = markdown(
        _info("2026-11-28 10:00 UTC"),
        [
            _row("append", "sqlite", 1.0),
            _row("http", "sqlite", 2.0),
            _row("http", "postgresql", 3.0),
        ],
    )
    previous, notes = previous_run(old)
    now = [_row("http", "sqlite", 4.0)]
    rows, carried_notes = carry_over(previous, notes, now, {("http", "sqlite")}, ["append", "http"])
    assert [(r.benchmark, r.database, r.value, r.run_date) for r in rows] == [
        ("append", "sqlite", 1.0, "2026-11-28 10:00 UTC"),
        ("http", "sqlite", 4.0, ""),
        ("http", "postgresql", 3.0, "2026-11-28 10:00 UTC"),
    ]
    assert [n.benchmark for n in carried_notes] == ["http"]
    assert "from the run of 2026-11-28 10:00 UTC" in markdown(_info("now"), rows)


LEGACY = """\
# Benchmarks

- **Date:** 2026-11-29 12:16 UTC

## Results

| benchmark | database | figure | baseline (same run) | ratio | better | details |
|---|---|---|---|---|---|---|
| append: create_person, 1 record per transaction | SQLite | 644 records/s | \
6,851 records/s (Person.objects.create) | 0.094x | higher | 14,800 records; baseline: 14,800 rows |
| verify: recompute | — | 2.48 M hashes/s | 4.20 M hashes/s (hashlib.sha256) | 0.59x | higher |  |
| proofs: inclusion, p50 | SQLite | 118.5 µs | 47.5 µs (InMemoryHashStore) | 2.49x | lower |  |

## Notes from this run

- append/sqlite: 52 s in its process, set-up included
- plan: 500 commitments
"""


def test_a_report_written_before_the_data_block_is_read_from_its_table() -> None:
    rows, notes = previous_run(LEGACY)
    assert [(r.benchmark, r.database, r.value, r.unit) for r in rows] == [
        ("append", "sqlite", 644.0, "records/s"),
        ("verify", "none", 2.48e6, "hashes/s"),
        ("proofs", "sqlite", 118.5, "µs"),
    ]
    assert rows[0].baseline_name == "Person.objects.create"
    assert rows[0].baseline_value == 6851.0
    assert rows[0].baseline_detail == "14,800 rows"
    assert rows[2].higher_is_better is False
    assert {r.run_date for r in rows} == {"2026-11-29 12:16 UTC"}
    assert notes == [
        Note(
            "append", "2026-11-29 12:16 UTC", "append/sqlite: 52 s in its process, set-up included"
        )
    ]


def test_a_page_that_did_not_answer_200_is_a_failed_row_with_its_target() -> None:
    page = Page("letters register", ("/letters/",), min_ratio=0.25)
    row = failed_result(page, "sqlite", "answered 500")
    assert row.met is False
    assert row.target == "≥ 0.25x, p99 < 100 ms"
    assert row.detail.startswith("FAILED: answered 500")


def test_page_result_gives_the_baselines_latency_beside_its_own() -> None:
    page = Page("member page", ("/member/x/",))
    row = page_result(page, "sqlite", measured(), 3000.0, baseline_latency_ms=(2.5, 140.0))
    assert row.baseline_detail == "p50 2.5 ms, p99 140 ms (mean of the runs around it)"
