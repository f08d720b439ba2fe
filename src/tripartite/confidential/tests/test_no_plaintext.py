"""What must show (issue 7): a sealed submission whose words cannot be found in the
database dump, the logs or the outgoing mail of the run, and which the key holder opens.

Each test writes a unique sentence through the page (JavaScript off: the server seals it)
or seals it as the browser would, then looks for it everywhere: every value of every table
(and SQLite's own SQL dump, where the django-tasks queue lives too), every log record of
every logger at DEBUG (SQL statements with their parameters included), every e-mail, and
the response pages.
"""

from __future__ import annotations

import json
import logging
from typing import Any

import pytest
from django.core import mail
from django.test import Client
from django.test.utils import override_settings

from tripartite.confidential import sealing, views
from tripartite.confidential.models import SealedSubmission

from .helpers import database_dump, leaks, recipient

pytestmark = pytest.mark.django_db

SECRET = "Los agentes fotografiaron a nuestra directora el 12 de mayo — señal ñ"
CONTACT = "contact-me-at-signal-5550199"


def form_data(**extra: str) -> dict[str, str]:
    return {
        "kind": "intimidation",
        "about": "Mexico",
        "message": SECRET,
        "contact": CONTACT,
        **extra,
    }


def everything(caplog: pytest.LogCaptureFixture, *pages: Any) -> str:
    logged = "\n".join(
        f"{record.getMessage()} {record.__dict__!r} {record.exc_text or ''}"
        for record in caplog.records
    )
    mails = "\n".join(
        f"{m.subject}\n{m.body}\n{getattr(m, 'alternatives', '')}" for m in mail.outbox
    )
    shown = "\n".join(page.content.decode() for page in pages)
    return "\n".join([database_dump(), logged, caplog.text, mails, shown])


def assert_nowhere(text: str) -> None:
    for secret in (SECRET, CONTACT):
        assert not leaks(text, secret), f"{secret!r} found in clear"


@pytest.fixture
def debug_logs(caplog: pytest.LogCaptureFixture) -> pytest.LogCaptureFixture:
    caplog.set_level(logging.DEBUG)
    for name in ("django", "django.request", "django.db.backends", "django.security"):
        caplog.set_level(logging.DEBUG, logger=name)
    return caplog


@override_settings(DEBUG=True)  # the SQL logger then logs every statement and its parameters
def test_without_javascript_the_server_seals_and_keeps_no_plaintext(
    debug_logs: pytest.LogCaptureFixture,
) -> None:
    one, one_pair = recipient("One")
    _two, two_pair = recipient("Two")
    response = Client().post("/confidential/", form_data())
    assert response.status_code == 200
    page = response.content.decode()
    assert "Your receipt code" in page
    assert response["Cache-Control"].startswith("max-age=0")
    submission = SealedSubmission.objects.get()
    assert sorted(r.name for r in submission.recipients.all()) == ["One", "Two"]
    assert submission.size_bucket == 1024
    assert_nowhere(everything(debug_logs, response))
    assert any("INSERT" in r.getMessage() for r in debug_logs.records), "SQL was not logged"
    # Each key holder opens it.
    for pair in (one_pair, two_pair):
        opened = sealing.open_bundle(bytes(submission.bundle), pair)
        assert (opened["kind"], opened["message"], opened["contact"]) == (
            "intimidation",
            SECRET,
            CONTACT,
        )
    assert one.public_key in bytes(submission.bundle).decode()


def test_with_javascript_only_ciphertext_arrives(debug_logs: pytest.LogCaptureFixture) -> None:
    key, pair = recipient()
    copies = sealing.seal_message(
        {"kind": "concern", "about": "", "message": SECRET, "contact": CONTACT},
        [(key.public_id, key.public_key)],
    )
    response = Client().post("/confidential/", {views.SEALED_FIELD: json.dumps({"copies": copies})})
    assert response.status_code == 200
    assert_nowhere(everything(debug_logs, response))
    opened = sealing.open_bundle(bytes(SealedSubmission.objects.get().bundle), pair)
    assert opened["message"] == SECRET


