"""C2SP tlog-policy (c2sp.org/tlog-policy): which logs and witness quorum to trust.

A policy file is line based::

    log <vkey> [<url>]
    witness <name> <vkey> [<url>]
    group <name> <k|any|all> <member>...
    quorum <name|none>

Fields are separated by runs of ASCII spaces and tabs; blank lines and lines
starting with ``#`` are ignored.  Names (witnesses and groups share one
namespace; ``none`` is reserved) may only refer to names defined on earlier
lines, so groups cannot be circular.  A group is satisfied when at least k of
its members are; ``any`` is k = 1 and ``all`` is k = n.  Exactly one quorum
line is required.  Duplicate logs or witnesses (the same public key) are
rejected, as is a name listed as a group member more than once.

Log keys must be Ed25519 note keys (type 0x01) and witness keys timestamped
Ed25519 cosignature keys (type 0x04), the only types this core verifies.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from .checkpoint import verifier_for_key
from .note import (
    SIG_TYPE_COSIGNATURE_ED25519,
    SIG_TYPE_ED25519,
    NoteError,
    NoteSignature,
    Verifier,
    VerifierKey,
    parse_verifier_key,
)

#: Quorum name that requires no cosignatures at all.
NONE = "none"
_ALLOWED_CONTROL = frozenset("\t\n")
# Limits well above the spec's recommended minimum of 32 of each.
_MAX_ITEMS = 1024


class PolicyError(ValueError):
    """The policy text is malformed or inconsistent."""


class QuorumNotMetError(ValueError):
    """The verified cosigners do not satisfy the policy's quorum."""


@dataclass(frozen=True)
class PolicyLog:
    """A trusted log: its vkey (key name = origin) and optional URL."""

    key: VerifierKey
    url: str | None = None


@dataclass(frozen=True)
class PolicyWitness:
    """A witness: its policy-local name, cosignature vkey and optional URL."""

    name: str
    key: VerifierKey
    url: str | None = None


@dataclass(frozen=True)
class PolicyGroup:
    """A k-of-n group over earlier witnesses and groups (any = 1, all = n)."""

    name: str
    threshold: int
    members: tuple[str, ...]


@dataclass(frozen=True)
class Policy:
    """A parsed policy; evaluate it with the names of witnesses that cosigned."""

    logs: tuple[PolicyLog, ...]
    witnesses: tuple[PolicyWitness, ...]
    groups: tuple[PolicyGroup, ...]
    quorum: str
    _witness_by_name: dict[str, PolicyWitness] = field(init=False, repr=False, compare=False)
    _group_by_name: dict[str, PolicyGroup] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        # Frozen dataclass: derived lookup tables are set through object.__setattr__.
        object.__setattr__(self, "_witness_by_name", {w.name: w for w in self.witnesses})
        object.__setattr__(self, "_group_by_name", {g.name: g for g in self.groups})

    def is_satisfied(self, name: str, cosigned: frozenset[str]) -> bool:
        """Whether witness or group ``name`` has witnessed, given the cosigning witnesses."""
        if name == NONE:
            return True
        if name in self._witness_by_name:
            return name in cosigned
        group = self._group_by_name.get(name)
        if group is None:
            raise PolicyError(f"{name!r} is not a witness or group of this policy")
        return sum(self.is_satisfied(m, cosigned) for m in group.members) >= group.threshold

    def evaluate(self, cosigned_witnesses: Iterable[str]) -> bool:
        """True iff the named witnesses' cosignatures satisfy the quorum."""
        return self.is_satisfied(self.quorum, frozenset(cosigned_witnesses))

    def require_quorum(self, cosigned_witnesses: Iterable[str]) -> None:
        """Raise ``QuorumNotMetError`` unless the quorum is satisfied."""
        names = sorted(set(cosigned_witnesses))
        if not self.evaluate(names):
            raise QuorumNotMetError(
                f"quorum {self.quorum!r} not met by cosigners {names or '(none)'}"
            )

    def log_verifier_keys(self) -> list[VerifierKey]:
        return [log.key for log in self.logs]

    def witness_verifier_keys(self) -> list[VerifierKey]:
        return [w.key for w in self.witnesses]

    def witness_names_for(self, signatures: Iterable[NoteSignature]) -> set[str]:
        """Policy names of the witnesses that made these (already verified) signatures."""
        by_slot = {(w.key.name, w.key.key_id): w.name for w in self.witnesses}
        return {by_slot[(s.name, s.key_id)] for s in signatures if (s.name, s.key_id) in by_slot}

    def to_text(self) -> str:
        """Serialise in a canonical order: logs, witnesses, groups, quorum."""
        lines = [_join("log", log.key.to_string(), log.url) for log in self.logs]
        lines += [_join("witness", w.name, w.key.to_string(), w.url) for w in self.witnesses]
        lines += [" ".join(["group", g.name, str(g.threshold), *g.members]) for g in self.groups]
        lines.append(f"quorum {self.quorum}")
        return "".join(line + "\n" for line in lines)


def _join(*fields: str | None) -> str:
    return " ".join(f for f in fields if f is not None)


def verifiers_for(keys: Sequence[VerifierKey]) -> list[Verifier]:
    """Verifier objects for log (0x01) or witness (0x04) keys."""
    return [verifier_for_key(k) for k in keys]


