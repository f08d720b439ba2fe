"""RFC 8785 JSON Canonicalization Scheme (JCS).

Records are hashed over their canonical JSON so that anyone, with any JCS
implementation, reproduces the same bytes and therefore the same SHA-256.
"""

from __future__ import annotations

import hashlib
import json
import math
from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

JSONValue = Any


def _number(value: float | int) -> str:
    if isinstance(value, bool):  # bool is an int subclass; handled by caller
        raise TypeError("bool is not a number")
    if isinstance(value, int):
        if abs(value) > 2**53 - 1:
            # Integers beyond IEEE-754 double precision cannot round-trip in JCS.
            raise ValueError(f"integer {value} is outside the I-JSON safe range")
        return str(value)
    if not math.isfinite(value):
        raise ValueError("NaN and Infinity are not valid JSON")
    if value == 0:
        return "0"
    # ECMAScript Number.prototype.toString: the shortest round-trip digits (Python's repr
    # gives them), written in exponent form outside [1e-6, 1e21).
    parts = Decimal(repr(abs(value))).normalize().as_tuple()
    digits = "".join(str(d) for d in parts.digits)
    n = len(digits) + int(parts.exponent)  # position of the decimal point
    sign = "-" if value < 0 else ""
    k = len(digits)
    if k <= n <= 21:
        return sign + digits + "0" * (n - k)
    if 0 < n <= 21:
        return sign + digits[:n] + "." + digits[n:]
    if -6 < n <= 0:
        return sign + "0." + "0" * (-n) + digits
    exp = n - 1
    exp_str = f"e+{exp}" if exp >= 0 else f"e-{-exp}"
    if k == 1:
        return sign + digits + exp_str
    return sign + digits[0] + "." + digits[1:] + exp_str


def _string(value: str) -> str:
    # json.dumps with ensure_ascii=False escapes exactly what JCS requires
    # (", \\, control characters as \b \f \n \r \t or \u00XX) and nothing else.
    return json.dumps(value, ensure_ascii=False)


def _encode(value: JSONValue, out: list[str]) -> None:
    if value is None:
        out.append("null")
    elif value is True:
        out.append("true")
    elif value is False:
        out.append("false")
    elif isinstance(value, str):
        out.append(_string(value))
    elif isinstance(value, int | float):
        out.append(_number(value))
    elif isinstance(value, Mapping):
        keys = list(value.keys())
        for key in keys:
            if not isinstance(key, str):
                raise TypeError(f"object keys must be strings, not {type(key).__name__}")
        # JCS sorts keys by their UTF-16 code units, not by code points.
        keys.sort(key=lambda k: k.encode("utf-16-be"))
        out.append("{")
        for position, key in enumerate(keys):
            if position:
                out.append(",")
            out.append(_string(key))
            out.append(":")
            _encode(value[key], out)
        out.append("}")
    elif isinstance(value, Sequence) and not isinstance(value, bytes | bytearray):
        out.append("[")
        for position, item in enumerate(value):
            if position:
                out.append(",")
            _encode(item, out)
        out.append("]")
    else:
        raise TypeError(f"{type(value).__name__} is not JSON-serialisable")


def canonical_json(value: JSONValue) -> bytes:
    """The RFC 8785 canonical UTF-8 bytes of a JSON value."""
    out: list[str] = []
    _encode(value, out)
    return "".join(out).encode("utf-8")


def canonical_sha256(value: JSONValue) -> str:
    """Lowercase hex SHA-256 of the canonical JSON of a value."""
    return hashlib.sha256(canonical_json(value)).hexdigest()
