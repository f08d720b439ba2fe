"""URLs of the oversight app: public pages (``page_urls``) and staff editing
(``edit_urls``), each in its own module."""

from django.urls import URLPattern

from . import edit_urls, page_urls

urlpatterns: list[URLPattern] = [
    *page_urls.urlpatterns,
    *edit_urls.urlpatterns,
]