# --------------------------------------------------------------------------
# Parsing
# --------------------------------------------------------------------------


class _Builder:
    """Accumulates policy lines, enforcing define-before-use and uniqueness."""

    def __init__(self) -> None:
        self.logs: list[PolicyLog] = []
        self.witnesses: list[PolicyWitness] = []
        self.groups: list[PolicyGroup] = []
        self.quorum: str | None = None
        self.names: set[str] = set()
        self.members_used: set[str] = set()
        self.public_keys: dict[str, set[bytes]] = {"log": set(), "witness": set()}

    def _key(self, kind: str, text: str, sig_type: int) -> VerifierKey:
        try:
            text.encode("utf-8")
            key = parse_verifier_key(text)
        except (NoteError, UnicodeEncodeError) as exc:
            raise PolicyError(f"invalid {kind} vkey: {exc}") from exc
        if key.sig_type != sig_type:
            raise PolicyError(f"{kind} key must have signature type 0x{sig_type:02x}")
        if key.public_key in self.public_keys[kind]:
            raise PolicyError(f"duplicate {kind} public key {key.name}")
        self.public_keys[kind].add(key.public_key)
        return key

    def _new_name(self, name: str) -> None:
        if name == NONE:
            raise PolicyError("'none' is reserved")
        if name in self.names:
            raise PolicyError(f"name {name!r} defined twice")
        if len(self.names) >= _MAX_ITEMS:
            raise PolicyError("too many witnesses and groups")
        self.names.add(name)

    def log(self, args: list[str]) -> None:
        if len(args) not in (1, 2) or len(self.logs) >= _MAX_ITEMS:
            raise PolicyError("usage: log <vkey> [<url>]")
        key = self._key("log", args[0], SIG_TYPE_ED25519)
        self.logs.append(PolicyLog(key, args[1] if len(args) == 2 else None))

    def witness(self, args: list[str]) -> None:
        if len(args) not in (2, 3):
            raise PolicyError("usage: witness <name> <vkey> [<url>]")
        key = self._key("witness", args[1], SIG_TYPE_COSIGNATURE_ED25519)
        self._new_name(args[0])
        self.witnesses.append(PolicyWitness(args[0], key, args[2] if len(args) == 3 else None))

    def group(self, args: list[str]) -> None:
        if len(args) < 3:
            raise PolicyError("usage: group <name> <k|any|all> <member>...")
        name, threshold_text, members = args[0], args[1], args[2:]
        for member in members:
            if member not in self.names:
                raise PolicyError(f"group member {member!r} is not defined on an earlier line")
            if member in self.members_used:
                # Each name contributes to the quorum in one way only.
                raise PolicyError(f"{member!r} is already a group member")
            self.members_used.add(member)
        threshold = _threshold(threshold_text, len(members))
        self._new_name(name)
        self.groups.append(PolicyGroup(name, threshold, tuple(members)))

    def set_quorum(self, args: list[str]) -> None:
        if len(args) != 1:
            raise PolicyError("usage: quorum <name>")
        if self.quorum is not None:
            raise PolicyError("more than one quorum line")
        if args[0] != NONE and args[0] not in self.names:
            raise PolicyError(f"quorum {args[0]!r} is not defined on an earlier line")
        self.quorum = args[0]

    def build(self) -> Policy:
        if self.quorum is None:
            raise PolicyError("policy has no quorum line")
        return Policy(tuple(self.logs), tuple(self.witnesses), tuple(self.groups), self.quorum)


def _threshold(text: str, n: int) -> int:
    if text == "all":
        return n
    if text == "any":
        return 1
    if not (text.isascii() and text.isdigit()) or (len(text) > 1 and text.startswith("0")):
        raise PolicyError(f"group threshold {text!r} must be all, any or a decimal number")
    k = int(text)
    if not 1 <= k <= n:
        raise PolicyError(f"group threshold {k} must be between 1 and {n}")
    return k


def _decode(data: bytes | str) -> str:
    if isinstance(data, str):
        try:
            data = data.encode("utf-8", "surrogateescape")
        except UnicodeEncodeError as exc:
            raise PolicyError("policy text is not encodable") from exc
    for octet in data:
        if (octet < 0x20 and chr(octet) not in _ALLOWED_CONTROL) or octet == 0x7F:
            raise PolicyError(f"forbidden control octet 0x{octet:02x}")
    # Non-ASCII octets are opaque: surrogateescape keeps names byte-exact.
    return data.decode("utf-8", "surrogateescape")


def parse_policy(data: bytes | str) -> Policy:
    """Parse a tlog-policy file (bytes or text)."""
    builder = _Builder()
    handlers = {
        "log": builder.log,
        "witness": builder.witness,
        "group": builder.group,
        "quorum": builder.set_quorum,
    }
    for number, line in enumerate(_decode(data).split("\n"), start=1):
        fields = line.replace("\t", " ").split(" ")
        fields = [f for f in fields if f]
        if not fields or fields[0].startswith("#"):
            continue
        handler = handlers.get(fields[0])
        if handler is None:
            raise PolicyError(f"line {number}: unknown keyword {fields[0]!r}")
        try:
            handler(fields[1:])
        except PolicyError as exc:
            raise PolicyError(f"line {number}: {exc}") from exc
    return builder.build()
