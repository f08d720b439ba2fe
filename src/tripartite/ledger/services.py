"""Signing checkpoints and collecting witness cosignatures.

``sign_checkpoint()`` is what the checkpointer runs every few seconds:

1. read the head (size, root) and return at once if the latest checkpoint already has that
   size (no writes since), unless that checkpoint missed its witness quorum and
   ``TRIPARTITE_LOG_WITNESS_RETRY`` seconds have passed;
2. check the stored tree: it must hash to the head's root, and to every earlier
   checkpoint's root at its size — the log never signs a tree that contradicts one it
   signed before;
3. sign the checkpoint with the log key;
4. ask every configured witness to cosign (C2SP tlog-witness ``add-checkpoint``: ``old
   <size it last cosigned>`` and a consistency proof), in parallel, with a short timeout;
   a 409 answer names the witness's real size and the request is sent again once from there;
5. keep only cosignatures that verify with the witness's key, evaluate the witness policy,
   and store the checkpoint and its cosignatures (all checkpoints are kept).

The witnesses are asked *outside* any database transaction: a slow witness never holds the
database's write lock.  This is why ``sign_checkpoint`` checks its permission itself
rather than through ``@service`` (whose body always runs in one transaction); it is
registered with its permission all the same.
"""

from __future__ import annotations

import logging
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tripartite.core.actors import SYSTEM_USERNAME, system_actor
from tripartite.core.errors import PermissionDenied
from tripartite.core.permissions import Permission
from tripartite.core.services import REGISTRY

from .checkpoint import Checkpoint as CheckpointBody
from .checkpoint import CosignatureVerifier, cosignature_timestamp
from .checkpoint import sign_checkpoint as sign_checkpoint_note
from .keys import WitnessConfig, configured_witnesses, log_origin, log_signer, policy
from .merkle import consistency_proof_at, root_at, verify_consistency
from .models import Checkpoint, Cosignature
from .note import Note, NoteError, NoteSignature, encode_base64, parse_note
from .storage import DatabaseHashReader, LogStateError, lock_head, read_head

logger = logging.getLogger("tripartite.ledger")

USER_AGENT = "tripartite-log/1"
SIZE_CONTENT_TYPE = "text/x.tlog.size"


def _may_sign(actor: Any, target: Any) -> bool:
    return bool(getattr(actor, "is_superuser", False)) or (
        getattr(actor, "get_username", lambda: "")() == SYSTEM_USERNAME
    )


LOG_SIGNER = Permission(
    code="ledger.sign_checkpoint",
    description=gettext_lazy(
        "The system (the checkpointer) and superusers may sign the log's checkpoints."
    ),
    rule=_may_sign,
)


# --------------------------------------------------------------------------
# Talking to witnesses
# --------------------------------------------------------------------------


@dataclass(frozen=True)
class WitnessAnswer:
    """What one add-checkpoint request brought back."""

    witness: WitnessConfig
    old_size: int
    status: int | None  # None: no HTTP answer (network error, timeout)
    body: bytes
    error: str = ""

    @property
    def conflict_size(self) -> int | None:
        """The witness's own size from a 409 answer, if it gave one."""
        if self.status != 409:
            return None
        text = self.body.decode("ascii", "replace").strip()
        return int(text) if text.isdigit() and (text == "0" or not text.startswith("0")) else None


def _add_checkpoint_body(old_size: int, proof: list[bytes], note: bytes) -> bytes:
    """The C2SP tlog-witness request: ``old N``, proof lines, a blank line, the note."""
    lines = [f"old {old_size}", *(encode_base64(h) for h in proof)]
    return ("\n".join(lines) + "\n\n").encode() + note


def _post(witness: WitnessConfig, old_size: int, body: bytes, timeout: float) -> WitnessAnswer:
    """One HTTP request (runs in a worker thread: no database access here)."""
    request = urllib.request.Request(  # noqa: S310 - the URL is checked to be http(s)
        witness.add_checkpoint_url,
        data=body,
        method="POST",
        headers={"Content-Type": "text/plain; charset=utf-8", "User-Agent": USER_AGENT},
    )
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
            return WitnessAnswer(witness, old_size, response.status, response.read(64 * 1024))
    except urllib.error.HTTPError as exc:
        try:
            data = exc.read(64 * 1024)
        finally:
            exc.close()
        return WitnessAnswer(witness, old_size, exc.code, data, f"HTTP {exc.code}")
    except (urllib.error.URLError, TimeoutError, OSError) as exc:
        return WitnessAnswer(witness, old_size, None, b"", str(getattr(exc, "reason", exc)))


