"""What a file is, decided from its bytes (never from its name), and whether we accept it.

``inspect(data, filename)`` returns the file's kind and media type, or raises ``Refused``
with a message for people: a truncated, malformed or encrypted PDF, a ZIP that expands
too far (a "zip bomb"), XML with entity declarations, a file whose name claims another
type than its content, binary data posing as text. Nothing is written here; the service
stores a file only after it passed.
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass
from pathlib import PurePath

from django.utils.translation import gettext as _

from .choices import MEDIA_TYPES, FileKind
from .limits import MB, Limits

# Extensions whose claim is checked against the content.
EXTENSIONS: dict[str, str] = {
    ".pdf": FileKind.PDF,
    ".docx": FileKind.DOCX,
    ".odt": FileKind.ODT,
    ".html": FileKind.HTML,
    ".htm": FileKind.HTML,
    ".md": FileKind.MARKDOWN,
    ".markdown": FileKind.MARKDOWN,
    ".txt": FileKind.TEXT,
    ".text": FileKind.TEXT,
}
TEXT_KINDS = (FileKind.HTML, FileKind.MARKDOWN, FileKind.TEXT)
ODT_MIMETYPE = b"application/vnd.oasis.opendocument.text"
MAX_ZIP_MEMBERS = 5000
_HTML_START = re.compile(
    rb"^\s*(<!--.*?-->\s*)*<(!doctype\s+html|html|head|body)[\s>]", re.I | re.S
)
_XML_ENTITY = re.compile(rb"<!(DOCTYPE|ENTITY)", re.I)


class Refused(Exception):
    """The file is not accepted; ``message`` says why, for the person who sent it."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class Inspected:
    kind: str
    media_type: str
    page_count: int | None = None


def inspect(data: bytes, filename: str, limits: Limits) -> Inspected:
    """The file's kind, checked from its content; ``Refused`` when it is not accepted."""
    if not data:
        raise Refused(_("The file is empty."))
    if len(data) > limits.max_bytes:
        raise Refused(too_large_message(len(data), limits))
    claimed = EXTENSIONS.get(PurePath(filename or "").suffix.lower())
    kind, page_count = _sniff(data, limits)
    if kind in TEXT_KINDS:
        # Plain text, Markdown and HTML are all text: the name tells them apart, except
        # that a file named .txt or .md is never served as HTML.
        if claimed is not None and claimed not in TEXT_KINDS:
            raise Refused(_mismatch(filename, claimed, _looks_like(data)))
        if claimed is not None:
            kind = claimed
        elif _HTML_START.match(data[:4096].lstrip(b"\xef\xbb\xbf")):
            kind = FileKind.HTML
    elif claimed is not None and claimed != kind:
        raise Refused(_mismatch(filename, claimed, FileKind(kind).label))
    return Inspected(kind=kind, media_type=MEDIA_TYPES[kind], page_count=page_count)


def too_large_message(size: int, limits: Limits) -> str:
    return _("The file is %(size)s MB; the largest file accepted is %(max)s MB.") % {
        "size": f"{size / MB:.1f}",
        "max": f"{limits.max_bytes / MB:g}",
    }


def _mismatch(filename: str, claimed: str, actual: object) -> str:
    return _(
        "The file is named “%(name)s”, which says %(claimed)s, but its content is %(actual)s. "
        "Nothing was stored."
    ) % {"name": filename, "claimed": FileKind(claimed).label, "actual": actual}


def _looks_like(data: bytes) -> str:
    if _HTML_START.match(data[:4096].lstrip(b"\xef\xbb\xbf")):
        return str(FileKind.HTML.label)
    return str(FileKind.TEXT.label)


def _sniff(data: bytes, limits: Limits) -> tuple[str, int | None]:
    if data.startswith(b"%PDF-"):
        return FileKind.PDF, _check_pdf(data, limits)
    if data.startswith(b"PK\x03\x04"):
        return _check_zip(data, limits), None
    if data.startswith((b"PK\x05\x06", b"PK\x07\x08")):
        raise Refused(_("The file is an empty or split ZIP archive, not a document."))
    _check_text(data)
    return FileKind.TEXT, None


# ---------------------------------------------------------------- PDF


