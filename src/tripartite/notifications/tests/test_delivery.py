"""From a new record version to e-mails: immediate, via a parent, digests, unsubscribe."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core import mail
from django.test import Client, override_settings
from django.utils import timezone

from tripartite.core.actors import system_actor
from tripartite.forums import services as forum_services
from tripartite.notifications import services, tokens
from tripartite.notifications.models import DigestItem, DigestMark, Follow
from tripartite.notifications.tasks import send_digests
from tripartite.plans.tests import factories as pf

from .helpers import IMMEDIATE_TASKS, LOCMEM, person, world

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.usefixtures("_mail_and_tasks"),
]


@pytest.fixture
def _mail_and_tasks() -> Any:
    with override_settings(
        TASKS=IMMEDIATE_TASKS, EMAIL_BACKEND=LOCMEM, TRIPARTITE_SITE_URL="https://ogp.example"
    ):
        yield


def change_forum(forum: Any, capture: Any, description: str = "New rules.") -> None:
    with capture(execute=True):
        forum_services.update_record(system_actor(), forum, changes={"description": description})


def test_an_immediate_follower_gets_one_email_about_the_change(
    django_capture_on_commit_callbacks: Any,
) -> None:
    w = world()
    ana = person("ana")
    follow = services.follow(ana, record=w.forum.public_id)

    change_forum(w.forum, django_capture_on_commit_callbacks)

    [message] = mail.outbox
    assert message.to == ["ana@example.org"]
    assert message.subject == "[Tripartite] Example Forum has a new version (version 2)"
    assert "https://ogp.example/forum/xx-forum/" in message.body
    token = tokens.for_follow(ana.pk, follow.pk)
    unsubscribe = f"https://ogp.example/notifications/unsubscribe/{token}/"
    assert message.extra_headers["List-Unsubscribe"] == f"<{unsubscribe}>"
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert unsubscribe in message.body
    [(html, mimetype)] = message.alternatives
    assert mimetype == "text/html"
    assert '<a href="https://ogp.example/forum/xx-forum/">Example Forum</a>' in str(html)


def test_following_a_plan_tells_of_its_commitments_and_milestones(
    django_capture_on_commit_callbacks: Any,
) -> None:
    w = world()
    services.follow(person("ana"), record=w.plan.public_id)

    with django_capture_on_commit_callbacks(execute=True):
        pf.milestone(w.commitment, deliverable="Train the buyers")

    [message] = mail.outbox
    assert "Train the buyers was recorded (version 1)" in message.subject
    assert "because you follow Action plan 3" in message.body


def test_one_email_per_user_even_when_following_the_record_and_its_parent(
    django_capture_on_commit_callbacks: Any,
) -> None:
    w = world()
    ana = person("ana")
    services.follow(ana, record=w.plan.public_id)
    direct = services.follow(ana, record=w.commitment.public_id)

    with django_capture_on_commit_callbacks(execute=True):
        pf.milestone(w.commitment, deliverable="Another deliverable")

    [message] = mail.outbox
    # The nearest follow speaks (and its unsubscribe link ends that follow).
    assert tokens.for_follow(ana.pk, direct.pk) in message.extra_headers["List-Unsubscribe"]


def test_the_author_of_a_change_is_not_told_of_it(
    django_capture_on_commit_callbacks: Any,
) -> None:
    w = world()
    services.follow(system_actor(), record=w.forum.public_id)
    change_forum(w.forum, django_capture_on_commit_callbacks)
    assert mail.outbox == []


def test_nothing_is_sent_without_an_address_or_after_unfollowing(
    django_capture_on_commit_callbacks: Any,
) -> None:
    w = world()
    services.follow(person("nomail", email=""), record=w.forum.public_id)
    ben = person("ben")
    services.follow(ben, record=w.forum.public_id)
    services.unfollow(ben, record=w.forum.public_id)
    change_forum(w.forum, django_capture_on_commit_callbacks)
    assert mail.outbox == []


def test_emails_are_written_in_the_language_of_the_follow(
    django_capture_on_commit_callbacks: Any,
) -> None:
    w = world()
    services.follow(person("ana"), record=w.forum.public_id, language="es")
    change_forum(w.forum, django_capture_on_commit_callbacks)
    [message] = mail.outbox
    assert '<html lang="es">' in str(message.alternatives[0][0])


def test_a_retraction_is_announced(django_capture_on_commit_callbacks: Any) -> None:
    w = world()
    services.follow(person("ana"), record=w.meeting.public_id)
    with django_capture_on_commit_callbacks(execute=True):
        forum_services.retract(system_actor(), w.meeting, reason="Recorded twice.")
    [message] = mail.outbox
    assert "was retracted" in message.subject


# ---------------------------------------------------------------- digests


def test_daily_followers_get_one_digest_grouped_by_record(
    django_capture_on_commit_callbacks: Any,
) -> None:
    w = world()
    ana = person("ana")
    services.follow(ana, record=w.forum.public_id, frequency="daily")
    services.follow(ana, record=w.plan.public_id, frequency="daily")
    change_forum(w.forum, django_capture_on_commit_callbacks, "First change.")
    change_forum(w.forum, django_capture_on_commit_callbacks, "Second change.")
    with django_capture_on_commit_callbacks(execute=True):
        pf.milestone(w.commitment, deliverable="Train the buyers")
    assert mail.outbox == [] and DigestItem.objects.count() == 3

    assert send_digests.call() == {"sent": 1, "skipped": 0, "failed": 0}

    [message] = mail.outbox
    assert message.subject == "[Tripartite] Your daily digest: 3 changes to records you follow"
    body = message.body
    forum_section = body.index("== Example Forum (forum/xx-forum)")
    plan_section = body.index("== Action plan 3 (plan/xx-3)")
    assert body.index("(version 2)") > forum_section and body.index("(version 3)") < plan_section
    assert "Train the buyers was recorded (version 1)" in body[plan_section:]
    digest_token = tokens.for_digest(ana.pk)
    assert digest_token in message.extra_headers["List-Unsubscribe"]
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert "<h2>" in str(message.alternatives[0][0])
    assert not DigestItem.objects.exists()
    assert DigestMark.objects.get(user=ana).sent_at <= timezone.now()


def test_a_digest_holds_everything_since_the_last_one_and_goes_out_once_a_day(
    django_capture_on_commit_callbacks: Any,
) -> None:
    w = world()
    ana = person("ana")
    services.follow(ana, record=w.forum.public_id, frequency="daily")
    change_forum(w.forum, django_capture_on_commit_callbacks, "First change.")
    send_digests.call()
    change_forum(w.forum, django_capture_on_commit_callbacks, "Second change.")

    assert send_digests.call() == {"sent": 0, "skipped": 1, "failed": 0}  # too soon
    DigestMark.objects.update(sent_at=timezone.now() - dt.timedelta(days=1))
    assert send_digests.call()["sent"] == 1

    first, second = mail.outbox
    assert "(version 2)" in first.body and "(version 3)" not in first.body
    assert "(version 3)" in second.body and "(version 2)" not in second.body
    assert second.subject == "[Tripartite] Your daily digest: one change to records you follow"


def test_nothing_pending_sends_nothing() -> None:
    person("ana")
    assert send_digests.call() == {"sent": 0, "skipped": 0, "failed": 0}
    assert mail.outbox == []


# ---------------------------------------------------------------- unsubscribe


def test_unsubscribe_get_confirms_and_post_unfollows_without_login(client: Client) -> None:
    w = world()
    ana = person("ana")
    follow = services.follow(ana, record=w.forum.public_id)
    url = f"/notifications/unsubscribe/{tokens.for_follow(ana.pk, follow.pk)}/"

    page = client.get(url)
    assert page.status_code == 200 and "Example Forum" in page.content.decode()
    assert Follow.objects.exists()  # a GET (a link scanner) changes nothing

    done = client.post(url)
    assert done.status_code == 200 and "no more of these e-mails" in done.content.decode()
    assert not Follow.objects.exists()
    again = client.post(url)
    assert again.status_code == 200 and "already unsubscribed" in again.content.decode()


def test_one_click_post_from_a_mail_provider_needs_no_csrf_token() -> None:
    w = world()
    ana = person("ana")
    follow = services.follow(ana, record=w.forum.public_id)
    client = Client(enforce_csrf_checks=True)
    response = client.post(
        f"/notifications/unsubscribe/{tokens.for_follow(ana.pk, follow.pk)}/",
        "List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 200
    assert not Follow.objects.exists()


def test_the_digest_link_stops_every_daily_follow_only(client: Client) -> None:
    w = world()
    ana = person("ana")
    services.follow(ana, record=w.forum.public_id, frequency="daily")
    services.follow(ana, record=w.plan.public_id, frequency="daily")
    services.follow(ana, record=w.meeting.public_id, frequency="immediate")
    client.post(f"/notifications/unsubscribe/{tokens.for_digest(ana.pk)}/")
    assert list(Follow.objects.values_list("record", flat=True)) == [w.meeting.public_id]


@pytest.mark.parametrize("method", ["get", "post"])
def test_a_bad_token_is_refused(client: Client, method: str) -> None:
    w = world()
    ana, ben = person("ana"), person("ben")
    follow = services.follow(ana, record=w.forum.public_id)
    good = tokens.for_follow(ana.pk, follow.pk)
    value, _sep, signature = good.rpartition(":")
    forged = tokens.for_follow(ben.pk, follow.pk).rpartition(":")[0] + ":" + signature
    from django.core import signing

    other_salt = signing.Signer(salt="elsewhere").sign_object({"u": ana.pk, "f": follow.pk})
    for token in ("garbage", forged, other_salt, value + ":AAAA"):
        response = getattr(client, method)(f"/notifications/unsubscribe/{token}/")
        assert response.status_code == 400, token
        assert "not valid" in response.content.decode()
    assert Follow.objects.count() == 1


# ---------------------------------------------------------------- the console script


def test_digest_command_sends_the_digests(django_capture_on_commit_callbacks: Any) -> None:
    import json

    from typer.testing import CliRunner

    from tripartite.cli import app

    w = world()
    services.follow(person("ana"), record=w.forum.public_id, frequency="daily")
    change_forum(w.forum, django_capture_on_commit_callbacks)

    result = CliRunner().invoke(app, ["notifications", "digest"])

    assert result.exit_code == 0, result.output
    output = json.loads(result.output)
    assert (output["ran"], output["sent"], output["skipped"], output["failed"]) == (True, 1, 0, 0)
    [message] = mail.outbox
    assert "Your daily digest" in message.subject
