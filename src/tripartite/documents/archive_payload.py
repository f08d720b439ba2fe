"""The documents' files in the exit-proof archive (``opendata.archive``).

Every public (not sealed) file of every live document goes into the bag under
``data/extra/documents/<document key>/<number>-<sha256>``; verify-archive checks each file
against the SHA-256 that the document's logged record names. Sealed originals stay out:
only their hash, in the record, travels.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Iterator

from tripartite.opendata.archive import ExtraPayload

from . import blobs
from .models import DocumentVersion


def _chunks(sha256: str) -> Iterable[bytes]:
    yield blobs.read(sha256)


def document_files() -> Iterator[ExtraPayload]:
    versions = (
        DocumentVersion.objects.filter(sealed=False, document__retracted_at__isnull=True)
        .select_related("document")
        .order_by("document__key", "number")
    )
    for version in versions.iterator(chunk_size=500):
        sha = version.sha256
        yield ExtraPayload(
            path=f"{version.document.key}/{version.number}-{sha}",
            chunks=functools.partial(_chunks, sha),
            sha256=sha,
            public_id=version.document.public_id,
            media_type=version.media_type,
        )
