"""Every version of every record, over the API."""

from typing import Any

from django.http import Http404, HttpRequest
from django.urls import reverse
from ninja import Router
from ninja.pagination import paginate

from tripartite.core.pagination import LimitOffsetPagination

from .history import versions_of
from .models import RecordVersion
from .pagination import Shaped
from .schemas import VersionDetail, VersionOut

router = Router(tags=["versions"])


def version_out(v: RecordVersion) -> VersionOut:
    return VersionOut(
        id=v.public_id,
        version=v.version,
        op=v.op,
        at=v.at,
        sha256=v.sha256,
        reason=v.reason,
        content_url=reverse(
            "record-version-json",
            kwargs={"record_type": v.record_type, "key": v.record_key, "version": v.version},
        ),
    )


@router.get(
    "/records/{record_type}/{key}/versions",
    response=list[VersionOut],
    summary="Every version of a record",
)
@paginate(LimitOffsetPagination)
def list_versions(request: HttpRequest, record_type: str, key: str) -> Any:
    versions = versions_of(record_type, key)
    if not versions.exists():
        raise Http404
    return Shaped(versions, version_out)


@router.get(
    "/records/{record_type}/{key}/versions/{version}",
    response=VersionDetail,
    summary="One version of a record, with its content",
)
def get_version(request: HttpRequest, record_type: str, key: str, version: int) -> Any:
    found = versions_of(record_type, key).filter(version=version).first()
    if found is None:
        raise Http404
    return VersionDetail(**version_out(found).model_dump(), content=found.content)
