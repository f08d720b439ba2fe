"""Public pages of the oversight app (each with a ``.json`` twin)."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
