"""URLs of mirrored instances (read-only): ``/mirrors/…``."""

from django.urls import path

from . import mirror_views

urlpatterns = [
    path("mirrors/", mirror_views.sources, name="mirrors"),
    path("mirrors/<slug:slug>/", mirror_views.source, name="mirror-source"),
    path(
        "mirrors/<slug:slug>/<slug:record_type>/<slug:key>/",
        mirror_views.record,
        name="mirror-record",
    ),
    path(
        "mirrors/<slug:slug>/records/<slug:record_type>/<slug:key>/v<int:version>.json",
        mirror_views.record_json,
        name="mirror-record-json",
    ),
]
