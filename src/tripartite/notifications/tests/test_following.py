"""Following records: services, the Follow button, the list page, the export; all private."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import Client

from tripartite.core.errors import InvalidInput, NotFound, PermissionDenied
from tripartite.core.models import RecordVersion
from tripartite.notifications import services
from tripartite.notifications.models import Follow
from tripartite.plans.tests import factories as pf

from .helpers import D, person, world

pytestmark = pytest.mark.django_db


def log_size() -> int:
    from tripartite.ledger.models import LogEntry

    return LogEntry.objects.count()


def test_follow_records_nothing_public() -> None:
    w = world()
    ana = person("ana")
    versions, entries = RecordVersion.objects.count(), log_size()

    follow = services.follow(ana, record=w.forum.public_id, frequency="daily", language="es-mx")

    assert (follow.record, follow.frequency, follow.language) == ("forum/xx-forum", "daily", "es")
    assert RecordVersion.objects.count() == versions
    assert log_size() == entries


def test_following_again_changes_how_often_and_keeps_one_follow() -> None:
    w = world()
    ana = person("ana")
    services.follow(ana, record=w.forum.public_id, frequency="daily")
    services.follow(ana, record=w.forum.public_id, frequency="immediate")
    assert list(Follow.objects.values_list("frequency", flat=True)) == ["immediate"]


def test_unknown_records_and_unmoderated_input_cannot_be_followed() -> None:
    w = world()
    ana = person("ana")
    with pytest.raises(NotFound):
        services.follow(ana, record="forum/nowhere")
    with pytest.raises(NotFound):
        services.follow(ana, record="nonsense")
    open_plan = pf.plan(
        w.forum.member,
        key="xx-4",
        number=4,
        forum=w.forum,
        start_on=D(2018, 7, 1),
        end_on=D(2020, 6, 30),
        co_creation_opens_on=D(2016, 3, 1),
        co_creation_closes_on=D(2099, 12, 31),
    )
    pf.advance(open_plan, ("co_creation", D(2016, 3, 1)))
    waiting = pf.public_input(open_plan)
    with pytest.raises(NotFound):
        services.follow(ana, record=waiting.public_id)
    with pytest.raises(InvalidInput):
        services.follow(ana, record=w.forum.public_id, frequency="hourly")
    assert not Follow.objects.exists()


def test_visitors_and_inactive_users_cannot_follow() -> None:
    w = world()
    with pytest.raises(PermissionDenied):
        services.follow(AnonymousUser(), record=w.forum.public_id)
    with pytest.raises(PermissionDenied):
        services.follow(person("gone", is_active=False), record=w.forum.public_id)


def test_a_user_only_ever_touches_their_own_follows() -> None:
    w = world()
    ana, ben = person("ana"), person("ben")
    anas = services.follow(ana, record=w.forum.public_id)
    assert services.unfollow(ben, record=w.forum.public_id) == 0
    assert services.unfollow(ben, follow_id=anas.pk) == 0
    with pytest.raises(NotFound):
        services.set_frequency(ben, record=w.forum.public_id, frequency="daily")
    assert Follow.objects.get().user == ana
    assert services.unfollow(ana, record=w.forum.public_id) == 1


# ---------------------------------------------------------------- pages


def test_record_page_invites_visitors_to_sign_in_and_follow(client: Client) -> None:
    w = world()
    page = client.get(w.forum.get_absolute_url()).content.decode()
    assert "Follow this record by e-mail" in page
    assert "next=%2Fnotifications%2Ffollow%2F%3Frecord%3Dforum%252Fxx-forum" in page


def test_follow_button_on_a_record_page_follows_without_javascript(client: Client) -> None:
    w = world()
    ana = person("ana")
    client.force_login(ana)
    page = client.get(w.meeting.get_absolute_url()).content.decode()
    assert 'action="/notifications/follow/"' in page
    assert 'name="csrfmiddlewaretoken"' in page

    response = client.post(
        "/notifications/follow/",
        {"record": w.meeting.public_id, "frequency": "daily", "next": w.meeting.get_absolute_url()},
        HTTP_ACCEPT_LANGUAGE="fr",
    )

    assert response.status_code == 302 and response["Location"] == w.meeting.get_absolute_url()
    follow = Follow.objects.get(user=ana)
    assert (follow.record, follow.frequency, follow.language) == (
        w.meeting.public_id,
        "daily",
        "fr",
    )
    page = client.get(w.meeting.get_absolute_url()).content.decode()
    assert "You follow this record" in page and 'action="/notifications/unfollow/"' in page


def test_follow_needs_csrf() -> None:
    w = world()
    client = Client(enforce_csrf_checks=True)
    client.force_login(person("ana"))
    response = client.post("/notifications/follow/", {"record": w.forum.public_id})
    assert response.status_code == 403
    assert not Follow.objects.exists()


def test_follow_page_after_signing_in(client: Client) -> None:
    w = world()
    assert client.get(f"/notifications/follow/?record={w.plan.public_id}").status_code == 302
    client.force_login(person("ana"))
    page = client.get(f"/notifications/follow/?record={w.plan.public_id}")
    assert page.status_code == 200 and w.plan.title in page.content.decode()
    assert client.get("/notifications/follow/?record=plan/none").status_code == 404


def test_an_offsite_next_is_ignored(client: Client) -> None:
    w = world()
    client.force_login(person("ana"))
    response = client.post(
        "/notifications/follow/", {"record": w.forum.public_id, "next": "https://evil.example/"}
    )
    assert response["Location"] == "/notifications/"


def test_list_page_changes_frequency_and_unfollows(client: Client) -> None:
    w = world()
    ana = person("ana")
    services.follow(ana, record=w.forum.public_id)
    services.follow(ana, record=w.commitment.public_id)
    client.force_login(ana)

    page = client.get("/notifications/").content.decode()
    assert "Example Forum" in page and "Open contracting" in page

    client.post("/notifications/frequency/", {"record": w.forum.public_id, "frequency": "daily"})
    assert Follow.objects.get(record=w.forum.public_id).frequency == "daily"
    client.post("/notifications/unfollow/", {"record": w.commitment.public_id})
    assert list(Follow.objects.values_list("record", flat=True)) == [w.forum.public_id]


def test_list_page_needs_sign_in(client: Client) -> None:
    assert client.get("/notifications/").status_code == 302
    assert client.get("/notifications/export.json").status_code == 302


def test_export_holds_the_users_own_follows_only(client: Client) -> None:
    w = world()
    ana, ben = person("ana"), person("ben")
    services.follow(ana, record=w.forum.public_id, frequency="daily", language="es")
    services.follow(ben, record=w.plan.public_id)
    client.force_login(ana)

    response = client.get("/notifications/export.json")

    assert response["Content-Type"] == "application/json"
    assert "attachment" in response["Content-Disposition"]
    data = json.loads(response.content)
    assert data["user"] == "ana" and data["email"] == "ana@example.org"
    follows = data["notifications"]["follows"]
    assert [(f["record"], f["frequency"], f["language"]) for f in follows] == [
        ("forum/xx-forum", "daily", "es")
    ]
    assert data["notifications"]["waiting_for_digest"] == []


def test_follows_are_not_on_the_public_record(client: Client) -> None:
    w = world()
    services.follow(person("quillfollower"), record=w.forum.public_id)
    for url in (w.forum.get_absolute_url(), w.forum.get_history_url(), "/log"):
        assert "quillfollower" not in client.get(url).content.decode()


def test_a_change_queues_the_email_for_the_worker(
    django_capture_on_commit_callbacks: Any, settings: Any
) -> None:
    """With the production task backend (the database), the worker sends, not the writer."""
    from django.core import mail
    from django_tasks_db.models import DBTaskResult

    from tripartite.core.actors import system_actor
    from tripartite.forums import services as forum_services
    from tripartite.notifications.tasks import send_change

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert "django_tasks_db" in settings.TASKS["default"]["BACKEND"]
    w = world()
    follow = services.follow(person("ana"), record=w.forum.public_id)

    with django_capture_on_commit_callbacks(execute=True):
        forum_services.update_record(system_actor(), w.forum, changes={"description": "New."})

    [queued] = DBTaskResult.objects.filter(task_path=send_change.module_path)
    assert queued.args_kwargs["args"][:3] == [follow.pk, w.forum.public_id, 2]
    assert mail.outbox == []
