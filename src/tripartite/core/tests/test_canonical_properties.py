"""Properties of RFC 8785 canonical JSON (``core.canonical``) for arbitrary values.

``test_canonical.py`` holds the RFC's vectors and the round-trip properties; these add
the number grammar of ECMAScript, the refusal of what I-JSON forbids, and that nothing
but ``TypeError``/``ValueError`` ever comes out for a value that is not JSON.
"""

from __future__ import annotations

import math
import re
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tripartite.core.canonical import canonical_json

MAX_SAFE_INTEGER = 2**53 - 1
# ECMAScript Number.prototype.toString as JCS uses it: no "+" or leading zeros in the
# mantissa, an exponent only outside [1e-6, 1e21), and then always signed.
ECMASCRIPT_NUMBER = re.compile(r"-?(0|[1-9][0-9]*)(\.[0-9]*[1-9])?(e[+-][1-9][0-9]*)?")
JSON_STRING = re.compile(r'"(?:[^"\\]|\\.)*"')
DETERMINISTIC = settings(derandomize=True, deadline=None, max_examples=300, database=None)

finite_floats = st.floats(allow_nan=False, allow_infinity=False)
leaves = (
    st.none()
    | st.booleans()
    | st.integers(-MAX_SAFE_INTEGER, MAX_SAFE_INTEGER)
    | finite_floats
    | st.text()
)
json_values = st.recursive(
    leaves,
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(), children, max_size=4)
    ),
    max_leaves=20,
)
not_json = (
    st.binary()
    | st.sets(st.integers(), min_size=1)
    | st.complex_numbers()
    | st.decimals(allow_nan=False)
    | st.dates()
    | st.integers().filter(lambda n: abs(n) > MAX_SAFE_INTEGER)
    | st.sampled_from([math.nan, math.inf, -math.inf, object()])
)


@DETERMINISTIC
@given(finite_floats)
def test_every_number_is_written_in_ecmascript_form(value: float) -> None:
    written = canonical_json(value).decode()
    assert ECMASCRIPT_NUMBER.fullmatch(written), written
    uses_exponent = "e" in written
    assert uses_exponent == (value != 0 and not 1e-6 <= abs(value) < 1e21), written


@DETERMINISTIC
@given(finite_floats)
def test_every_number_uses_the_shortest_digits_that_read_back(value: float) -> None:
    written = canonical_json(value).decode()
    assert float(written) == value
    digits = Decimal(written).normalize().as_tuple().digits
    assert len(digits) <= len(Decimal(repr(abs(value))).normalize().as_tuple().digits)


@DETERMINISTIC
@given(json_values)
def test_output_is_utf8_without_whitespace_between_tokens(value: object) -> None:
    written = canonical_json(value).decode("utf-8")
    between_strings = JSON_STRING.sub('""', written)
    assert not any(c.isspace() for c in between_strings), written


@DETERMINISTIC
@given(json_values)
def test_canonical_bytes_do_not_depend_on_how_objects_were_built(value: object) -> None:
    def rebuilt(v: object) -> object:
        if isinstance(v, dict):
            return dict(reversed([(k, rebuilt(x)) for k, x in v.items()]))
        if isinstance(v, list):
            return [rebuilt(x) for x in v]
        return v

    assert canonical_json(rebuilt(value)) == canonical_json(value)


@DETERMINISTIC
@given(st.text(), st.sampled_from([chr(c) for c in range(0xD800, 0xE000, 0x7F)]))
def test_a_lone_surrogate_is_refused_as_not_json(prefix: str, surrogate: str) -> None:
    with pytest.raises(ValueError):
        canonical_json(prefix + surrogate)


@DETERMINISTIC
@given(json_values, not_json)
def test_a_value_that_is_not_json_raises_only_type_or_value_error(
    value: object, intruder: object
) -> None:
    with pytest.raises((TypeError, ValueError)):
        canonical_json([value, {"x": intruder}])
