"""Rate limits of the public forms, through HTTP: the co-creation input form and its API twin,
the confidential (sealed) form and the staff upload form.

Past the limit: 429 with Retry-After, the form's view never runs (nothing is written);
another address keeps its own count; the next window lets the client in again (the clock
is moved, not slept on); the cache never holds a raw address or account id.
"""

from __future__ import annotations

import json
import pickle
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from tripartite.confidential.models import SealedSubmission
from tripartite.confidential.tests.helpers import recipient
from tripartite.core import ratelimit
from tripartite.core.actors import system_actor
from tripartite.core.ratelimit import Rate, parse_rate
from tripartite.documents.models import Document
from tripartite.forums.tests import factories as forum_factories
from tripartite.forums.tests.editing import user
from tripartite.plans.models import ActionPlan, Input
from tripartite.plans.tests import factories as plan_factories

pytestmark = pytest.mark.django_db

FORM = "/plan/xx-5/co-creation/"
API = "/api/v1/plans/xx-5/inputs"
HOUR = 3600
# The start of an hour-long window, plus ten seconds: Retry-After is then 3590.
T0 = 500_000 * HOUR + 10.0
ADDRESS = "203.0.113.7"
OTHER_ADDRESS = "198.51.100.23"


class Clock:
    """The limiter's clock, moved by hand."""

    def __init__(self, now: float) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    fake = Clock(T0)
    monkeypatch.setattr(ratelimit, "_clock", fake)
    return fake


@pytest.fixture(autouse=True)
def limits_on(settings: Any) -> Iterator[None]:
    """Limits on (the suite runs with them off), small, and counted from a clean cache."""
    settings.TRIPARTITE_RATE_LIMITS_ENABLED = True
    settings.TRIPARTITE_RATE_LIMITS = {"input": "2/h", "upload": "1/h", "sealed": "1/h"}
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def open_plan() -> ActionPlan:
    return plan_factories.open_for_input(forum_factories.member("xx", "Exampleland"))


def form_data(title: str = "Open the budget data") -> dict[str, str]:
    return {
        "title": title,
        "text": "Publish the budget as open data, every month.",
        "language": "en",
        "submitter_name": "",
        "submitter_organization": "",
        "contact_email": "",
        "website": "",  # the honeypot, left empty as people do
    }


def post_input(client: Client, address: str = ADDRESS, title: str = "An idea") -> Any:
    return client.post(FORM, form_data(title), REMOTE_ADDR=address)


def cached_entries() -> dict[str, bytes]:
    """Everything in the (local-memory) cache: keys as stored, values as pickled bytes."""
    backend: Any = cache
    return {str(key): bytes(value) for key, value in backend._cache.items()}


# ---------------------------------------------------------------- the rates


@pytest.mark.parametrize(
    ("text", "rate"),
    [
        ("10/h", Rate(10, HOUR)),
        ("10/hour", Rate(10, HOUR)),
        ("5/300s", Rate(5, 300)),
        ("30/2m", Rate(30, 120)),
        ("100/d", Rate(100, 86400)),
        (" 3 / minute ", Rate(3, 60)),
    ],
)
def test_rates_are_read_from_the_settings_notation(text: str, rate: Rate) -> None:
    assert parse_rate(text) == rate


@pytest.mark.parametrize("text", ["10", "ten/h", "10/fortnight", "10/0s", "/h"])
def test_a_malformed_rate_is_a_configuration_error(text: str) -> None:
    with pytest.raises(ImproperlyConfigured):
        parse_rate(text)


def test_the_defaults_are_sensible() -> None:
    from tripartite import settings as product

    assert {name: parse_rate(text) for name, text in product.TRIPARTITE_RATE_LIMITS.items()} == {
        "input": Rate(10, HOUR),
        "upload": Rate(30, HOUR),
        "sealed": Rate(5, HOUR),
        "account_delete": Rate(10, HOUR),
    }


# ---------------------------------------------------------------- the co-creation form


