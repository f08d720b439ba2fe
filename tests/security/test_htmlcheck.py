"""The XSS finder itself: it must see what a browser would run, and nothing escaped."""

from __future__ import annotations

import html

import pytest

from .htmlcheck import MARK, PAYLOADS, injected

pytestmark = pytest.mark.security


@pytest.mark.parametrize("payload", PAYLOADS[:5] + PAYLOADS[7:])
def test_each_payload_is_found_when_a_page_echoes_it_raw(payload: str) -> None:
    assert injected(f"<p>{payload}</p>") or injected(f"<input value='{payload}'>"), payload


@pytest.mark.parametrize("payload", PAYLOADS)
def test_no_payload_is_found_when_a_page_escapes_it(payload: str) -> None:
    escaped = html.escape(payload)
    assert (
        injected(f'<p>{escaped}</p><input value="{escaped}"><textarea>{escaped}</textarea>') == []
    )


def test_the_site_own_links_and_scripts_are_not_flagged() -> None:
    page = f'<script src="/static/app.js"></script><a href="/search/?q={MARK}">{MARK}</a>'
    assert injected(page) == []