def _check_pdf(data: bytes, limits: Limits) -> int:
    from pypdf import PdfReader

    if b"%%EOF" not in data[-2048:]:
        raise Refused(
            _("The PDF is incomplete (it has no end-of-file marker): it may have been cut off.")
        )
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted:
            raise Refused(
                _(
                    "The PDF is encrypted (protected by a password or restrictions). "
                    "Upload a copy without encryption, so that anyone can read it."
                )
            )
        pages = len(reader.pages)
    except Refused:
        raise
    except RecursionError as error:
        raise Refused(_("The PDF nests its objects too deeply to be read safely.")) from error
    except Exception as error:
        raise Refused(_("The PDF cannot be read: %(error)s") % {"error": _short(error)}) from error
    if pages == 0:
        raise Refused(_("The PDF has no pages."))
    if pages > limits.max_pages:
        raise Refused(
            _("The PDF has %(pages)s pages; at most %(max)s are accepted.")
            % {"pages": pages, "max": limits.max_pages}
        )
    return pages


# ---------------------------------------------------------------- DOCX and ODT (ZIP)


def _check_zip(data: bytes, limits: Limits) -> str:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError) as error:
        raise Refused(
            _("The file looks like a ZIP archive (DOCX or ODT) but is damaged: %(error)s")
            % {"error": _short(error)}
        ) from error
    with archive:
        if len(members) > MAX_ZIP_MEMBERS:
            raise Refused(_("The archive holds too many files to be a document."))
        expanded = sum(member.file_size for member in members)
        if expanded > limits.max_expanded_bytes:
            raise Refused(
                _(
                    "The document would expand to %(size)s MB (the limit is %(max)s MB): "
                    "it looks like a compression bomb."
                )
                % {
                    "size": f"{expanded / MB:.0f}",
                    "max": f"{limits.max_expanded_bytes / MB:g}",
                }
            )
        for member in members:
            if member.file_size > MB and member.file_size > limits.max_ratio * max(
                member.compress_size, 1
            ):
                raise Refused(
                    _(
                        "A part of the document is compressed %(ratio)s times: it looks "
                        "like a compression bomb."
                    )
                    % {"ratio": member.file_size // max(member.compress_size, 1)}
                )
        names = {member.filename for member in members}
        if "word/document.xml" in names and "[Content_Types].xml" in names:
            _check_xml(archive, ["word/document.xml", "[Content_Types].xml"])
            _parse_docx(data)
            return FileKind.DOCX
        if "mimetype" in names and "content.xml" in names:
            if archive.read("mimetype").strip() != ODT_MIMETYPE:
                raise Refused(
                    _("Only OpenDocument text (ODT) is accepted, not other OpenDocument files.")
                )
            _check_xml(archive, ["content.xml", "styles.xml", "meta.xml"])
            _parse_odt(data)
            return FileKind.ODT
    raise Refused(_("The ZIP archive is neither a Word (DOCX) nor an OpenDocument (ODT) text."))


def _check_xml(archive: zipfile.ZipFile, names: list[str]) -> None:
    """XML parts must not declare entities (the "billion laughs" and external entities)."""
    present = set(archive.namelist())
    for name in names:
        if name not in present:
            continue
        with archive.open(name) as part:
            head = part.read(64 * 1024)
        if _XML_ENTITY.search(head):
            raise Refused(_("The document's XML declares entities, which documents never need."))


def _parse_docx(data: bytes) -> None:
    import docx

    try:
        docx.Document(io.BytesIO(data))
    except Exception as error:
        raise Refused(
            _("The Word document cannot be read: %(error)s") % {"error": _short(error)}
        ) from error


def _parse_odt(data: bytes) -> None:
    from odf import opendocument

    try:
        opendocument.load(io.BytesIO(data))
    except Exception as error:
        raise Refused(
            _("The OpenDocument text cannot be read: %(error)s") % {"error": _short(error)}
        ) from error


# ---------------------------------------------------------------- text


def _check_text(data: bytes) -> None:
    if b"\x00" in data[:65536] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise Refused(
            _(
                "The file is not one of the accepted types (PDF, DOCX, ODT, HTML, Markdown, "
                "plain text)."
            )
        )
    try:
        decode_text(data)
    except UnicodeDecodeError as error:
        raise Refused(
            _("Text files must be encoded in UTF-8; this one is not (byte %(position)s).")
            % {"position": error.start}
        ) from error


def decode_text(data: bytes) -> str:
    """The text of a text file: UTF-8 (with or without a byte-order mark) or UTF-16 with one."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16")
    return data.decode("utf-8-sig")


def _short(error: BaseException) -> str:
    text = str(error) or type(error).__name__
    return text if len(text) <= 200 else text[:197] + "…"
