"""Property: an exit-proof archive altered anywhere (a byte changed, a file cut short, a file
replaced by arbitrary bytes) is reported with the place, never a crash; the same check on
the untouched archive passes. The archive is the one format the project reads back from
outside (with the mirror's log, covered in ledger/tests/test_monitor_properties.py)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tripartite.ledger.models import Checkpoint
from tripartite.opendata.archive import export_archive, verify_archive

from .test_archive import demo, signing  # noqa: F401 - the fixtures this module builds on

pytestmark = pytest.mark.django_db

ALTERATIONS = st.one_of(
    st.tuples(st.just("flip"), st.integers(min_value=0), st.integers(1, 255)),
    st.tuples(st.just("cut"), st.integers(min_value=0), st.just(0)),
    st.tuples(st.just("replace"), st.binary(max_size=64), st.just(0)),
)


def payload_files(root: Path) -> list[Path]:
    """The files the log vouches for: every file under data/ with content."""
    return sorted(p for p in (root / "data").rglob("*") if p.is_file() and p.stat().st_size)


def alter(path: Path, how: tuple[str, object, int]) -> None:
    data = bytearray(path.read_bytes())
    kind, where, value = how
    if kind == "flip":
        data[int(where) % len(data)] ^= value  # type: ignore[call-overload]
        path.write_bytes(bytes(data))
    elif kind == "cut":
        path.write_bytes(bytes(data[: int(where) % len(data)]))  # type: ignore[call-overload]
    else:
        replacement = bytes(where)  # type: ignore[call-overload]
        path.write_bytes(replacement if replacement != bytes(data) else replacement + b"\0")


@settings(
    max_examples=6,  # each example copies and re-verifies a whole archive (~8 s)
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(which=st.integers(min_value=0), how=ALTERATIONS)
def test_an_altered_archive_is_reported_never_crashes(
    demo: Checkpoint,  # noqa: F811
    tmp_path: Path,
    which: int,
    how: tuple[str, object, int],
) -> None:
    pristine = tmp_path / "pristine"
    if not pristine.exists():
        export_archive(pristine)
        assert verify_archive(pristine).ok
    copy = tmp_path / "altered"
    shutil.rmtree(copy, ignore_errors=True)
    shutil.copytree(pristine, copy)
    files = payload_files(copy)
    target = files[which % len(files)]
    alter(target, how)

    report = verify_archive(copy)

    assert not report.ok
    relative = target.relative_to(copy).as_posix()
    assert any(relative in str(problem) for problem in report.problems), report.problems


def test_a_file_cut_short_is_named_even_when_bagit_stops_at_the_total_size(
    demo: Checkpoint,  # noqa: F811
    tmp_path: Path,
) -> None:
    export_archive(tmp_path / "archive")
    readme = tmp_path / "archive" / "data" / "README.txt"
    readme.write_bytes(readme.read_bytes()[:10])  # the log does not vouch for it; BagIt does
    report = verify_archive(tmp_path / "archive")
    assert any(p.where == "data/README.txt" for p in report.problems), report.problems
