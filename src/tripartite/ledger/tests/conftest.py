"""Fixtures shared by the ledger tests."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

pytest.register_assert_rewrite("tripartite.ledger.tests.helpers")

from tripartite.ledger import keys  # noqa: E402


@pytest.fixture
def log_key(settings: Any, tmp_path: Path) -> Iterator[None]:
    """The log's signing key in a fresh file under tmp_path, no witnesses and no policy,
    with the key cache cleared before and after the test."""
    settings.TRIPARTITE_LOG_KEY_FILE = str(tmp_path / "log_key")
    settings.TRIPARTITE_LOG_WITNESSES = []
    settings.TRIPARTITE_LOG_POLICY_FILE = None
    keys.clear_cache()
    yield
    keys.clear_cache()


@pytest.fixture
def signing_log(log_key: None, settings: Any) -> None:
    """``log_key``, for the origin the test logs are signed for."""
    settings.TRIPARTITE_LOG_ORIGIN = "tripartite.test/log"


# The attacker with raw database access of the tamper and mirror tests.
from tripartite.ledger.tests.attacker import attacker  # noqa: E402, F401
