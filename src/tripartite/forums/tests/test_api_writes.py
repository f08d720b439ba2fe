"""POST /api/v1/letters: registering a letter with an API token, through the service."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from tripartite.accounts.roles import Role
from tripartite.accounts.tests.roles import grant
from tripartite.accounts.token_services import issue_token, revoke_token
from tripartite.core.actors import system_actor
from tripartite.core.models import RecordVersion
from tripartite.forums.models import Letter
from tripartite.forums.tests import factories as ff
from tripartite.ledger.models import LogEntry

pytestmark = pytest.mark.django_db

URL = "/api/v1/letters"


def account(email: str) -> Any:
    return get_user_model().objects.create_user(username=email.split("@")[0], email=email)


def token_for(user: Any) -> str:
    return issue_token(system_actor(), user=user, name="test")[1]


def post(payload: dict[str, Any], token: str | None, client: Client | None = None) -> Any:
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"} if token else {}
    return (client or Client()).post(URL, payload, content_type="application/json", **headers)


def letter(**changes: Any) -> dict[str, Any]:
    return {
        "reference": "SU-2017-001",
        "direction": "outbound",
        "letter_type": "other",
        "subject": "On the forum's next meeting",
        "sent_on": "2017-06-01",
        "member": "xx",
        **changes,
    }


@pytest.fixture
def member() -> Any:
    return ff.member("xx", "Exampleland")


@pytest.fixture
def support_unit(member: Any) -> str:
    user = account("su@example.org")
    grant(user, Role.SUPPORT_UNIT)
    return token_for(user)


def test_a_support_unit_token_registers_a_letter_on_the_log(support_unit: str) -> None:
    before = LogEntry.objects.count()
    response = post(letter(), support_unit)
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["reference"] == "SU-2017-001"
    assert response["Location"] == Letter.objects.get().get_absolute_url()
    version = RecordVersion.objects.get(record_type="letter", record_key=body["id"].split("/")[1])
    assert version.actor is not None and version.actor.email == "su@example.org"
    assert LogEntry.objects.count() == before + 1


def test_without_a_token_the_answer_is_401_problem_json(member: Any) -> None:
    response = post(letter(), None)
    assert response.status_code == 401
    assert response["Content-Type"].startswith("application/problem+json")
    assert response["WWW-Authenticate"] == "Bearer"
    assert not Letter.objects.exists()


def test_an_unknown_token_is_refused(member: Any) -> None:
    assert post(letter(), "tpt_" + "x" * 43).status_code == 401


def test_a_revoked_token_is_refused(member: Any) -> None:
    user = account("su@example.org")
    grant(user, Role.SUPPORT_UNIT)
    token, secret = issue_token(system_actor(), user=user, name="test")
    revoke_token(system_actor(), token=token)
    assert post(letter(), secret).status_code == 401


def test_a_token_of_an_account_without_the_role_gets_403(member: Any) -> None:
    other = ff.member("yy", "Otherland")
    user = account("poc@example.org")
    grant(user, Role.POINT_OF_CONTACT, other)
    response = post(letter(), token_for(user))
    assert response.status_code == 403
    assert not Letter.objects.exists()


def test_a_signed_in_session_without_a_token_cannot_write(member: Any) -> None:
    user = account("reader@example.org")
    client = Client()
    client.force_login(user)
    assert post(letter(), None, client).status_code == 401


def test_a_taken_reference_is_a_409(support_unit: str) -> None:
    assert post(letter(), support_unit).status_code == 201
    response = post(letter(subject="Again"), support_unit)
    assert response.status_code == 409
    assert Letter.objects.count() == 1


def test_an_unknown_member_key_is_a_422_naming_the_field(support_unit: str) -> None:
    response = post(letter(member="zz"), support_unit)
    assert response.status_code == 422
    assert "member" in response.json()["errors"]


def test_a_letter_without_any_date_is_a_422(support_unit: str) -> None:
    payload = letter()
    del payload["sent_on"]
    response = post(payload, support_unit)
    assert response.status_code == 422
    assert not Letter.objects.exists()
