"""One search over every public record and every document's text.

**Index.** ``SearchEntry`` holds one row per live, published record: its title, its text
(the prose of its public content; for a document, also the extracted text of its latest
public file), its member, year, sector and language. Rows are written after the record's
transaction commits (``on_record_saved``), after the worker extracted a document's text
(``tasks``), and all at once by ``reindex`` (``tripartite search reindex``).

**Backends.** SQLite matches in the FTS5 table ``documents_searchfts`` (accent-insensitive,
prefix queries, bm25 ranking, ``snippet()``); PostgreSQL in the ``search_vector`` column
(each row in its language's stemmer, accent-insensitive through ``unaccent``, ``ts_rank``,
``ts_headline``). Both take the same parsed query: words (each matched as a prefix) and
"quoted phrases", all required.

**Bounded work.** A search looks at its newest ``CANDIDATES`` matches at most: the facets
count them, the results are ranked among them (bm25 / ``ts_rank``), snippets are made for
the page's rows only. Up to that many matches everything is exact; beyond, ``count`` is an
estimate (FTS5 counts its doclists; elsewhere the candidates are scaled by how far back in
the table they reach). So the cost follows ``CANDIDATES``, not the size of the index.

**Snippets** come back from the database with control characters around the matches; they
are HTML-escaped here and only then turned into ``<mark>``, so no indexed text can inject
markup.
"""

from __future__ import annotations

import datetime as dt
import html
import importlib
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.db import connection, connections, router, transaction
from django.db.backends.base.base import BaseDatabaseWrapper
from django.utils import timezone
from django.utils.translation import get_language_info
from django.utils.translation import gettext as _

from tripartite.core.models import PublicRecord
from tripartite.core.recording import on_commit_together
from tripartite.forums.choices import Sector
from tripartite.forums.models import Forum, Member
from tripartite.plans.models import ActionPlan

from . import schemas as s
from .models import Document, SearchEntry
from .records import record_models, related, type_label, url_of

START, STOP = "\x02", "\x03"
MAX_TERMS = 12
MAX_QUERY_LENGTH = 300
MAX_BODY = 200_000  # characters of a record's text in the index (PostgreSQL caps tsvectors)
PAGE_SIZE = 20
# A search looks at its newest this many matches at most: bounded work at any index size.
CANDIDATES = 1_000
FACETS = ("type", "member", "year", "sector", "language")
PG_CONFIGS = ("tripartite_en", "tripartite_es", "tripartite_fr", "tripartite_simple")

# What a record's content calls its title, and its date (in order of preference).
TITLE_KEYS = (
    "title",
    "name",
    "subject",
    "short_title",
    "display_name",
    "deliverable",
    "reference",
)
DATE_KEYS = (
    "published_on",
    "day",
    "date",
    "decided_on",
    "sent_on",
    "received_on",
    "issued_on",
    "reported_on",
    "adopted_on",
    "signed_on",
    "found_on",
    "withdrawn_on",
    "starts_on",
    "start_on",
    "effective_from",
    "established_on",
    "joined_on",
    "computed_on",
    "received_at",
)
_ISO_DATE = re.compile(r"^(\d{4})-\d{2}-\d{2}")
_PHRASE = re.compile(r'"([^"]*)"')
_WORD = re.compile(r"\w+")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


# ---------------------------------------------------------------- building entries


def _language(value: Any) -> str:
    return str(value or "").split("-", 1)[0].lower()[:3]


def _prose(value: Any, depth: int = 0) -> Iterator[str]:
    """The prose inside record content: strings with a space (not ids, dates, codes, URLs)."""
    if isinstance(value, str):
        text = value.strip()
        if (" " in text or "\n" in text) and not text.startswith(("http://", "https://")):
            yield text
    elif isinstance(value, dict) and depth < 3:
        for key, item in value.items():
            if key not in ("id", "type"):
                yield from _prose(item, depth + 1)
    elif isinstance(value, list) and depth < 3:
        for item in value:
            yield from _prose(item, depth + 1)


def _title(record: PublicRecord, content: dict[str, Any]) -> str:
    for key in TITLE_KEYS:
        value = content.get(key)
        if isinstance(value, str) and value.strip():
            return value.strip()[:500]
    return f"{type_label(record.RECORD_TYPE)} {record.key}"


