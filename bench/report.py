"""Results, the table printed at the end of a run, and ``docs/BENCHMARKS.md``."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
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

    @property
    def ratio(self) -> float:
        """Figure ÷ baseline (the report says for each row which way is better)."""
        return self.value / self.baseline_value if self.baseline_value else float("nan")

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Result:
        return cls(**data)


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
    return "; ".join(part for part in (result.detail, baseline) if part)


def format_seconds(seconds: float) -> str:
    minutes, rest = divmod(round(seconds), 60)
    return f"{minutes} min {rest:02d} s" if minutes else f"{rest} s"


# --------------------------------------------------------------------------
# The terminal table
# --------------------------------------------------------------------------


def text_table(results: list[Result]) -> str:
    header = ["benchmark", "db", "figure", "baseline (same run)", "ratio", "better"]
    rows = [
        [
            f"{r.benchmark}: {r.name}",
            DATABASE_LABELS.get(r.database, r.database),
            format_value(r.value, r.unit),
            f"{format_value(r.baseline_value, r.unit)} ({r.baseline_name})",
            format_ratio(r),
            _better(r),
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
make bench BENCH_ARGS=--quick       # smaller sizes and budgets, under a minute
make bench BENCH_ARGS=--postgres    # SQLite and PostgreSQL (postgres://postgres@127.0.0.1:5432)
.venv/bin/python -m bench --only proofs --quick
.venv/bin/python -m bench --only compliance   # one benchmark (repeatable)
.venv/bin/python -m bench --only search --postgres
```

`BENCH_DATABASE_URL` (a PostgreSQL server URL) implies `--postgres`. The harness creates a
throwaway data dir in a temporary folder, a throwaway database per benchmark (a SQLite file
there; on PostgreSQL `bench_<pid>_<name>`, dropped afterwards), and runs each benchmark in its
own process. A benchmark is a function `(Context) -> list[Result]` registered in
`bench/harness.py` (`SPECS`).
"""


def markdown(info: RunInfo, results: list[Result]) -> str:
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
        "| benchmark | database | figure | baseline (same run) | ratio | better | details |",
        "|---|---|---|---|---|---|---|",
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
    lines += ["", _ABOUT]
    return "\n".join(lines).rstrip() + "\n"