def test_the_form_refuses_the_third_input_in_an_hour_and_writes_nothing(
    client: Client, open_plan: ActionPlan, clock: Clock
) -> None:
    for n in range(2):
        assert post_input(client, title=f"Idea {n}").status_code == 303
    assert Input.objects.count() == 2

    response = post_input(client, title="One too many")

    assert response.status_code == 429
    assert response["Retry-After"] == "3590"
    text = response.content.decode()
    assert "<h1>Too many submissions.</h1>" in text
    assert "Please try again in 60 minutes." in text
    assert 'role="alert"' in text and 'class="site-header"' in text  # the site's own page
    assert f'href="{FORM}"' in text
    assert Input.objects.count() == 2
    assert not Input.objects.filter(title="One too many").exists()


def test_reading_the_page_is_never_limited(
    client: Client, open_plan: ActionPlan, clock: Clock
) -> None:
    for _n in range(5):
        assert client.get(FORM, REMOTE_ADDR=ADDRESS).status_code == 200
    assert post_input(client).status_code == 303


def test_another_address_keeps_its_own_count(
    client: Client, open_plan: ActionPlan, clock: Clock
) -> None:
    for n in range(3):
        post_input(client, title=f"Idea {n}")
    assert post_input(client).status_code == 429

    assert post_input(client, address=OTHER_ADDRESS, title="From elsewhere").status_code == 303
    assert Input.objects.filter(title="From elsewhere").exists()


def test_the_next_window_lets_the_client_in_again(
    client: Client, open_plan: ActionPlan, clock: Clock
) -> None:
    for n in range(2):
        post_input(client, title=f"Idea {n}")
    clock.now = T0 + HOUR - 11  # the last second of the window
    refused = post_input(client)
    assert refused.status_code == 429
    assert refused["Retry-After"] == "1"

    clock.now = T0 + HOUR - 10  # the window is over
    assert post_input(client, title="Next hour").status_code == 303
    assert Input.objects.filter(title="Next hour").exists()


def test_a_signed_in_person_is_counted_by_account_wherever_they_post_from(
    client: Client, open_plan: ActionPlan, clock: Clock
) -> None:
    client.force_login(user("reader", staff=False))
    assert post_input(client, address=ADDRESS, title="From home").status_code == 303
    assert post_input(client, address=OTHER_ADDRESS, title="From work").status_code == 303
    assert post_input(client, address="192.0.2.1", title="From a café").status_code == 429
    # Visitors without an account at the first address are not counted with the account.
    assert post_input(Client(), address=ADDRESS, title="A visitor").status_code == 303


def test_no_raw_address_or_account_is_kept_and_keys_expire_with_the_window(
    client: Client, open_plan: ActionPlan, clock: Clock
) -> None:
    import time

    post_input(client)
    post_input(Client(), address="2001:db8:1234:5678::9")
    signed_in = Client()
    account = user("reader", staff=False)
    signed_in.force_login(account)
    post_input(signed_in, address=OTHER_ADDRESS)

    entries = {k: v for k, v in cached_entries().items() if "ratelimit" in k}
    assert len(entries) == 3
    for key, value in entries.items():
        for secret in (ADDRESS, OTHER_ADDRESS, "2001:db8", "reader", f"user:{account.pk}"):
            assert secret not in key
            assert secret.encode() not in value
        assert pickle.loads(value) == 1  # nothing but the count
        # The key lives no longer than what is left of the window.
        expires_at: float = cache._expire_info[key]  # type: ignore[attr-defined]
        assert expires_at - time.time() <= 3590 + 1


def test_keys_change_with_every_window(client: Client, open_plan: ActionPlan, clock: Clock) -> None:
    post_input(client, title="First hour")
    first = {k for k in cached_entries() if "ratelimit" in k}
    clock.now = T0 + HOUR
    post_input(client, title="Second hour")
    second = {k for k in cached_entries() if "ratelimit" in k} - first
    assert len(first) == len(second) == 1  # unlinkable: a new key, not the old one reset


def test_limits_switched_off_let_everything_through(
    client: Client, open_plan: ActionPlan, clock: Clock, settings: Any
) -> None:
    settings.TRIPARTITE_RATE_LIMITS_ENABLED = False
    for n in range(4):
        assert post_input(client, title=f"Idea {n}").status_code == 303
    assert not [k for k in cached_entries() if "ratelimit" in k]


