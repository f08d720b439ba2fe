"""Find text meant for people that is not marked for translation (docs/subsystems/i18n.md).

Used by ``test_strings_marked.py``. Two checkers, one word rule.

**Words.** A run of text needs translating when, once the parts that are the same in every
language are removed, it still holds a word of two or more letters (``[A-Za-zÀ-ÿ]{2,}``).
Removed first: URLs and e-mail addresses, HTML entities, code-like tokens (anything holding
a digit, ``/``, ``_``, ``.``, ``@``, ``:``, ``=``, ``{``, ``}``, ``#`` or ``|`` between
characters, such as public ids ``letter/mx-2017-0001``, file names, paths and dotted names),
and the proper nouns and technical terms of ``ALLOWED`` (whole words, case-sensitive).

**Templates** (``*.html`` and ``*.txt`` under ``src/tripartite/**/templates/``). Django's
``DebugLexer`` splits the template into tokens with their positions. Everything that is not
literal text is masked out with the same number of characters (newlines kept, so line
numbers stay right): variables, tags, ``{# #}`` comments, the whole of
``{% comment %}…{% endcomment %}`` and ``{% verbatim %}…{% endverbatim %}`` blocks, and the
whole of ``{% blocktranslate %}…{% endblocktranslate %}`` (the text inside is marked). What is
left goes through ``html.parser.HTMLParser`` (``.html`` only; ``.txt`` templates are plain
text, e-mails, where a line indented by four spaces is a command or code sample, as in
Markdown, and is not checked). Checked: the text between tags, except inside ``<script>``,
``<style>``, ``<code>`` and ``<pre>`` (technical content); and the attribute values people
see or hear: ``alt``, ``title``, ``placeholder``, ``aria-label``, ``aria-description``, the
``value`` of a submit/button/reset ``<input>`` (a ``<button>`` shows its content, not its
value), and the ``content`` of ``<meta name="description">``.

**Python** (``src/tripartite/**/*.py`` except ``tests/``, ``migrations/`` and
``settings.py``). A string literal (also an f-string, or a ``"…" % …`` / ``"…" + …``
expression built from one) counts as unmarked unless it is the argument of a gettext call
(``_``, ``gettext``, ``gettext_lazy``, ``ngettext``, ``pgettext``, …). The call sites that
reach people:

- ``messages.debug/info/success/warning/error(request, message)``: the flash message shown on
  the next page (the second positional argument, or ``message=``).
- ``InvalidInput``, ``Conflict``, ``PermissionDenied``, ``NotFound``, ``ServiceError``
  (``core/errors.py``) and ``ValidationError``: the first argument (or ``message=``). Views
  show the message in the page, the JSON twins and the API in the problem JSON, forms next to
  the field. ``Http404`` is left out: its message only appears in the debug page, the 404
  template never shows it.
- ``form.add_error(field, error)``: the error shown next to the field (or ``error=``).
- ``problem_response(request, status, title, detail)`` (``core/problems.py``): the title and
  detail of the problem JSON that the JSON twins and the API answer with.
- ``label=``, ``help_text=``, ``verbose_name=``, ``verbose_name_plural=``, ``empty_label=``,
  ``description=`` and the labels of a literal ``choices=`` list, in a call whose name ends in
  ``Field`` (Django form and model fields; not pydantic's bare ``Field``). The same keywords
  elsewhere are not checked on purpose: django-ninja's ``summary=``/``description=`` and the
  ``description=`` of ``Field``/``Query`` in the API schemas document the API, which is
  English-only by design.
- ``verbose_name`` / ``verbose_name_plural`` assigned in a model's ``class Meta``.
- The labels of ``TextChoices`` / ``IntegerChoices`` members (``NAME = "value", "Label"``).
- ``placeholder``, ``title``, ``aria-label`` and ``aria-description`` in a literal ``attrs=``
  dict of a widget.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

from django.template.base import DebugLexer, TokenType

PACKAGE = Path(__file__).resolve().parent.parent

# Words that are the same in every language. Keep this short; each entry says why.
ALLOWED = frozenset(
    {
        "Tripartite",  # the product's name
        "JSON",  # a data format
        "CSV",  # a data format
        "Atom",  # the feed format (RFC 4287)
        "iCalendar",  # the calendar format (RFC 5545)
        "OpenAPI",  # the API description standard
        "Popolo",  # the open-government data standard for people and organisations
        "BagIt",  # the archive packaging format (RFC 8493)
        "SHA",  # the hash function, as in "SHA-256"
        "API",  # the acronym is used as is in Spanish and French
        "RFC",  # the IETF series, as in "RFC 3161"
        "UTC",  # the time standard; written so in Spanish and French too
    }
)

WORD = re.compile(r"[A-Za-zÀ-ÿ]{2,}")
URL = re.compile(r"(?:https?://|mailto:|www\.)\S+|\S+@\S+\.\S+")
ENTITY = re.compile(r"&(?:#\d+|#x[0-9a-fA-F]+|\w+);")
# A token holding a digit, or a code character between other characters: public ids,
# paths, file names, dotted names, format strings.
CODE_LIKE = re.compile(r"\S*(?:\d|\S[/_.@:={}#|]\S)\S*")
ALLOWED_WORD = re.compile(r"\b(?:" + "|".join(sorted(map(re.escape, ALLOWED))) + r")\b")

MASK = "\ue000"  # stands for a masked character; it is not a letter


def needs_translation(text: str) -> bool:
    """Whether ``text`` still holds a word once the language-neutral parts are removed."""
    text = URL.sub(" ", text)
    text = ENTITY.sub(" ", text)
    text = CODE_LIKE.sub(" ", text)  # before unmasking: "v{{ n }}.json" is one token
    text = text.replace(MASK, " ")
    text = ALLOWED_WORD.sub(" ", text)
    return bool(WORD.search(text))


@dataclass(frozen=True)
class Violation:
    path: str
    line: int
    text: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.text}"


def _clean(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace(MASK, " ")).strip()


# ---------------------------------------------------------------- templates


_OPENERS = {
    "blocktranslate": "endblocktranslate",
    "blocktrans": "endblocktrans",
    "comment": "endcomment",
    "verbatim": "endverbatim",
}


def mask_template(source: str) -> str:
    """The template with everything but its literal, unmarked text masked out."""
    out = list(source)

    def mask(start: int, end: int) -> None:
        for index in range(start, end):
            if out[index] != "\n":
                out[index] = MASK

    closing: str | None = None
    region_start = 0
    for token in DebugLexer(source).tokenize():
        start, end = token.position  # type: ignore[misc]  # DebugLexer sets it
        if closing is not None:
            if token.token_type == TokenType.BLOCK and token.contents.split()[:1] == [closing]:
                mask(region_start, end)
                closing = None
            continue
        if token.token_type == TokenType.TEXT:
            continue
        name = token.contents.split()[0] if token.contents.split() else ""
        if token.token_type == TokenType.BLOCK and name in _OPENERS:
            closing, region_start = _OPENERS[name], start
            continue
        mask(start, end)
    if closing is not None:
        mask(region_start, len(source))
    return "".join(out)


_SKIPPED_ELEMENTS = {"script", "style", "code", "pre"}
_VOID_ELEMENTS = {
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
    "track", "wbr",
}  # fmt: skip
_TEXT_ATTRIBUTES = {"alt", "title", "placeholder", "aria-label", "aria-description"}


class _TextFinder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=False)
        self.found: list[tuple[int, str]] = []
        self.skipping: list[str] = []

    def _add(self, text: str | None, line: int) -> None:
        if text and needs_translation(text):
            self.found.append((line, _clean(text)))

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        line = self.getpos()[0]
        values = dict(attrs)
        for name, value in attrs:
            if name in _TEXT_ATTRIBUTES:
                self._add(value, line)
        if tag == "input" and (values.get("type") or "").lower() in {"submit", "button", "reset"}:
            self._add(values.get("value"), line)
        if tag == "meta" and (values.get("name") or "").lower() == "description":
            self._add(values.get("content"), line)
        if tag in _SKIPPED_ELEMENTS:
            self.skipping.append(tag)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag in _SKIPPED_ELEMENTS:
            self.skipping.pop()

    def handle_endtag(self, tag: str) -> None:
        if tag in self.skipping:
            while self.skipping and self.skipping.pop() != tag:
                pass

    def handle_data(self, data: str) -> None:
        if self.skipping:
            return
        line = self.getpos()[0]
        # Report the line of the first word, not of the whitespace before it.
        stripped = data.lstrip()
        line += data[: len(data) - len(stripped)].count("\n")
        self._add(data, line)


def template_violations(source: str, path: str = "<template>") -> list[Violation]:
    masked = mask_template(source)
    if path.endswith(".txt"):
        found: list[tuple[int, str]] = []
        for number, line in enumerate(masked.splitlines(), start=1):
            if line.startswith("    "):
                continue  # an indented line is a command or a code sample
            if needs_translation(line):
                found.append((number, _clean(line)))
    else:
        finder = _TextFinder()
        finder.feed(masked)
        finder.close()
        found = finder.found
    return [Violation(path, line, text) for line, text in found]


def template_files() -> Iterator[Path]:
    for pattern in ("*.html", "*.txt"):
        for path in PACKAGE.glob(f"**/templates/**/{pattern}"):
            if "tests" not in path.relative_to(PACKAGE).parts:
                yield path


# ---------------------------------------------------------------- Python


GETTEXT_FUNCTIONS = {
    "_",
    "gettext",
    "gettext_lazy",
    "ngettext",
    "ngettext_lazy",
    "pgettext",
    "pgettext_lazy",
    "npgettext",
    "npgettext_lazy",
    "gettext_noop",
    "_lazy",
}
MESSAGE_LEVELS = {"debug", "info", "success", "warning", "error"}
EXCEPTIONS = {
    "InvalidInput",
    "Conflict",
    "PermissionDenied",
    "NotFound",
    "ServiceError",
    "ValidationError",
}
FIELD_KEYWORDS = {
    "label",
    "help_text",
    "verbose_name",
    "verbose_name_plural",
    "empty_label",
    "description",
}
META_ATTRIBUTES = {"verbose_name", "verbose_name_plural"}
CHOICES_BASES = {"TextChoices", "IntegerChoices", "Choices"}
WIDGET_ATTRIBUTES = {"placeholder", "title", "aria-label", "aria-description"}


def _name(node: ast.AST) -> str:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return node.attr
    return ""


def unmarked_text(node: ast.AST | None) -> str | None:
    """The literal text of an expression that reaches people without gettext, if any."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr):
        parts = [
            value.value
            for value in node.values
            if isinstance(value, ast.Constant) and isinstance(value.value, str)
        ]
        return MASK.join(parts)
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Mod | ast.Add):
        left = unmarked_text(node.left)
        right = unmarked_text(node.right) if isinstance(node.op, ast.Add) else None
        texts = [text for text in (left, right) if text is not None]
        return MASK.join(texts) if texts else None
    if isinstance(node, ast.IfExp):
        texts = [t for t in (unmarked_text(node.body), unmarked_text(node.orelse)) if t]
        return MASK.join(texts) if texts else None
    return None  # a gettext call, a variable, anything else