def test_a_bad_sealed_post_is_refused_and_keeps_nothing() -> None:
    recipient()
    client = Client()
    assert client.post("/confidential/", {views.SEALED_FIELD: "{not json"}).status_code == 400
    response = client.post(
        "/confidential/", {views.SEALED_FIELD: json.dumps({"copies": {"x": "AAAA"}})}
    )
    assert response.status_code == 422
    assert not SealedSubmission.objects.exists()


def test_an_invalid_form_is_shown_again_to_its_writer_only(
    debug_logs: pytest.LogCaptureFixture,
) -> None:
    recipient()
    response = Client().post("/confidential/", form_data(kind="nonsense"))
    assert response.status_code == 422
    assert SECRET in response.content.decode()  # back to the writer, to correct it
    assert not SealedSubmission.objects.exists()
    assert_nowhere(everything(debug_logs))


def test_without_a_recipient_key_nothing_is_taken() -> None:
    response = Client().get("/confidential/")
    assert "not open yet" in response.content.decode()
    response = Client().post("/confidential/", form_data())
    assert response.status_code == 409
    assert not SealedSubmission.objects.exists()


def fail_after_sealing(monkeypatch: pytest.MonkeyPatch) -> list[dict[str, str]]:
    """Make the store fail after the view sealed the words: the worst place for an error."""
    seen: list[dict[str, str]] = []

    def broken(actor: Any, *, copies: dict[str, str]) -> Any:
        seen.append(copies)
        raise RuntimeError("the database went away")

    monkeypatch.setattr(views.services, "submit_sealed", broken)
    return seen


@override_settings(
    DEBUG=False, ADMINS=[("Operator", "operator@example.org")], DEBUG_PROPAGATE_EXCEPTIONS=False
)
def test_an_error_after_sealing_leaks_nothing_to_logs_or_the_error_mail(
    debug_logs: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    recipient()
    seen = fail_after_sealing(monkeypatch)
    response = Client(raise_request_exception=False).post("/confidential/", form_data())
    assert response.status_code == 500
    assert seen, "the store was reached, after sealing"
    errors = [r for r in debug_logs.records if r.name == "django.request"]
    assert errors and errors[0].exc_info is not None
    assert len(mail.outbox) == 1  # Django's error report to ADMINS went out
    assert "SubmissionFailed" in mail.outbox[0].body
    assert_nowhere(everything(debug_logs, response))
    assert not SealedSubmission.objects.exists()


@override_settings(DEBUG=True, DEBUG_PROPAGATE_EXCEPTIONS=False)
def test_an_error_after_sealing_leaks_nothing_to_the_debug_page(
    debug_logs: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    recipient()
    fail_after_sealing(monkeypatch)
    response = Client(raise_request_exception=False).post("/confidential/", form_data())
    assert response.status_code == 500
    assert "SubmissionFailed" in response.content.decode()  # Django's technical 500 page
    assert_nowhere(everything(debug_logs, response))


@override_settings(DEBUG=True, DEBUG_PROPAGATE_EXCEPTIONS=False)
def test_an_error_while_sealing_leaks_nothing(
    debug_logs: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    recipient()

    def broken_seal(padded: bytes, public_key: str) -> bytes:
        raise RuntimeError("libsodium failed")

    monkeypatch.setattr(sealing, "seal", broken_seal)
    response = Client(raise_request_exception=False).post("/confidential/", form_data())
    assert response.status_code == 422  # a clear refusal, nothing kept
    assert not SealedSubmission.objects.exists()
    assert "SubmissionFailed" not in response.content.decode()


def test_pages_of_the_channel() -> None:
    key, _pair = recipient("Ana")
    client = Client()
    page = client.get("/confidential/").content.decode()
    assert key.fingerprint in page and 'id="recipient-keys"' in page
    assert "confidential/seal.js" in page
    assert client.get("/confidential/keys/").status_code == 200
    assert client.get(key.get_absolute_url()).status_code == 200
    client.post("/confidential/", form_data())
    submission = SealedSubmission.objects.get()
    page = client.get(submission.get_absolute_url()).content.decode()
    assert submission.bundle_sha256 in page
    assert client.get(f"/history/sealed/{submission.key}/").status_code == 200
