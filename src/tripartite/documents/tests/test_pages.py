"""The repository page, the document page, file downloads, their JSON twins and the API."""

from __future__ import annotations

import hashlib

import pytest
from django.test import Client

from tripartite.forums.tests.editing import page_text

from .factories import DocsWorld

pytestmark = pytest.mark.django_db


def test_repository_groups_documents_by_cycle_and_type(world: DocsWorld, client: Client) -> None:
    response = client.get("/member/mx/repository/")
    text = page_text(response)

    assert response.status_code == 200
    assert "Repository of Mexico" in text
    plan_part, outside = text.split("Outside any action plan", 1)
    assert "Tercer Plan de Acción" in plan_part and "Informe de autoevaluación" in plan_part
    assert "Self-assessment" in plan_part
    assert "Acta de la sesión del 15 de abril" in outside and "Minutes" in outside


def test_repository_shows_last_update_and_updates_per_year(
    world: DocsWorld, client: Client
) -> None:
    data = client.get("/member/mx/repository.json").json()

    assert data["document_count"] == 2
    assert data["last_update"] is not None
    assert sum(row["count"] for row in data["updates_per_year"]) == 2
    assert data["updates_per_year"][0]["enough"] is True
    text = page_text(client.get("/member/mx/repository/"))
    assert "Updated at least twice?" in text


def test_repository_of_an_unknown_member_is_404(client: Client, db: None) -> None:
    assert client.get("/member/nowhere/repository/").status_code == 404
    response = client.get("/member/nowhere/repository.json")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/problem+json"


def test_document_page_shows_files_hashes_status_and_record(
    world: DocsWorld, client: Client
) -> None:
    version = world.minutes.versions.get(number=1)
    text = page_text(client.get(f"/document/{world.minutes.key}/"))

    assert "Acta de la sesión del 15 de abril" in text
    assert version.sha256 in text
    assert "Text extracted" in text
    assert f'href="/document/{world.minutes.key}/files/1/"' in text
    assert "History of this record" in text
    assert "Sesión plenaria del Secretariado" in text  # the record it belongs to


def test_document_json_twin_and_api_agree(world: DocsWorld, client: Client) -> None:
    twin = client.get(f"/document/{world.minutes.key}.json").json()
    api = client.get(f"/api/v1/documents/{world.minutes.key}").json()

    # The same shape (ninja writes datetimes with milliseconds, Django with microseconds).
    def without_times(data: dict) -> dict:  # type: ignore[type-arg]
        data = {k: v for k, v in data.items() if k != "updated_at"}
        data["files"] = [{k: v for k, v in f.items() if k != "uploaded_at"} for f in data["files"]]
        return data

    assert without_times(twin) == without_times(api)
    assert twin["files"][0]["download_url"] == f"/document/{world.minutes.key}/files/1/"
    assert twin["attached"]["id"] == world.meeting.public_id


def test_download_serves_the_exact_bytes_with_their_hash(world: DocsWorld, client: Client) -> None:
    response = client.get(f"/document/{world.minutes.key}/files/1/")
    body = b"".join(response.streaming_content)

    assert response.status_code == 200
    assert response["X-Content-SHA256"] == hashlib.sha256(body).hexdigest()
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment")
    assert "sandbox" in response["Content-Security-Policy"]


def test_an_unknown_file_or_document_is_404(world: DocsWorld, client: Client) -> None:
    assert client.get(f"/document/{world.minutes.key}/files/9/").status_code == 404
    assert client.get("/document/nothing/").status_code == 404
    assert client.get("/api/v1/documents/nothing").status_code == 404


def test_api_lists_documents_paginated_and_filtered(world: DocsWorld, client: Client) -> None:
    everything = client.get("/api/v1/documents").json()
    of_plan = client.get("/api/v1/documents", {"plan": "mx-3"}).json()
    minutes = client.get("/api/v1/documents", {"type": "minutes"}).json()

    assert everything["count"] == 2
    assert [d["id"] for d in of_plan["items"]] == ["document/mx-3-self-assessment"]
    assert [d["id"] for d in minutes["items"]] == [f"document/{world.minutes.key}"]
    assert client.get("/api/v1/members/mx/repository").json()["document_count"] == 2


def test_staff_see_the_editing_links(world: DocsWorld, staff: Client) -> None:
    text = staff.get(f"/document/{world.minutes.key}/").content.decode()

    assert f"/document/{world.minutes.key}/redact/" in text
    assert f"/document/{world.minutes.key}/files/new/" in text
    assert (
        "/documents/new/?attach=member/mx" in staff.get("/member/mx/repository/").content.decode()
    )


def test_pages_in_spanish_are_translated_where_catalogues_exist(
    world: DocsWorld, client: Client
) -> None:
    response = client.get("/search/", {"q": "vigilancia"}, headers={"Accept-Language": "es"})

    assert response.status_code == 200
    assert response["Content-Language"] == "es"
