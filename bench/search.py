"""Search latency over 100,000 documents, beside the database engine's bare match.

The index holds N synthetic documents (100,000 by default, 10,000 with ``--quick``): a
Spanish, French or English text of 80 to 300 words drawn from a fixed vocabulary (the
open-government words of each language, accents included, then a long tail of made-up
words) with Zipf frequencies, some fixed phrases ("plan de acción nacional"), a title, one
of 60 members, a year (2014-2024), a sector. Everything comes from the seed.

The rows are written as ``documents.search.reindex`` writes them: ``SearchEntry`` rows in
one transaction, on SQLite with the FTS5 triggers dropped, then FTS5 ``rebuild`` and the
triggers back (``search._sqlite_triggers``); on PostgreSQL the generated ``search_vector``
column computes each row's tsvector as it is inserted. The rows are made here (there is
no record behind them, so ``entry_for`` is not used) and inserted with multi-row
``INSERT`` (``COPY`` on PostgreSQL, then ``VACUUM ANALYZE``) through Django's connection
(``ledger_tree.insert_rows``). On SQLite the built database is kept in
``var/bench-cache/`` for later runs.

Each query of a fixed set goes through ``documents.search.search`` (what ``/search/``,
``/search.json`` and the API call: the facet counts over all matches, then the ranked page
of 20 with snippets), in alternating rounds with the baseline: ``SELECT COUNT(*)`` over
the same match (the SQL of the search's own backend, ``hits``), which is what the
database engine must do in any case. The ratio is therefore the cost of the search beyond
finding the matches: five facet groupings, ranking, snippets, Python.
"""

from __future__ import annotations

import datetime as dt
import gc
import hashlib
import itertools
import shutil
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bench.common import Context, percentile, seeded
from bench.report import Result

#: Bump when the rows built here change.
BUILD_VERSION = 1
BATCH = 5_000
BASE_AT = dt.datetime(2024, 6, 1, tzinfo=dt.UTC)
MEMBERS = 60
YEARS = range(2014, 2025)
LANGUAGES = ("es", "fr", "en")


def _words(text: str) -> list[str]:
    return text.split()


STOP = {
    "es": _words("de la el en y los que del las por para con una un se al"),
    "fr": _words("de la le et les des en du pour que une un par à au sur"),
    "en": _words("the of and to in for a on that with by is be as at from"),
}
WORDS = {
    "es": _words(
        "gobierno abierto transparencia participación ciudadana rendición cuentas presupuesto "
        "acción compromiso información pública acceso datos abiertos municipio ministerio "
        "sociedad civil foro reunión acta evaluación implementación seguimiento política "
        "corrupción contratación licitación educación salud agua género justicia ambiente "
        "clima tecnología innovación ciudadanía región económico desarrollo año período "
        "institución organización mecanismo consulta propuesta respuesta revisión informe "
        "independiente calendario meta indicador comisión diálogo"
    ),
    "fr": _words(
        "gouvernement ouvert transparence participation citoyenne redevabilité budget action "
        "engagement information publique accès données ouvertes commune ministère société "
        "civile forum réunion procès verbal évaluation œuvre suivi politique corruption "
        "marchés éducation santé eau égalité justice environnement climat numérique "
        "innovation citoyenneté région économique développement année période institution "
        "organisation mécanisme consultation proposition réponse révision rapport "
        "indépendant calendrier objectif indicateur élaboration délibération"
    ),
    "en": _words(
        "open government transparency participation citizen accountability budget action "
        "commitment information public access data municipality ministry civil society "
        "forum meeting minutes evaluation implementation monitoring policy corruption "
        "procurement education health water gender justice environment climate technology "
        "innovation region economic development year period institution organization "
        "mechanism consultation proposal response review report independent calendar "
        "milestone indicator dialogue"
    ),
}
PHRASES = {
    "es": ["plan de acción nacional", "datos abiertos", "sociedad civil organizada"],
    "fr": ["plan d'action national", "gouvernement ouvert", "données ouvertes"],
    "en": ["national action plan", "open government partnership", "open data"],
}
TITLES = {
    "es": ["Acta de la reunión {n}", "Informe {n}", "Propuesta {n}", "Carta {n}"],
    "fr": ["Procès-verbal de la réunion {n}", "Rapport {n}", "Proposition {n}", "Lettre {n}"],
    "en": ["Minutes of meeting {n}", "Report {n}", "Proposal {n}", "Letter {n}"],
}
SYLLABLES = _words("ba ce di fo gu la mé ni po ra sé ti vu zo ñe qui ré cha lo nè ka tu")
TAIL = 4_000  # made-up words per language, after the real ones
SECTORS = ("government", "civil_society", "", "academia")
NAMES = [
    "record_type",
    "record_key",
    "title",
    "body",
    "url",
    "member_key",
    "member_name",
    "year",
    "sector",
    "language",
    "indexed_at",
]


