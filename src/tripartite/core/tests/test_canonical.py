"""RFC 8785 (JSON Canonicalization Scheme) behaviour of ``core.canonical``.

Vectors come from RFC 8785: §3.2.3 (sorting), §3.2.4 (the full example) and
Appendix B (number serialisation, given as IEEE-754 bit patterns).
"""

from __future__ import annotations

import hashlib
import json
import random
import shutil
import struct
import subprocess
from collections import OrderedDict
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tripartite.core.canonical import canonical_json, canonical_sha256

MAX_SAFE_INTEGER = 2**53 - 1


def text(value: object) -> str:
    return canonical_json(value).decode("utf-8")


# ---------------------------------------------------------------- key ordering


def test_keys_are_sorted_by_utf16_code_units_as_in_rfc_8785_example() -> None:
    # RFC 8785 §3.2.3: the expected order of these property names.
    value = {
        "\u20ac": "Euro Sign",
        "\r": "Carriage Return",
        "\ufb33": "Hebrew Letter Dalet With Dagesh",
        "1": "One",
        "\U0001f600": "Emoji: Grinning Face",
        "\u0080": "Control",
        "\u00f6": "Latin Small Letter O With Diaeresis",
    }
    keys = list(json.loads(canonical_json(value)))
    assert keys == ["\r", "1", "\u0080", "\u00f6", "\u20ac", "\U0001f600", "\ufb33"]


def test_non_bmp_key_sorts_before_bmp_key_above_e000() -> None:
    # U+1F600 is encoded as the surrogates D83D DE00, which sort before U+E000/U+FB33
    # although its code point is larger: code-point order would give the opposite.
    value = {"\ufb33": 1, "\ue000": 2, "\U0001f600": 3, "\U00010000": 4}
    assert text(value) == '{"\U00010000":4,"\U0001f600":3,"\ue000":2,"\ufb33":1}'


def test_key_ordering_is_by_code_unit_not_by_locale_or_case() -> None:
    assert text({"b": 1, "B": 2, "a": 3, "A": 4, "_": 5}) == '{"A":4,"B":2,"_":5,"a":3,"b":1}'


def test_nested_objects_are_sorted_at_every_level() -> None:
    value = {"z": {"y": 1, "x": [{"b": 2, "a": 1}]}, "a": None}
    assert text(value) == '{"a":null,"z":{"x":[{"a":1,"b":2}],"y":1}}'


def test_array_order_is_kept() -> None:
    assert text([3, 1, 2, "b", "a"]) == '[3,1,2,"b","a"]'


# ---------------------------------------------------------------- numbers

# RFC 8785 Appendix B: IEEE-754 bit pattern → expected serialisation.
RFC_8785_NUMBER_VECTORS = [
    ("0000000000000000", "0"),
    ("8000000000000000", "0"),  # minus zero
    ("0000000000000001", "5e-324"),
    ("8000000000000001", "-5e-324"),
    ("7fefffffffffffff", "1.7976931348623157e+308"),
    ("ffefffffffffffff", "-1.7976931348623157e+308"),
    ("4340000000000000", "9007199254740992"),
    ("c340000000000000", "-9007199254740992"),
    ("4430000000000000", "295147905179352830000"),
    ("44b52d02c7e14af5", "9.999999999999997e+22"),
    ("44b52d02c7e14af6", "1e+23"),
    ("44b52d02c7e14af7", "1.0000000000000001e+23"),
    ("444b1ae4d6e2ef4e", "999999999999999700000"),
    ("444b1ae4d6e2ef4f", "999999999999999900000"),
    ("444b1ae4d6e2ef50", "1e+21"),
    ("3eb0c6f7a0b5ed8c", "9.999999999999997e-7"),
    ("3eb0c6f7a0b5ed8d", "0.000001"),
    ("41b3de4355555553", "333333333.3333332"),
    ("41b3de4355555554", "333333333.33333325"),
    ("41b3de4355555555", "333333333.3333333"),
    ("41b3de4355555556", "333333333.3333334"),
    ("41b3de4355555557", "333333333.33333343"),
    ("becbf647612f3696", "-0.0000033333333333333333"),
    ("43143ff3c1cb0959", "1424953923781206.2"),
]


