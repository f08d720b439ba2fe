"""A confidential note of a Response Policy case never leaves the committee: not in the
data package, not in Popolo, not in a feed or calendar. Only its salted commitment is
public, as on the case's page and in the log."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator
from typing import cast

import pytest
from django.http import StreamingHttpResponse
from django.test import Client

from tripartite.oversight.models import CaseStep
from tripartite.oversight.tests.factories import oversight_world

pytestmark = pytest.mark.django_db

NOTE = "The filer asked that its staff not be named."


def streamed(client: Client, path: str) -> Iterator[bytes]:
    response = client.get(path)
    assert isinstance(response, StreamingHttpResponse)
    return cast(Iterator[bytes], response.streaming_content)


def test_no_export_holds_a_confidential_note(client: Client) -> None:
    world = oversight_world()
    step = CaseStep.objects.get(case=world.case, confidential_note=NOTE)

    package = b"".join(streamed(client, "/open-data/datapackage.zip"))
    with zipfile.ZipFile(io.BytesIO(package)) as archive:
        files = {name: archive.read(name).decode("utf-8") for name in archive.namelist()}
    assert not [name for name, text in files.items() if NOTE in text]
    assert step.confidential_commitment in files["cases.csv"]
    assert step.confidential_salt not in "".join(files.values())

    others = [
        b"".join(streamed(client, "/open-data/popolo.json")),
        client.get(f"/member/{world.member.key}/calendar.ics").content,
        client.get("/meetings/feed.atom").content,
        client.get("/decisions/feed.atom").content,
    ]
    assert not [body for body in others if NOTE.encode() in body]
