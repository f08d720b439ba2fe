"""The Spanish and French catalogues: pages render translated, every entry is translated,
and the committed .mo files match the .po files (see docs/subsystems/i18n.md)."""

from __future__ import annotations

import ast
import gettext
import re
import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client

LOCALE_DIR = Path(settings.LOCALE_PATHS[0])
LANGUAGES = ("es", "fr")
PLURAL_FORMS = {
    "es": "nplurals=2; plural=(n != 1);",
    "fr": "nplurals=2; plural=(n > 1);",
}

# The main heading of each page, as a reader of each language sees it.
HEADINGS = {
    "/": {
        "en": "The public record of open-government forums",
        "es": "El registro público de los foros de gobierno abierto",
        "fr": "Le registre public des forums de gouvernement ouvert",
    },
    "/letters/": {
        "en": "Letters register",
        "es": "Registro de cartas",
        "fr": "Registre des lettres",
    },
}


def po_path(language: str) -> Path:
    return LOCALE_DIR / language / "LC_MESSAGES" / "django.po"


def mo_path(language: str) -> Path:
    return LOCALE_DIR / language / "LC_MESSAGES" / "django.mo"


# ---------------------------------------------------------------- a tiny .po reader


@dataclass
class PoEntry:
    msgid: str = ""
    msgid_plural: str | None = None
    msgctxt: str | None = None
    msgstr: dict[int, str] = field(default_factory=dict)
    flags: set[str] = field(default_factory=set)
    line: int = 0

    @property
    def label(self) -> str:
        return f"line {self.line}: {self.msgid!r}"


_KEYWORD = re.compile(r'^(msgctxt|msgid_plural|msgid|msgstr)(?:\[(\d+)\])?\s+(".*")\s*$')


def parse_po(text: str) -> list[PoEntry]:
    """Entries of a .po file (header included, obsolete ``#~`` entries left out)."""
    entries: list[PoEntry] = []
    entry: PoEntry | None = None
    target: tuple[str, int] | None = None

    def finish() -> None:
        nonlocal entry, target
        if entry is not None:
            entries.append(entry)
        entry, target = None, None

    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line:
            finish()
            continue
        if line.startswith("#~"):
            continue
        if entry is None:
            entry = PoEntry(line=number)
        if line.startswith("#,"):
            entry.flags |= {flag.strip() for flag in line[2:].split(",") if flag.strip()}
            continue
        if line.startswith("#"):
            continue
        match = _KEYWORD.match(line)
        if match:
            keyword, index, literal = match.groups()
            target = (keyword, int(index or 0))
            value = ast.literal_eval(literal)
        elif line.startswith('"') and target is not None:
            value = ast.literal_eval(line)
        else:
            raise ValueError(f"unexpected line {number}: {raw!r}")
        keyword, index = target
        if keyword == "msgid":
            entry.msgid += value
        elif keyword == "msgid_plural":
            entry.msgid_plural = (entry.msgid_plural or "") + value
        elif keyword == "msgctxt":
            entry.msgctxt = (entry.msgctxt or "") + value
        else:
            entry.msgstr[index] = entry.msgstr.get(index, "") + value
    finish()
    return entries


def catalogue(language: str) -> tuple[dict[str, str], list[PoEntry]]:
    """The header fields and the message entries of a language's .po file."""
    entries = parse_po(po_path(language).read_text(encoding="utf-8"))
    header = next(e for e in entries if e.msgid == "" and e.msgctxt is None)
    fields = dict(
        line.split(": ", 1) for line in header.msgstr.get(0, "").splitlines() if ": " in line
    )
    return fields, [e for e in entries if e is not header]


PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|%[sd]|\{\w*\}")
TAG = re.compile(r"</?[a-zA-Z][^>]*>")


def markers(text: str) -> list[str]:
    return sorted(PLACEHOLDER.findall(text) + TAG.findall(text))


# ---------------------------------------------------------------- pages are served translated


def html_lang(markup: str) -> str:
    match = re.search(r"<html[^>]*\blang=\"([^\"]+)\"", markup)
    assert match, "the page has no <html lang>"
    return match.group(1)


def h1(markup: str) -> str:
    match = re.search(r"<h1[^>]*>(.*?)</h1>", markup, re.S)
    assert match, "the page has no <h1>"
    return re.sub(r"\s+", " ", match.group(1)).strip()


