"""URLs of co-creation: the plan's co-creation page, inputs and reasoned responses (each
with a JSON twin), and the staff pages (moderation queue, responses, traceability)."""

from django.urls import URLPattern, path

from . import cocreation_views as views

urlpatterns: list[URLPattern] = [
    path("plan/<slug:key>/co-creation/", views.co_creation, name="plan-co-creation"),
    path(
        "plan/<slug:key>/co-creation.json",
        views.co_creation,
        {"as_json": True},
        name="plan-co-creation-json",
    ),
    path("input/<slug:key>/", views.input_detail, name="input-detail"),
    path("input/<slug:key>.json", views.input_detail, {"as_json": True}, name="input-json"),
    path("response/<slug:key>/", views.response_detail, name="response-detail"),
    path(
        "response/<slug:key>.json", views.response_detail, {"as_json": True}, name="response-json"
    ),
    # staff
    path("staff/moderation/", views.moderation_queue, name="plans-moderation"),
    path("plan/<slug:key>/responses/new/", views.respond, name="plan-respond"),
    path("commitment/<slug:key>/inputs/", views.link_inputs, name="commitment-link-inputs"),
]
