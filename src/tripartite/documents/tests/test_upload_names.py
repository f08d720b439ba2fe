"""Odd file names: a path, control characters, a right-to-left override, a very long name.
The file is kept under its hash whatever its name; the name shown and sent back on
download is a plain last path part, printable, at most 255 characters."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.test import Client

from tripartite.documents.models import DocumentVersion

from . import files
from .conftest import blob_files
from .factories import DocsWorld
from .test_uploads import post_upload

pytestmark = pytest.mark.django_db

ODD_NAMES = [
    ("../../../etc/passwd.pdf", "passwd.pdf"),
    ("..\\..\\windows\\system32\\minuta.pdf", "minuta.pdf"),
    ("acta\x00\x07\x1b[31m.pdf", "acta[31m.pdf"),
    ("informe\u202efdp.exe.pdf", "informefdp.exe.pdf"),
    ("a" * 400 + ".pdf", "a" * 251 + ".pdf"),  # cut to 255, keeping the extension
]


@pytest.mark.parametrize(
    ("sent", "kept"), ODD_NAMES, ids=["unix-path", "windows-path", "control", "rtl", "long"]
)
def test_an_odd_file_name_is_kept_as_a_plain_printable_name(
    world: DocsWorld, staff: Client, blob_dir: Path, sent: str, kept: str
) -> None:
    response = post_upload(staff, world, sent, files.pdf(), key="odd")
    assert response.status_code == 303, response.content[:500]
    version = DocumentVersion.objects.get(document__key="odd")
    assert version.filename == kept
    # The file itself is stored under its hash, never under the name it was sent with.
    assert [p.name for p in blob_files(blob_dir) if p.name == version.sha256] == [version.sha256]
    assert all(".." not in str(p.relative_to(blob_dir)) for p in blob_files(blob_dir))


def test_a_download_names_the_file_without_breaking_the_header(
    world: DocsWorld, staff: Client
) -> None:
    post_upload(staff, world, 'in"forme\r\nX-Evil: 1.pdf', files.pdf(), key="quoted")
    assert DocumentVersion.objects.filter(document__key="quoted").exists()
    response = Client().get("/document/quoted/files/1/")
    assert response.status_code == 200
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert "\r" not in disposition and "\n" not in disposition
    assert "X-Evil" not in response
    assert "forme" in disposition  # the name, quoted, cut where the line break was
