"""URLs of the confidential app."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
