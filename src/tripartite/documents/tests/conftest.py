"""Fixtures of the documents tests: a private blob directory, tasks run at once, the world."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.test import Client, override_settings

from tripartite.forums.tests.editing import user
from tripartite.forums.tests.read_world import kept_for_module

from .factories import DocsWorld, docs_world

IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture(scope="module", autouse=True)
def blob_dir(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """Each module's files go to a temporary blob directory, never to ./var; its tasks run
    at once. Module-scoped, so the settings are restored before other apps' tests run."""
    path = tmp_path_factory.mktemp("blobs")
    with override_settings(TRIPARTITE_BLOB_DIR=path, TASKS=IMMEDIATE):
        yield path


@pytest.fixture(scope="module")
def module_world(
    blob_dir: Path, django_db_setup: None, django_db_blocker: Any
) -> Iterator[DocsWorld]:
    yield from kept_for_module(django_db_blocker, docs_world)


@pytest.fixture
def world(module_world: DocsWorld, db: None) -> DocsWorld:
    return module_world


@pytest.fixture
def staff(client: Client) -> Client:
    client.force_login(user("editor", staff=True))
    return client


def blob_files(path: Path) -> list[Path]:
    return sorted(p for p in path.rglob("*") if p.is_file())
