"""Uploading, versioning and redacting documents through the staff pages, and the refusal of
hostile files: a clear 422 and nothing stored (no row, no version, no blob)."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from tripartite.accounts.tests.roles import approve_all, change_at
from tripartite.core.models import RecordVersion
from tripartite.documents.models import Document, DocumentVersion
from tripartite.forums.tests.editing import assert_refused, page_text, versions

from . import files
from .conftest import blob_files
from .factories import DocsWorld

pytestmark = pytest.mark.django_db


def post_upload(client: Client, world: DocsWorld, name: str, data: bytes, **fields: str):  # type: ignore[no-untyped-def]
    form = {
        "attached_to": world.meeting.public_id,
        "title": "Minuta",
        "doc_type": "minutes",
        "language": "es",
        "file": SimpleUploadedFile(name, data),
        **fields,
    }
    return client.post("/documents/new/", form)


def test_staff_upload_files_a_logged_document_with_its_hash(
    world: DocsWorld, staff: Client, blob_dir: Path, django_capture_on_commit_callbacks
) -> None:
    data = files.pdf(["Minuta de la sesión extraordinaria"])
    with django_capture_on_commit_callbacks(execute=True):
        response = post_upload(staff, world, "minuta.pdf", data, key="minuta-extra")

    assert response.status_code == 303
    assert response["Location"] == "/document/minuta-extra/"
    document = Document.objects.get(key="minuta-extra")
    assert (document.member, document.plan) == (world.member, None)
    sha256 = hashlib.sha256(data).hexdigest()
    logged = RecordVersion.objects.get(record_type="document", record_key="minuta-extra")
    assert logged.content["files"][0]["sha256"] == sha256
    assert logged.content["attached_to"] == world.meeting.public_id
    assert (blob_dir / "sha256" / sha256[:2] / sha256[2:4] / sha256).read_bytes() == data


def test_text_is_extracted_after_commit_and_found_by_search(
    world: DocsWorld, staff: Client, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        post_upload(staff, world, "minuta.pdf", files.pdf(["Espionaje gubernamental"]), key="m2")

    version = DocumentVersion.objects.get(document__key="m2")
    assert version.extraction_status == "done"
    assert version.page_count == 1
    page = page_text(staff.get("/document/m2/"))
    assert "Text extracted" in page
    found = staff.get("/search.json", {"q": "espionaje gubernamental"}).json()
    assert [item["id"] for item in found["items"]] == ["document/m2"]


def test_a_scan_without_text_is_flagged(
    world: DocsWorld, staff: Client, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        post_upload(staff, world, "scan.pdf", files.scanned_pdf(), key="scan")

    version = DocumentVersion.objects.get(document__key="scan")
    assert version.extraction_status == "no_text"
    assert "scanned PDF needs a text layer" in page_text(staff.get("/document/scan/"))


@pytest.mark.parametrize(
    ("name", "build", "extracted"),
    [
        ("informe.docx", files.docx, "autoevaluación"),
        ("minuta.odt", files.odt, "Sociedad civil"),
        ("informe.html", files.html_page, "Publicación de datos abiertos"),
        ("plan.md", files.markdown, "Acceso a la información"),
        ("notas.txt", lambda: "Nota de la reunión".encode(), "Nota de la reunión"),
    ],
)
def test_every_accepted_type_is_recognised_and_its_text_extracted(
    world: DocsWorld,
    staff: Client,
    django_capture_on_commit_callbacks,
    name: str,
    build: Callable[[], bytes],
    extracted: str,
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        response = post_upload(staff, world, name, build(), key="typed")

    assert response.status_code == 303
    version = DocumentVersion.objects.get(document__key="typed")
    assert version.extraction_status == "done"
    assert extracted in version.text
    assert "alert(1)" not in version.text  # an HTML page's scripts are not text


def test_the_type_comes_from_the_content_not_the_name(world: DocsWorld, staff: Client) -> None:
    post_upload(staff, world, "scan-0042", files.pdf(), key="no-extension")

    assert DocumentVersion.objects.get(document__key="no-extension").media_type == "application/pdf"


HOSTILE = [
    ("truncated.pdf", files.truncated_pdf, "The PDF is incomplete"),
    ("encrypted.pdf", files.encrypted_pdf, "The PDF is encrypted"),
    ("broken.pdf", files.malformed_pdf, "The PDF cannot be read"),
    ("report.pdf", files.html_page, "which says PDF, but its content is HTML"),
    ("bomb.docx", files.bomb_docx, "compression bomb"),
    ("bomb.odt", files.bomb_odt, "compression bomb"),
    ("entities.docx", files.entity_docx, "declares entities"),
    ("archive.docx", files.other_zip, "neither a Word (DOCX) nor an OpenDocument (ODT)"),
    ("program.exe", files.binary, "not one of the accepted types"),
    ("latin1.txt", lambda: "Participación".encode("latin-1"), "must be encoded in UTF-8"),
    ("empty.pdf", lambda: b"", "The submitted file is empty."),
]


@pytest.mark.parametrize(("name", "build", "message"), HOSTILE, ids=[h[0] for h in HOSTILE])
def test_a_hostile_or_broken_file_is_refused_and_nothing_is_stored(
    world: DocsWorld,
    staff: Client,
    blob_dir: Path,
    name: str,
    build: Callable[[], bytes],
    message: str,
) -> None:
    before_versions, before_blobs = versions(), blob_files(blob_dir)
    before_rows = (Document.objects.count(), DocumentVersion.objects.count())

    response = post_upload(staff, world, name, build(), key="hostile")

    assert_refused(response, 422, message, before_versions)
    assert (Document.objects.count(), DocumentVersion.objects.count()) == before_rows
    assert blob_files(blob_dir) == before_blobs


def test_a_file_above_the_size_limit_is_refused(
    world: DocsWorld, staff: Client, settings, blob_dir: Path
) -> None:
    settings.TRIPARTITE_UPLOAD_MAX_BYTES = 512
    before, before_blobs = versions(), blob_files(blob_dir)

    response = post_upload(staff, world, "big.pdf", files.pdf(), key="big")

    assert_refused(response, 422, "the largest file accepted is", before)
    assert blob_files(blob_dir) == before_blobs


def test_a_pdf_above_the_page_limit_is_refused(world: DocsWorld, staff: Client, settings) -> None:
    settings.TRIPARTITE_UPLOAD_MAX_PAGES = 1
    before = versions()

    response = post_upload(staff, world, "long.pdf", files.pdf(["one", "two"]), key="long")

    assert_refused(response, 422, "The PDF has 2 pages; at most 1 are accepted.", before)


def test_extraction_that_runs_out_of_time_is_marked_failed(
    world: DocsWorld, staff: Client, settings, django_capture_on_commit_callbacks
) -> None:
    settings.TRIPARTITE_EXTRACTION_SECONDS = 0
    with django_capture_on_commit_callbacks(execute=True):
        post_upload(staff, world, "slow.pdf", files.pdf(), key="slow")

    version = DocumentVersion.objects.get(document__key="slow")
    assert version.extraction_status == "failed"
    assert "took longer than 0 seconds" in version.extraction_error


def test_an_unknown_record_to_attach_to_is_refused(world: DocsWorld, staff: Client) -> None:
    before = versions()

    response = post_upload(staff, world, "a.pdf", files.pdf(), attached_to="meeting/nowhere")

    assert_refused(response, 422, "No public record has the identifier “meeting/nowhere”", before)


def test_the_cycle_comes_from_the_attached_record(world: DocsWorld, staff: Client) -> None:
    post_upload(staff, world, "a.pdf", files.pdf(), attached_to="plan/mx-3", key="in-plan")

    document = Document.objects.get(key="in-plan")
    assert (document.member, document.plan) == (world.member, world.plan)


def test_visitors_cannot_upload(world: DocsWorld, client: Client) -> None:
    response = post_upload(client, world, "a.pdf", files.pdf(), key="anon")

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    assert not Document.objects.filter(key="anon").exists()


def test_upload_form_is_labelled_and_multipart(world: DocsWorld, staff: Client) -> None:
    text = staff.get(f"/documents/new/?attach={world.meeting.public_id}").content.decode()

    assert 'enctype="multipart/form-data"' in text
    assert '<label for="id_file">' in text
    assert f'value="{world.meeting.public_id}"' in text


def test_a_new_file_adds_a_version_and_keeps_the_first(world: DocsWorld, staff: Client) -> None:
    response = staff.post(
        f"/document/{world.minutes.key}/files/new/",
        {"file": SimpleUploadedFile("acta-final.pdf", files.pdf(["Acta final"])), "note": "Final"},
    )

    assert response.status_code == 303
    numbers = list(world.minutes.versions.values_list("number", flat=True))
    assert numbers == [1, 2]
    logged = RecordVersion.objects.filter(record_key=world.minutes.key).order_by("-version")[0]
    assert [f["number"] for f in logged.content["files"]] == [1, 2]


def test_redaction_seals_the_original_and_keeps_its_hash_on_the_record(
    world: DocsWorld, staff: Client, client: Client, django_capture_on_commit_callbacks
) -> None:
    original = world.minutes.versions.get(number=1)
    redacted = files.pdf(["Acta de la sesión [nombre suprimido]"])
    with django_capture_on_commit_callbacks(execute=True):
        response = staff.post(
            f"/document/{world.minutes.key}/redact/",
            {
                "number": "1",
                "file": SimpleUploadedFile("acta-redactada.pdf", redacted),
                "reason": "Name of a threatened activist.",
            },
        )

    assert response.status_code == 303
    original.refresh_from_db()
    assert original.sealed and original.text == ""
    logged = RecordVersion.objects.filter(record_key=world.minutes.key).order_by("-version")[0]
    assert logged.reason == "Name of a threatened activist."
    by_number = {f["number"]: f for f in logged.content["files"]}
    assert by_number[1]["sha256"] == original.sha256 and by_number[1]["sealed"] is True
    assert by_number[2]["derived_from"] == 1
    assert by_number[2]["redaction_reason"] == "Name of a threatened activist."

    staff.logout()
    assert client.get(f"/document/{world.minutes.key}/files/1/").status_code == 403
    download = client.get(f"/document/{world.minutes.key}/files/2/")
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == redacted
    # The original's words left the index; the redacted copy's are in it.
    found = client.get("/search.json", {"q": "rendicion"}).json()
    assert f"document/{world.minutes.key}" not in [i["id"] for i in found["items"]]
    found = client.get("/search.json", {"q": "suprimido"}).json()
    assert f"document/{world.minutes.key}" in [i["id"] for i in found["items"]]


def test_a_redaction_needs_a_reason(world: DocsWorld, staff: Client) -> None:
    before = versions()

    response = staff.post(
        f"/document/{world.minutes.key}/redact/",
        {"number": "1", "file": SimpleUploadedFile("r.pdf", files.pdf(["x"])), "reason": ""},
    )

    assert_refused(response, 422, "Reason for the redaction", before)
    assert not world.minutes.versions.get(number=1).sealed


def test_staff_may_still_download_a_sealed_original(world: DocsWorld, staff: Client) -> None:
    staff.post(
        f"/document/{world.minutes.key}/redact/",
        {"number": "1", "file": SimpleUploadedFile("r.pdf", files.pdf(["x"])), "reason": "Names."},
    )

    assert staff.get(f"/document/{world.minutes.key}/files/1/").status_code == 200


def test_details_change_makes_a_new_version(world: DocsWorld, staff: Client) -> None:
    response = staff.post(
        f"/document/{world.minutes.key}/details/",
        {
            "title": "Acta aprobada",
            "doc_type": "minutes",
            "language": "es",
            "published_on": "2016-04-20",
            "description": "",
            "reason": "Approved title.",
        },
    )

    assert response.status_code == 303
    assert Document.objects.get(pk=world.minutes.pk).title == "Acta aprobada"


def test_retracting_a_document_keeps_its_files(world: DocsWorld, staff: Client) -> None:
    response = staff.post(f"/document/{world.minutes.key}/retract/", {"reason": "Wrong meeting."})

    assert response.status_code == 303
    assert approve_all(change_at(response["Location"])).state == "applied"
    page = page_text(staff.get(f"/document/{world.minutes.key}/"))
    assert "This record has been retracted." in page
    assert "Download file 1" in page