@pytest.mark.django_db
@pytest.mark.parametrize("path", sorted(HEADINGS))
@pytest.mark.parametrize("language", ["en", *LANGUAGES])
def test_page_follows_accept_language(client: Client, path: str, language: str) -> None:
    response = client.get(path, headers={"accept-language": f"{language},en;q=0.5"})
    assert response.status_code == 200
    markup = response.content.decode()
    assert html_lang(markup) == language
    assert response["Content-Language"] == language
    assert h1(markup) == HEADINGS[path][language]


@pytest.mark.django_db
def test_language_switcher_sets_the_language(client: Client) -> None:
    """The header's form posts to /i18n/setlang/; the choice then beats Accept-Language."""
    response = client.post("/i18n/setlang/", {"language": "fr", "next": "/letters/"})
    assert response.status_code == 302
    assert response["Location"] == "/letters/"
    markup = client.get("/letters/", headers={"accept-language": "es"}).content.decode()
    assert html_lang(markup) == "fr"
    assert h1(markup) == HEADINGS["/letters/"]["fr"]


# ---------------------------------------------------------------- the catalogues are complete


@pytest.mark.parametrize("language", LANGUAGES)
def test_catalogue_header(language: str) -> None:
    fields, _entries = catalogue(language)
    assert fields.get("Language") == language
    assert fields.get("Plural-Forms") == PLURAL_FORMS[language]
    assert fields.get("Content-Type") == "text/plain; charset=UTF-8"


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_entry_is_translated_and_not_fuzzy(language: str) -> None:
    _fields, entries = catalogue(language)
    assert len(entries) > 100, "the catalogue looks empty: run `make messages`"
    problems = []
    for entry in entries:
        if "fuzzy" in entry.flags:
            problems.append(f"fuzzy: {entry.label}")
        expected_forms = {0} if entry.msgid_plural is None else {0, 1}  # nplurals=2
        if set(entry.msgstr) != expected_forms:
            problems.append(f"wrong plural forms {sorted(entry.msgstr)}: {entry.label}")
        if any(not text.strip() for text in entry.msgstr.values()):
            problems.append(f"untranslated: {entry.label}")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("language", LANGUAGES)
def test_translations_keep_placeholders_and_markup(language: str) -> None:
    _fields, entries = catalogue(language)
    problems = []
    for entry in entries:
        for index, text in entry.msgstr.items():
            sources = (
                [entry.msgid] if entry.msgid_plural is None else [entry.msgid_plural, entry.msgid]
            )
            if markers(text) not in [markers(source) for source in sources]:
                problems.append(
                    f"msgstr[{index}] {text!r} changes the placeholders or tags of {entry.label}"
                )
    assert not problems, "\n".join(problems)


def test_languages_translate_the_same_entries() -> None:
    keys = {
        language: {(e.msgctxt, e.msgid, e.msgid_plural) for e in catalogue(language)[1]}
        for language in LANGUAGES
    }
    assert keys["es"] == keys["fr"]


# ---------------------------------------------------------------- the .mo files are current


@pytest.mark.parametrize("language", LANGUAGES)
def test_compiled_catalogue_is_up_to_date(language: str, tmp_path: Path) -> None:
    """The committed .mo holds exactly what msgfmt makes of the .po. The catalogues are
    compared rather than the bytes, so another gettext version does not matter."""
    msgfmt = shutil.which("msgfmt")
    if msgfmt is None:
        pytest.skip("msgfmt (GNU gettext) is not installed")
    assert mo_path(language).exists(), "run `make messages` to compile the catalogues"
    fresh = tmp_path / "django.mo"
    subprocess.run([msgfmt, "--check-format", "-o", str(fresh), str(po_path(language))], check=True)

    def messages(path: Path) -> dict[object, str]:
        with path.open("rb") as handle:
            return dict(gettext.GNUTranslations(handle)._catalog)  # type: ignore[attr-defined]

    committed, expected = messages(mo_path(language)), messages(fresh)
    stale = sorted(map(repr, set(committed) ^ set(expected)))
    assert not stale, "messages added or removed since the last compile: " + ", ".join(stale)
    changed = sorted(repr(k) for k in expected if committed[k] != expected[k])
    assert not changed, "messages changed since the last compile: " + ", ".join(changed)
