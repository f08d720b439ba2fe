"""Staff editing pages of the oversight app; included by ``oversight.urls``.

As in the forums and plans apps, each page hangs under the record it acts on
(``/case/<key>/advance/``), and the pages that create a record hang under its list
(``/cases/new/``). The two pages every record has share their names with the other apps'
and are reversed with the type::

    {% url 'record-retract' record_type='case' key='mx-2018' %}
"""

from django.urls import URLPattern, path

from . import edit_views

urlpatterns: list[URLPattern] = [
    path("cases/new/", edit_views.file_case, name="case-file"),
    path("case/<slug:key>/advance/", edit_views.advance_case, name="case-advance"),
    path("case/<slug:key>/tasks/new/", edit_views.add_task, name="case-add-task"),
    path(
        "case/<slug:key>/tasks/<int:number>/close/",
        edit_views.close_task,
        name="case-close-task",
    ),
    path("case/<slug:key>/documents/", edit_views.attach_to_case, name="case-attach"),
    path("resolutions/new/", edit_views.record_resolution, name="resolution-record"),
    path("member/<slug:key>/status/new/", edit_views.change_status, name="member-change-status"),
    path("scmeetings/new/", edit_views.schedule_meeting, name="scmeeting-schedule"),
    path("scmeeting/<slug:key>/agenda/", edit_views.set_agenda, name="scmeeting-agenda"),
    path(
        "scmeeting/<slug:key>/minutes/new/",
        edit_views.publish_minutes,
        name="scmeeting-publish-minutes",
    ),
    path(
        "scmeeting/<slug:key>/background/new/",
        edit_views.add_background_document,
        name="scmeeting-add-document",
    ),
    path("steering-committee/seats/new/", edit_views.add_seat, name="scseat-add"),
    path("scseat/<slug:key>/end/", edit_views.end_seat, name="scseat-end"),
    path("steering-committee/co-chairs/new/", edit_views.appoint_co_chair, name="cochair-appoint"),
    path(
        "steering-committee/subcommittees/new/",
        edit_views.create_subcommittee,
        name="subcommittee-create",
    ),
    path(
        "subcommittee/<slug:key>/members/",
        edit_views.set_subcommittee_members,
        name="subcommittee-members",
    ),
    path("missions/new/", edit_views.record_mission, name="mission-record"),
    path("mission/<slug:key>/report/", edit_views.report_mission, name="mission-report"),
    path(
        "contrary-findings/new/",
        edit_views.record_contrary_finding,
        name="contrary-record",
    ),
    path("review/<slug:key>/advance/", edit_views.advance_review, name="review-advance"),
]

for record_type in edit_views.EDITABLE_MODELS:
    urlpatterns.append(
        path(
            f"{record_type}/<slug:key>/new-version/",
            edit_views.new_version,
            {"record_type": record_type},
            name="record-new-version",
        )
    )
for record_type in edit_views.RETRACTABLE_MODELS:
    urlpatterns.append(
        path(
            f"{record_type}/<slug:key>/retract/",
            edit_views.retract,
            {"record_type": record_type},
            name="record-retract",
        )
    )
