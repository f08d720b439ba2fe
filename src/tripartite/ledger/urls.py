"""URLs of the public log (C2SP tlog-tiles paths below /log/) and of receipts."""

from django.urls import path, re_path
from django.views.generic import RedirectView

from . import views

# tlog-tiles: tile/<L>/<N>[.p/<W>] and tile/entries/<N>[.p/<W>], N in x-prefixed 3-digit
# groups; the view re-parses the path and accepts only its canonical spelling.
TILE_PATH = r"(?P<path>(?:entries|[0-9]{1,2})/(?:x[0-9]{3}/)*[0-9]{3}(?:\.p/[0-9]{1,3})?)"

urlpatterns = [
    path("log", views.explainer, name="log"),
    path("log/", RedirectView.as_view(pattern_name="log", permanent=True)),
    path("log/checkpoint", views.checkpoint, name="log-checkpoint"),
    path("log/key", views.key, name="log-key"),
    path("log/policy", views.policy, name="log-policy"),
    re_path(rf"^log/tile/{TILE_PATH}$", views.tile, name="log-tile"),
    path(
        "records/<slug:record_type>/<slug:key>/v<int:version>.receipt",
        views.receipt,
        name="record-version-receipt",
    ),
]
