"""The confidential channel in Chromium: a message sent with JavaScript off (the server
seals it) and with JavaScript on (the browser seals it, and the request carries no
plaintext); in both cases the words are nowhere in the database and the key holder opens
them. The site's CSP stays enforced: the sealing scripts are the site's own.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING
from urllib.parse import unquote_plus

import pytest
from nacl.public import PrivateKey
from playwright.sync_api import Page, Request, expect

from tripartite.confidential import sealing
from tripartite.confidential.models import SealedSubmission
from tripartite.confidential.tests.helpers import database_dump, leaks

from .conftest import CONFIDENTIAL_KEY_SEED

if TYPE_CHECKING:
    from pytest_django.live_server_helper import LiveServer

    from .conftest import Scenario, Watch

pytestmark = pytest.mark.e2e

SECRET = "Nos vigilan desde el 3 de marzo; la directora recibió amenazas — ñ"
CONTACT = "signal-5550123"


def send(page: Page, url: str) -> None:
    page.goto(url)
    page.locator("#id_kind").select_option("intimidation")
    page.locator("#id_about").fill("Mexico")
    page.locator("#id_message").fill(SECRET)
    page.locator("#id_contact").fill(CONTACT)
    page.get_by_role("button", name="Seal and send").click()
    expect(page.locator("h1")).to_have_text("Your sealed message was received")
    expect(page.locator(".receipt-code code")).to_have_text(
        re.compile(r"^[A-Z0-9]{4}(-[A-Z0-9]{4}){3}$")
    )


def newest_opened() -> dict[str, str]:
    pair = sealing.KeyPair(PrivateKey(CONFIDENTIAL_KEY_SEED))
    newest = SealedSubmission.objects.order_by("-created_at", "-pk").first()
    assert newest is not None
    return sealing.open_bundle(bytes(newest.bundle), pair)


def assert_nowhere_in_the_database() -> None:
    dump = database_dump()
    assert "Scenario message" not in dump
    for secret in (SECRET, CONTACT):
        assert not leaks(dump, secret)


@pytest.mark.browser_context_args(java_script_enabled=False)
def test_without_javascript_the_server_seals_the_message(
    page: Page, live_server: LiveServer, scenario: Scenario, watch: Watch
) -> None:
    traffic = watch(page)
    before = SealedSubmission.objects.count()
    send(page, live_server.url + scenario.urls["confidential"])
    assert SealedSubmission.objects.count() == before + 1
    assert_nowhere_in_the_database()
    opened = newest_opened()
    assert (opened["kind"], opened["about"], opened["message"], opened["contact"]) == (
        "intimidation",
        "Mexico",
        SECRET,
        CONTACT,
    )
    assert traffic.elsewhere(live_server.url) == []


def test_with_javascript_the_browser_seals_and_posts_no_plaintext(
    page: Page, live_server: LiveServer, scenario: Scenario, watch: Watch
) -> None:
    traffic = watch(page)
    posted: list[str] = []

    def on_request(request: Request) -> None:
        if request.method == "POST":
            posted.append(request.post_data or "")

    page.on("request", on_request)
    send(page, live_server.url + scenario.urls["confidential"])
    assert len(posted) == 1
    body = unquote_plus(posted[0])
    assert "sealed_bundle=" in body
    for secret in (SECRET, CONTACT, "Mexico", "intimidation"):
        assert secret not in body and secret not in posted[0]
    assert_nowhere_in_the_database()
    opened = newest_opened()  # sealed by tweetnacl in Chromium, opened by libsodium here
    assert (opened["message"], opened["contact"]) == (SECRET, CONTACT)
    assert traffic.errors == []
    assert traffic.elsewhere(live_server.url) == []
