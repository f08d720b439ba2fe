from django.urls import path

from . import translation_views, views

urlpatterns = [
    path(
        "translation/<slug:key>/", translation_views.translation_detail, name="translation-detail"
    ),
    path(
        "translate/<path:public_id>/",
        translation_views.translate_by_id,
        name="record-translate",
    ),
    path("history/<slug:record_type>/<slug:key>/", views.record_history, name="record-history"),
    path(
        "records/<slug:record_type>/<slug:key>/v<int:version>.json",
        views.record_version_json,
        name="record-version-json",
    ),
]
