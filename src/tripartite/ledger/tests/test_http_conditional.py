"""Conditional requests on the log's HTTP resources: the checkpoint and the tiles carry
an ETag and answer 304 to a client that already holds them."""

from __future__ import annotations

import pytest
from django.test import Client

from tripartite.ledger import services
from tripartite.ledger.tests.helpers import write

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _signing_log(signing_log: None) -> None:
    """Every test here signs with a fresh key for the test origin (see conftest)."""


def test_the_checkpoint_is_not_sent_again_to_a_client_that_holds_it(client: Client) -> None:
    write(3)
    services.sign_checkpoint()
    etag = client.get("/log/checkpoint")["ETag"]
    response = client.get("/log/checkpoint", HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 304
    assert response["Cache-Control"] == "public, max-age=5"


def test_a_new_checkpoint_has_a_new_etag(client: Client) -> None:
    write(3)
    services.sign_checkpoint()
    etag = client.get("/log/checkpoint")["ETag"]
    write(2)
    services.sign_checkpoint()
    response = client.get("/log/checkpoint", HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 200
    assert response["ETag"] != etag


def test_a_held_tile_is_answered_not_modified(client: Client) -> None:
    write(5)
    etag = client.get("/log/tile/0/000.p/5")["ETag"]
    response = client.get("/log/tile/0/000.p/5", HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 304
    assert response.content == b""


def test_a_tile_is_served_again_from_memory_with_the_same_bytes(client: Client) -> None:
    write(5)
    first = client.get("/log/tile/entries/000.p/5")
    second = client.get("/log/tile/entries/000.p/5")
    assert second.status_code == 200
    assert second.content == first.content
    assert second["ETag"] == first["ETag"]


def test_a_tile_beyond_the_log_is_still_404(client: Client) -> None:
    write(5)
    assert client.get("/log/tile/0/000.p/6").status_code == 404
    assert client.get("/log/tile/entries/000.p/6").status_code == 404