def _year(record: PublicRecord, content: dict[str, Any]) -> int | None:
    for key in DATE_KEYS:
        value = content.get(key)
        if isinstance(value, str):
            match = _ISO_DATE.match(value)
            if match:
                return int(match.group(1))
    created = getattr(record, "created_at", None)
    return created.year if isinstance(created, dt.datetime) else None


def _sector(record: PublicRecord, content: dict[str, Any]) -> str:
    for key in ("sector", "party"):
        if content.get(key) in Sector.values:
            return str(content[key])
    for name in ("seat", "organization"):
        holder = getattr(record, name, None)
        value = getattr(holder, "sector", None)
        if value in Sector.values:
            return str(value)
    return ""


def _record_language(record: PublicRecord, content: dict[str, Any]) -> str:
    if content.get("language"):
        return _language(content["language"])
    for model in (Forum, ActionPlan):
        found: Any = related(record, model)
        if found is not None and found.language:
            return _language(found.language)
    return ""


def clean_text(text: str) -> str:
    return _CONTROL.sub(" ", text)


def entry_for(record: PublicRecord) -> SearchEntry | None:
    """The index row of ``record``; None when it is not (or no longer) public."""
    if record.version == 0 or record.is_retracted:
        return None
    content = record.to_record()
    title = _title(record, content)
    parts = [part for part in _prose(content) if part != title]
    if isinstance(record, Document):
        text = current_text(record)
        if text:
            parts.append(text)
    member = related(record, Member)
    return SearchEntry(
        record_type=record.RECORD_TYPE,
        record_key=record.key,
        title=clean_text(title),
        body=clean_text("\n".join(parts))[:MAX_BODY],
        url=url_of(record),
        member_key=member.key if member is not None else "",
        member_name=member.name if member is not None else "",
        year=_year(record, content),
        sector=_sector(record, content),
        language=_record_language(record, content),
        indexed_at=timezone.now(),
    )


def current_text(document: Document) -> str:
    """The extracted text of the document's latest public (unsealed) file."""
    latest = (
        document.versions.filter(sealed=False).order_by("-number").values_list("text", flat=True)
    ).first()
    return latest or ""


def index_record(record: PublicRecord) -> None:
    """Write (or remove) ``record``'s index row."""
    entry = entry_for(record)
    if entry is None:
        remove_record(record.RECORD_TYPE, record.key)
        return
    values = {
        name: getattr(entry, name)
        for name in (
            "title",
            "body",
            "url",
            "member_key",
            "member_name",
            "year",
            "sector",
            "language",
            "indexed_at",
        )
    }
    SearchEntry.objects.update_or_create(
        record_type=entry.record_type, record_key=entry.record_key, defaults=values
    )


def remove_record(record_type: str, key: str) -> None:
    SearchEntry.objects.filter(record_type=record_type, record_key=key).delete()


def index_records(records: list[PublicRecord]) -> None:
    """Write (or remove) the index rows of many records in one transaction: one DELETE
    and one multi-row INSERT per record type instead of a round of queries each."""
    latest = {(r.RECORD_TYPE, r.key): r for r in records}  # a record saved twice: once
    entries = [entry_for(record) for record in latest.values()]
    keys_by_type: dict[str, list[str]] = {}
    for record_type, key in latest:
        keys_by_type.setdefault(record_type, []).append(key)
    with transaction.atomic():
        for record_type, keys in keys_by_type.items():
            for start in range(0, len(keys), 500):
                SearchEntry.objects.filter(
                    record_type=record_type, record_key__in=keys[start : start + 500]
                ).delete()
        SearchEntry.objects.bulk_create([e for e in entries if e is not None], batch_size=500)


def on_record_saved(sender: Any, instance: PublicRecord, **kwargs: Any) -> None:
    """Index the record once its transaction has committed (never inside it), together
    with the other records that transaction saved."""
    on_commit_together("documents.search", instance, index_records)


def _live_records() -> Iterator[tuple[int, Iterable[PublicRecord]]]:
    for model in record_models().values():
        rows = model._default_manager.filter(version__gt=0, retracted_at__isnull=True)
        yield rows.count(), rows.order_by("pk").iterator(chunk_size=500)