def _choice_labels(node: ast.AST) -> Iterator[ast.AST]:
    if isinstance(node, ast.List | ast.Tuple):
        for item in node.elts:
            if isinstance(item, ast.Tuple) and len(item.elts) == 2:
                if isinstance(item.elts[1], ast.List | ast.Tuple):
                    yield from _choice_labels(item.elts[1])  # an option group
                else:
                    yield item.elts[1]


class _PythonFinder(ast.NodeVisitor):
    def __init__(self) -> None:
        self.found: list[tuple[int, str]] = []
        self.classes: list[ast.ClassDef] = []

    def _check(self, node: ast.AST | None) -> None:
        text = unmarked_text(node)
        if node is not None and text is not None and needs_translation(text):
            self.found.append((getattr(node, "lineno", 0), _clean(text)))

    def visit_ClassDef(self, node: ast.ClassDef) -> None:
        if {_name(base) for base in node.bases} & CHOICES_BASES:
            for statement in node.body:
                if (
                    isinstance(statement, ast.Assign)
                    and isinstance(statement.value, ast.Tuple)
                    and len(statement.value.elts) >= 2
                ):
                    self._check(statement.value.elts[-1])
        if node.name == "Meta":
            for statement in node.body:
                if isinstance(statement, ast.Assign) and any(
                    _name(target) in META_ATTRIBUTES for target in statement.targets
                ):
                    self._check(statement.value)
        self.generic_visit(node)

    def visit_Call(self, node: ast.Call) -> None:
        name = _name(node.func)
        keywords = {keyword.arg: keyword.value for keyword in node.keywords if keyword.arg}
        if name in GETTEXT_FUNCTIONS:
            return  # its arguments are marked
        if (
            name in MESSAGE_LEVELS
            and isinstance(node.func, ast.Attribute)
            and _name(node.func.value) == "messages"
        ):
            self._check(node.args[1] if len(node.args) > 1 else keywords.get("message"))
        if name == "add_error":
            self._check(node.args[1] if len(node.args) > 1 else keywords.get("error"))
        if name == "problem_response":
            for argument in [*node.args[2:4], keywords.get("title"), keywords.get("detail")]:
                self._check(argument)
        if name in EXCEPTIONS:
            self._check(node.args[0] if node.args else keywords.get("message"))
        if name.endswith("Field") and name != "Field":  # not pydantic's/ninja's Field
            for keyword in FIELD_KEYWORDS & set(keywords):
                self._check(keywords[keyword])
            for label in _choice_labels(keywords.get("choices", ast.Constant(None))):
                self._check(label)
        attrs = keywords.get("attrs")
        if isinstance(attrs, ast.Dict):
            for key, value in zip(attrs.keys, attrs.values, strict=True):
                if isinstance(key, ast.Constant) and key.value in WIDGET_ATTRIBUTES:
                    self._check(value)
        self.generic_visit(node)


def python_violations(source: str, path: str = "<python>") -> list[Violation]:
    finder = _PythonFinder()
    finder.visit(ast.parse(source, filename=path))
    return [Violation(path, line, text) for line, text in sorted(finder.found)]


def python_files() -> Iterator[Path]:
    for path in sorted(PACKAGE.glob("**/*.py")):
        parts = path.relative_to(PACKAGE).parts
        if "tests" in parts or "migrations" in parts or path.name == "settings.py":
            continue
        yield path


def all_violations() -> list[Violation]:
    found: list[Violation] = []
    for path in sorted(template_files()):
        relative = str(path.relative_to(PACKAGE.parent.parent))
        found += template_violations(path.read_text(encoding="utf-8"), relative)
    for path in python_files():
        relative = str(path.relative_to(PACKAGE.parent.parent))
        found += python_violations(path.read_text(encoding="utf-8"), relative)
    return found
