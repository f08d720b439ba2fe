"""URLs of the confidential app."""

from django.urls import path

from . import views

urlpatterns = [
    path("confidential/", views.submit, name="confidential"),
    path("confidential/keys/", views.recipient_keys, name="confidential-keys"),
    path("recipientkey/<slug:key>/", views.recipient_key_detail, name="recipientkey-detail"),
    path("sealed/<slug:key>/", views.sealed_detail, name="sealed-detail"),
]