def reindex(progress: Callable[[int], None] | None = None, batch: int = 500) -> int:
    """Rebuild the whole index from the records, in one transaction; returns its size.
    ``progress(n)`` is called as each batch of ``n`` records is indexed."""
    with transaction.atomic():
        sqlite = connection.vendor == "sqlite"
        if sqlite:
            _sqlite_triggers(drop=True)
        SearchEntry.objects.all().delete()
        total = 0
        pending: list[SearchEntry] = []
        for _count, rows in _live_records():
            for record in rows:
                entry = entry_for(record)
                if entry is not None:
                    pending.append(entry)
                if len(pending) >= batch:
                    SearchEntry.objects.bulk_create(pending)
                    total += len(pending)
                    if progress:
                        progress(len(pending))
                    pending = []
        if pending:
            SearchEntry.objects.bulk_create(pending)
            total += len(pending)
            if progress:
                progress(len(pending))
        if sqlite:
            with connection.cursor() as cursor:
                cursor.execute(
                    "INSERT INTO documents_searchfts(documents_searchfts) VALUES('rebuild')"
                )
            _sqlite_triggers(drop=False)
    return total


def records_to_index() -> int:
    return sum(count for count, _rows in _live_records())


def _sqlite_triggers(*, drop: bool) -> None:
    migration = importlib.import_module("tripartite.documents.migrations.0002_search_index")
    statements = migration.SQLITE_DROP[:3] if drop else migration.SQLITE_TRIGGERS
    with connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)


# ---------------------------------------------------------------- queries


@dataclass
class Filters:
    type: str | None = None
    member: str | None = None
    year: int | None = None
    sector: str | None = None
    language: str | None = None

    def active(self) -> dict[str, str]:
        return {
            name: str(getattr(self, name))
            for name in FACETS
            if getattr(self, name) not in (None, "")
        }

    def sql(self, *, unindexed: bool = False) -> tuple[str, list[Any]]:
        """``AND column = %s`` per active filter. ``unindexed`` writes ``+column`` (SQLite):
        with a full-text match, letting the planner start from a filter's index makes it
        re-run the FTS5 match for every row of that index, hundreds of times slower."""
        columns = {
            "type": "e.record_type",
            "member": "e.member_key",
            "year": "e.year",
            "sector": "e.sector",
            "language": "e.language",
        }
        clauses, params = [], []
        for name, column in columns.items():
            value = getattr(self, name)
            if value not in (None, ""):
                clauses.append(f"{'+' if unindexed else ''}{column} = %s")
                params.append(value)
        return "".join(f" AND {clause}" for clause in clauses), params


@dataclass
class Query:
    text: str
    terms: list[list[str]] = field(default_factory=list)

    @classmethod
    def parse(cls, text: str) -> Query:
        """Words and "quoted phrases" (lower-cased word characters only), at most 12."""
        text = (text or "")[:MAX_QUERY_LENGTH]
        terms = [
            words for phrase in _PHRASE.findall(text) if (words := _WORD.findall(phrase.lower()))
        ]
        terms += [[word] for word in _WORD.findall(_PHRASE.sub(" ", text).lower())]
        return cls(text=text.strip(), terms=terms[:MAX_TERMS])

    def fts5(self) -> str:
        return " ".join('"' + " ".join(words) + '"*' for words in self.terms)

    def tsquery(self) -> str:
        def term(words: list[str]) -> str:
            if len(words) == 1:
                return f"{words[0]}:*"
            return "(" + " <-> ".join([*words[:-1], f"{words[-1]}:*"]) + ")"

        return " & ".join(term(words) for words in self.terms)


_COLUMNS = (
    "e.record_type, e.record_key, e.title, e.url, e.member_key, e.member_name, "
    "e.year, e.sector, e.language"
)


