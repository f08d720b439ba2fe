"""URLs of the staff editing pages; included at the end of ``forums.urls``.

Each page hangs under the record it acts on (``/forum/<key>/seats/new/``). The two
pages every record has are named once for all types and reversed with the type::

    {% url 'record-new-version' record_type='forum' key='mx-stt' %}
"""

from django.urls import URLPattern, path

from . import edit_views

urlpatterns: list[URLPattern] = [
    path("members/new/", edit_views.create_member, name="member-create"),
    path("organizations/new/", edit_views.create_organization, name="organization-create"),
    path("people/new/", edit_views.create_person, name="person-create"),
    path("statements/new/", edit_views.publish_statement, name="statement-publish"),
    path("member/<slug:key>/forums/new/", edit_views.create_forum, name="member-create-forum"),
    path("forum/<slug:key>/seats/new/", edit_views.add_seat, name="forum-add-seat"),
    path(
        "forum/<slug:key>/meetings/new/", edit_views.schedule_meeting, name="forum-schedule-meeting"
    ),
    path(
        "forum/<slug:key>/decisions/new/", edit_views.record_decision, name="forum-record-decision"
    ),
    path(
        "forum/<slug:key>/withdrawals/new/",
        edit_views.record_withdrawal,
        name="forum-record-withdrawal",
    ),
    path("seat/<slug:key>/end/", edit_views.end_seat, name="seat-end"),
    path("meeting/<slug:key>/agenda/", edit_views.set_agenda, name="meeting-agenda"),
    path("meeting/<slug:key>/attendance/", edit_views.record_attendance, name="meeting-attendance"),
    path(
        "meeting/<slug:key>/minutes/new/",
        edit_views.publish_minutes,
        name="meeting-publish-minutes",
    ),
    path(
        "meeting/<slug:key>/minutes/sign-off/", edit_views.sign_off_minutes, name="meeting-sign-off"
    ),
    path("letters/new/", edit_views.register_letter, name="letter-register"),
]

for record_type in edit_views.EDITABLE_MODELS:
    urlpatterns += [
        path(
            f"{record_type}/<slug:key>/new-version/",
            edit_views.new_version,
            {"record_type": record_type},
            name="record-new-version",
        ),
        path(
            f"{record_type}/<slug:key>/retract/",
            edit_views.retract,
            {"record_type": record_type},
            name="record-retract",
        ),
    ]