# ---------------------------------------------------------------- the API twin


def post_api(client: Client, title: str, address: str = ADDRESS) -> Any:
    payload = {"title": title, "text": "Publish it.", "language": "en"}
    return client.post(
        API, json.dumps(payload), content_type="application/json", REMOTE_ADDR=address
    )


def test_the_api_answers_problem_json_and_shares_the_forms_count(
    client: Client, open_plan: ActionPlan, clock: Clock
) -> None:
    assert post_input(client, title="By the form").status_code == 303
    assert post_api(client, "By the API").status_code == 202

    response = post_api(client, "One too many")

    assert response.status_code == 429
    assert response["Content-Type"] == "application/problem+json"
    assert response["Retry-After"] == "3590"
    problem = response.json()
    assert problem["status"] == 429
    assert problem["title"] == "Too many submissions."
    assert "try again in 60 minutes" in problem["detail"]
    assert problem["retry_after"] == 3590
    assert Input.objects.count() == 2
    assert post_api(client, "From elsewhere", address=OTHER_ADDRESS).status_code == 202


# ---------------------------------------------------------------- the sealed form


def test_the_sealed_form_refuses_the_second_submission_in_an_hour(
    client: Client, clock: Clock
) -> None:
    recipient()
    concern = {"kind": "concern", "about": "", "message": "They follow us.", "contact": ""}
    first = client.post("/confidential/", concern, REMOTE_ADDR=ADDRESS)
    assert first.status_code == 200 and SealedSubmission.objects.count() == 1

    refused = client.post("/confidential/", concern, REMOTE_ADDR=ADDRESS)

    assert refused.status_code == 429
    assert refused["Retry-After"] == "3590"
    assert "They follow us." not in refused.content.decode()
    assert SealedSubmission.objects.count() == 1
    assert client.post("/confidential/", concern, REMOTE_ADDR=OTHER_ADDRESS).status_code == 200


def test_the_sealed_form_counts_by_address_even_when_signed_in(
    client: Client, clock: Clock
) -> None:
    recipient()
    concern = {"kind": "concern", "about": "", "message": "A report.", "contact": ""}
    client.force_login(user("reader", staff=False))
    assert client.post("/confidential/", concern, REMOTE_ADDR=ADDRESS).status_code == 200
    # Another address: a new count, though the account is the same (it is never used).
    assert client.post("/confidential/", concern, REMOTE_ADDR=OTHER_ADDRESS).status_code == 200
    assert client.post("/confidential/", concern, REMOTE_ADDR=ADDRESS).status_code == 429
    assert SealedSubmission.objects.count() == 2


# ---------------------------------------------------------------- the upload form


def editor() -> Any:
    """An account that may upload. The site's own account (with an authenticator, so that
    no page asks it to set one up) passes every permission: this test is about the limit,
    not about roles."""
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    account = system_actor()
    TOTP.activate(account, generate_totp_secret())
    return account


def test_uploads_are_limited_per_account(
    client: Client, clock: Clock, settings: Any, tmp_path: Path
) -> None:
    settings.TRIPARTITE_BLOB_DIR = tmp_path
    forum_factories.member("xx", "Exampleland")
    account = editor()
    client.force_login(account)

    def upload(title: str) -> Any:
        return client.post(
            "/documents/new/",
            {
                "attached_to": "member/xx",
                "title": title,
                "doc_type": "minutes",
                "language": "en",
                "published_on": timezone.localdate().isoformat(),
                "file": SimpleUploadedFile(f"{title}.txt", f"Minutes: {title}".encode()),
            },
            REMOTE_ADDR=ADDRESS,
        )

    first = upload("first")
    assert first.status_code == 303, first.content.decode()[-2000:]
    refused = upload("second")
    assert refused.status_code == 429
    assert refused["Retry-After"] == "3590"
    assert list(Document.objects.values_list("title", flat=True)) == ["first"]

    # The same account from another address: still counted (signed-in people by account).
    other = Client()
    other.force_login(account)
    assert other.post("/documents/new/", {}, REMOTE_ADDR=OTHER_ADDRESS).status_code == 429