def search(
    text: str, filters: Filters | None = None, *, offset: int = 0, limit: int = PAGE_SIZE
) -> s.SearchResults:
    """Matches of ``text`` (or, without text, every record the filters select), ranked,
    with highlighted snippets and facet counts: two queries, three beyond ``CANDIDATES``.

    The work is bounded whatever the size of the index: a search looks at its newest
    ``CANDIDATES`` matches at most (the facet counts count them, the results are ranked
    among them). Up to that many matches, everything is exact; beyond it, ``count`` is
    the database's estimate of all matches (see docs/subsystems/search.md)."""
    filters = filters or Filters()
    query = Query.parse(text)
    limit = max(1, min(limit, 50))
    offset = max(0, offset)
    if not query.terms and not filters.active():
        return s.SearchResults(
            query=query.text, count=0, offset=offset, limit=limit, items=[], facets=[]
        )
    if not query.terms:
        backend: _Backend = _Browse()
    elif _reader().vendor == "postgresql":
        backend = _Postgres()
    else:
        backend = _Sqlite()
    where, params = filters.sql(unindexed=isinstance(backend, _Sqlite))
    match_sql, match_params = backend.hits(query, where, params)
    facet_rows = _run(*_facet_sql(match_sql, match_params, backend.ID))
    facets, candidates = _facets(facet_rows, filters)
    count, floor = len(candidates), min(candidates, default=0)
    if count >= CANDIDATES:  # there may be more: ask the database how many in all
        count = max(count, backend.estimate(query, floor))
    rows: list[tuple[Any, ...]] = []
    if count and offset < CANDIDATES:
        rows = _run(*backend.page(query, where, params, candidates, limit, offset))
    items = [_hit(row) for row in rows]
    return s.SearchResults(
        query=query.text, count=count, offset=offset, limit=limit, items=items, facets=facets
    )


def _reader() -> BaseDatabaseWrapper:
    """The database searches read: the replica when the request may read from it
    (core/routers.py), else the primary."""
    return connections[router.db_for_read(SearchEntry)]


def _run(sql: str, params: list[Any]) -> list[tuple[Any, ...]]:
    with _reader().cursor() as cursor:
        cursor.execute(sql, params)
        return list(cursor.fetchall())


def _id_list() -> str:
    """SQL aggregating the candidates' ids into one text ("12,7,3")."""
    if _reader().vendor == "postgresql":
        return "STRING_AGG(CAST(h.id AS TEXT), ',')"
    return "GROUP_CONCAT(h.id)"


def _facet_sql(match_sql: str, match_params: list[Any], newest: str) -> tuple[str, list[Any]]:
    """Facet counts over the candidates: the newest ``CANDIDATES`` matches (the highest
    ids), plus one row with their ids (which the page ranks)."""
    branches = [
        ("type", "h.record_type", "''"),
        ("member", "h.member_key", "MAX(h.member_name)"),
        ("year", "CAST(h.year AS TEXT)", "''"),
        ("sector", "h.sector", "''"),
        ("language", "h.language", "''"),
    ]
    # The candidates are computed once (a CTE used several times is materialised by
    # SQLite 3.35+ and PostgreSQL 12+), then counted per facet.
    counts = " UNION ALL ".join(
        [
            f"SELECT '{name}', {column}, {label}, COUNT(*) FROM h GROUP BY {column}"  # noqa: S608 - fixed SQL
            for name, column, label in branches
        ]
        + [f"SELECT '', {_id_list()}, '', COUNT(*) FROM h"]  # noqa: S608 - fixed SQL
    )
    sql = f"WITH h AS ({match_sql} ORDER BY {newest} DESC LIMIT %s) {counts}"
    return sql, [*match_params, CANDIDATES]


class _Backend:
    #: The match's id column, as its index reads it newest first.
    ID = "e.id"

    def hits(self, query: Query, where: str, params: list[Any]) -> tuple[str, list[Any]]:
        """Every match (unordered, unlimited), with ``e.id``: ``SELECT … FROM … WHERE …``."""
        raise NotImplementedError

    def page(
        self, query: Query, where: str, params: list[Any], ids: list[int], limit: int, offset: int
    ) -> tuple[str, list[Any]]:
        """The page of results among the candidates (their ids: the newest matches, so
        the matches from the lowest of these ids on are the same rows)."""
        raise NotImplementedError

    def estimate(self, query: Query, floor: int) -> int:
        """How many matches there are in all, when the candidates (the newest
        ``CANDIDATES``, from id ``floor`` on) may not be all of them: the candidates
        scaled by how far back they reach, in rows of the table (by id; ids are dense,
        entries are seldom deleted). It assumes the matches as frequent among old rows
        as among new ones; PostgreSQL's planner, asked instead, misjudged phrases and
        several words by up to six times."""
        ((low, high),) = _run(
            "SELECT (SELECT MIN(id) FROM documents_searchentry), "
            "(SELECT MAX(id) FROM documents_searchentry)",
            [],
        )
        if low is None or high < floor:
            return CANDIDATES
        return round(CANDIDATES * (high - low + 1) / (high - floor + 1))


