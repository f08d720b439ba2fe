"""The two-sector rule through its services: proposals wait, each sector answers once, the
last approval applies the change, and every step is a logged version of the change."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.contrib.auth import get_user_model

from tripartite.accounts import joint_services as js
from tripartite.accounts.models import RoleGrant
from tripartite.accounts.roles import Role, holds, scope_of
from tripartite.accounts.tests.roles import approve_all, approver, grant
from tripartite.core.actors import system_actor
from tripartite.core.errors import Conflict, InvalidInput, PermissionDenied
from tripartite.core.history import versions_of
from tripartite.forums import services as fs
from tripartite.forums.models import Forum, Letter, Seat
from tripartite.forums.tests import factories as ff

pytestmark = pytest.mark.django_db


def editor(name: str, role: str, record: Any = None) -> Any:
    account = get_user_model().objects.create_user(name, password="x" * 20, is_staff=True)
    TOTP.activate(account, generate_totp_secret())
    grant(account, role, record)
    return account


def two_sector_world() -> tuple[Forum, Seat, Seat, Letter]:
    forum = ff.forum()
    gov = ff.seat(forum, ff.organization("gov", "government"))
    cso = ff.seat(forum, ff.organization("cso", "civil_society"))
    letter = ff.letter(forum=forum)
    return forum, gov, cso, letter


def propose_subject(actor: Any, letter: Letter, subject: str = "New subject") -> Any:
    return js.propose_change(
        actor,
        operation="update",
        target=letter.public_id,
        changes={"subject": subject},
        reason="Clearer",
    )


def test_a_representatives_proposal_counts_as_their_sectors_approval() -> None:
    _forum, gov, _cso, letter = two_sector_world()
    change = propose_subject(editor("g", Role.SECTOR_REPRESENTATIVE, gov), letter)
    assert change.state == "pending"
    assert change.required == ["civil_society", "government"]
    assert change.missing_sectors() == ["civil_society"]
    letter.refresh_from_db()
    assert letter.subject != "New subject"


def test_the_other_sectors_approval_applies_the_change_in_the_proposers_name() -> None:
    _forum, gov, cso, letter = two_sector_world()
    proposer = editor("g", Role.SECTOR_REPRESENTATIVE, gov)
    change = propose_subject(proposer, letter)
    js.answer_change(editor("c", Role.SECTOR_REPRESENTATIVE, cso), change, position="approve")
    assert change.state == "applied"
    letter.refresh_from_db()
    assert letter.subject == "New subject"
    latest = versions_of("letter", letter.key).last()
    assert latest is not None and latest.actor == proposer and latest.reason == "Clearer"


def test_every_answer_is_a_logged_version_of_the_change() -> None:
    _forum, gov, cso, letter = two_sector_world()
    change = propose_subject(editor("g", Role.SECTOR_REPRESENTATIVE, gov), letter)
    js.answer_change(
        editor("c", Role.SECTOR_REPRESENTATIVE, cso), change, position="approve", statement="Ok"
    )
    contents = [v.content for v in versions_of("change", change.key)]
    assert [c["state"] for c in contents] == ["pending", "pending", "applied"]
    assert [(a["sector"], a["position"]) for a in contents[-1]["approvals"]] == [
        ("government", "approve"),
        ("civil_society", "approve"),
    ]
    assert contents[-1]["approvals"][1]["statement"] == "Ok"


def test_a_rejection_ends_the_change() -> None:
    forum, gov, cso, letter = two_sector_world()
    change = propose_subject(editor("g", Role.SECTOR_REPRESENTATIVE, gov), letter)
    js.answer_change(editor("c", Role.SECTOR_REPRESENTATIVE, cso), change, position="reject")
    assert change.state == "rejected"
    with pytest.raises(Conflict):
        js.answer_change(approver("government", forum), change, position="approve")


def test_one_person_answers_once_for_one_sector_even_holding_two_seats() -> None:
    _forum, gov, cso, letter = two_sector_world()
    both = editor("both", Role.SECTOR_REPRESENTATIVE, gov)
    grant(both, Role.SECTOR_REPRESENTATIVE, cso)
    change = propose_subject(both, letter)
    assert change.state == "pending" and len(change.missing_sectors()) == 1
    with pytest.raises(PermissionDenied):
        js.answer_change(both, change, position="approve")


def test_the_operator_alone_changes_nothing() -> None:
    _forum, _gov, _cso, letter = two_sector_world()
    operator = editor("op", Role.OPERATOR)
    change = js.propose_change(
        operator, operation="retract", target=letter.public_id, reason="Gone"
    )
    assert change.missing_sectors() == ["civil_society", "government"]
    with pytest.raises(PermissionDenied):
        js.answer_change(operator, change, position="approve")
    with pytest.raises(PermissionDenied):
        fs.retract(operator, letter, reason="Directly, then")
    letter.refresh_from_db()
    assert letter.retracted_at is None


def test_a_forum_may_name_the_sectors_that_approve() -> None:
    forum, gov, _cso, letter = two_sector_world()
    ff.seat(forum, ff.organization("ovs", "oversight_body"))
    change = propose_subject(editor("g", Role.SECTOR_REPRESENTATIVE, gov), letter)
    assert change.required == ["civil_society", "government", "oversight_body"]
    fs.update_record(
        system_actor(), forum, changes={"approval_sectors": "government, civil_society"}
    )
    change = propose_subject(editor("g2", Role.SECTOR_REPRESENTATIVE, gov), letter, "Other")
    assert change.required == ["civil_society", "government"]


def test_a_forum_cannot_name_fewer_than_two_sectors() -> None:
    forum, *_rest = two_sector_world()
    with pytest.raises(InvalidInput):
        fs.update_record(system_actor(), forum, changes={"approval_sectors": "government"})


def test_a_role_grant_takes_effect_only_once_approved() -> None:
    forum, _gov, cso, _letter = two_sector_world()
    newcomer = get_user_model().objects.create_user("new", email="new@example.org")
    change = js.propose_change(
        editor("sec", Role.SECRETARIAT, forum),
        operation="grant_role",
        target=cso.public_id,
        role=Role.SECTOR_REPRESENTATIVE,
        grantee=newcomer,
        reason="Elected by civil society",
    )
    assert not RoleGrant.objects.filter(user=newcomer).exists()
    approve_all(change)
    assert holds(newcomer, Role.SECTOR_REPRESENTATIVE, scope_of(cso))
    assert "new@example.org" not in str(versions_of("change", change.key).last().content)


def test_site_wide_roles_are_approved_by_both_steering_committee_constituencies() -> None:
    from tripartite.oversight.tests import factories as of

    of.small_committee(2)
    of.gov_seat(ff.member("yy", "Otherland"), "yy-2015")
    of.cs_seat(of.person("alice"), "alice-2015")
    newcomer = get_user_model().objects.create_user("su", email="su@example.org")
    change = js.propose_change(
        editor("op", Role.OPERATOR),
        operation="grant_role",
        target="",
        role=Role.SUPPORT_UNIT,
        grantee=newcomer,
    )
    assert change.forum is None and change.required == ["government", "civil_society"]
    approve_all(change)
    assert holds(newcomer, Role.SUPPORT_UNIT)


def test_a_representative_ends_their_own_seat_at_once_but_not_anothers() -> None:
    _forum, gov, cso, _letter = two_sector_world()
    rep = editor("c", Role.SECTOR_REPRESENTATIVE, cso)
    with pytest.raises(PermissionDenied):
        fs.end_seat(rep, gov, end_on=dt.date(2020, 1, 1), end_reason="term_ended")
    fs.end_seat(rep, cso, end_on=dt.date(2020, 1, 1), end_reason="term_ended")
    cso.refresh_from_db()
    assert cso.end_on == dt.date(2020, 1, 1)


def test_the_proposer_may_withdraw_a_pending_change_and_no_one_else() -> None:
    _forum, gov, cso, letter = two_sector_world()
    change = propose_subject(editor("g", Role.SECTOR_REPRESENTATIVE, gov), letter)
    with pytest.raises(PermissionDenied):
        js.withdraw_change(editor("c", Role.SECTOR_REPRESENTATIVE, cso), change)
    js.withdraw_change(change.proposer, change)
    assert change.state == "withdrawn"


def test_a_holder_resigns_at_once_and_the_record_says_so() -> None:
    _forum, _gov, cso, _letter = two_sector_world()
    rep = editor("c", Role.SECTOR_REPRESENTATIVE, cso)
    made = RoleGrant.objects.get(user=rep)
    change = js.resign_role(rep, made)
    made.refresh_from_db()
    assert made.ended_at is not None and change.state == "applied"
    assert not holds(rep, Role.SECTOR_REPRESENTATIVE, scope_of(cso))


def test_nothing_changed_is_not_a_proposal() -> None:
    _forum, gov, _cso, letter = two_sector_world()
    with pytest.raises(InvalidInput, match="Nothing changed"):
        propose_subject(editor("g", Role.SECTOR_REPRESENTATIVE, gov), letter, letter.subject)


def test_the_api_lists_changes_with_their_answers_and_the_roles_in_force(client: Any) -> None:
    forum, gov, _cso, letter = two_sector_world()
    change = propose_subject(editor("g", Role.SECTOR_REPRESENTATIVE, gov), letter)
    listed = client.get(f"/api/v1/changes?forum={forum.key}&state=pending").json()
    assert [c["id"] for c in listed["items"]] == [change.public_id]
    one = client.get(f"/api/v1/changes/{change.key}").json()
    assert one["missing"] == ["civil_society"]
    assert [a["sector"] for a in one["approvals"]] == ["government"]
    roles = client.get("/api/v1/roles").json()["items"]
    assert {"holder": "g", "role": "sector_representative", "scope": gov.public_id} in [
        {k: r[k] for k in ("holder", "role", "scope")} for r in roles
    ]
    assert "@" not in str(roles)
    assert client.get("/api/v1/changes/nope").status_code == 404
