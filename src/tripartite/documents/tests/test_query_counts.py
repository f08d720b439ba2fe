"""Pages, JSON twins and API operations of the repository and of search run a fixed number
of SQL queries, whatever the number of documents, files and matches."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from . import files
from .factories import DocsWorld, upload

pytestmark = pytest.mark.django_db

URLS = [
    "/member/mx/repository/",
    "/member/mx/repository.json",
    "/api/v1/members/mx/repository",
    "/document/mx-stt-2016-04-15-acta/",
    "/document/mx-stt-2016-04-15-acta.json",
    "/api/v1/documents/mx-stt-2016-04-15-acta",
    "/api/v1/documents",
    "/search/?q=acta",
    "/search/?q=acta&type=document&year=2016",
    "/search.json?q=sesion",
    "/search/?type=document",
    "/api/v1/search?q=acta",
]


def counts(client: Client) -> dict[str, int]:
    found = {}
    for url in URLS:
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code == 200, url
        found[url] = len(queries)
    return found


def grow(world: DocsWorld, n: int) -> None:
    from tripartite.core.actors import system_actor
    from tripartite.documents import search, services

    for i in range(n):
        document = upload(
            world.meeting.public_id if i % 2 else world.plan.public_id,
            f"acta-extra-{i}",
            title=f"Acta adicional {i}",
            doc_type="minutes" if i % 3 else "report",
            data=files.pdf([f"Acta de la sesión número {i}"]),
        )
        services.add_version(
            system_actor(),
            world.minutes,
            filename=f"v{i}.pdf",
            data=files.pdf([f"Acta revisada {i}"]),
        )
        search.index_record(document)
    search.index_record(world.minutes)


def test_query_counts_do_not_grow_with_the_data(world: DocsWorld, client: Client) -> None:
    small = counts(client)
    grow(world, 12)
    large = counts(client)

    assert large == small
    assert max(large.values()) <= 12, large
