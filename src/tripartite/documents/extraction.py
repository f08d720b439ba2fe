"""Text of an accepted file, for the search index (run by the worker, never in a request).

``extract(data, kind, limits)`` returns an ``Extraction``: the text (at most
``limits.max_chars`` characters), the status (``done``, ``no_text`` for a PDF whose
pages carry no text layer, ``failed`` with the reason) and the page count. The time
limit is checked between pages and paragraphs.
"""

from __future__ import annotations

import io
import re
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from html.parser import HTMLParser

from django.utils.translation import gettext as _

from .choices import ExtractionStatus, FileKind
from .filetypes import decode_text
from .limits import Limits

_BLANKS = re.compile(r"[ \t\r\f\v]+")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


@dataclass(frozen=True)
class Extraction:
    status: str
    text: str = ""
    error: str = ""
    page_count: int | None = None


class TooSlow(Exception):
    pass


def extract(data: bytes, kind: str, limits: Limits) -> Extraction:
    deadline = time.monotonic() + limits.extraction_seconds
    pages: int | None = None
    try:
        if kind == FileKind.PDF:
            pieces, pages = _pdf(data)
        elif kind == FileKind.DOCX:
            pieces = _docx(data)
        elif kind == FileKind.ODT:
            pieces = _odt(data)
        elif kind == FileKind.HTML:
            pieces = iter([_html(decode_text(data))])
        else:
            pieces = iter([decode_text(data)])
        text = _collect(pieces, deadline, limits.max_chars)
    except TooSlow:
        return Extraction(
            status=ExtractionStatus.FAILED,
            error=_("Text extraction took longer than %(seconds)s seconds and was stopped.")
            % {"seconds": f"{limits.extraction_seconds:g}"},
            page_count=pages,
        )
    except Exception as error:
        return Extraction(
            status=ExtractionStatus.FAILED,
            error=_("The text could not be extracted: %(error)s")
            % {"error": str(error)[:300] or type(error).__name__},
            page_count=pages,
        )
    if not text.strip():
        return Extraction(
            status=ExtractionStatus.NO_TEXT,
            error=_(
                "The file holds no text. A scanned PDF needs a text layer (OCR) to be found "
                "by search."
            ),
            page_count=pages,
        )
    return Extraction(status=ExtractionStatus.DONE, text=text, page_count=pages)


def clean(text: str) -> str:
    """Control characters out, runs of blanks folded, at most two line breaks in a row."""
    text = _CONTROL.sub(" ", text)
    lines = [_BLANKS.sub(" ", line).strip() for line in text.splitlines()]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def _collect(pieces: Iterable[str], deadline: float, max_chars: int) -> str:
    parts: list[str] = []
    size = 0
    for piece in pieces:
        if time.monotonic() > deadline:
            raise TooSlow
        parts.append(piece)
        size += len(piece)
        if size >= max_chars:
            break
    return clean("\n".join(parts))[:max_chars]


def _pdf(data: bytes) -> tuple[Iterator[str], int]:
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(data), strict=False)
    pages = len(reader.pages)
    return (page.extract_text() or "" for page in reader.pages), pages


def _docx(data: bytes) -> Iterator[str]:
    import docx

    document = docx.Document(io.BytesIO(data))
    for paragraph in document.paragraphs:
        yield paragraph.text
    for table in document.tables:
        for row in table.rows:
            yield " | ".join(cell.text for cell in row.cells)


def _odt(data: bytes) -> Iterator[str]:
    from odf import opendocument, teletype, text

    document = opendocument.load(io.BytesIO(data))
    for element in document.getElementsByType(text.H) + document.getElementsByType(text.P):
        yield teletype.extractText(element)


class _TextOfHtml(HTMLParser):
    SKIP = frozenset({"script", "style", "template", "noscript"})
    BLOCKS = frozenset({"p", "div", "br", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skipping = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self.SKIP:
            self.skipping += 1
        elif tag in self.BLOCKS:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in self.SKIP and self.skipping:
            self.skipping -= 1

    def handle_data(self, data: str) -> None:
        if not self.skipping:
            self.parts.append(data)


def _html(source: str) -> str:
    parser = _TextOfHtml()
    parser.feed(source)
    parser.close()
    return "".join(parser.parts)
