"""Results, the table printed at the end of a run, and ``docs/BENCHMARKS.md``."""

from __future__ import annotations

import json
import re
from dataclasses import asdict, dataclass, field, fields
from typing import Any

DATABASE_LABELS = {"sqlite": "SQLite", "postgresql": "PostgreSQL", "none": "—"}


@dataclass
class Result:
    """One figure and the baseline measured next to it in the same run."""

    benchmark: str
    name: str
    database: str
    unit: str
    value: float
    baseline_name: str
    baseline_value: float
    higher_is_better: bool
    detail: str = ""
    baseline_detail: str = ""
    #: The issue's target for this figure, in words ("≥ 0.50x, p99 < 100 ms"); "" if none.
    target: str = ""
    #: Whether the target is met (None: no target, or not measurable in this run).
    met: bool | None = None
    #: The date of the run that measured it, for rows carried over from an earlier run of
    #: ``docs/BENCHMARKS.md`` ("" for rows of this run).
    run_date: str = ""

    @property
    def ratio(self) -> float:
        """Figure ÷ baseline (the report says for each row which way is better)."""
        return self.value / self.baseline_value if self.baseline_value else float("nan")

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Result:
        known = {f.name for f in fields(cls)}
        return cls(**{k: v for k, v in data.items() if k in known})


@dataclass
class RunInfo:
    """Facts about the run, for the report's header."""

    date: str
    command: str
    cpus: int
    cpu_model: str
    memory: str
    system: str
    python: str
    django: str
    sqlite: str
    postgresql: str
    load_start: tuple[float, float, float]
    load_end: tuple[float, float, float]
    seconds: float
    seed: int
    quick: bool
    notes: list[str] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)
    #: (benchmark, note) of this run's notes, kept in the file for later partial runs.
    spec_notes: list[tuple[str, str]] = field(default_factory=list)


def format_value(value: float, unit: str) -> str:
    if unit == "µs":
        return f"{value:,.1f} µs" if value < 1000 else f"{value:,.0f} µs"
    if value >= 1e6:
        return f"{value / 1e6:,.2f} M {unit}"
    if value >= 100:
        return f"{value:,.0f} {unit}"
    return f"{value:,.2f} {unit}"


def format_ratio(result: Result) -> str:
    ratio = result.ratio
    if ratio != ratio:  # NaN
        return "—"
    return f"{ratio:.3f}x" if ratio < 0.1 else f"{ratio:.2f}x"


def _better(result: Result) -> str:
    return "higher" if result.higher_is_better else "lower"


def _cell(value: str) -> str:
    return value.replace("|", "\\|")


def _details(result: Result) -> str:
    baseline = f"baseline: {result.baseline_detail}" if result.baseline_detail else ""
    carried = f"from the run of {result.run_date}" if result.run_date else ""
    return "; ".join(part for part in (result.detail, baseline, carried) if part)


def format_target(result: Result) -> str:
    """The target and whether this figure meets it ("" when the figure has none)."""
    if not result.target:
        return ""
    verdict = {True: "met", False: "NOT met", None: "not measured"}[result.met]
    return f"{result.target}: {verdict}"


def format_seconds(seconds: float) -> str:
    minutes, rest = divmod(round(seconds), 60)
    return f"{minutes} min {rest:02d} s" if minutes else f"{rest} s"


# --------------------------------------------------------------------------
# The terminal table
# --------------------------------------------------------------------------


def text_table(results: list[Result]) -> str:
    header = ["benchmark", "db", "figure", "baseline (same run)", "ratio", "better", "target"]
    rows = [
        [
            f"{r.benchmark}: {r.name}",
            DATABASE_LABELS.get(r.database, r.database),
            format_value(r.value, r.unit),
            f"{format_value(r.baseline_value, r.unit)} ({r.baseline_name})",
            format_ratio(r),
            _better(r),
            format_target(r),
        ]
        for r in results
    ]
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(len(header))]
    lines = ["  ".join(cell.ljust(widths[i]) for i, cell in enumerate(row)) for row in [header]]
    lines.append("  ".join("-" * w for w in widths))
    lines += ["  ".join(cell.ljust(widths[i]) for i, cell in enumerate(row)) for row in rows]
    details = [
        f"  {r.benchmark}: {r.name} [{DATABASE_LABELS.get(r.database, r.database)}]: " + _details(r)
        for r in results
        if r.detail or r.baseline_detail
    ]
    return "\n".join([*lines, "", *details])


