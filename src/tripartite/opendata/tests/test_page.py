"""The open-data page: explains the formats and links every download and feed."""

from __future__ import annotations

from typing import Any

from django.test import Client
from django.utils import translation

from tripartite.opendata.tests.world import ExportWorld
from tripartite.plans.models import ActionPlan


def page(client: Client) -> str:
    response = client.get("/open-data/")
    assert response.status_code == 200
    return response.content.decode()


def test_page_links_every_download_and_feed(client: Client, world: ExportWorld) -> None:
    markup = page(client)
    assert "<h1>Open data</h1>" in markup
    for href in (
        "/open-data/datapackage.zip",
        "/open-data/popolo.json",
        "/decisions/feed.atom",
        "/meetings/feed.atom",
        "/letters/feed.atom",
        "/forum/qq-forum/meetings.ics",
        "/forum/qq-forum/meetings.atom",
        "/forum/qq-forum/decisions.atom",
        "/member/qq/calendar.ics",
        "/member/mx/calendar.ics",
    ):
        assert f'href="{href}"' in markup, href
    for plan in ActionPlan.objects.filter(retracted_at__isnull=True):
        assert f'href="/plan/{plan.key}/progress.atom"' in markup


def test_page_queries_are_bounded(
    client: Client, world: ExportWorld, django_assert_max_num_queries: Any
) -> None:
    with django_assert_max_num_queries(8):
        page(client)


def test_page_is_translated(client: Client, world: ExportWorld) -> None:
    with translation.override("es"):
        response = client.get("/open-data/", HTTP_ACCEPT_LANGUAGE="es")
    assert response.status_code == 200
    assert 'lang="es"' in response.content.decode()
