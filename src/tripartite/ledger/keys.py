"""Who the log trusts: its own signing key, its witnesses and the witness policy.

* The log key is an Ed25519 signed-note key (type 0x01) whose name is the log's origin
  (``TRIPARTITE_LOG_ORIGIN``).  It lives in ``DATA_DIR/log_key`` (or
  ``TRIPARTITE_LOG_KEY_FILE``) in Go's ``PRIVATE+KEY+…`` text form, mode 0600, and is
  generated there the first time it is needed.  Its verifier key is public (``/log/key``).
* Witnesses come from ``TRIPARTITE_LOG_WITNESSES``: name, sector, submission URL and
  cosigner verifier key (type 0x04).
* The policy (c2sp.org/tlog-policy) is ``TRIPARTITE_LOG_POLICY_FILE`` when set, otherwise
  built from the witnesses: at least one witness of every sector that has one.
"""

from __future__ import annotations

import logging
import os
import stat
import tempfile
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from .note import (
    SIG_TYPE_COSIGNATURE_ED25519,
    SIG_TYPE_ED25519,
    Ed25519Signer,
    KeyFormatError,
    SignerKey,
    VerifierKey,
    generate_signer_key,
    parse_signer_key,
    parse_verifier_key,
    valid_key_name,
)
from .policy import Policy, parse_policy

logger = logging.getLogger("tripartite.ledger")

KEY_FILE_NAME = "log_key"

_cache: dict[tuple[Path, str], SignerKey] = {}


def log_origin() -> str:
    """The log's origin: the first line of every checkpoint, and its key's name."""
    origin = str(settings.TRIPARTITE_LOG_ORIGIN)
    if not valid_key_name(origin):
        raise ImproperlyConfigured(
            f"TRIPARTITE_LOG_ORIGIN {origin!r} is not a valid key name (no spaces, no '+')"
        )
    return origin


def key_path() -> Path:
    configured = getattr(settings, "TRIPARTITE_LOG_KEY_FILE", None)
    return Path(configured) if configured else Path(settings.DATA_DIR) / KEY_FILE_NAME


def _create_key_file(path: Path, origin: str) -> None:
    """Write a new key to ``path`` atomically, unless another process just did."""
    path.parent.mkdir(parents=True, exist_ok=True)
    key = generate_signer_key(origin, SIG_TYPE_ED25519)
    fd, temporary = tempfile.mkstemp(prefix=".log_key.", dir=path.parent)  # mode 0600
    try:
        with os.fdopen(fd, "w", encoding="ascii") as handle:
            handle.write(key.to_string() + "\n")
        try:
            os.link(temporary, path)  # fails if the file exists: the first writer wins
            logger.warning("generated a new log signing key %08x in %s", key.key_id, path)
        except FileExistsError:
            pass
    finally:
        os.unlink(temporary)


def log_signer_key() -> SignerKey:
    """The log's signing key (generated on first use); its name must be the origin."""
    path, origin = key_path(), log_origin()
    cached = _cache.get((path, origin))
    if cached is not None:
        return cached
    if not path.exists():
        _create_key_file(path, origin)
    mode = stat.S_IMODE(path.stat().st_mode)
    if mode & 0o077:
        logger.warning("the log key %s is readable by others (mode %o): chmod 600 it", path, mode)
    try:
        key = parse_signer_key(path.read_text(encoding="ascii").strip())
    except (KeyFormatError, UnicodeDecodeError) as exc:
        raise ImproperlyConfigured(f"the log key in {path} is not a valid signer key") from exc
    if key.sig_type != SIG_TYPE_ED25519:
        raise ImproperlyConfigured(f"the log key in {path} is not an Ed25519 note key")
    if key.name != origin:
        raise ImproperlyConfigured(
            f"the log key in {path} is named {key.name!r} but TRIPARTITE_LOG_ORIGIN is"
            f" {origin!r}: a checkpoint's origin must be its key's name"
        )
    _cache[(path, origin)] = key
    return key


def clear_cache() -> None:
    """Forget loaded keys (tests that switch data directories)."""
    _cache.clear()


def log_signer() -> Ed25519Signer:
    return Ed25519Signer(log_signer_key())


def log_verifier_key() -> VerifierKey:
    return log_signer_key().verifier_key()


def log_vkey() -> str:
    """The published verifier key line: ``<origin>+<key id>+<base64 key>``."""
    return log_verifier_key().to_string()


def retired_vkeys() -> list[VerifierKey]:
    """Verifier keys of earlier log keys: old checkpoints stay verifiable after a rotation."""
    keys = []
    for text in getattr(settings, "TRIPARTITE_LOG_RETIRED_VKEYS", []):
        try:
            key = parse_verifier_key(text)
        except KeyFormatError as exc:
            raise ImproperlyConfigured(f"TRIPARTITE_LOG_RETIRED_VKEYS: {exc}") from exc
        if key.sig_type != SIG_TYPE_ED25519:
            raise ImproperlyConfigured("TRIPARTITE_LOG_RETIRED_VKEYS holds a non-log key")
        keys.append(key)
    return keys