def document_count(ctx: Context) -> int:
    return int(ctx.pick(100_000, 10_000))


# --------------------------------------------------------------------------
# The cached database (SQLite)
# --------------------------------------------------------------------------


def cache_file(ctx: Context, size: int) -> Path:
    """``var/bench-cache/search-<size>-<digest>.sqlite3`` for the current schema."""
    from bench.ledger_tree import _package_dir

    digest = hashlib.sha256(f"build {BUILD_VERSION}".encode())
    for path in sorted(_package_dir().glob("*/migrations/*.py")):
        digest.update(f"{path.parent.parent.name}/{path.name}".encode() + b"\0")
        digest.update(path.read_bytes())
    return ctx.cache_dir / f"search-{size}-{digest.hexdigest()[:12]}.sqlite3"


def before_setup(ctx: Context) -> None:
    """On SQLite, start from a copy of the cached index when there is one."""
    if ctx.sqlite_path is None:
        return
    cached = cache_file(ctx, document_count(ctx))
    if cached.exists():
        ctx.say(f"copying the cached index {cached.name}")
        shutil.copyfile(cached, ctx.sqlite_path)


# --------------------------------------------------------------------------
# The documents
# --------------------------------------------------------------------------


class Corpus:
    """The vocabulary of each language, with Zipf weights (rank r: 1/r)."""

    def __init__(self, seed: int) -> None:
        rng = seeded(seed)
        self.words: dict[str, list[str]] = {}
        self.weights: dict[str, list[float]] = {}
        for language in LANGUAGES:
            tail: list[str] = []
            seen = set(STOP[language]) | set(WORDS[language])
            while len(tail) < TAIL:
                word = "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(3, 4)))
                if word not in seen:
                    seen.add(word)
                    tail.append(word)
            words = [*STOP[language], *WORDS[language], *tail]
            self.words[language] = words
            self.weights[language] = list(
                itertools.accumulate(1 / rank for rank in range(1, len(words) + 1))
            )

    def tail_word(self, language: str, rank: int) -> str:
        """The made-up word at ``rank`` of the tail (rarer as ``rank`` grows)."""
        return self.words[language][len(STOP[language]) + len(WORDS[language]) + rank]

    def text(self, rng: Any, language: str, count: int) -> str:
        words = rng.choices(self.words[language], cum_weights=self.weights[language], k=count)
        sentences = []
        start = 0
        while start < len(words):
            end = start + rng.randint(8, 20)
            sentence = words[start:end]
            if rng.random() < 0.08:
                sentence.insert(rng.randrange(len(sentence)), rng.choice(PHRASES[language]))
            sentences.append(" ".join(sentence).capitalize() + ".")
            start = end
        return " ".join(sentences)


def _rows(ctx: Context, corpus: Corpus, first: int, last: int) -> list[tuple[Any, ...]]:
    from django.db import connection

    rng = seeded(ctx.seed * 1_000_003 + first)  # each batch on its own: same rows, any order
    at = connection.ops.adapt_datetimefield_value(BASE_AT)
    rows = []
    for index in range(first, last):
        language = LANGUAGES[rng.randrange(3)]
        member = rng.randrange(MEMBERS)
        key = f"bench-{index:06d}"
        title = rng.choice(TITLES[language]).format(n=index + 1)
        title += ": " + corpus.text(rng, language, rng.randint(2, 4)).rstrip(".")
        rows.append(
            (
                "document",
                key,
                title,
                corpus.text(rng, language, rng.randint(80, 300)),
                f"/document/{key}/",
                f"bm{member:02d}",
                f"Benchland {member}",
                rng.choice(YEARS),
                SECTORS[rng.randrange(len(SECTORS))],
                language,
                at,
            )
        )
    return rows


@dataclass
class Index:
    size: int
    body_bytes: int
    note: str


def prepare(ctx: Context, corpus: Corpus) -> Index:
    """The index of ``document_count`` documents: copied from the cache, or built."""
    from django.db import connection

    from tripartite.documents.models import SearchEntry

    size = document_count(ctx)
    found = SearchEntry.objects.count()
    if found not in (0, size):
        raise RuntimeError(f"the benchmark database holds {found} search entries, not {size}")
    if found:
        note = f"copied from the cache `var/bench-cache/{cache_file(ctx, size).name}`"
    else:
        note = _build(ctx, corpus, size)
    with connection.cursor() as cursor:
        cursor.execute("SELECT SUM(LENGTH(body)) FROM documents_searchentry")
        (body,) = cursor.fetchone()
    return Index(size, int(body), note)


