"""XSS, stored and reflected: input with scripts, event handlers, ``javascript:`` and
``data:`` links, SVG and Markdown links is shown as text on every page it reaches, and
every HTML page carries a strict Content-Security-Policy.

Stored: letters (through the token API), statements, organisations (name and website),
co-creation input (through the public API, then published), documents (title, and an
uploaded HTML file's text shown in search snippets) and progress evidence links.
Reflected: search, list filters, error pages, sign-in ``next`` and editing forms re-shown
with their errors.
"""

from __future__ import annotations

import datetime as dt
from typing import Any
from urllib.parse import quote

import pytest
from django.contrib.auth import get_user_model
from django.http import HttpResponse
from django.test import Client

from tripartite.accounts.tests.roles import hold_every_role
from tripartite.accounts.token_services import issue_token
from tripartite.core.actors import system_actor
from tripartite.core.errors import InvalidInput
from tripartite.documents.tests import factories as document_factories
from tripartite.forums import services as forum_services
from tripartite.forums.models import Member
from tripartite.plans.tests import factories as plan_factories

from .htmlcheck import MARK, PAYLOADS, injected

pytestmark = [pytest.mark.security, pytest.mark.django_db]

EVERY_PAYLOAD = "\n".join(PAYLOADS)


def editor() -> Any:
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    user = get_user_model().objects.create_user("editor", "editor@example.org", is_staff=True)
    TOTP.activate(user, generate_totp_secret())
    hold_every_role(user)
    return user


def assert_safe(response: HttpResponse, where: str) -> str:
    assert response.status_code < 500, (where, response.status_code)
    content_type = response.get("Content-Type", "")
    if "html" not in content_type:
        assert "json" in content_type or "xml" in content_type or "text/plain" in content_type, (
            where,
            content_type,
        )
        return ""
    policy = response.get("Content-Security-Policy", "")
    assert (
        "script-src 'self'" in policy
        and "unsafe-inline" not in policy.split("script-src")[1].split(";")[0]
    ), (where, policy)
    page = response.content.decode()
    assert injected(page) == [], (where, injected(page))
    return page


def test_a_letter_registered_through_the_api_is_shown_as_text(demo: None) -> None:
    token = issue_token(system_actor(), user=editor(), name="xss")[1]
    response = Client().post(
        "/api/v1/letters",
        {
            "reference": "XSS-1",
            "direction": "inbound",
            "letter_type": "other",
            "subject": PAYLOADS[0] + " " + PAYLOADS[2],
            "body": EVERY_PAYLOAD,
            "addressees": PAYLOADS[8],
            "member": "mx",
            "sent_on": "2017-06-01",
        },
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )
    assert response.status_code == 201, response.content[:500]
    key = response.json()["id"].split("/", 1)[1]
    client = Client()
    for url in (f"/letter/{key}/", "/letters/", f"/letter/{key}.json", "/member/mx/"):
        assert_safe(client.get(url), url)
    page = assert_safe(client.get(f"/letter/{key}/"), "letter page")
    assert "&lt;script&gt;" in page  # shown, as text


def test_a_statement_and_an_organisation_are_shown_as_text(demo: None) -> None:
    actor = system_actor()
    organization = forum_services.create_organization(
        actor,
        key="xss-org",
        name=PAYLOADS[3],
        sector="civil_society",
        website=f"https://example.org/?q={quote(PAYLOADS[0])}",
        description=EVERY_PAYLOAD,
    )
    statement = forum_services.publish_statement(
        actor,
        key="xss-statement",
        title=PAYLOADS[1],
        issued_on=dt.date(2017, 5, 23),
        text=EVERY_PAYLOAD,
        issued_by=[organization],
        member=Member.objects.get(key="mx"),
    )
    client = Client()
    for url in (
        organization.get_absolute_url(),
        statement.get_absolute_url(),
        "/search/?q=" + quote(MARK),
    ):
        assert_safe(client.get(url), url)


@pytest.mark.parametrize("scheme", ["javascript:", "data:text/html,", "vbscript:"])
def test_an_organisation_website_that_is_not_a_web_address_is_refused(
    demo: None, scheme: str
) -> None:
    with pytest.raises(InvalidInput):
        forum_services.create_organization(
            system_actor(),
            key="xss-site",
            name="Scripted",
            sector="civil_society",
            website=f"{scheme}alert('{MARK}')",
        )


