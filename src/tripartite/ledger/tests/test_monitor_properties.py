"""Properties of log-entry parsing in the monitor (``ledger.monitor.parse_entry``), which
reads the entries another instance publishes.

An entry the ledger writes parses back into its fields; any other bytes give the
monitor's own answer ``(None, id or None, what is wrong)``, never an exception.
"""

from __future__ import annotations

import json

from hypothesis import given, settings
from hypothesis import strategies as st

from tripartite.core.canonical import canonical_json
from tripartite.ledger import monitor

DETERMINISTIC = settings(derandomize=True, deadline=None, max_examples=300, database=None)

slugs = st.from_regex(r"[-a-zA-Z0-9_]{1,20}", fullmatch=True)
good_entries = st.builds(
    lambda type_, key, version, op, sha, at: {
        "type": type_,
        "id": f"{type_}/{key}",
        "version": version,
        "op": op,
        "sha256": sha,
        "at": at.isoformat(),
    },
    slugs,
    slugs,
    st.integers(1, 2**53 - 1),
    st.sampled_from(["create", "update", "retract"]),
    st.binary(min_size=32, max_size=32).map(bytes.hex),
    st.datetimes(),
)
json_scalars = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.integers(2**53, 2**70)  # beyond I-JSON: the canonical form cannot hold them
    | st.floats()
    | st.text(max_size=30)
    | st.just("2017-05-23T00:00:00")
)


@DETERMINISTIC
@given(good_entries)
def test_a_ledger_entry_parses_back_into_its_fields(entry: dict[str, object]) -> None:
    parsed, public_id, problem = monitor.parse_entry(7, canonical_json(entry))
    assert problem is None and public_id is None and parsed is not None
    assert (parsed.index, parsed.id, parsed.version, parsed.sha256) == (
        7,
        entry["id"],
        entry["version"],
        entry["sha256"],
    )


@DETERMINISTIC
@given(good_entries, st.sampled_from(sorted(monitor.ENTRY_FIELDS)), json_scalars)
def test_an_entry_with_any_field_replaced_is_parsed_or_named_as_wrong(
    entry: dict[str, object], field: str, value: object
) -> None:
    data = json.dumps({**entry, field: value}).encode()
    parsed, _public_id, problem = monitor.parse_entry(0, data)
    assert (parsed is None) == (problem is not None)


@DETERMINISTIC
@given(st.binary(max_size=400))
def test_arbitrary_bytes_are_parsed_or_named_as_wrong(data: bytes) -> None:
    parsed, _public_id, problem = monitor.parse_entry(0, data)
    assert (parsed is None) == (problem is not None)


def test_an_entry_whose_version_is_beyond_i_json_is_named_as_wrong() -> None:
    """Regression: such a version made ``parse_entry`` raise instead of answering."""
    entry = {
        "type": "letter",
        "id": "letter/mx-2017-0012",
        "version": 2**60,
        "op": "create",
        "sha256": "0" * 64,
        "at": "2017-05-23T00:00:00",
    }
    parsed, public_id, problem = monitor.parse_entry(0, json.dumps(entry).encode())
    assert parsed is None and public_id == "letter/mx-2017-0012"
    assert problem is not None and "I-JSON" in problem