def _build(ctx: Context, corpus: Corpus, size: int) -> str:
    from django.db import connection, transaction

    from bench.ledger_tree import insert_rows
    from tripartite.documents import search
    from tripartite.documents.models import SearchEntry

    ctx.say(f"building an index of {size:,} documents (batches of {BATCH:,})")
    started = time.monotonic()
    made = 0.0
    sqlite = connection.vendor == "sqlite"
    with transaction.atomic():  # as search.reindex() writes the index
        if sqlite:
            search._sqlite_triggers(drop=True)
        for first in range(0, size, BATCH):
            start = time.monotonic()
            rows = _rows(ctx, corpus, first, min(size, first + BATCH))
            made += time.monotonic() - start
            insert_rows(SearchEntry, NAMES, rows, 500)
            if first and first % 20_000 == 0:
                ctx.say(f"  {first:,} documents, {time.monotonic() - started:.0f} s")
        if sqlite:
            with connection.cursor() as cursor:
                cursor.execute(
                    "INSERT INTO documents_searchfts(documents_searchfts) VALUES('rebuild')"
                )
            search._sqlite_triggers(drop=False)
    with connection.cursor() as cursor:
        if sqlite:
            cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        else:  # autocommit: what autovacuum would do soon after such a load
            cursor.execute("VACUUM ANALYZE documents_searchentry")
    seconds = time.monotonic() - started
    how = (
        "multi-row INSERTs with the FTS5 triggers dropped, then FTS5 rebuild (as reindex)"
        if sqlite
        else "COPY (the generated tsvector computed per row), then VACUUM ANALYZE"
    )
    where = "built in every run"
    if ctx.sqlite_path is not None:
        cached = cache_file(ctx, size)
        cached.parent.mkdir(parents=True, exist_ok=True)
        partial = cached.with_suffix(".partial")
        shutil.copyfile(ctx.sqlite_path, partial)
        partial.replace(cached)
        for stale in cached.parent.glob(f"search-{size}-*.sqlite3"):
            if stale != cached:
                stale.unlink()
        where = f"cached as `var/bench-cache/{cached.name}` for later runs"
    return f"built in {seconds:.0f} s ({made:.0f} s of it making the text) with {how}; {where}"


# --------------------------------------------------------------------------
# The queries
# --------------------------------------------------------------------------


@dataclass
class Case:
    label: str
    text: str
    filters: dict[str, Any] = field(default_factory=dict)
    subject: list[float] = field(default_factory=list)  # ms
    baseline: list[float] = field(default_factory=list)  # ms
    matches: int = 0
    #: Of a few more searches: ms of each SQL statement, then of the whole search.
    statements: list[list[float]] = field(default_factory=list)

    def title(self) -> str:
        where = ", ".join(f"{name}={value}" for name, value in self.filters.items())
        return f"{self.label} `{self.text}`" + (f" [{where}]" if where else "")


def _cases(corpus: Corpus) -> list[Case]:
    return [
        Case("one frequent word", "transparencia"),
        Case("one rare word", corpus.tail_word("fr", 1_500)),
        Case("two words", "presupuesto municipio"),
        Case("accented word", "participación"),
        Case("same word unaccented", "participacion"),
        Case("phrase", '"plan de acción nacional"'),
        Case("word and facet filters", "transparence", {"language": "fr", "year": 2021}),
    ]


def _engine_count(case: Case) -> Callable[[], int]:
    """``SELECT COUNT(*)`` over the search's own match (its backend's ``hits`` SQL)."""
    from django.db import connection

    from tripartite.documents import search

    query = search.Query.parse(case.text)
    backend = search._Postgres() if connection.vendor == "postgresql" else search._Sqlite()
    where, params = search.Filters(**case.filters).sql()
    hits_sql, hits_params = backend.hits(query, where, params)
    sql = f"SELECT COUNT(*) FROM ({hits_sql}) h"  # noqa: S608 - the product's fixed SQL

    def count() -> int:
        with connection.cursor() as cursor:
            cursor.execute(sql, hits_params)
            (number,) = cursor.fetchone()
        return int(number)

    return count


def _statement_times(run: Callable[[], object]) -> list[float]:
    """Milliseconds of each SQL statement (execute and fetch) of a search: its ``_run``
    timed for one call (Django's ``execute_wrapper`` would miss the fetch, where SQLite
    does most of the work)."""
    from tripartite.documents import search

    times: list[float] = []
    original = search._run
    begin = time.perf_counter_ns()

    def timed(sql: str, params: list[Any]) -> list[tuple[Any, ...]]:
        start = time.perf_counter_ns()
        try:
            return original(sql, params)
        finally:
            times.append((time.perf_counter_ns() - start) / 1e6)

    search._run = timed
    try:
        run()
    finally:
        search._run = original
    return [*times, (time.perf_counter_ns() - begin) / 1e6]


