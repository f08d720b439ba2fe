"""Personal data of public accounts, through HTTP: the overview, "Download my data" (JSON)
and "Delete my account" (the account and its personal data go; co-creation input stays,
unlinked; editing accounts are refused)."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser
from django.contrib.sessions.models import Session
from django.test import Client
from django.utils import timezone

from tripartite.accounts.models import RoleGrant, SessionRecord
from tripartite.core.actors import system_actor
from tripartite.core.models import RecordVersion
from tripartite.forums.tests import factories as forum_factories
from tripartite.notifications import services as notifications
from tripartite.notifications.models import Follow
from tripartite.plans import services as plans
from tripartite.plans.models import ActionPlan, Input
from tripartite.plans.tests import factories as plan_factories

from .helpers import PASSWORD, account

pytestmark = pytest.mark.django_db

OVERVIEW = "/accounts/privacy/"
EXPORT = "/accounts/privacy/my-data.json"
DELETE = "/accounts/privacy/delete/"


def signed_in(username: str = "ana") -> Client:
    """A browser signed in through the real form (so its session is on the list)."""
    client = Client()
    response = client.post("/accounts/login/", {"login": username, "password": PASSWORD})
    assert response.status_code == 302, response.content.decode()[-1500:]
    return client


@pytest.fixture
def plan() -> ActionPlan:
    return plan_factories.open_for_input(forum_factories.member("xx", "Exampleland"))


def send_input(actor: Any, plan: ActionPlan, title: str, **fields: Any) -> Input:
    fields.setdefault("text", "Publish the budget as open data.")
    return plans.submit_input(actor, plan=plan, title=title, **fields)


# ---------------------------------------------------------------- the pages


@pytest.mark.parametrize("url", [OVERVIEW, EXPORT, DELETE])
def test_visitors_without_an_account_are_sent_to_sign_in(client: Client, url: str) -> None:
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_the_overview_is_in_the_account_menu_and_counts_what_is_kept(plan: ActionPlan) -> None:
    ana = account("ana")
    send_input(ana, plan, "An idea")
    notifications.follow(ana, record=plan.public_id)
    browser = signed_in()

    sessions_page = browser.get("/accounts/sessions/").content.decode()
    assert f'href="{OVERVIEW}"' in sessions_page and f'href="{DELETE}"' in sessions_page

    response = browser.get(OVERVIEW)
    assert response.status_code == 200
    text = response.content.decode()
    assert "<h1>Your personal data</h1>" in text
    assert "<h2>Download my data</h2>" in text and "<h2>Delete my account</h2>" in text
    assert f'href="{EXPORT}"' in text
    assert '<span class="count">1</span> record followed' in text
    assert '<span class="count">1</span> co-creation input sent' in text
    assert '<span class="count">1</span> signed-in session' in text


def test_download_my_data_holds_everything_kept_and_no_secret(plan: ActionPlan) -> None:
    ana = account("ana")
    send_input(
        ana,
        plan,
        "Open the budget",
        submitter_name="Ana Ruiz",
        contact_email="ana.private@example.org",
    )
    send_input(account("ben"), plan, "Someone else's idea")
    notifications.follow(ana, record=plan.public_id, frequency="daily")
    browser = signed_in()
    TOTP.activate(ana, generate_totp_secret())  # after signing in: no code to type in the test

    response = browser.get(EXPORT)

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="tripartite-my-data-')
    assert "no-store" in response["Cache-Control"]
    data = json.loads(response.content)
    assert data["format"] == "tripartite-personal-data" and data["version"] == 1
    me = data["account"]
    assert me["username"] == "ana" and me["email"] == "ana@example.org"
    assert me["date_joined"] and me["last_login"]
    assert me["email_addresses"] == [
        {"email": "ana@example.org", "verified": True, "primary": True}
    ]
    assert [a["type"] for a in me["two_factor_authentication"]] == ["totp"]
    assert data["sessions"] == [
        {
            "signed_in_at": data["sessions"][0]["signed_in_at"],
            "last_seen_at": data["sessions"][0]["last_seen_at"],
            "this_browser": True,
        }
    ]
    assert [f["record"] for f in data["notifications"]["follows"]] == [plan.public_id]
    assert data["notifications"]["follows"][0]["frequency"] == "daily"
    [sent] = data["co_creation_inputs"]
    assert sent["title"] == "Open the budget" and sent["plan"] == plan.public_id
    assert sent["contact_email"] == "ana.private@example.org"
    assert sent["submitter_name"] == "Ana Ruiz" and sent["moderation"] == "pending"
    # Neither the password hash nor the authenticator's secret ever leaves the server.
    body = response.content.decode()
    stored = Authenticator.objects.get(user=ana).data["secret"]
    assert get_user_model().objects.get(username="ana").password not in body
    assert stored not in body and "secret" not in body


# ---------------------------------------------------------------- deleting the account


def test_the_delete_page_explains_and_asks_for_the_password() -> None:
    account("ana")
    text = signed_in().get(DELETE).content.decode()
    assert "<h1>Delete my account</h1>" in text
    assert "<h2>What is deleted</h2>" in text and "<h2>What stays</h2>" in text
    assert '<label for="id_password">Your password' in text
    assert 'autocomplete="current-password"' in text
    assert 'name="confirm"' not in text
    assert "Delete my account permanently" in text


def test_a_wrong_password_deletes_nothing() -> None:
    account("ana")
    browser = signed_in()
    response = browser.post(DELETE, {"password": "not the password"})
    assert response.status_code == 422
    assert "This is not the account&#x27;s password." in response.content.decode()
    assert get_user_model().objects.filter(username="ana").exists()
    assert browser.get(OVERVIEW).status_code == 200


def test_deleting_erases_the_account_and_unlinks_its_input(plan: ActionPlan) -> None:
    ana = account("ana")
    notifications.follow(ana, record=plan.public_id)
    private = send_input(
        ana, plan, "Unnamed idea", submitter_name="Ana Ruiz", contact_email="ana@example.org"
    )
    named = send_input(
        ana,
        plan,
        "Named idea",
        submitter_name="Ana Ruiz",
        publish_name=True,
        contact_email="ana@example.org",
    )
    published = plans.moderate_input(system_actor(), named, decision="publish")
    assert published is not None
    published_record = published.to_record()
    # Sent without signing in, giving Ana's verified address for the answer.
    anonymous = send_input(
        AnonymousUser(), plan, "Sent signed out", contact_email="ANA@example.org"
    )
    others = send_input(
        AnonymousUser(), plan, "Someone else", submitter_name="Ben", contact_email="b@example.org"
    )
    versions_before = RecordVersion.objects.count()
    browser, phone = signed_in(), signed_in()
    assert SessionRecord.objects.filter(user=ana).count() == 2
    TOTP.activate(ana, generate_totp_secret())

    response = browser.post(DELETE, {"password": PASSWORD})

    assert response.status_code == 303 and response["Location"] == "/"
    assert not get_user_model().objects.filter(username="ana").exists()
    for model in (EmailAddress, Authenticator, Follow, SessionRecord):
        assert not model.objects.filter(user_id=ana.pk).exists(), model
    assert not Session.objects.exists()  # signed out in every browser
    assert "_auth_user_id" not in phone.get("/").wsgi_request.session
    assert browser.get(OVERVIEW).status_code == 302
    assert "Your account is deleted" in browser.get("/").content.decode()

    private.refresh_from_db()
    assert (private.title, private.account, private.contact_email, private.submitter_name) == (
        "Unnamed idea",
        None,
        "",
        "",
    )
    published.refresh_from_db()
    assert (published.account, published.contact_email) == (None, "")
    # The name Ana chose to publish is on the record, which does not change.
    assert published.submitter_name == "Ana Ruiz"
    assert published.to_record() == published_record
    assert RecordVersion.objects.count() == versions_before
    anonymous.refresh_from_db()
    assert anonymous.contact_email == ""
    others.refresh_from_db()
    assert (others.contact_email, others.submitter_name) == ("b@example.org", "Ben")


def test_an_account_without_a_password_confirms_with_a_word() -> None:
    user = account("ana")
    user.set_unusable_password()
    user.save()
    browser = Client()
    browser.force_login(user)

    page = browser.get(DELETE).content.decode()
    assert 'name="password"' not in page
    assert "Type the word “delete” to confirm." in page
    assert browser.post(DELETE, {"confirm": "keep"}).status_code == 422
    assert get_user_model().objects.filter(username="ana").exists()

    assert browser.post(DELETE, {"confirm": "Delete"}).status_code == 303
    assert not get_user_model().objects.filter(username="ana").exists()


def test_a_staff_account_is_refused_with_the_reason() -> None:
    editor = get_user_model().objects.create_user("editor", password=PASSWORD, is_staff=True)
    TOTP.activate(editor, generate_totp_secret())  # staff reach no page without one
    browser = Client()
    browser.force_login(editor)

    page = browser.get(DELETE)
    assert page.status_code == 200
    text = page.content.decode()
    assert "This is an editing account" in text and "part of the public record" in text
    assert 'name="password"' not in text
    refused = browser.post(DELETE, {"password": PASSWORD})
    assert refused.status_code == 403
    assert "This is an editing account" in refused.content.decode()
    assert get_user_model().objects.filter(username="editor").exists()
    # The overview says so too, instead of offering the deletion.
    section = browser.get(OVERVIEW).content.decode().split("<h2>Delete my account</h2>")[1]
    section = section.split("</main>")[0]
    assert "This is an editing account" in section and f'href="{DELETE}"' not in section
    # Downloading one's data stays open to everyone.
    assert browser.get(EXPORT).status_code == 200


def test_an_account_that_held_a_role_is_refused() -> None:
    user = account("former")
    RoleGrant.objects.create(
        user=user,
        role="secretariat",
        scope="forum/xx-forum",
        holder_name="Former Secretary",
        started_at=timezone.now() - dt.timedelta(days=400),
        ended_at=timezone.now() - dt.timedelta(days=30),
    )
    browser = signed_in("former")
    refused = browser.post(DELETE, {"password": PASSWORD})
    assert refused.status_code == 403
    assert "has held a role on the record" in refused.content.decode()
    assert get_user_model().objects.filter(username="former").exists()