def trusted_log_keys() -> list[VerifierKey]:
    """The current log key first, then the retired ones."""
    current = log_verifier_key()
    return [current, *(k for k in retired_vkeys() if k != current)]


# --------------------------------------------------------------------------
# Witnesses
# --------------------------------------------------------------------------


@dataclass(frozen=True)
class WitnessConfig:
    """A witness the log asks for cosignatures (C2SP tlog-witness add-checkpoint)."""

    name: str
    sector: str
    url: str
    key: VerifierKey

    @property
    def add_checkpoint_url(self) -> str:
        return self.url.rstrip("/") + "/add-checkpoint"


def _witness(entry: object, position: int) -> WitnessConfig:
    where = f"TRIPARTITE_LOG_WITNESSES[{position}]"
    if not isinstance(entry, dict):
        raise ImproperlyConfigured(f"{where} must be an object")
    missing = {"name", "sector", "url", "vkey"} - entry.keys()
    if missing:
        raise ImproperlyConfigured(f"{where} lacks {', '.join(sorted(missing))}")
    name, sector, url = str(entry["name"]), str(entry["sector"]), str(entry["url"])
    if not name or any(c.isspace() for c in name) or name == "none":
        raise ImproperlyConfigured(f"{where}: the name must be one word (and not 'none')")
    if not url.startswith(("http://", "https://")):
        raise ImproperlyConfigured(f"{where}: the url must be http(s)")
    try:
        key = parse_verifier_key(str(entry["vkey"]))
    except KeyFormatError as exc:
        raise ImproperlyConfigured(f"{where}: {exc}") from exc
    if key.sig_type != SIG_TYPE_COSIGNATURE_ED25519:
        raise ImproperlyConfigured(f"{where}: the vkey must be a cosignature (type 0x04) key")
    return WitnessConfig(name, sector, url, key)


def configured_witnesses() -> list[WitnessConfig]:
    entries = getattr(settings, "TRIPARTITE_LOG_WITNESSES", []) or []
    witnesses = [_witness(entry, i) for i, entry in enumerate(entries)]
    names = [w.name for w in witnesses]
    if len(set(names)) != len(names):
        raise ImproperlyConfigured("TRIPARTITE_LOG_WITNESSES: witness names must be unique")
    return witnesses


# --------------------------------------------------------------------------
# Policy
# --------------------------------------------------------------------------


def default_policy_text() -> str:
    """``log`` lines, one ``witness`` line each, one group per sector, all sectors needed."""
    lines = ["# Tripartite transparency log: trusted log keys and witness quorum."]
    lines += [f"log {key.to_string()}" for key in trusted_log_keys()]
    witnesses = configured_witnesses()
    sectors: dict[str, list[str]] = {}
    for w in witnesses:
        lines.append(f"witness {w.name} {w.key.to_string()} {w.url}")
        sectors.setdefault(w.sector, []).append(w.name)
    if not witnesses:
        lines.append("quorum none")
    else:
        groups = []
        for sector, names in sectors.items():
            groups.append(f"sector-{sector}")
            lines.append(f"group sector-{sector} any {' '.join(names)}")
        if len(groups) == 1:
            lines.append(f"quorum {groups[0]}")
        else:
            lines.append(f"group every-sector all {' '.join(groups)}")
            lines.append("quorum every-sector")
    return "\n".join(lines) + "\n"


def forum_policy_text(rules: str) -> str:
    """A forum's own witness policy: the site's ``log`` and ``witness`` lines followed by
    the forum's ``group`` and ``quorum`` lines (which name the configured witnesses).
    Blank rules mean the site's policy."""
    if not rules.strip():
        return policy_text()
    lines = ["# Tripartite transparency log: a forum's own witness quorum."]
    lines += [f"log {key.to_string()}" for key in trusted_log_keys()]
    lines += [f"witness {w.name} {w.key.to_string()} {w.url}" for w in configured_witnesses()]
    lines += [line.rstrip() for line in rules.strip().splitlines()]
    return "\n".join(lines) + "\n"


def policy_text() -> str:
    """The forum's witness policy (tlog-policy text), as published at ``/log/policy``."""
    path = getattr(settings, "TRIPARTITE_LOG_POLICY_FILE", None)
    if path:
        return Path(path).read_text(encoding="utf-8")
    return default_policy_text()


def policy() -> Policy:
    return parse_policy(policy_text())


def witness_sectors() -> dict[str, str]:
    """Sector of each configured witness, by name."""
    return {w.name: w.sector for w in configured_witnesses()}
