"""URLs of the two-sector rule and the role register."""

from django.urls import URLPattern, path

from . import change_views

urlpatterns: list[URLPattern] = [
    path("changes/", change_views.change_list, name="change-list"),
    path("change/<slug:key>/", change_views.change_detail, name="change-detail"),
    path("change/<slug:key>.json", change_views.change_detail, name="change-detail-json"),
    path("roles/", change_views.role_register, name="role-register"),
    path("roles/propose/", change_views.propose_role, name="role-propose"),
    path("accounts/roles/", change_views.my_roles, name="accounts-roles"),
]
