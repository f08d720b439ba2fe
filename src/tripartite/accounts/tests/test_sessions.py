"""The session list: created and last-seen times only, and signing out of the others."""

from __future__ import annotations

import pytest
from django.test import Client

from tripartite.accounts.models import SessionRecord

from .helpers import PASSWORD, account

pytestmark = pytest.mark.django_db


def signed_in_client() -> Client:
    client = Client()
    response = client.post("/accounts/login/", {"login": "ana", "password": PASSWORD})
    assert response.status_code == 302
    return client


def test_a_session_row_stores_no_address_and_no_browser() -> None:
    names = {field.name for field in SessionRecord._meta.get_fields()}
    assert names == {"id", "session_key", "user", "created_at", "last_seen_at"}


def test_the_list_shows_each_signed_in_browser_and_signs_out_the_others() -> None:
    account("ana")
    laptop, phone = signed_in_client(), signed_in_client()
    assert SessionRecord.objects.count() == 2
    page = laptop.get("/accounts/sessions/")
    text = page.content.decode()
    assert page.status_code == 200
    assert "This browser" in text and "Session 2" in text
    assert "Sign out of all other sessions" in text

    response = laptop.post("/accounts/sessions/")
    assert response.status_code == 303
    assert "_auth_user_id" not in phone.get("/").wsgi_request.session
    assert phone.get("/accounts/sessions/").status_code == 302  # back to sign-in
    assert laptop.get("/accounts/sessions/").status_code == 200
    assert SessionRecord.objects.count() == 1


def test_signing_out_removes_the_row() -> None:
    account("ana")
    client = signed_in_client()
    client.post("/accounts/logout/")
    assert not SessionRecord.objects.exists()


def test_times_are_coarse() -> None:
    account("ana")
    signed_in_client()
    row = SessionRecord.objects.get()
    assert row.created_at.minute % 15 == 0 and row.created_at.second == 0
    assert row.last_seen_at.microsecond == 0


def test_anonymous_visitors_are_sent_to_sign_in(client: Client) -> None:
    response = client.get("/accounts/sessions/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
