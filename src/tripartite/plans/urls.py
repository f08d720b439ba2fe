"""URLs of the plans app: public pages (``page_urls``), co-creation (``cocreation_urls``)
and staff editing (``edit_urls``), each in its own module."""

from django.urls import URLPattern

from . import cocreation_urls, edit_urls, page_urls

urlpatterns: list[URLPattern] = [
    *page_urls.urlpatterns,
    *cocreation_urls.urlpatterns,
    *edit_urls.urlpatterns,
]
