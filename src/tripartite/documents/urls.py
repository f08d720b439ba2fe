"""URLs of the documents app: repository pages, document pages, files, search, staff forms."""

from django.urls import URLPattern, path

from . import edit_views, views

urlpatterns: list[URLPattern] = [
    path("search/", views.search_page, name="search"),
    path("search.json", views.search_page, {"as_json": True}, name="search-json"),
    path("member/<slug:key>/repository/", views.repository, name="member-repository"),
    path(
        "member/<slug:key>/repository.json",
        views.repository,
        {"as_json": True},
        name="member-repository-json",
    ),
    path("document/<slug:key>/", views.document_detail, name="document-detail"),
    path(
        "document/<slug:key>.json", views.document_detail, {"as_json": True}, name="document-json"
    ),
    path("document/<slug:key>/files/<int:number>/", views.download, name="document-file"),
    # staff
    path("documents/new/", edit_views.upload, name="document-upload"),
    path("document/<slug:key>/files/new/", edit_views.add_version, name="document-add-version"),
    path("document/<slug:key>/redact/", edit_views.redact, name="document-redact"),
    path("document/<slug:key>/details/", edit_views.edit_details, name="document-edit"),
    path("document/<slug:key>/retract/", edit_views.retract, name="document-retract"),
]
