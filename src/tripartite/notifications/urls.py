"""URLs of the notifications app."""

from django.urls import path

from . import views

urlpatterns = [
    path("notifications/", views.follows, name="notifications"),
    path("notifications/follow/", views.follow, name="notifications-follow"),
    path("notifications/unfollow/", views.unfollow, name="notifications-unfollow"),
    path("notifications/frequency/", views.frequency, name="notifications-frequency"),
    path("notifications/export.json", views.export, name="notifications-export"),
    path(
        "notifications/unsubscribe/<str:token>/",
        views.unsubscribe,
        name="notifications-unsubscribe",
    ),
]