def _ms(values: list[float], q: float) -> float:
    return percentile(values, q)


def bench_search(ctx: Context) -> list[Result]:
    from django.db import connection

    from tripartite.documents import search

    corpus = Corpus(ctx.seed)
    index = prepare(ctx, corpus)
    ctx.notes.append(
        f"search/{ctx.database}: {index.size:,} synthetic documents (es/fr/en, "
        f"{index.body_bytes / index.size:,.0f} characters of text each on average, "
        f"{index.body_bytes / 2**20:,.0f} MiB in all) {index.note}"
    )
    cases = _cases(corpus)
    runs = []
    for case in cases:
        filters = search.Filters(**case.filters)
        count = _engine_count(case)

        def subject(case: Case = case, filters: search.Filters = filters) -> Any:
            return search.search(case.text, filters)

        found = subject()
        case.matches = count()
        # Beyond CANDIDATES matches the search's total is an estimate (documents/search.py).
        if case.matches <= search.CANDIDATES and found.count != case.matches:
            raise RuntimeError(f"{case.title()}: the search counts another set than its match")
        if case.matches and not found.items:
            raise RuntimeError(f"{case.title()}: matches but no page of results")
        runs.append((case, subject, count))
    gc.collect()
    gc.freeze()
    budget = ctx.pick(120, 10)
    min_rounds, max_rounds = int(ctx.pick(30, 5)), 1000
    deadline = time.monotonic() + budget
    rounds = 0
    while rounds < max_rounds and (rounds < min_rounds or time.monotonic() < deadline):
        for case, subject, count in runs:
            pairs = [(case.subject, subject), (case.baseline, count)]
            for samples, func in pairs if rounds % 2 == 0 else pairs[::-1]:
                start = time.perf_counter_ns()
                func()
                samples.append((time.perf_counter_ns() - start) / 1e6)
        rounds += 1
    for case, subject, _count in runs:  # where the time goes, outside the measured rounds
        case.statements = [_statement_times(subject) for _ in range(7)]

    baseline_name = "COUNT(*) of the same match"
    vendor = "FTS5 MATCH" if connection.vendor == "sqlite" else "tsvector @@"
    results = []
    for case in cases:
        statements = len(case.statements[0]) - 1
        sql = [_ms([times[n] for times in case.statements], 50) for n in range(statements)]
        rest = _ms([times[-1] - sum(times[:-1]) for times in case.statements], 50)
        split = ", ".join(f"{value:,.1f} ms" for value in sql)
        results.append(
            Result(
                benchmark="search",
                name=f"{case.title()}, p50",
                database=ctx.database,
                unit="ms",
                value=_ms(case.subject, 50),
                baseline_name=baseline_name,
                baseline_value=_ms(case.baseline, 50),
                higher_is_better=False,
                detail=(
                    f"{case.matches:,} matches of {index.size:,}; p95 "
                    f"{_ms(case.subject, 95):,.1f} ms, p99 {_ms(case.subject, 99):,.1f} ms "
                    f"({len(case.subject)} searches); where the time goes (p50 of "
                    f"{len(case.statements)} more searches): {statements} SQL statements, "
                    f"executed and fetched, {split} (facet counts, then the page), the rest "
                    f"(Python: parsing, result schemas, facet labels) {rest:,.1f} ms"
                ),
                baseline_detail=(
                    f"p95 {_ms(case.baseline, 95):,.1f} ms, p99 {_ms(case.baseline, 99):,.1f} ms"
                ),
            )
        )
    every = [value for case in cases for value in case.subject]
    every_baseline = [value for case in cases for value in case.baseline]
    for q in (50, 95, 99):
        results.append(
            Result(
                benchmark="search",
                name=f"all {len(cases)} queries over {index.size:,} documents, p{q}",
                database=ctx.database,
                unit="ms",
                value=_ms(every, q),
                baseline_name=baseline_name,
                baseline_value=_ms(every_baseline, q),
                higher_is_better=False,
                detail=(
                    f"{len(every):,} searches in {rounds} rounds (each query once a round, "
                    f"alternating with its baseline) through documents.search.search, "
                    f"page of {search.PAGE_SIZE}"
                    if q == 50
                    else ""
                ),
                baseline_detail=(
                    f"{len(every_baseline):,} counts ({vendor} joined as the search does)"
                    if q == 50
                    else ""
                ),
            )
        )
    return results