@pytest.mark.parametrize(("bits", "expected"), RFC_8785_NUMBER_VECTORS)
def test_number_serialisation_matches_rfc_8785_appendix_b(bits: str, expected: str) -> None:
    value = struct.unpack(">d", bytes.fromhex(bits))[0]
    assert text(value) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (1e21, "1e+21"),
        (1e20, "100000000000000000000"),
        (1e-7, "1e-7"),
        (1e-6, "0.000001"),
        (333333333.33333329, "333333333.3333333"),
        (-0.0, "0"),
        (4.50, "4.5"),
        (2e-3, "0.002"),
        (1e30, "1e+30"),
        (100.0, "100"),
        (-1.5, "-1.5"),
    ],
)
def test_number_serialisation_follows_ecmascript(value: float, expected: str) -> None:
    assert text(value) == expected


def test_integers_within_the_safe_range_are_written_as_is() -> None:
    assert text([0, -1, MAX_SAFE_INTEGER, -MAX_SAFE_INTEGER]) == (
        f"[0,-1,{MAX_SAFE_INTEGER},-{MAX_SAFE_INTEGER}]"
    )


@pytest.mark.parametrize("value", [2**53, -(2**53), 2**64, 10**30])
def test_integer_beyond_2_to_the_53_is_rejected(value: int) -> None:
    with pytest.raises(ValueError, match="safe range"):
        canonical_json({"n": value})


@pytest.mark.parametrize("value", [float("nan"), float("inf"), float("-inf")])
def test_nan_and_infinity_are_rejected(value: float) -> None:
    with pytest.raises(ValueError):
        canonical_json([value])


def test_booleans_are_literals_not_numbers() -> None:
    assert text([True, False, 1, 0]) == "[true,false,1,0]"


def test_number_formatting_agrees_with_javascript(tmp_path: Path) -> None:
    """ECMAScript's Number.prototype.toString is the reference JCS points to."""
    node = shutil.which("node")
    if node is None:
        pytest.skip("node is not installed")
    rng = random.Random(8785)
    values: list[float] = []
    while len(values) < 3000:
        value = struct.unpack(">d", rng.getrandbits(64).to_bytes(8, "big"))[0]
        if value == value and abs(value) != float("inf"):
            values.append(value)
    values += [rng.uniform(-1e6, 1e6) for _ in range(500)]
    values += [rng.random() * 10 ** rng.randint(-30, 30) for _ in range(500)]
    source = tmp_path / "numbers.json"
    # repr gives Python's shortest round-trip digits; JSON.parse reads them exactly.
    source.write_text("[" + ",".join(repr(v) for v in values) + "]")
    script = (
        "const fs=require('fs');"
        "const xs=JSON.parse(fs.readFileSync(process.argv[1],'utf8'));"
        "process.stdout.write(JSON.stringify(xs.map(x=>JSON.stringify(x))));"
    )
    result = subprocess.run(
        [node, "-e", script, str(source)], capture_output=True, text=True, check=True
    )
    expected = json.loads(result.stdout)
    mismatches = [(v, text(v), e) for v, e in zip(values, expected, strict=True) if text(v) != e]
    assert mismatches == []


# ---------------------------------------------------------------- strings


@pytest.mark.parametrize(
    ("char", "escaped"),
    [
        ("\b", "\\b"),
        ("\t", "\\t"),
        ("\n", "\\n"),
        ("\f", "\\f"),
        ("\r", "\\r"),
        ("\u0000", "\\u0000"),
        ("\u0001", "\\u0001"),
        ("\u000b", "\\u000b"),
        ("\u000f", "\\u000f"),
        ("\u001f", "\\u001f"),
        ('"', '\\"'),
        ("\\", "\\\\"),
    ],
)
def test_control_characters_quote_and_backslash_are_escaped(char: str, escaped: str) -> None:
    assert text(char) == f'"{escaped}"'


@pytest.mark.parametrize(
    "char", ["/", "\u007f", "\u0080", "\u00e9", "\u2028", "\u20ac", "\U0001f600", "'"]
)
def test_other_characters_are_written_unescaped_in_utf8(char: str) -> None:
    assert canonical_json(char) == f'"{char}"'.encode()


def test_unicode_escapes_use_lowercase_hex() -> None:
    assert text("\u001b\u001e") == '"\\u001b\\u001e"'


