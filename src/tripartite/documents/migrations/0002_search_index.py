"""The full-text index over ``SearchEntry``, one per database vendor (see docs/subsystems/search.md).

- SQLite: an FTS5 table with external content (``documents_searchentry``), accent-insensitive
  (``unicode61 remove_diacritics 2``), kept in step by three triggers. A later migration that
  makes SQLite rebuild ``documents_searchentry`` (most ALTERs do) drops the triggers: recreate
  them in that migration (``SQLITE_TRIGGERS``) and run ``tripartite search reindex``.
- PostgreSQL: text search configurations ``tripartite_en|es|fr|simple`` (the language's
  stemmer, behind ``unaccent`` when the extension can be created), the immutable function
  ``tripartite_search_config(language)`` choosing one, and a generated ``search_vector``
  column (title weighted A, text B) with a GIN index.
"""

from django.db import migrations, transaction

SQLITE_TABLE = (
    "CREATE VIRTUAL TABLE documents_searchfts USING fts5("
    "title, body, content='documents_searchentry', content_rowid='id', "
    "tokenize='unicode61 remove_diacritics 2')"
)
SQLITE_TRIGGERS = [
    """CREATE TRIGGER documents_searchentry_ai AFTER INSERT ON documents_searchentry BEGIN
  INSERT INTO documents_searchfts(rowid, title, body) VALUES (new.id, new.title, new.body);
END""",
    """CREATE TRIGGER documents_searchentry_ad AFTER DELETE ON documents_searchentry BEGIN
  INSERT INTO documents_searchfts(documents_searchfts, rowid, title, body)
  VALUES ('delete', old.id, old.title, old.body);
END""",
    """CREATE TRIGGER documents_searchentry_au AFTER UPDATE OF title, body ON documents_searchentry
BEGIN
  INSERT INTO documents_searchfts(documents_searchfts, rowid, title, body)
  VALUES ('delete', old.id, old.title, old.body);
  INSERT INTO documents_searchfts(rowid, title, body) VALUES (new.id, new.title, new.body);
END""",
]
SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS documents_searchentry_ai",
    "DROP TRIGGER IF EXISTS documents_searchentry_ad",
    "DROP TRIGGER IF EXISTS documents_searchentry_au",
    "DROP TABLE IF EXISTS documents_searchfts",
]

PG_CONFIGS = {
    "tripartite_en": ("english", "english_stem"),
    "tripartite_es": ("spanish", "spanish_stem"),
    "tripartite_fr": ("french", "french_stem"),
    "tripartite_simple": ("simple", "simple"),
}
# The configurations are named with their schema: pg_restore runs with an empty
# search_path, and the generated column below inlines this function when it restores.
PG_FUNCTION = """
CREATE OR REPLACE FUNCTION tripartite_search_config(lang text) RETURNS regconfig
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT CASE split_part(lower(coalesce(lang, '')), '-', 1)
    WHEN 'en' THEN '{schema}.tripartite_en'::regconfig
    WHEN 'es' THEN '{schema}.tripartite_es'::regconfig
    WHEN 'fr' THEN '{schema}.tripartite_fr'::regconfig
    ELSE '{schema}.tripartite_simple'::regconfig
  END
$$"""
PG_COLUMN = """
ALTER TABLE documents_searchentry ADD COLUMN search_vector tsvector GENERATED ALWAYS AS (
  setweight(to_tsvector(tripartite_search_config(language), title), 'A') ||
  setweight(to_tsvector(tripartite_search_config(language), body), 'B')
) STORED"""
PG_INDEX = (
    "CREATE INDEX documents_searchentry_vector ON documents_searchentry USING gin (search_vector)"
)


def _unaccent_available(connection) -> bool:
    """Create ``unaccent`` if we may (it is a trusted extension from PostgreSQL 13)."""
    try:
        with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
            cursor.execute("CREATE EXTENSION IF NOT EXISTS unaccent")
        return True
    except Exception:  # noqa: BLE001 - no privilege or not installed: index with accents
        return False


def forwards(apps, schema_editor):
    connection = schema_editor.connection
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            try:
                cursor.execute(SQLITE_TABLE)
            except Exception as error:
                raise RuntimeError(
                    "This SQLite has no FTS5 full-text search; Tripartite's search needs it "
                    f"(SQLite compiled with FTS5, as Python's own builds are): {error}"
                ) from error
            for sql in SQLITE_TRIGGERS:
                cursor.execute(sql)
    elif connection.vendor == "postgresql":
        unaccent = _unaccent_available(connection)
        with connection.cursor() as cursor:
            for name, (base, dictionary) in PG_CONFIGS.items():
                cursor.execute(f"CREATE TEXT SEARCH CONFIGURATION {name} (COPY = {base})")
                chain = f"unaccent, {dictionary}" if unaccent else dictionary
                cursor.execute(
                    f"ALTER TEXT SEARCH CONFIGURATION {name} "
                    f"ALTER MAPPING FOR hword, hword_part, word WITH {chain}"
                )
            cursor.execute("SELECT current_schema()")
            schema = connection.ops.quote_name(cursor.fetchone()[0])
            cursor.execute(PG_FUNCTION.replace("{schema}", schema))
            cursor.execute(PG_COLUMN)
            cursor.execute(PG_INDEX)
    else:
        raise RuntimeError(f"Search supports SQLite and PostgreSQL, not {connection.vendor}.")


def backwards(apps, schema_editor):
    connection = schema_editor.connection
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            for sql in SQLITE_DROP:
                cursor.execute(sql)
        elif connection.vendor == "postgresql":
            cursor.execute("DROP INDEX IF EXISTS documents_searchentry_vector")
            cursor.execute("ALTER TABLE documents_searchentry DROP COLUMN IF EXISTS search_vector")
            cursor.execute("DROP FUNCTION IF EXISTS tripartite_search_config(text)")
            for name in PG_CONFIGS:
                cursor.execute(f"DROP TEXT SEARCH CONFIGURATION IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("documents", "0001_initial")]

    operations = [migrations.RunPython(forwards, backwards)]
