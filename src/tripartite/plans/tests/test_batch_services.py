"""The plans' batch services: the permission is checked for every item's scope, every item
must belong to the plan, and a refused batch writes nothing."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.contrib.auth import get_user_model

from tripartite.accounts.roles import Role
from tripartite.accounts.tests.roles import grant
from tripartite.core.actors import system_actor
from tripartite.core.errors import InvalidInput, PermissionDenied
from tripartite.core.models import RecordVersion
from tripartite.forums.tests import factories as ff
from tripartite.plans import batch_services
from tripartite.plans.models import Milestone, ProgressReport
from tripartite.plans.tests import factories as pf

pytestmark = pytest.mark.django_db


@pytest.fixture
def world() -> dict[str, Any]:
    member = ff.member("xx", "Exampleland")
    forum = ff.forum(member)
    cso = ff.organization("cso", "civil_society", member=member)
    seat = ff.seat(forum, cso)
    plan = pf.plan(member, forum=forum)
    other_plan = pf.plan(
        member, key="xx-4", number=4, start_on=dt.date(2018, 7, 1), end_on=dt.date(2020, 6, 30)
    )
    return {
        "plan": plan,
        "seat": seat,
        "cso": cso,
        "commitment": pf.commitment(plan, "XX0001"),
        "elsewhere": pf.commitment(other_plan, "XX0002"),
    }


def representative(seat: Any) -> Any:
    account = get_user_model().objects.create_user("rep", password="x" * 20)
    TOTP.activate(account, generate_totp_secret())
    grant(account, Role.SECTOR_REPRESENTATIVE, seat)
    return account


def report(commitment: Any, party: str, n: int) -> dict[str, Any]:
    return {
        "key": f"{commitment.key}-r{n:03d}",
        "commitment": commitment,
        "party": party,
        "reported_on": dt.date(2017, 1, 1),
        "completion": "limited",
        "text": "Progress.",
    }


def test_a_representative_reports_for_their_own_sector_in_a_batch(world: dict[str, Any]) -> None:
    account = representative(world["seat"])
    items = [report(world["commitment"], "civil_society", n) for n in range(3)]
    batch_services.report_progress_many(account, plan=world["plan"], items=items)
    assert ProgressReport.objects.count() == 3


def test_one_item_of_another_party_refuses_the_whole_batch(world: dict[str, Any]) -> None:
    account = representative(world["seat"])
    items = [report(world["commitment"], "civil_society", n) for n in range(3)]
    items.append(report(world["commitment"], "government", 9))
    before = RecordVersion.objects.count()
    with pytest.raises(PermissionDenied):
        batch_services.report_progress_many(account, plan=world["plan"], items=items)
    assert not ProgressReport.objects.exists()
    assert RecordVersion.objects.count() == before


def test_an_item_of_another_plan_is_refused(world: dict[str, Any]) -> None:
    items = [
        {"key": "a-m1", "commitment": world["commitment"], "number": 1, "deliverable": "One"},
        {"key": "b-m1", "commitment": world["elsewhere"], "number": 1, "deliverable": "Two"},
    ]
    with pytest.raises(InvalidInput, match="XX0002"):
        batch_services.add_milestones(system_actor(), plan=world["plan"], items=items)
    assert not Milestone.objects.exists()


def test_milestone_updates_are_new_versions(world: dict[str, Any]) -> None:
    [milestone] = batch_services.add_milestones(
        system_actor(),
        plan=world["plan"],
        items=[
            {"key": "a-m1", "commitment": world["commitment"], "number": 1, "deliverable": "One"}
        ],
    )
    batch_services.update_milestones(
        system_actor(), plan=world["plan"], changes=[(milestone, {"status": "complete"})]
    )
    ops = list(
        RecordVersion.objects.filter(record_type="milestone", record_key="a-m1")
        .order_by("version")
        .values_list("op", "content__status")
    )
    assert ops == [("create", "not_started"), ("update", "complete")]
