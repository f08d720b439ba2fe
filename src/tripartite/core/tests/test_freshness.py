"""Conditional requests and stored pages keyed on freshness stamps (core/freshness.py,
core/page_cache.py), through HTTP, on whichever database the suite runs on."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import Resolver404, resolve
from django.utils.http import parse_http_date

from tripartite.core import freshness, page_cache
from tripartite.core.actors import system_actor
from tripartite.forums.tests import factories as forum_factories
from tripartite.plans import services as plan_services
from tripartite.plans.models import ActionPlan
from tripartite.plans.tests import factories as plan_factories

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _cold_cache() -> Iterator[None]:
    """Each test starts (and leaves) with an empty page cache: it lives per process."""
    page_cache._page_cache().clear()
    yield
    page_cache._page_cache().clear()


@pytest.fixture
def two_members() -> ActionPlan:
    """Exampleland with a plan (returned) and Otherland, both through the services."""
    member = forum_factories.member("xx", "Exampleland")
    forum_factories.member("yy", "Otherland")
    return plan_factories.plan(member, key="xx-3")


def _rename_plan(plan: ActionPlan, title: str) -> None:
    plan_services.update_record(system_actor(), plan, changes={"title": title})


def _etag(client: Client, path: str) -> str:
    response = client.get(path)
    assert response.status_code == 200
    return str(response["ETag"])


def test_public_page_carries_validators_from_the_log(two_members: ActionPlan) -> None:
    response = Client().get("/plan/xx-3/")
    assert response.status_code == 200
    assert response["ETag"].startswith('W/"')
    assert "Last-Modified" in response


def test_matching_etag_is_answered_not_modified(two_members: ActionPlan) -> None:
    client = Client()
    etag = _etag(client, "/plan/xx-3/")
    response = client.get("/plan/xx-3/", HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 304
    assert response.content == b""


def test_if_modified_since_the_last_change_is_answered_not_modified(
    two_members: ActionPlan,
) -> None:
    client = Client()
    last_modified = client.get("/api/v1/plans/xx-3")["Last-Modified"]
    response = client.get("/api/v1/plans/xx-3", HTTP_IF_MODIFIED_SINCE=last_modified)
    assert response.status_code == 304


def test_a_stale_validator_gets_the_whole_page(two_members: ActionPlan) -> None:
    response = Client().get("/plan/xx-3/", HTTP_IF_NONE_MATCH='W/"not-this-one"')
    assert response.status_code == 200


def test_write_to_a_plan_changes_its_page_and_its_member_but_not_another_member(
    two_members: ActionPlan,
) -> None:
    client = Client()
    paths = ["/plan/xx-3/", "/plan/xx-3.json", "/member/xx/", "/api/v1/plans/xx-3", "/member/yy/"]
    before = {path: _etag(client, path) for path in paths}
    _rename_plan(two_members, "A renamed plan")
    after = {path: _etag(client, path) for path in paths}
    for path in paths[:-1]:
        assert after[path] != before[path], path
    assert after["/member/yy/"] == before["/member/yy/"]


def test_a_write_is_shown_at_once_even_by_a_process_that_stored_the_page(
    two_members: ActionPlan,
) -> None:
    client = Client()
    assert b"Action plan 3" in client.get("/plan/xx-3/").content
    assert b"Action plan 3" in client.get("/plan/xx-3/").content  # served from the store
    # Another app server wrote: this process learns of it from the database alone.
    _rename_plan(two_members, "Water and forests")
    page = client.get("/plan/xx-3/").content.decode()
    assert "Water and forests" in page


def test_a_stored_page_is_served_with_one_query(
    two_members: ActionPlan, django_assert_max_num_queries: Any
) -> None:
    client = Client()
    first = client.get("/member/xx/")
    with django_assert_max_num_queries(1):
        second = client.get("/member/xx/")
    strip = page_cache._TOKEN
    assert strip.sub(b"", second.content) == strip.sub(b"", first.content)


def test_not_modified_costs_one_query(
    two_members: ActionPlan, django_assert_max_num_queries: Any
) -> None:
    client = Client()
    etag = _etag(client, "/api/v1/plans/xx-3")
    with django_assert_max_num_queries(1):
        assert client.get("/api/v1/plans/xx-3", HTTP_IF_NONE_MATCH=etag).status_code == 304


def test_language_variants_are_kept_apart(two_members: ActionPlan) -> None:
    english = Client(HTTP_ACCEPT_LANGUAGE="en")
    spanish = Client(HTTP_ACCEPT_LANGUAGE="es")
    english_page = english.get("/plan/xx-3/")
    spanish_page = spanish.get("/plan/xx-3/")
    assert english_page["ETag"] != spanish_page["ETag"]
    assert b'<html lang="es">' in spanish.get("/plan/xx-3/").content
    assert b'<html lang="en">' in english.get("/plan/xx-3/").content


def test_stored_page_gets_the_visitors_own_csrf_token(two_members: ActionPlan) -> None:
    Client().get("/member/xx/")  # rendered and stored
    visitor = Client(enforce_csrf_checks=True)
    page = visitor.get("/member/xx/").content
    match = page_cache._TOKEN.search(page)
    assert match is not None
    token = match.group(2).decode()
    # The stored page's language form posts with this visitor's cookie.
    response = visitor.post("/i18n/setlang/", {"language": "fr", "csrfmiddlewaretoken": token})
    assert response.status_code == 302


def test_signed_in_visitors_never_get_a_stored_page(two_members: ActionPlan) -> None:
    Client().get("/plan/xx-3/")  # an anonymous page is stored
    user = get_user_model().objects.create_user("reader", "reader@example.org", "pw-123456789")
    signed_in = Client()
    signed_in.force_login(user)
    response = signed_in.get("/plan/xx-3/")
    assert response.status_code == 200
    assert "ETag" not in response
    assert b"Sign out" in response.content


def test_signed_in_pages_are_never_stored_for_anonymous_visitors(two_members: ActionPlan) -> None:
    user = get_user_model().objects.create_user("reader", "reader@example.org", "pw-123456789")
    signed_in = Client()
    signed_in.force_login(user)
    signed_in.get("/plan/xx-3/")
    anonymous = Client().get("/plan/xx-3/")
    assert b"Sign out" not in anonymous.content
    assert b"Sign in" in anonymous.content


def test_letters_register_changes_with_a_letter_but_not_with_a_plan(
    two_members: ActionPlan,
) -> None:
    client = Client()
    before = _etag(client, "/letters/")
    _rename_plan(two_members, "Another title")
    assert _etag(client, "/letters/") == before


def test_bulk_load_marks_everything_changed(two_members: ActionPlan) -> None:
    client = Client()
    before = _etag(client, "/member/yy/")
    for number in range(freshness.CATCH_UP_LIMIT // 2 + 1):
        _rename_plan(two_members, f"Title {number}")  # a record version each
        _rename_plan(two_members, f"Title {number} again")
    assert _etag(client, "/member/yy/") != before


def test_last_modified_is_never_before_today(two_members: ActionPlan) -> None:
    # Pages show dates relative to today: yesterday's copy must not count as current.
    from django.utils import timezone

    response = Client().get("/member/xx/")
    midnight = dt.datetime.combine(timezone.localdate(), dt.time.min)
    assert parse_http_date(response["Last-Modified"]) >= timezone.make_aware(midnight).timestamp()


def test_a_new_checkpoint_changes_record_pages(
    two_members: ActionPlan, settings: Any, tmp_path: Path
) -> None:
    # Record pages say which checkpoint covers them: signing one is a change to show.
    from tripartite.ledger import keys
    from tripartite.ledger import services as ledger_services

    settings.TRIPARTITE_LOG_KEY_FILE = str(tmp_path / "log_key")
    settings.TRIPARTITE_LOG_WITNESSES = []
    settings.TRIPARTITE_LOG_POLICY_FILE = None
    settings.TRIPARTITE_LOG_ORIGIN = "tripartite.test/log"
    keys.clear_cache()
    client = Client()
    before = client.get("/member/xx/")
    ledger_services.sign_checkpoint()
    after = client.get("/member/xx/", HTTP_IF_NONE_MATCH=before["ETag"])
    assert after.status_code == 200
    assert b"Waiting for the next checkpoint" in before.content
    assert b"Waiting for the next checkpoint" not in after.content
    keys.clear_cache()


def test_html_is_kept_by_browsers_only_and_json_by_any_cache(two_members: ActionPlan) -> None:
    client = Client()
    assert client.get("/plan/xx-3/")["Cache-Control"] == "no-cache, private"
    assert client.get("/plan/xx-3.json")["Cache-Control"] == "no-cache, public"


@pytest.mark.parametrize("record_type", page_cache.RECORD_PAGES)
def test_each_record_page_shape_is_that_records_page(record_type: str) -> None:
    # The middleware matches paths before URL resolution: they must mean the same page.
    assert resolve(f"/{record_type}/k-1/").url_name == f"{record_type}-detail"
    assert resolve(f"/{record_type}/k-1.json").url_name == f"{record_type}-json"


@pytest.mark.parametrize("plural", sorted(page_cache.API_RECORDS))
def test_each_api_shape_is_that_records_endpoint(plural: str) -> None:
    assert resolve(f"/api/v1/{plural}/k-1").route == f"api/v1/{plural}/<key>"
    try:
        listing = resolve(f"/api/v1/{plural}").route
    except Resolver404:
        return  # no list of this type: the path answers 404, which is never kept
    assert listing == f"api/v1/{plural}"


def test_each_register_path_is_a_register() -> None:
    assert {resolve(path).url_name for path in page_cache.REGISTERS} == {"letters", "letters-json"}
