"""URLs of the staff editing pages of action plans; included by ``plans.urls``.

Each page hangs under the record it acts on (``/plan/<key>/commitments/new/``). The two
pages every record has share their names with the forums' pages and are reversed with
the type::

    {% url 'record-new-version' record_type='plan' key='mx-3' %}
"""

from django.urls import URLPattern, path

from . import edit_views

urlpatterns: list[URLPattern] = [
    path("member/<slug:key>/plans/new/", edit_views.create_plan, name="member-create-plan"),
    path("plan/<slug:key>/transition/", edit_views.transition_plan, name="plan-transition"),
    path("plan/<slug:key>/commitments/new/", edit_views.add_commitment, name="plan-add-commitment"),
    path(
        "plan/<slug:key>/irm-reports/new/",
        edit_views.publish_irm_report,
        name="plan-publish-irm-report",
    ),
    path(
        "commitment/<slug:key>/milestones/new/",
        edit_views.add_milestone,
        name="commitment-add-milestone",
    ),
    path(
        "commitment/<slug:key>/progress/new/",
        edit_views.report_progress,
        name="commitment-report-progress",
    ),
    path(
        "irm-report/<slug:key>/assessments/new/",
        edit_views.record_assessment,
        name="irm-report-assess",
    ),
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