def _last_cosigned_size(witness: WitnessConfig) -> int:
    """The size of the latest checkpoint this witness cosigned for us (0 if none)."""
    size = (
        Cosignature.objects.filter(witness=witness.name)
        .order_by("-checkpoint__size")
        .values_list("checkpoint__size", flat=True)
        .first()
    )
    return size or 0


def _proof(old_size: int, size: int, reader: DatabaseHashReader) -> list[bytes]:
    if 0 < old_size < size:
        return consistency_proof_at(old_size, size, reader)
    return []


def _verified_cosignature(answer: WitnessAnswer, text: str) -> tuple[NoteSignature, int] | None:
    """The witness's cosignature line from a 200 answer, if it verifies."""
    try:
        lines = answer.body.decode("utf-8")
        signatures = parse_note((text + "\n" + lines).encode()).signatures
    except (UnicodeDecodeError, NoteError) as exc:
        logger.warning("witness %s sent a malformed answer: %s", answer.witness.name, exc)
        return None
    verifier = CosignatureVerifier(answer.witness.key)
    for signature in signatures:
        if (signature.name, signature.key_id) != (verifier.name, verifier.key_id):
            continue
        timestamp = cosignature_timestamp(signature)
        if timestamp and verifier.verify(text.encode(), signature.signature):
            return signature, timestamp
    logger.warning("witness %s sent no cosignature that verifies", answer.witness.name)
    return None


def _collect_cosignatures(
    note: bytes, size: int, reader: DatabaseHashReader, witnesses: list[WitnessConfig]
) -> dict[str, tuple[WitnessConfig, NoteSignature, int]]:
    """Ask every witness to cosign ``note`` (of tree ``size``); the verified cosignatures."""
    timeout = float(settings.TRIPARTITE_LOG_WITNESS_TIMEOUT)
    text = parse_note(note).text
    pending = [(w, _last_cosigned_size(w)) for w in witnesses]
    results: dict[str, tuple[WitnessConfig, NoteSignature, int]] = {}
    # Round 1 with the size we last saw each witness cosign; round 2 from the size a
    # witness says it is at (409).  Proofs are read here, in the caller's thread.
    for _round in range(2):
        if not pending:
            break
        requests = []
        for witness, old in pending:
            if old > size:
                logger.error(
                    "witness %s has cosigned a tree of size %d, larger than this log's %d:"
                    " the log was truncated or forked, or the witness serves another log",
                    witness.name,
                    old,
                    size,
                )
                continue
            requests.append(
                (witness, old, _add_checkpoint_body(old, _proof(old, size, reader), note))
            )
        with ThreadPoolExecutor(max_workers=max(1, min(8, len(requests)))) as pool:
            answers = list(pool.map(lambda r: _post(r[0], r[1], r[2], timeout), requests))
        pending = []
        for answer in answers:
            if answer.status == 200:
                found = _verified_cosignature(answer, text)
                if found is not None:
                    results[answer.witness.name] = (answer.witness, *found)
                continue
            conflict = answer.conflict_size
            if conflict is not None and conflict != answer.old_size:
                pending.append((answer.witness, conflict))
                continue
            logger.warning(
                "witness %s did not cosign checkpoint %d: %s %s",
                answer.witness.name,
                size,
                answer.error or answer.status,
                answer.body[:200].decode("utf-8", "replace").strip(),
            )
    return results


# --------------------------------------------------------------------------
# Signing
# --------------------------------------------------------------------------