class _Browse(_Backend):
    """No words: the filtered records, newest first, without snippets."""

    def hits(self, query: Query, where: str, params: list[Any]) -> tuple[str, list[Any]]:
        return f"SELECT {_COLUMNS}, e.id FROM documents_searchentry e WHERE 1 = 1{where}", params  # noqa: S608 - fixed SQL; values are parameters

    def page(
        self, query: Query, where: str, params: list[Any], ids: list[int], limit: int, offset: int
    ) -> tuple[str, list[Any]]:
        sql = (
            f"SELECT {_COLUMNS}, e.title, SUBSTR(e.body, 1, 240) FROM documents_searchentry e "  # noqa: S608 - fixed SQL; values are parameters
            f"WHERE e.id >= %s{where} ORDER BY COALESCE(e.year, 0) DESC, e.title, e.id "
            "LIMIT %s OFFSET %s"
        )
        return sql, [min(ids), *params, limit, offset]


class _Sqlite(_Backend):
    # FTS5 walks its doclists backwards for this order (not for e.id, the same value).
    ID = "documents_searchfts.rowid"

    FROM = (
        "FROM documents_searchfts JOIN documents_searchentry e "
        "ON e.id = documents_searchfts.rowid WHERE documents_searchfts MATCH %s"
    )

    def hits(self, query: Query, where: str, params: list[Any]) -> tuple[str, list[Any]]:
        return f"SELECT {_COLUMNS}, e.id {self.FROM}{where}", [query.fts5(), *params]

    def estimate(self, query: Query, floor: int) -> int:
        # FTS5 counts the matches of its own doclists without reading any row: all of
        # them, and those from the candidates' lowest rowid on. Without filters the
        # latter are the candidates and the result is exact.
        count = "SELECT COUNT(*) FROM documents_searchfts WHERE documents_searchfts MATCH %s"
        ((total,),) = _run(count, [query.fts5()])
        ((recent,),) = _run(f"{count} AND rowid >= %s", [query.fts5(), floor])
        return round(CANDIDATES * total / max(recent, 1))

    def page(
        self, query: Query, where: str, params: list[Any], ids: list[int], limit: int, offset: int
    ) -> tuple[str, list[Any]]:
        # FTS5 reads the rowid range from its own doclists: bm25 and the snippets are
        # computed for the candidates only (snippets only for the page's rows).
        sql = (
            f"SELECT {_COLUMNS}, "
            "highlight(documents_searchfts, 0, char(2), char(3)), "
            "snippet(documents_searchfts, 1, char(2), char(3), '…', 24) "
            f"{self.FROM} AND documents_searchfts.rowid >= %s{where} "
            "ORDER BY bm25(documents_searchfts, 5.0, 1.0), e.id LIMIT %s OFFSET %s"
        )
        return sql, [query.fts5(), min(ids), *params, limit, offset]


