"""Staff editing pages of the oversight app."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
