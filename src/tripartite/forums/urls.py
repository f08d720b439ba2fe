from django.urls import path

from . import views

urlpatterns = [
    path("forum/<slug:key>/log-policy", views.forum_log_policy, name="forum-log-policy"),
    path("letters/", views.letters_register, name="letters"),
    path("letters.json", views.letters_register, {"as_json": True}, name="letters-json"),
]

for record_type, view in [
    ("member", views.member_detail),
    ("forum", views.forum_detail),
    ("seat", views.seat_detail),
    ("meeting", views.meeting_detail),
    ("decision", views.decision_detail),
    ("letter", views.letter_detail),
    ("statement", views.statement_detail),
    ("organization", views.organization_detail),
    ("person", views.person_detail),
]:
    urlpatterns += [
        path(f"{record_type}/<slug:key>/", view, name=f"{record_type}-detail"),
        path(f"{record_type}/<slug:key>.json", view, {"as_json": True}, name=f"{record_type}-json"),
    ]

from . import edit_urls  # noqa: E402  (staff editing pages: forums/edit_urls.py)

urlpatterns += edit_urls.urlpatterns
