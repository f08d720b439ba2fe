"""Public pages of the oversight app (each with a ``.json`` twin): the hub, each member's
standing, the Steering Committee on a date, the lists of meetings, resolutions and cases,
each record's page, and the Atom feed of the letters register."""

from django.urls import URLPattern, path

from . import feeds, views

urlpatterns: list[URLPattern] = [
    path("oversight/", views.hub, name="oversight"),
    path("oversight.json", views.hub, {"as_json": True}, name="oversight-json"),
    path("member/<slug:key>/standing/", views.standing, name="member-standing"),
    path(
        "member/<slug:key>/standing.json",
        views.standing,
        {"as_json": True},
        name="member-standing-json",
    ),
    path("steering-committee/", views.steering_committee, name="steering-committee"),
    path(
        "steering-committee.json",
        views.steering_committee,
        {"as_json": True},
        name="steering-committee-json",
    ),
    path("scmeetings/", views.meetings_list, name="scmeetings"),
    path("scmeetings.json", views.meetings_list, {"as_json": True}, name="scmeetings-json"),
    path("resolutions/", views.resolutions_list, name="resolutions"),
    path("resolutions.json", views.resolutions_list, {"as_json": True}, name="resolutions-json"),
    path("cases/", views.cases_list, name="cases"),
    path("cases.json", views.cases_list, {"as_json": True}, name="cases-json"),
    path("letters/feed.atom", feeds.letters_feed, name="letters-feed"),
]

for record_type, view in [
    ("scseat", views.seat_detail),
    ("cochair", views.co_chair_detail),
    ("subcommittee", views.subcommittee_detail),
    ("scmeeting", views.meeting_detail),
    ("resolution", views.resolution_detail),
    ("statuschange", views.status_change_detail),
    ("case", views.case_detail),
    ("mission", views.mission_detail),
    ("contrary", views.contrary_detail),
    ("review", views.review_detail),
    ("compliance", views.reading_detail),
]:
    urlpatterns += [
        path(f"{record_type}/<slug:key>/", view, name=f"{record_type}-detail"),
        path(f"{record_type}/<slug:key>.json", view, {"as_json": True}, name=f"{record_type}-json"),
    ]
