"""The services: recipient keys (staff) and sealed submissions (anyone, ciphertext only)."""

from __future__ import annotations

import json

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser

from tripartite.confidential import sealing, services
from tripartite.confidential.models import SealedSubmission
from tripartite.core.actors import system_actor
from tripartite.core.errors import Conflict, InvalidInput, PermissionDenied
from tripartite.core.models import RecordVersion
from tripartite.ledger.models import LogEntry

from .helpers import recipient

pytestmark = pytest.mark.django_db

FIELDS = {"kind": "concern", "about": "", "message": "A private concern", "contact": ""}


def sealed_to_all() -> dict[str, str]:
    from tripartite.confidential.queries import active_recipients

    return sealing.seal_message(FIELDS, [(r.public_id, r.public_key) for r in active_recipients()])


def test_staff_register_a_key_as_a_logged_public_record() -> None:
    key, pair = recipient("Ana Co-chair")
    assert key.public_id.startswith("recipientkey/ana-co-chair-")
    version = RecordVersion.objects.get(record_type="recipientkey")
    assert version.content["public_key"] == pair.public_b64
    assert version.content["fingerprint"] == sealing.fingerprint(pair.public_b64)
    assert version.content["retired_on"] is None


def test_a_key_must_be_a_public_key_and_registered_once() -> None:
    with pytest.raises(InvalidInput) as error:
        services.register_recipient_key(system_actor(), name="X", public_key="nope")
    assert "public_key" in error.value.field_errors
    key, _pair = recipient()
    with pytest.raises(Conflict):
        services.register_recipient_key(system_actor(), name="Y", public_key=key.public_key)


def test_visitors_cannot_register_keys() -> None:
    citizen = get_user_model().objects.create_user("citizen", password="x" * 16)
    for actor in (AnonymousUser(), citizen):
        with pytest.raises(PermissionDenied):
            services.register_recipient_key(
                actor, name="X", public_key=sealing.generate_key_pair().public_b64
            )


def test_a_retired_key_gets_no_new_copies() -> None:
    old, _ = recipient("Old")
    recipient("New")
    services.retire_recipient_key(system_actor(), old, reason="Left the committee.")
    assert old.version == 2
    submission, _code = services.submit_sealed(AnonymousUser(), copies=sealed_to_all())
    assert [r.name for r in submission.recipients.all()] == ["New"]
    with pytest.raises(Conflict):
        services.retire_recipient_key(system_actor(), old)


def test_the_log_holds_only_the_commitment_of_a_sealed_submission() -> None:
    recipient("One")
    recipient("Two")
    submission, code = services.submit_sealed(AnonymousUser(), copies=sealed_to_all())
    version = RecordVersion.objects.get(record_type="sealed")
    assert set(version.content) == {"id", "type", "bundle_sha256", "submitted_on", "recipients"}
    assert version.content["bundle_sha256"] == sealing.bundle_sha256(bytes(submission.bundle))
    assert version.content["submitted_on"] == submission.submitted_on.isoformat()
    assert version.content["recipients"] == sorted(r.public_id for r in submission.recipients.all())
    assert version.actor is None
    entry = LogEntry.objects.get(record_version=version)
    assert json.loads(bytes(entry.data)) == version.commitment()
    assert set(version.commitment()) == {"type", "id", "version", "op", "sha256", "at"}
    # The receipt code is kept only as its hash, and never in the record.
    assert submission.receipt_sha256 == sealing.receipt_hash(code)
    assert code not in str(version.content)


def test_a_signed_in_submitters_account_is_not_recorded() -> None:
    recipient()
    citizen = get_user_model().objects.create_user("citizen", password="x" * 16)
    services.submit_sealed(citizen, copies=sealed_to_all())
    assert RecordVersion.objects.get(record_type="sealed").actor is None


def test_copies_must_match_the_current_keys_and_nothing_is_kept_otherwise() -> None:
    recipient("One")
    copies = sealed_to_all()
    recipient("Two")  # a key added after sealing
    with pytest.raises(InvalidInput):
        services.submit_sealed(AnonymousUser(), copies=copies)
    with pytest.raises(InvalidInput):
        services.submit_sealed(AnonymousUser(), copies=dict.fromkeys(copies, sealing.b64(b"clear")))
    assert not SealedSubmission.objects.exists()
    assert not RecordVersion.objects.filter(record_type="sealed").exists()


def test_without_a_key_nothing_can_be_submitted() -> None:
    with pytest.raises(Conflict):
        services.submit_sealed(AnonymousUser(), copies={})


def test_the_same_sealed_bundle_is_received_once() -> None:
    recipient()
    copies = sealed_to_all()
    services.submit_sealed(AnonymousUser(), copies=copies)
    with pytest.raises(Conflict):
        services.submit_sealed(AnonymousUser(), copies=copies)
