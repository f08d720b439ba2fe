"""Stored compliance readings: logged records that follow the evidence, and the
contrary-to-process findings (and reviews) they lead to."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import override_settings

from tripartite.core.actors import system_actor
from tripartite.core.models import RecordVersion
from tripartite.forums import services as forum_services
from tripartite.forums.tests import factories as ff
from tripartite.oversight.compliance_store import refresh
from tripartite.oversight.models import ComplianceReading, ContraryFinding, ProceduralReview
from tripartite.oversight.tasks import member_key_of
from tripartite.oversight.tests.test_compliance import meetings, small_forum
from tripartite.plans.tests import factories as pf

pytestmark = pytest.mark.django_db
D = dt.date
TODAY = D(2024, 1, 1)
IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


def _world() -> tuple[Any, Any, Any]:
    member = ff.member()
    forum, _gov, _cso = small_forum(member, "xx-forum")
    plan = pf.plan(member, forum=forum, start_on=D(2022, 1, 1), end_on=D(2023, 12, 31))
    meetings(forum, D(2022, 5, 1), D(2022, 10, 1), D(2023, 3, 1), D(2023, 12, 1))
    moved = ff.meeting(forum, key="xx-forum-moved", day=D(2023, 8, 1))
    return member, plan, moved


def _status(reading: ComplianceReading, rule: str) -> str:
    return next(f["status"] for f in reading.findings if f["rule"] == rule)


def _versions(plan: Any) -> int:
    return RecordVersion.objects.filter(record_type="compliance", record_key=plan.key).count()


def test_a_refresh_stores_one_logged_reading_per_plan() -> None:
    member, plan, _moved = _world()
    result = refresh(member, actor=system_actor(), today=TODAY)
    reading = ComplianceReading.objects.get(plan=plan)
    assert result.changed == [reading.public_id]
    assert _status(reading, "MR1.1-freq") == "met"
    assert _versions(plan) == 1


def test_a_refresh_without_new_evidence_writes_no_new_version() -> None:
    member, plan, _moved = _world()
    refresh(member, actor=system_actor(), today=TODAY)
    again = refresh(member, actor=system_actor(), today=TODAY)
    assert again.changed == []
    assert _versions(plan) == 1


def test_changing_a_meeting_date_changes_the_stored_reading() -> None:
    member, plan, moved = _world()
    refresh(member, actor=system_actor(), today=TODAY)
    forum_services.update_record(system_actor(), moved, changes={"date": D(2023, 4, 1)})
    result = refresh(member, actor=system_actor(), today=TODAY)
    reading = ComplianceReading.objects.get(plan=plan)
    assert result.changed == [reading.public_id]
    assert _status(reading, "MR1.1-freq") == "not_met"
    assert _versions(plan) == 2


@pytest.mark.django_db(transaction=True)
@override_settings(TASKS=IMMEDIATE)
def test_the_worker_recomputes_after_a_meeting_date_changes() -> None:
    # Real commits here: each service's transaction commits and queues its recompute.
    _member, plan, moved = _world()
    assert _status(ComplianceReading.objects.get(plan=plan), "MR1.1-freq") == "met"
    forum_services.update_record(system_actor(), moved, changes={"date": D(2023, 4, 1)})
    reading = ComplianceReading.objects.get(plan=plan)
    assert _status(reading, "MR1.1-freq") == "not_met"


def test_a_late_plan_is_recorded_as_contrary_and_a_second_one_opens_a_review() -> None:
    member = ff.member()
    first = pf.plan(member, key="xx-1", number=1, start_on=D(2022, 1, 1), end_on=D(2023, 12, 31))
    second = pf.plan(
        member,
        key="xx-2",
        number=2,
        start_on=D(2024, 1, 1),
        end_on=D(2025, 12, 31),
        previous=first,
    )
    pf.plan(
        member,
        key="xx-3",
        number=3,
        start_on=D(2026, 1, 1),
        end_on=D(2027, 12, 31),
        previous=second,
    )
    # Neither the second nor the third plan is delivered within 12 months of the previous end.
    result = refresh(member, actor=system_actor(), today=D(2028, 6, 1))
    triggers = {(f.plan.key, f.trigger) for f in ContraryFinding.objects.all()}
    assert ("xx-2", "late_plan") in triggers and ("xx-3", "late_plan") in triggers
    assert result.contrary
    member.refresh_from_db()
    assert ProceduralReview.objects.filter(member=member).exists()
    assert member.status == "under_review"


def test_evidence_changes_name_the_member_they_concern() -> None:
    member, plan, moved = _world()
    assert member_key_of(moved) == member.key
    assert member_key_of(plan) == member.key
    assert member_key_of(member) is None


@pytest.mark.django_db(transaction=True)
def test_a_burst_of_commits_queues_one_recompute_per_member() -> None:
    from django_tasks_db.models import DBTaskResult

    member, _plan, moved = _world()
    forum_services.update_record(system_actor(), moved, changes={"date": D(2023, 4, 1)})
    queued = DBTaskResult.objects.filter(task_path__endswith="recompute_compliance")
    assert [row.args_kwargs["args"] for row in queued] == [[member.key]]


def test_mexico_s_reading_is_computed_from_its_records_and_follows_a_meeting_date() -> None:
    from tripartite.demo.mexico import load_mexico_2017
    from tripartite.forums.models import Meeting, Member

    load_mexico_2017()
    mexico = Member.objects.get(key="mx")
    refresh(mexico, actor=system_actor(), today=TODAY)
    reading = ComplianceReading.objects.get(plan__key="mx-2016-2018")
    before = next(f for f in reading.findings if f["rule"] == "F2017-freq")
    meeting = Meeting.objects.get(key="mx-stt-2016-04-15")
    assert meeting.public_id not in before["evidence"]  # held before the cycle began

    # The STT's meeting moved into the cycle: the reading changes with it.
    forum_services.update_record(system_actor(), meeting, changes={"date": D(2016, 9, 1)})
    result = refresh(mexico, actor=system_actor(), today=TODAY)
    reading.refresh_from_db()
    after = next(f for f in reading.findings if f["rule"] == "F2017-freq")
    assert result.changed == [reading.public_id]
    assert meeting.public_id in after["evidence"]
    assert after["explanation"] != before["explanation"]
