"""C2SP tlog-policy parsing and quorum evaluation."""

import hashlib

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tripartite.ledger import note, policy


def vkey(label: str, sig_type: int = 0x04) -> str:
    seed = hashlib.sha256(label.encode()).digest()
    return note.SignerKey(f"{label}.example", sig_type, seed).verifier_key().to_string()


LOG = vkey("log", 0x01)

SPEC_EXAMPLE = f"""\
log {LOG}

witness X1 {vkey("x1")}
witness X2 {vkey("x2")}
witness X3 {vkey("x3")}
group X-witnesses 2 X1 X2 X3

witness Y1 {vkey("y1")}
witness Y2 {vkey("y2")}
witness Y3 {vkey("y3")}
group Y-witnesses any Y1 Y2 Y3

group X-and-Y all X-witnesses Y-witnesses
quorum X-and-Y
"""


def parse(text: str) -> policy.Policy:
    return policy.parse_policy(text)


def test_spec_example_parses_into_logs_witnesses_groups_and_quorum() -> None:
    p = parse(SPEC_EXAMPLE)
    assert [log.key.to_string() for log in p.logs] == [LOG]
    assert [w.name for w in p.witnesses] == ["X1", "X2", "X3", "Y1", "Y2", "Y3"]
    assert [(g.name, g.threshold) for g in p.groups] == [
        ("X-witnesses", 2),
        ("Y-witnesses", 1),
        ("X-and-Y", 2),
    ]
    assert p.quorum == "X-and-Y"


def test_two_of_x_and_one_of_y_meets_the_quorum() -> None:
    assert parse(SPEC_EXAMPLE).evaluate({"X1", "X3", "Y2"})


def test_quorum_not_met_without_any_y_witness() -> None:
    assert not parse(SPEC_EXAMPLE).evaluate({"X1", "X2", "X3"})


def test_quorum_not_met_with_only_one_x_witness() -> None:
    p = parse(SPEC_EXAMPLE)
    assert not p.evaluate({"X1", "Y1", "Y2", "Y3"})
    with pytest.raises(policy.QuorumNotMetError, match="X-and-Y"):
        p.require_quorum({"X1", "Y1"})


def test_quorum_none_needs_no_cosignatures() -> None:
    assert parse(f"log {LOG}\nquorum none\n").evaluate(set())


def test_quorum_can_name_a_single_witness() -> None:
    p = parse(f"witness W {vkey('w')}\nquorum W\n")
    assert p.evaluate({"W"})
    assert not p.evaluate(set())


def test_asking_about_an_undefined_group_is_an_error() -> None:
    with pytest.raises(policy.PolicyError):
        parse(SPEC_EXAMPLE).is_satisfied("Z-witnesses", frozenset())


def test_unknown_names_do_not_count_towards_the_quorum() -> None:
    assert not parse(f"witness W {vkey('w')}\nquorum W\n").evaluate({"Z", "X1"})


def test_comments_blank_lines_tabs_and_urls_are_accepted() -> None:
    text = (
        "# trust roots\n"
        "   \n"
        f"\tlog\t{LOG}  https://forum.example.gov/log \n"
        f"  # a comment\nwitness  W {vkey('w')} https://w.example/\n"
        "quorum W"
    )
    p = parse(text)
    assert p.logs[0].url == "https://forum.example.gov/log"
    assert p.witnesses[0].url == "https://w.example/"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (f"group G any W\nwitness W {vkey('w')}\nquorum G\n", "not defined"),
        (f"witness W {vkey('w')}\nquorum G\ngroup G any W\n", "not defined"),
        (f"witness W {vkey('w')}\nwitness W {vkey('v')}\nquorum W\n", "defined twice"),
        (f"witness none {vkey('w')}\nquorum none\n", "reserved"),
        (f"witness W {vkey('w')}\ngroup G any W\ngroup H any W\nquorum H\n", "already a group"),
        (f"witness W {vkey('w')}\ngroup G any W W\nquorum G\n", "already a group"),
        (f"witness W {vkey('w')}\ngroup G 0 W\nquorum G\n", "between 1 and 1"),
        (f"witness W {vkey('w')}\ngroup G 2 W\nquorum G\n", "between 1 and 1"),
        (f"witness W {vkey('w')}\ngroup G 01 W\nquorum G\n", "decimal"),
        (f"witness W {vkey('w')}\ngroup G any\nquorum G\n", "usage"),
        (f"witness W {vkey('w')}\ngroup G any none\nquorum G\n", "not defined"),
        (f"witness W {vkey('w')}\n", "no quorum"),
        (f"witness W {vkey('w')}\nquorum W\nquorum W\n", "more than one"),
        ("quorum none\nlogs x\n", "unknown keyword"),
        (f"log {LOG}\nlog {LOG}\nquorum none\n", "duplicate log"),
        (f"witness A {vkey('w')}\nwitness B {vkey('w')}\nquorum A\n", "duplicate witness"),
        (f"witness W {vkey('w', 0x01)}\nquorum W\n", "type 0x04"),
        (f"log {vkey('l', 0x04)}\nquorum none\n", "type 0x01"),
        ("log not-a-vkey\nquorum none\n", "invalid log vkey"),
        (f"witness W {vkey('w')} url extra\nquorum W\n", "usage"),
        ("quorum none\x0b\n", "control"),
    ],
    ids=[
        "member-defined-later",
        "quorum-before-group",
        "duplicate-name",
        "reserved-none",
        "member-in-two-groups",
        "member-twice-in-group",
        "threshold-zero",
        "threshold-above-n",
        "threshold-leading-zero",
        "group-without-members",
        "none-as-member",
        "missing-quorum",
        "two-quorums",
        "unknown-keyword",
        "duplicate-log-key",
        "duplicate-witness-key",
        "witness-with-note-key",
        "log-with-cosignature-key",
        "bad-vkey",
        "too-many-fields",
        "control-character",
    ],
)
def test_invalid_policies_are_rejected(text: str, message: str) -> None:
    with pytest.raises(policy.PolicyError, match=message):
        parse(text)


def test_non_ascii_names_are_opaque_octets() -> None:
    kelvin = "\u212a"
    p = policy.parse_policy(f"witness {kelvin} {vkey('w')}\nquorum {kelvin}\n".encode())
    assert p.evaluate({kelvin})
    assert not p.evaluate({"K"})


def test_serialised_policy_parses_to_the_same_policy() -> None:
    p = parse(SPEC_EXAMPLE)
    assert parse(p.to_text()) == p


def test_witness_names_are_found_from_verified_signatures() -> None:
    p = parse(SPEC_EXAMPLE)
    key = note.parse_verifier_key(vkey("y2"))
    sig = note.NoteSignature(key.name, key.key_id, b"")
    stranger = note.NoteSignature("z.example", 1, b"")
    assert p.witness_names_for([sig, stranger]) == {"Y2"}


@given(
    k=st.integers(1, 5),
    cosigned=st.sets(st.sampled_from(["A", "B", "C", "D", "E", "F"])),
)
def test_k_of_n_group_is_met_exactly_when_k_members_cosigned(k: int, cosigned: set[str]) -> None:
    members = ["A", "B", "C", "D", "E"]
    lines = [f"witness {m} {vkey(m.lower())}" for m in members]
    p = parse("\n".join([*lines, f"group G {k} {' '.join(members)}", "quorum G"]) + "\n")
    assert p.evaluate(cosigned) == (len(cosigned & set(members)) >= k)