class _Postgres(_Backend):
    @staticmethod
    def _tsquery() -> str:
        return " || ".join(f"to_tsquery('{config}', %s)" for config in PG_CONFIGS)

    def hits(self, query: Query, where: str, params: list[Any]) -> tuple[str, list[Any]]:
        # The filters come first: PostgreSQL checks conditions of equal cost in the order
        # written, and a filter is far cheaper than @@ (which unpacks the row's tsvector).
        sql = (
            f"SELECT {_COLUMNS}, e.id FROM documents_searchentry e "  # noqa: S608 - fixed SQL; values are parameters
            f"WHERE TRUE{where} AND e.search_vector @@ ({self._tsquery()})"
        )
        return sql, [*params, *([query.tsquery()] * len(PG_CONFIGS))]

    def page(
        self, query: Query, where: str, params: list[Any], ids: list[int], limit: int, offset: int
    ) -> tuple[str, list[Any]]:
        # Ranks the candidates by their ids (not by matching again: a phrase would
        # re-read every row holding its words), headlines only for the page's rows
        # (ts_headline reads the whole text). The filters are in the candidates already.
        config = "tripartite_search_config(p.language)"
        options = (
            f'StartSel="{START}", StopSel="{STOP}", MaxWords=35, MinWords=15, '
            'MaxFragments=2, FragmentDelimiter=" … "'
        )
        title_options = f'StartSel="{START}", StopSel="{STOP}", HighlightAll=true'
        sql = (
            "SELECT p.record_type, p.record_key, p.title, p.url, p.member_key, p.member_name, "  # noqa: S608 - fixed SQL; values are parameters
            "p.year, p.sector, p.language, "
            f"ts_headline({config}, p.title, to_tsquery({config}, %s), %s), "
            f"ts_headline({config}, p.body, to_tsquery({config}, %s), %s) "
            f"FROM (SELECT {_COLUMNS}, e.body, e.id, "
            f"ts_rank(e.search_vector, ({self._tsquery()})) AS rank "
            "FROM documents_searchentry e WHERE e.id = ANY(%s) "
            "ORDER BY rank DESC, e.id LIMIT %s OFFSET %s) p ORDER BY p.rank DESC, p.id"
        )
        words = query.tsquery()
        return sql, [
            words,
            title_options,
            words,
            options,
            *([words] * len(PG_CONFIGS)),
            ids,
            limit,
            offset,
        ]


def marked(text: str | None) -> str:
    """Escape ``text``, then turn the database's match markers into ``<mark>``."""
    escaped = html.escape(text or "", quote=False)
    return escaped.replace(START, "<mark>").replace(STOP, "</mark>")


def _plain(text: str | None) -> str:
    return (text or "").replace(START, "").replace(STOP, "")


def _hit(row: tuple[Any, ...]) -> s.SearchHit:
    (record_type, key, title, url, member_key, member_name, year, sector, language) = row[:9]
    title_marked, snippet = row[9], row[10]
    return s.SearchHit(
        id=f"{record_type}/{key}",
        type=record_type,
        type_label=type_label(record_type),
        title=title,
        title_html=marked(title_marked or title),
        snippet_html=marked(_tidy(snippet)),
        url=url,
        member=f"member/{member_key}" if member_key else None,
        member_name=member_name,
        year=year,
        sector=sector,
        language=language,
    )


def _tidy(snippet: str | None) -> str:
    return " ".join((snippet or "").split())


def _facet_label(name: str, value: str, label: str) -> str:
    if name == "type":
        return type_label(value)
    if name == "member":
        return label or value
    if name == "sector":
        try:
            return str(Sector(value).label)
        except ValueError:
            return value
    if name == "language":
        try:
            return str(get_language_info(value)["name_translated"])
        except KeyError:
            return value
    return value


FACET_LABELS = {
    "type": lambda: _("Type of record"),
    "member": lambda: _("Member"),
    "year": lambda: _("Year"),
    "sector": lambda: _("Sector"),
    "language": lambda: _("Language"),
}


def _facets(rows: list[tuple[Any, ...]], filters: Filters) -> tuple[list[s.Facet], list[int]]:
    """The facets, and the candidates' ids, from ``_facet_sql``'s rows."""
    grouped: dict[str, list[s.FacetValue]] = {name: [] for name in FACETS}
    ids: list[int] = []
    active = filters.active()
    for name, value, label, number in rows:
        if name == "":
            ids = [int(part) for part in (value or "").split(",") if part]
            continue
        if value in (None, ""):
            continue
        grouped[name].append(
            s.FacetValue(
                value=str(value),
                label=_facet_label(name, str(value), str(label or "")),
                count=int(number),
                selected=active.get(name) == str(value),
            )
        )
    facets = []
    for name in FACETS:
        values = grouped[name]
        if name == "year":
            values.sort(key=lambda v: v.value, reverse=True)
        else:
            values.sort(key=lambda v: (-v.count, v.label))
        if values:
            facets.append(s.Facet(name=name, label=FACET_LABELS[name](), values=values))
    return facets, ids