def test_rfc_8785_full_example() -> None:
    # RFC 8785 §3.2.2 input and §3.2.3 expected output.
    source = r"""{
      "numbers": [333333333.33333329, 1E30, 4.50, 2e-3, 0.000000000000000000000000001],
      "string": "\u20ac$\u000F\u000aA'\u0042\u0022\u005c\\\"\/",
      "literals": [null, true, false]
    }"""
    expected = (
        '{"literals":[null,true,false],"numbers":[333333333.3333333,1e+30,4.5,0.002,1e-27],'
        '"string":"\u20ac$\\u000f\\nA\'B\\"\\\\\\\\\\"/"}'
    )
    assert canonical_json(json.loads(source)) == expected.encode("utf-8")


# ---------------------------------------------------------------- structure


def test_output_has_no_insignificant_whitespace() -> None:
    value = {"a": [1, 2, {"b": [None, True]}], "c": {"d": "e f"}}
    assert text(value) == '{"a":[1,2,{"b":[null,true]}],"c":{"d":"e f"}}'


def test_empty_containers() -> None:
    assert text({"a": {}, "b": []}) == '{"a":{},"b":[]}'


def test_tuples_are_arrays() -> None:
    assert text((1, "x")) == '[1,"x"]'


def test_output_is_utf8_bytes() -> None:
    assert canonical_json({"k": "\u00f1"}) == b'{"k":"\xc3\xb1"}'


@pytest.mark.parametrize("value", [{1: "a"}, {None: 1}, {("a",): 1}])
def test_non_string_keys_are_rejected(value: object) -> None:
    with pytest.raises(TypeError):
        canonical_json(value)


@pytest.mark.parametrize("value", [b"bytes", {1, 2}, object(), 1 + 2j])
def test_values_that_are_not_json_are_rejected(value: object) -> None:
    with pytest.raises(TypeError):
        canonical_json({"v": value})


def test_canonical_sha256_is_the_sha256_of_the_canonical_bytes() -> None:
    value = {"b": [1, 2.5, "\u20ac"], "a": None}
    assert canonical_sha256(value) == hashlib.sha256(canonical_json(value)).hexdigest()
    assert (
        canonical_sha256(value)
        == hashlib.sha256(b'{"a":null,"b":[1,2.5,"\xe2\x82\xac"]}').hexdigest()
    )


# ---------------------------------------------------------------- properties

safe_integers = st.integers(min_value=-MAX_SAFE_INTEGER, max_value=MAX_SAFE_INTEGER)
finite_floats = st.floats(allow_nan=False, allow_infinity=False)
json_without_floats = st.recursive(
    st.none() | st.booleans() | safe_integers | st.text(),
    lambda children: (
        st.lists(children, max_size=5) | st.dictionaries(st.text(), children, max_size=5)
    ),
    max_leaves=25,
)
json_with_floats = st.recursive(
    st.none() | st.booleans() | safe_integers | finite_floats | st.text(),
    lambda children: (
        st.lists(children, max_size=5) | st.dictionaries(st.text(), children, max_size=5)
    ),
    max_leaves=25,
)


@settings(deadline=None)  # no time limits in tests
@given(json_without_floats)
def test_round_trip_through_json_loads_gives_the_same_value(value: object) -> None:
    assert json.loads(canonical_json(value)) == value


@settings(deadline=None)  # no time limits in tests
@given(
    st.dictionaries(st.text(), safe_integers | st.text(), min_size=2, max_size=8),
    st.randoms(use_true_random=False),
)
def test_key_order_of_the_input_does_not_matter(value: dict, rng: random.Random) -> None:
    items = list(value.items())
    rng.shuffle(items)
    assert canonical_json(OrderedDict(items)) == canonical_json(value)


def read_as_ijson(data: bytes) -> object:
    """Parse as JCS expects: every number is an IEEE-754 double."""
    return json.loads(data, parse_int=float)


@settings(deadline=None)  # no time limits in tests
@given(json_with_floats)
def test_canonicalisation_is_idempotent(value: object) -> None:
    once = canonical_json(value)
    assert canonical_json(read_as_ijson(once)) == once


@settings(deadline=None)  # no time limits in tests
@given(finite_floats)
def test_every_finite_float_reads_back_as_the_same_number(value: float) -> None:
    assert read_as_ijson(canonical_json(value)) == value


@settings(deadline=None)  # no time limits in tests
@given(json_with_floats)
def test_output_is_valid_json(value: object) -> None:
    json.loads(canonical_json(value))
