"""URLs of mirrored instances (read-only): ``/mirrors/…``."""

from django.urls import path, re_path

from tripartite.ledger.urls import TILE_PATH

from . import mirror_log, mirror_views

urlpatterns = [
    path("mirrors/", mirror_views.sources, name="mirrors"),
    path("mirrors/<slug:slug>/", mirror_views.source, name="mirror-source"),
    path(
        "mirrors/<slug:slug>/<slug:record_type>/<slug:key>/",
        mirror_views.record,
        name="mirror-record",
    ),
    # The verified log, republished: `tripartite verify <host>/mirrors/<slug>` checks it.
    path("mirrors/<slug:slug>/log/checkpoint", mirror_log.checkpoint, name="mirror-checkpoint"),
    path("mirrors/<slug:slug>/log/key", mirror_log.key, name="mirror-key"),
    re_path(
        rf"^mirrors/(?P<slug>[-a-zA-Z0-9_]+)/log/tile/{TILE_PATH}$",
        mirror_log.tile,
        name="mirror-tile",
    ),
    path(
        "mirrors/<slug:slug>/records/<slug:record_type>/<slug:key>/v<int:version>.json",
        mirror_views.record_json,
        name="mirror-record-json",
    ),
]
