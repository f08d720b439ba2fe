"""Public pages of action plans and their JSON twins (``<type>/<key>/`` and ``<type>/<key>.json``),
the list of all plans and each plan's Atom feed of progress."""

from django.urls import URLPattern, path

from . import feeds, views

urlpatterns: list[URLPattern] = [
    path("plans/", views.plans_list, name="plans"),
    path("plans.json", views.plans_list, {"as_json": True}, name="plans-json"),
    path("policies/", views.policy_list, name="policies"),
    path("policies.json", views.policy_list, {"as_json": True}, name="policies-json"),
    path("plan/<slug:key>/progress.atom", feeds.plan_progress_feed, name="plan-progress-feed"),
    path(
        "commitment/<slug:key>/progress.atom",
        feeds.commitment_progress_feed,
        name="commitment-progress-feed",
    ),
]

for record_type, view in [
    ("plan", views.plan_detail),
    ("commitment", views.commitment_detail),
    ("milestone", views.milestone_detail),
    ("progress", views.progress_detail),
    ("irm-report", views.irm_report_detail),
    ("assessment", views.assessment_detail),
    ("policy", views.policy_detail),
]:
    urlpatterns += [
        path(f"{record_type}/<slug:key>/", view, name=f"{record_type}-detail"),
        path(f"{record_type}/<slug:key>.json", view, {"as_json": True}, name=f"{record_type}-json"),
    ]