def test_co_creation_input_is_shown_as_text_once_published(demo: None) -> None:
    member = Member.objects.get(key="mx")
    plan = plan_factories.open_for_input(member, key="mx-xss")
    response = Client().post(
        f"/api/v1/plans/{plan.key}/inputs",
        {
            "title": PAYLOADS[2],
            "text": EVERY_PAYLOAD,
            "submitter_name": PAYLOADS[0],
            "publish_name": True,
        },
        content_type="application/json",
    )
    assert response.status_code == 202, response.content[:500]
    from tripartite.plans import services as plan_services
    from tripartite.plans.models import Input

    published = plan_services.moderate_input(
        system_actor(), Input.objects.get(plan=plan), decision="publish"
    )
    assert published is not None
    client = Client()
    for url in (
        published.get_absolute_url(),
        f"/plan/{plan.key}/co-creation/",
        "/staff/moderation/",
    ):
        assert_safe(client.get(url), url)
    staff = Client()
    staff.force_login(editor())
    assert_safe(staff.get("/staff/moderation/"), "moderation queue")


def test_a_document_title_and_html_text_are_shown_as_text_in_search_snippets(demo: None) -> None:
    html_file = (
        f"<html><head><title>{MARK}</title></head><body><p>{MARK} informe</p>"
        f"{EVERY_PAYLOAD}</body></html>"
    ).encode()
    document = document_factories.upload(
        "member/mx",
        "xss-document",
        data=html_file,
        filename="informe.html",
        title=PAYLOADS[4],
        description=EVERY_PAYLOAD,
    )
    client = Client()
    for url in (
        document.get_absolute_url(),
        "/search/?q=" + quote(MARK),
        "/search/?q=informe",
        "/member/mx/repository/",
    ):
        assert_safe(client.get(url), url)
    results = client.get("/search/?q=" + quote(MARK)).content.decode()
    assert "xss-document" in results  # the document was found, and its snippet is safe


@pytest.mark.parametrize("scheme", ["javascript:", "data:text/html,", "vbscript:", "JaVaScRiPt:"])
def test_evidence_links_that_are_not_web_addresses_are_refused(demo: None, scheme: str) -> None:
    """Regression: the form checked evidence URLs but the service (API, CLI, importers) did
    not, and a ``javascript:`` evidence URL became a link on the progress page."""
    commitment = plan_factories.commitment(
        plan_factories.plan(Member.objects.get(key="mx"), key="mx-xss-plan", number=9), "XSS01"
    )
    with pytest.raises(InvalidInput):
        plan_factories.report(
            commitment,
            "government",
            "substantial",
            evidence=[{"url": f"{scheme}alert('{MARK}')", "label": "evidence"}],
        )


def test_evidence_labels_are_shown_as_text(demo: None) -> None:
    commitment = plan_factories.commitment(
        plan_factories.plan(Member.objects.get(key="mx"), key="mx-xss-plan", number=9), "XSS01"
    )
    progress = plan_factories.report(
        commitment,
        "government",
        "substantial",
        evidence=[{"url": "https://example.org/evidence", "label": EVERY_PAYLOAD}],
    )
    assert_safe(Client().get(progress.get_absolute_url()), "progress page")


@pytest.mark.parametrize("payload", PAYLOADS)
def test_search_and_filters_reflect_input_as_text(demo: None, payload: str) -> None:
    client = Client()
    for url, query in (
        ("/search/", {"q": payload}),
        ("/search/", {"q": "mesa", "type": payload, "member": payload, "year": payload}),
        ("/letters/", {"type": payload, "year": payload, "sector": payload, "member": payload}),
        ("/plans/", {"member": payload, "state": payload}),
        ("/cases/", {"member": payload, "state": payload}),
    ):
        assert_safe(client.get(url, query), f"{url} {query}")


@pytest.mark.parametrize("payload", PAYLOADS)
def test_error_pages_reflect_the_path_as_text(demo: None, payload: str) -> None:
    client = Client()
    for url in (f"/no-such-page/{quote(payload)}", f"/letter/{quote(payload)}/"):
        assert_safe(client.get(url), url)


def test_sign_in_never_links_to_a_javascript_next(demo: None) -> None:
    url = "/accounts/login/?next=" + quote(f"javascript:alert('{MARK}')")
    assert_safe(Client().get(url), url)


@pytest.mark.parametrize("payload", PAYLOADS)
def test_an_editing_form_shown_again_with_errors_keeps_input_as_text(
    demo: None, payload: str
) -> None:
    client = Client()
    client.force_login(editor())
    response = client.post(
        "/letters/new/", {"reference": payload, "subject": payload, "body": payload}
    )
    assert response.status_code == 422
    assert_safe(response, "letter form with errors")


def test_every_html_page_carries_the_content_security_policy(demo: None) -> None:
    client = Client()
    for url in ("/", "/letters/", "/search/?q=x", "/member/mx/", "/no-such-page/"):
        response = client.get(url)
        assert "default-src 'self'" in response["Content-Security-Policy"], url
        assert "object-src 'none'" in response["Content-Security-Policy"], url
