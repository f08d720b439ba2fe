"""End to end against a real SMTP server on loopback (aiosmtpd): a change to a followed
record leaves through Django's SMTP backend, from the task the worker runs."""

from __future__ import annotations

import email
import email.policy
import socket
from collections.abc import Iterator
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from django.test import override_settings

from tripartite.core.actors import system_actor
from tripartite.forums import services as forum_services
from tripartite.notifications import services, tokens
from tripartite.notifications.tasks import send_digests

from .helpers import IMMEDIATE_TASKS, person, world

pytestmark = pytest.mark.django_db


class Inbox:
    """An aiosmtpd handler that keeps every message it accepts."""

    def __init__(self) -> None:
        self.envelopes: list[Any] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.envelopes.append(envelope)
        return "250 Message accepted for delivery"

    def messages(self) -> list[email.message.EmailMessage]:
        return [
            email.message_from_bytes(e.original_content or e.content, policy=email.policy.default)  # type: ignore[misc]
            for e in self.envelopes
        ]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def smtp() -> Iterator[Inbox]:
    inbox = Inbox()
    port = free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        with override_settings(
            EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
            EMAIL_HOST="127.0.0.1",
            EMAIL_PORT=port,
            EMAIL_USE_TLS=False,
            EMAIL_USE_SSL=False,
            EMAIL_HOST_USER="",
            EMAIL_HOST_PASSWORD="",
            EMAIL_TIMEOUT=10,
            DEFAULT_FROM_EMAIL="tripartite@ogp.example",
            TASKS=IMMEDIATE_TASKS,
            TRIPARTITE_SITE_URL="https://ogp.example",
        ):
            yield inbox
    finally:
        controller.stop()


def test_an_immediate_email_arrives_over_smtp(
    smtp: Inbox, django_capture_on_commit_callbacks: Any
) -> None:
    w = world()
    ana = person("ana")
    follow = services.follow(ana, record=w.forum.public_id)

    with django_capture_on_commit_callbacks(execute=True):
        forum_services.update_record(
            system_actor(), w.forum, changes={"description": "Rules published."}
        )

    [envelope] = smtp.envelopes
    assert envelope.mail_from == "tripartite@ogp.example"
    assert envelope.rcpt_tos == ["ana@example.org"]
    [message] = smtp.messages()
    assert message["Subject"] == "[Tripartite] Example Forum has a new version (version 2)"
    unsubscribe = (
        f"https://ogp.example/notifications/unsubscribe/{tokens.for_follow(ana.pk, follow.pk)}/"
    )
    # a long header is folded onto its own line: unfolded, it is the URL in angle brackets
    assert str(message["List-Unsubscribe"]).strip() == f"<{unsubscribe}>"
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert message.get_content_type() == "multipart/alternative"
    text = message.get_body(preferencelist=("plain",))
    html = message.get_body(preferencelist=("html",))
    assert text is not None and html is not None
    assert "https://ogp.example/forum/xx-forum/" in text.get_content()
    assert unsubscribe in text.get_content()
    assert '<a href="https://ogp.example/forum/xx-forum/">Example Forum</a>' in html.get_content()


def test_a_digest_arrives_over_smtp(smtp: Inbox, django_capture_on_commit_callbacks: Any) -> None:
    w = world()
    ana = person("ana")
    services.follow(ana, record=w.meeting.public_id, frequency="daily")
    with django_capture_on_commit_callbacks(execute=True):
        forum_services.retract(system_actor(), w.meeting, reason="Recorded twice.")
    assert smtp.envelopes == []

    assert send_digests.enqueue().return_value == {"sent": 1, "skipped": 0, "failed": 0}

    [message] = smtp.messages()
    assert message["Subject"].startswith("[Tripartite] Your daily digest")
    assert tokens.for_digest(ana.pk) in message["List-Unsubscribe"]
    text = message.get_body(preferencelist=("plain",))
    assert text is not None and "was retracted (version 2)" in text.get_content()
