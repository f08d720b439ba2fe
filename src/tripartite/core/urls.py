from django.urls import path

from . import views

urlpatterns = [
    path("history/<slug:record_type>/<slug:key>/", views.record_history, name="record-history"),
    path(
        "records/<slug:record_type>/<slug:key>/v<int:version>.json",
        views.record_version_json,
        name="record-version-json",
    ),
]
