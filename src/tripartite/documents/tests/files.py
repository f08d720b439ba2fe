"""Test files built in memory: good documents of every accepted type, and hostile ones.

Nothing here is committed as a binary; each file is a few hundred bytes to a few KB.
"""

from __future__ import annotations

import io
import zipfile

TEXT_PDF_PAGES = [
    "Acta de la sesión sobre participación ciudadana",
    "Rendición de cuentas y transparencia presupuestaria",
]


def pdf(pages: list[str] | None = None) -> bytes:
    """A small valid PDF whose pages carry the given text (Helvetica, WinAnsi); a page
    given as "" has no text layer at all (as a scan)."""
    pages = TEXT_PDF_PAGES if pages is None else pages
    objects: list[bytes] = []
    n_pages = len(pages)
    kids = " ".join(f"{3 + 2 * i} 0 R" for i in range(n_pages))
    objects.append(b"<< /Type /Catalog /Pages 2 0 R >>")
    objects.append(f"<< /Type /Pages /Kids [{kids}] /Count {n_pages} >>".encode())
    font_id = 3 + 2 * n_pages
    for i, text in enumerate(pages):
        content_id = 4 + 2 * i
        objects.append(
            (
                f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
                f"/Resources << /Font << /F1 {font_id} 0 R >> >> /Contents {content_id} 0 R >>"
            ).encode()
        )
        if text:
            escaped = text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
            stream = b"BT /F1 12 Tf 72 760 Td (" + escaped.encode("cp1252") + b") Tj ET"
        else:
            stream = b"0.9 g 0 0 595 842 re f"
        objects.append(
            b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream + b"\nendstream"
        )
    objects.append(
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>"
    )
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(f"{number} 0 obj\n".encode() + body + b"\nendobj\n")
    xref = out.tell()
    out.write(f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode())
    for offset in offsets:
        out.write(f"{offset:010d} 00000 n \n".encode())
    out.write(
        f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    )
    return out.getvalue()


def scanned_pdf() -> bytes:
    """A PDF whose page is only an image-like fill: no text layer."""
    return pdf([""])


def truncated_pdf() -> bytes:
    data = pdf()
    return data[: len(data) // 2]


def malformed_pdf() -> bytes:
    """A PDF header and end marker around garbage."""
    return b"%PDF-1.7\n" + b"this is not a pdf object graph " * 20 + b"\n%%EOF\n"


def encrypted_pdf() -> bytes:
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter()
    for page in PdfReader(io.BytesIO(pdf())).pages:
        writer.add_page(page)
    writer.encrypt(user_password="secret", owner_password="owner", algorithm="RC4-128")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def html_page(text: str = "Informe de avance") -> bytes:
    return (
        "<!DOCTYPE html><html lang=es><head><title>Informe</title>"
        "<script>alert(1)</script></head>"
        f"<body><h1>{text}</h1><p>Publicación de datos abiertos.</p></body></html>"
    ).encode()


def markdown(text: str = "Compromisos del plan") -> bytes:
    return f"# {text}\n\n* Acceso a la información\n* Participación\n".encode()


def docx(paragraphs: tuple[str, ...] = ("Informe de autoevaluación", "Gobierno abierto")) -> bytes:
    import docx as python_docx

    document = python_docx.Document()
    for paragraph in paragraphs:
        document.add_paragraph(paragraph)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def odt(paragraphs: tuple[str, ...] = ("Minuta del foro", "Sociedad civil")) -> bytes:
    from odf.opendocument import OpenDocumentText
    from odf.text import P

    document = OpenDocumentText()
    for paragraph in paragraphs:
        document.text.addElement(P(text=paragraph))
    out = io.BytesIO()
    document.write(out)
    return out.getvalue()


def _with_member(archive_bytes: bytes, name: str, data: bytes) -> bytes:
    """The archive with one more member, compressed."""
    source = zipfile.ZipFile(io.BytesIO(archive_bytes))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            target.writestr(info, source.read(info.filename))
        target.writestr(name, data)
    return out.getvalue()


def bomb_docx() -> bytes:
    """A real DOCX carrying a part that expands 1,000 times (8 MB of zeros in ~8 KB)."""
    return _with_member(docx(), "word/media/padding.bin", b"\0" * (8 * 1024 * 1024))


def bomb_odt() -> bytes:
    return _with_member(odt(), "Pictures/padding.bin", b"\0" * (8 * 1024 * 1024))


def entity_docx() -> bytes:
    """A DOCX whose document.xml declares entities (the "billion laughs" shape)."""
    source = zipfile.ZipFile(io.BytesIO(docx()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == "word/document.xml":
                data = data.replace(
                    b"?>",
                    b'?><!DOCTYPE w [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]>',
                    1,
                )
            target.writestr(info, data)
    return out.getvalue()


def other_zip() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("readme.txt", "not a document")
    return out.getvalue()


def binary() -> bytes:
    return bytes(range(256)) * 8
