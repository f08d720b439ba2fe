"""Background work of the documents app, run by the worker (django-tasks).

After an upload commits, the new file's text is extracted (within the limits of
``documents.limits``), kept on its version, and the document is indexed again with it.
"""

from __future__ import annotations

from typing import Any

from django_tasks import task

from .choices import KIND_OF_MEDIA_TYPE, ExtractionStatus


def queue_extraction(version_id: int) -> None:
    extract_version.enqueue(version_id)


@task()
def extract_version(version_id: int) -> dict[str, Any]:
    """Extract one file's text, keep it, and re-index its document."""
    from django.utils.translation import gettext as _

    from tripartite.core.actors import system_actor

    from . import blobs, limits, search, services
    from .extraction import Extraction, extract
    from .models import DocumentVersion

    version = DocumentVersion.objects.select_related("document").filter(pk=version_id).first()
    if version is None or version.sealed:
        return {"version": version_id, "status": "skipped"}
    kind = KIND_OF_MEDIA_TYPE.get(version.media_type)
    if kind is None or not blobs.exists(version.sha256):
        result = Extraction(
            status=ExtractionStatus.FAILED, error=_("The stored file is missing or unknown.")
        )
    else:
        result = extract(blobs.read(version.sha256), kind, limits.current())
    services.record_extraction(
        system_actor(),
        version,
        status=result.status,
        text=result.text,
        error=result.error,
        page_count=result.page_count,
    )
    search.index_record(version.document)
    return {"version": version_id, "status": result.status, "chars": len(result.text)}