# --------------------------------------------------------------------------
# docs/BENCHMARKS.md
# --------------------------------------------------------------------------

_ABOUT = """\
## What is measured

Every figure is measured **side by side with a baseline in the same run** (alternating rounds,
same process, same database) and reported as the ratio figure ÷ baseline; the column *better*
says which direction is good. Absolute numbers depend on the machine and its load; the ratios
are what to compare between runs. Inputs are deterministic (fixed seed). Nothing here is a
pass/fail test: speed is never asserted by the test suite.

- **`append`**: records written per second through a real service
  (`forums.services.create_person`, acting as the system actor): permission check, validation,
  the `Person` row, its `RecordVersion`, and the log entry with the tree nodes it completes
  (`ledger.storage.append_version`), one transaction per record, and 1,000 records in one
  transaction. *Baseline:* a plain `Person.objects.create` of a comparable row (same table,
  same fields, no version, no log), one per transaction and 1,000 in one transaction.
- **`proofs`**: time to produce one proof at tree size 1,000,000 (100,000 with `--quick`) from
  the stored nodes through `ledger.storage.DatabaseHashReader`: `merkle.inclusion_proof_at` of
  random leaves, `merkle.consistency_proof_at` from random older sizes, and `tiles.read_tile` of
  random level-0 tiles (256 hashes); p50 and p99, with the node rows read and the queries per
  proof (O(log n): about log2(n) rows, one query). Every proof is checked against the baseline's
  and verified against the root. *Baseline:* the same proofs of the same tree from
  `merkle.InMemoryHashStore` (a dict in the same process).
- **`verify`**: what a monitor does to check a whole log: recompute the tree of N entries from
  their bytes with the core, leaf hashes then node hashes (2N-1 hashes), as the monitor does
  (`merkle.leaf_hash` + `monitor.frontier_append`) and level by level (`merkle.node_hash`, as
  `verify --local` does), in hashes per second. *Baseline:* plain `hashlib.sha256(x).digest()`
  over the same number of 64-byte inputs.
- **`pages`**: requests per second of the plan dashboard, its JSON twin and a commitment page
  of a plan of 500 commitments with ten milestones each and two parties' progress reports
  (50 with `--quick`), built through the services, requested through Django's test client
  with the SQL queries per request (bounded: not growing with the plan). *Baseline:* a
  minimal Django view (`bench.baseline_urls`) behind the same settings and middleware.
- **`compliance`**: members per second of a compliance run over 240 members (12 with
  `--quick`) built through the services: a forum with government and civil-society seats,
  three consecutive two-year plans (2018-2023) each with 6 to 10 held meetings, minutes for
  most, published co-creation inputs with reasoned responses, commitments and IRM
  assessments; every 20th member four times larger. `oversight.compliance.evaluate` of
  every member (read only), and `oversight.compliance_store.refresh` of every member
  (evaluate, store each plan cycle's reading, record contrary findings) once the first pass
  has stored the readings, so the measured rounds write no new version; policies loaded
  once and a fixed day, as `tripartite compliance check` runs. Each row gives the SQL
  queries per member (the same for small and large members), how many readings changed in
  the first pass and in the measured rounds. *Baseline:* `compliance.load_records` of every
  member: reading the same evidence, without the rules and without storing.
- **`exports`**: the open-data exports of the compliance world (240 members, about 24,000
  record versions; 12 with `--quick`), built through the services in two halves, the exports
  run after each half. Rows per second of the data package as `tripartite export` writes it
  (`opendata.commands.EXPORTERS["datapackage"]`: `datapackage.json` and one CSV per table,
  rows = data rows of every CSV) and of Popolo JSON (`--format popolo`, rows = items); the
  peak RSS of the export (`VmHWM`, reset once Django is set up: Linux carries `ru_maxrss`
  over from the parent through fork and exec) and its Python heap peak (`tracemalloc`, in a
  separate untimed run), at half and at full size: a streaming export has the same peak at
  both. Each export runs in a fresh process (`python -m bench.exports`), timed inside it
  from the first query to the last row written, alternating with its baseline. *Baseline:*
  `csv.writer` over `RecordVersion.objects.values_list(type, key, version, sha256, at,
  content).iterator(chunk_size=500)` (the columns the export reads, content as one JSON
  cell), the same number of rows into one file: what any export of these rows costs. On
  PostgreSQL the tables are analysed after each half (as autovacuum soon would): without
  statistics the planner chose a quadratic plan for the current versions.
- **`search`**: latency of `documents.search.search` (what `/search/`, `/search.json` and
  the API call: facet counts over every match, then the ranked page of 20 with snippets) over
  100,000 synthetic documents (10,000 with `--quick`): Spanish, French or English text of 80
  to 300 words (about 1,300 characters) from a fixed vocabulary with Zipf frequencies,
  accents included, a long tail of made-up words, a few fixed phrases; 60 members, years
  2014-2024, sectors. Seven queries: a frequent word, a rare word, two words, an accented
  word and the same unaccented, a phrase, a word with language and year filters; p50 per
  query and p50/p95/p99 over all of them, with the matches and where the time goes (the two
  SQL statements, executed and fetched, and the Python around them). The `SearchEntry` rows
  are written as `search.reindex()` writes them (one transaction; SQLite: FTS5 triggers
  dropped, then FTS5 `rebuild`; PostgreSQL: the generated tsvector column, then `VACUUM
  ANALYZE`) but made here, without records behind them, with multi-row `INSERT`s (`COPY`);
  the SQLite database is kept in `var/bench-cache/`. *Baseline:* `SELECT COUNT(*)` over the
  same match (the search backend's own `hits` SQL: FTS5 `MATCH` joined to the entries, or
  `search_vector @@` the four configurations' tsqueries, with the same filters), what the
  engine must do for any search; the ratio is the cost of the search beyond finding the
  matches (facet groupings, ranking, snippets, Python). The counts are checked equal.
- **`http`**: the pages as the production server serves them under load. The data set is
  `tripartite generate --scale global --seed 20170523` (`--quick`: `--scale national`;
  `BENCH_HTTP_SCALE` overrides it: each row's details name the data set measured),
  generated once through the services and kept in `var/bench-cache/` (SQLite: the data dir;
  PostgreSQL: a `pg_dump -Fc`, restored into the throwaway database in each run, which is
  much faster than generating it again; both times are in the notes). Two gunicorns run
  with `tripartite serve`'s command line (sync workers, 2 of them, `DEBUG` off, access log
  on, loopback `ALLOWED_HOSTS`, a throwaway secret key, no HTTPS redirect on loopback): the
  product (`tripartite.settings`) and the baseline (`bench.settings`, the same settings
  whose URL map adds `bench.baseline_urls.minimal_view`). `wrk` drives each URL for 10 s
  (3 s with `--quick`) at 16 connections and 2 threads after a 1 s warm-up: the member
  page of the first member with a forum, its forum page, the dashboard of the plan with the
  most commitments and its first commitment page, the letters register, search (five
  queries rotated, at 16 connections and at one connection for its latency), the API list
  and detail of commitments, the latest checkpoint and a full level-0 log tile from the
  middle of the log. Each page that sends `ETag`/`Last-Modified` is driven again with them
  (`If-None-Match`/`If-Modified-Since`), every answer expected to be `304`; a page without
  a validator is named in the notes. The wrk script counts every status other than the
  expected one and wrk's socket errors: any makes the row FAILED. Each row gives req/s, p50,
  p95 and p99 (wrk's latency histogram, including the time queued behind the other
  connections: two workers serve 16 connections), and its ratio to the baseline's req/s,
  the baseline being driven (for half as long) before the first run and after every run,
  each row's baseline the mean of the two runs around it (the machine is shared: this keeps
  a change of load from landing on one side only). Last row: the peak resident
  memory of each gunicorn worker (`VmHWM` from `/proc`, after every run). *Targets* (issue
  9), in the *target* column: commitment page and API detail at least 0.50 of the
  baseline's req/s, plan dashboard and letters register at least 0.25; p99 under 100 ms at
  16 connections on every page; conditional requests answered `304` at at least 0.80 of
  the baseline; search p95 at most 50 ms (the one-connection row: the latency of one
  search, not of the queue); at most 200 MB resident per worker. wrk runs on the same two
  CPUs as the servers, and takes part of them.

Rows of benchmarks that a run did not measure (`--only`, or a database not run) are carried
over from the previous version of this file, marked with the date of their run.

The 1,000,000-entry log of `proofs` is built in batches: RecordVersion, LogEntry and TreeNode
rows, the nodes computed with `merkle.nodes_for_append`, inserted with multi-row `INSERT`s
(`COPY` on PostgreSQL) through Django's connection, because `bulk_create`'s per-object work
made the build take minutes; the append-only triggers stay installed (they allow inserts). It
is kept as a SQLite file in `var/bench-cache/` for later runs (rebuilt when the core or ledger
migrations change); on PostgreSQL it is built in every run. The search index of `search` is
cached the same way (rebuilt when any migration changes). The benchmark processes freeze the
garbage collector's view of their long-lived data (`gc.freeze()`), so its pauses over the
in-memory tree do not land in random samples.

## How to run

```
make bench                          # SQLite; writes this file
make bench BENCH_ARGS=--quick       # smaller sizes and budgets
make bench BENCH_ARGS=--postgres    # SQLite and PostgreSQL (postgres://postgres@127.0.0.1:5432)
.venv/bin/python -m bench --only proofs --quick
.venv/bin/python -m bench --only compliance   # one benchmark (repeatable)
.venv/bin/python -m bench --only search --postgres
.venv/bin/python -m bench --only http --postgres   # needs wrk (apt-get install -y wrk)
BENCH_HTTP_SCALE=demo .venv/bin/python -m bench --only http --quick   # demo data, ~2 min
```

`BENCH_DATABASE_URL` (a PostgreSQL server URL) implies `--postgres`. The harness creates a
throwaway data dir in a temporary folder, a throwaway database per benchmark (a SQLite file
there; on PostgreSQL `bench_<pid>_<name>`, dropped afterwards), and runs each benchmark in its
own process. A benchmark is a function `(Context) -> list[Result]` registered in
`bench/harness.py` (`SPECS`).
"""


