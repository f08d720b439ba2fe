"""URLs of the opendata app."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
