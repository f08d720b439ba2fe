"""Saving public records: one version per change, hashed canonically; retraction."""

from __future__ import annotations

import hashlib

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import transaction

from tripartite.core.actors import system_actor
from tripartite.core.canonical import canonical_json, canonical_sha256
from tripartite.core.errors import Conflict, InvalidInput
from tripartite.core.models import RecordVersion
from tripartite.core.recording import retract_record, save_record
from tripartite.forums import services
from tripartite.forums.models import Member
from tripartite.forums.tests import factories

pytestmark = pytest.mark.django_db


def versions(record: Member) -> list[RecordVersion]:
    return list(
        RecordVersion.objects.filter(
            record_type=record.RECORD_TYPE, record_key=record.key
        ).order_by("version")
    )


def rename(record: Member, name: str, reason: str = "") -> RecordVersion:
    return services.update_record(system_actor(), record, changes={"name": name}, reason=reason)


def test_creating_a_record_appends_version_1_with_op_create() -> None:
    member = factories.member()
    [version] = versions(member)
    assert (version.version, version.op, member.version) == (1, "create", 1)


def test_version_content_is_the_records_canonical_content() -> None:
    member = factories.member()
    [version] = versions(member)
    assert version.content == member.to_record()
    assert version.content["id"] == "member/xx"
    assert version.content["type"] == "member"


def test_version_sha256_is_the_sha256_of_the_canonical_content() -> None:
    member = factories.member()
    [version] = versions(member)
    assert version.sha256 == hashlib.sha256(canonical_json(version.content)).hexdigest()


def test_each_change_appends_a_version_with_the_next_number() -> None:
    member = factories.member()
    rename(member, "Second name")
    rename(member, "Third name")
    assert [(v.version, v.op) for v in versions(member)] == [
        (1, "create"),
        (2, "update"),
        (3, "update"),
    ]
    member.refresh_from_db()
    assert member.version == 3


def test_every_stored_version_rehashes_to_its_sha256() -> None:
    member = factories.member()
    rename(member, "Second name")
    rename(member, "Third name")
    stored = versions(member)
    assert [canonical_sha256(v.content) for v in stored] == [v.sha256 for v in stored]
    assert len({v.sha256 for v in stored}) == 3


def test_earlier_versions_keep_their_content_after_an_update() -> None:
    member = factories.member(name="First name")
    rename(member, "Second name")
    first, second = versions(member)
    assert first.content["name"] == "First name"
    assert second.content["name"] == "Second name"


def test_version_records_the_actor_and_the_reason() -> None:
    member = factories.member()
    rename(member, "Second name", reason="Official spelling")
    latest = versions(member)[-1]
    assert latest.actor == system_actor()
    assert latest.reason == "Official spelling"


def test_version_commitment_holds_the_hash_not_the_content() -> None:
    member = factories.member()
    [version] = versions(member)
    commitment = version.commitment()
    assert commitment == {
        "type": "member",
        "id": "member/xx",
        "version": 1,
        "op": "create",
        "sha256": version.sha256,
        "at": version.at.isoformat(),
    }


def test_actor_without_a_database_row_is_recorded_as_nobody() -> None:
    member = Member(key="yy", name="Y", kind="country")
    with transaction.atomic():
        version = save_record(member, actor=AnonymousUser())
    assert version.actor is None


def test_invalid_record_is_refused_with_invalid_input_and_nothing_written() -> None:
    member = Member(key="not a slug", name="", kind="planet")
    with pytest.raises(InvalidInput) as refused, transaction.atomic():
        save_record(member, actor=system_actor())
    assert set(refused.value.field_errors) >= {"key", "name", "kind"}
    assert not Member.objects.exists()
    assert not RecordVersion.objects.exists()


# ---------------------------------------------------------------- retraction


@pytest.mark.parametrize("reason", ["", "   ", None])
def test_retraction_needs_a_reason(reason: str | None) -> None:
    member = factories.member()
    with pytest.raises(InvalidInput):
        services.retract(system_actor(), member, reason=reason)  # type: ignore[arg-type]
    member.refresh_from_db()
    assert not member.is_retracted
    assert len(versions(member)) == 1


def test_retraction_is_a_new_version_with_its_reason() -> None:
    member = factories.member()
    services.retract(system_actor(), member, reason="Registered twice by mistake")
    first, second = versions(member)
    assert (second.version, second.op, second.reason) == (
        2,
        "retract",
        "Registered twice by mistake",
    )
    assert second.content["retraction"]["reason"] == "Registered twice by mistake"
    assert "retraction" not in first.content
    assert second.sha256 == canonical_sha256(second.content)


def test_retraction_keeps_the_row() -> None:
    member = factories.member()
    services.retract(system_actor(), member, reason="Duplicate")
    member.refresh_from_db()
    assert member.is_retracted
    assert member.retraction_reason == "Duplicate"


def test_retracted_record_cannot_be_updated() -> None:
    member = factories.member()
    services.retract(system_actor(), member, reason="Duplicate")
    with pytest.raises(Conflict):
        rename(member, "New name")
    member.refresh_from_db()
    assert member.name == "Exampleland"
    assert len(versions(member)) == 2


def test_retracted_record_cannot_be_retracted_again() -> None:
    member = factories.member()
    services.retract(system_actor(), member, reason="Duplicate")
    with pytest.raises(Conflict):
        services.retract(system_actor(), member, reason="Again")
    assert len(versions(member)) == 2


def test_save_record_refuses_a_retracted_record_even_when_called_directly() -> None:
    member = factories.member()
    services.retract(system_actor(), member, reason="Duplicate")
    member.name = "Sneaky edit"
    with pytest.raises(Conflict), transaction.atomic():
        save_record(member, actor=system_actor())


# ---------------------------------------------------------------- the transaction guard


@pytest.mark.django_db(transaction=True)
def test_save_record_outside_a_transaction_raises() -> None:
    member = Member(key="yy", name="Y", kind="country")
    with pytest.raises(RuntimeError, match="transaction"):
        save_record(member, actor=None)
    assert not Member.objects.exists()
    assert not RecordVersion.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_retract_record_outside_a_transaction_raises() -> None:
    member = factories.member()
    with pytest.raises(RuntimeError, match="transaction"):
        retract_record(member, actor=None, reason="Duplicate")
    member.refresh_from_db()
    assert not member.is_retracted
    assert len(versions(member)) == 1