def _check_stored_tree(
    size: int, root: bytes, latest: Checkpoint | None, reader: DatabaseHashReader
) -> None:
    """Refuse to sign unless the stored tree hashes to the head's root and extends the
    latest checkpoint (the proof a witness will check, checked here first)."""
    if root_at(size, reader) != root:
        raise LogStateError(f"the stored tree of size {size} does not hash to the head's root")
    if latest is None or latest.size == 0:
        return
    old_root = bytes(latest.root)
    proof = consistency_proof_at(latest.size, size, reader) if latest.size < size else []
    if not verify_consistency(latest.size, size, proof, old_root, root):
        raise LogStateError(
            f"the stored tree of size {size} does not extend checkpoint {latest.size}:"
            " the log's tables were changed outside the application"
        )


def _needs_checkpoint(size: int, latest: Checkpoint | None) -> bool:
    if size == 0:
        return False
    if latest is None or latest.size < size:
        return True
    if latest.quorum_met:
        return False
    retry = timedelta(seconds=float(settings.TRIPARTITE_LOG_WITNESS_RETRY))
    return bool(configured_witnesses()) and timezone.now() - latest.signed_at >= retry


def sign_checkpoint(actor: Any = None, *, force: bool = False) -> Checkpoint | None:
    """Sign the current tree head if it grew since the last checkpoint; collect cosignatures.

    ``actor`` defaults to the system actor (the checkpointer).  Returns the new
    checkpoint, or None when there was nothing new to sign.  ``force`` signs even when
    the size did not change (a fresh round of cosignatures).
    """
    if actor is None:
        actor = system_actor()
    if not LOG_SIGNER.allows(actor):
        raise PermissionDenied(
            _("You do not have permission to do this (%(permission)s).")
            % {"permission": LOG_SIGNER.code}
        )
    size, root = read_head()
    latest = Checkpoint.objects.order_by("-size", "-id").first()
    if size == 0 or not (force or _needs_checkpoint(size, latest)):
        return None
    if latest is not None and latest.size > size:
        raise LogStateError(f"the head (size {size}) is behind checkpoint {latest.size}")
    reader = DatabaseHashReader()
    _check_stored_tree(size, root, latest, reader)

    signer = log_signer()
    body = CheckpointBody(log_origin(), size, root)
    note = sign_checkpoint_note(body, signer)
    witnesses = configured_witnesses()
    cosigned = _collect_cosignatures(note, size, reader, witnesses) if witnesses else {}
    trust = policy()
    # Policy names come from the policy's own keys, so a policy file may name witnesses
    # differently from TRIPARTITE_LOG_WITNESSES.
    names = trust.witness_names_for([signature for _w, signature, _t in cosigned.values()])
    quorum_met = trust.evaluate(names)
    parsed = parse_note(note)
    full_note = Note(
        parsed.text, (*parsed.signatures, *(sig for _w, sig, _t in cosigned.values()))
    ).to_bytes()

    with transaction.atomic():
        lock_head()  # one signer at a time stores; sizes never go backwards
        newest = Checkpoint.objects.order_by("-size", "-id").values_list("size", flat=True).first()
        if newest is not None and newest > size:
            logger.info("a checkpoint larger than %d was stored meanwhile; dropping this one", size)
            return None
        checkpoint = Checkpoint.objects.create(
            size=size,
            root=root,
            note=full_note.decode("utf-8"),
            key_id=f"{signer.key_id:08x}",
            signed_at=timezone.now(),
            quorum_met=quorum_met,
        )
        Cosignature.objects.bulk_create(
            [
                Cosignature(
                    checkpoint=checkpoint,
                    witness=witness.name,
                    sector=witness.sector,
                    key_name=signature.name,
                    key_id=f"{signature.key_id:08x}",
                    timestamp=timestamp,
                    line=signature.to_line(),
                )
                for witness, signature, timestamp in cosigned.values()
            ]
        )
    if not quorum_met:
        logger.warning(
            "checkpoint %d misses the witness quorum %r (cosigned by %s)",
            size,
            trust.quorum,
            ", ".join(sorted(names)) or "nobody",
        )
    return checkpoint


sign_checkpoint.__service_permission__ = LOG_SIGNER  # type: ignore[attr-defined]
REGISTRY[f"{__name__}.sign_checkpoint"] = LOG_SIGNER