def markdown(info: RunInfo, results: list[Result], carried_notes: list[Note] | None = None) -> str:
    """The whole of ``docs/BENCHMARKS.md``: ``results`` may include rows carried over from
    earlier runs (their ``run_date`` set), and ``carried_notes`` those runs' notes."""
    carried_notes = carried_notes or []
    load = "/".join(f"{x:.2f}" for x in info.load_start)
    load_end = "/".join(f"{x:.2f}" for x in info.load_end)
    lines = [
        "# Benchmarks",
        "",
        "Written by the benchmark harness (`bench/`, `make bench`); do not edit by hand.",
        "",
        "## Latest run",
        "",
        f"- **Date:** {info.date}",
        f"- **Command:** `{info.command}`" + (" (quick mode: smaller sizes)" if info.quick else ""),
        f"- **Machine:** {info.cpus} CPUs (`nproc`), {info.cpu_model}, {info.memory} RAM; "
        f"{info.system}",
        f"- **Software:** Python {info.python}, Django {info.django}, SQLite {info.sqlite}, "
        f"PostgreSQL {info.postgresql}",
        f"- **Load average (1/5/15 min):** {load} at the start, {load_end} at the end "
        "(other processes, such as test suites, may share the machine: compare ratios)",
        f"- **Run time:** {format_seconds(info.seconds)}; seed {info.seed}",
        "",
        "## Results",
        "",
        "| benchmark | database | figure | baseline (same run) | ratio | better | target "
        "| details |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for r in results:
        details = _details(r)
        lines.append(
            "| "
            + " | ".join(
                _cell(cell)
                for cell in (
                    f"{r.benchmark}: {r.name}",
                    DATABASE_LABELS.get(r.database, r.database),
                    format_value(r.value, r.unit),
                    f"{format_value(r.baseline_value, r.unit)} ({r.baseline_name})",
                    format_ratio(r),
                    _better(r),
                    format_target(r),
                    details,
                )
            )
            + " |"
        )
    if info.failures:
        lines += ["", "## Failures", ""]
        lines += [f"- {failure}" for failure in info.failures]
    if info.notes:
        lines += ["", "## Notes from this run", ""]
        lines += [f"- {note}" for note in info.notes]
    if carried_notes:
        lines += ["", "## Notes from earlier runs (of the rows carried over)", ""]
        lines += [f"- {note.text} ({note.date})" for note in carried_notes]
    lines += ["", _ABOUT.rstrip(), "", _embedded(info, results, carried_notes)]
    return "\n".join(lines).rstrip() + "\n"


# --------------------------------------------------------------------------
# Rows of benchmarks not re-run: carried over from the previous file
# --------------------------------------------------------------------------
#
# A run of some benchmarks only (``--only``, or SQLite only) must not drop the others'
# figures from docs/BENCHMARKS.md. The file therefore ends with its rows and notes as JSON
# in an HTML comment; the next run reads them back and keeps the rows of every
# (benchmark, database) it did not measure itself, marked with the date of their run.

_DATA_START = "<!-- bench-data "
_DATA_END = " -->"


@dataclass(frozen=True)
class Note:
    """A note of a run, with the benchmark it belongs to ("" if unknown)."""

    benchmark: str
    date: str
    text: str


def _embedded(info: RunInfo, results: list[Result], carried_notes: list[Note]) -> str:
    rows = [asdict(r) | {"run_date": r.run_date or info.date} for r in results]
    notes = [asdict(n) for n in carried_notes]
    notes += [asdict(Note(spec, info.date, text)) for spec, text in info.spec_notes]
    data = json.dumps({"version": 1, "rows": rows, "notes": notes}, ensure_ascii=False)
    # "--" may not appear inside an HTML comment.
    return _DATA_START + data.replace("--", "\\u002d\\u002d") + _DATA_END


def _legacy_value(cell: str) -> tuple[float, str]:
    """``format_value``'s text back to (value, unit): "2.48 M hashes/s", "118.5 µs"."""
    number, _, unit = cell.strip().partition(" ")
    value = float(number.replace(",", ""))
    if unit.startswith("M "):
        value, unit = value * 1e6, unit[2:]
    return value, unit


def _legacy_rows(text: str, date: str) -> list[Result]:
    """The rows of a file written before the JSON block existed (best effort)."""
    rows = []
    labels = {label: key for key, label in DATABASE_LABELS.items()}
    for line in text.splitlines():
        if not line.startswith("| ") or line.startswith("| benchmark "):
            continue
        cells = [c.strip().replace("\\|", "|") for c in re.split(r"(?<!\\)\|", line)[1:-1]]
        if len(cells) != 7:
            continue
        try:
            benchmark, _, name = cells[0].partition(": ")
            value, unit = _legacy_value(cells[2])
            baseline_text, _, baseline_name = cells[3].partition(" (")
            baseline_value, _ = _legacy_value(baseline_text)
        except ValueError:
            continue
        detail, _, baseline_detail = cells[6].partition("; baseline: ")
        rows.append(
            Result(
                benchmark=benchmark,
                name=name,
                database=labels.get(cells[1], cells[1]),
                unit=unit,
                value=value,
                baseline_name=baseline_name.removesuffix(")"),
                baseline_value=baseline_value,
                higher_is_better=cells[5] == "higher",
                detail=detail,
                baseline_detail=baseline_detail,
                run_date=date,
            )
        )
    return rows


def previous_run(text: str) -> tuple[list[Result], list[Note]]:
    """The rows and notes of an earlier ``docs/BENCHMARKS.md``, each with its run's date."""
    start = text.rfind(_DATA_START)
    if start >= 0:
        end = text.find(_DATA_END, start + len(_DATA_START))
        data = json.loads(text[start + len(_DATA_START) : end])
        rows = [Result.from_json(row) for row in data["rows"]]
        return rows, [Note(**note) for note in data["notes"]]
    found = re.search(r"^- \*\*Date:\*\* (.+)$", text, re.MULTILINE)
    date = found.group(1).strip() if found else "an earlier run"
    notes = []
    for note in re.findall(r"^- (.+)$", text.split("## Notes from this run", 1)[-1], re.M):
        spec = re.match(r"([a-z_]+)/[a-z]+: ", note)
        if spec and "## Notes from this run" in text:
            notes.append(Note(spec.group(1), date, note))
    return _legacy_rows(text, date), notes


def carry_over(
    previous: list[Result],
    previous_notes: list[Note],
    current: list[Result],
    measured: set[tuple[str, str]],
    order: list[str],
) -> tuple[list[Result], list[Note]]:
    """This run's rows plus the previous rows of every (benchmark, database) not in
    ``measured``, in the benchmarks' ``order``; and the notes of the benchmarks carried."""
    kept = [r for r in previous if (r.benchmark, r.database) not in measured]
    rank = {name: i for i, name in enumerate(order)}
    merged = sorted(
        [*current, *kept],
        key=lambda r: (rank.get(r.benchmark, len(rank)), r.benchmark, r.database != "sqlite"),
    )
    carried_benchmarks = {r.benchmark for r in kept}
    notes = [n for n in previous_notes if n.benchmark in carried_benchmarks]
    return merged, notes
