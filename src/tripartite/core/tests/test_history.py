"""Versions of a record and the field-by-field differences between them."""

from __future__ import annotations

import pytest
from django.http import Http404

from tripartite.core.actors import system_actor
from tripartite.core.history import diff_contents, history, versions_of
from tripartite.forums import services
from tripartite.forums.tests import factories

# ---------------------------------------------------------------- diff_contents (pure)


def test_diff_shows_only_changed_fields() -> None:
    before = {"name": "A", "region": "Americas", "status": "active"}
    after = {"name": "B", "region": "Americas", "status": "active"}
    [change] = diff_contents(before, after)
    assert (change.name, change.before, change.after) == ("name", "A", "B")


def test_diff_of_identical_contents_is_empty() -> None:
    content = {"id": "member/xx", "type": "member", "name": "A"}
    assert diff_contents(content, dict(content)) == []


def test_diff_never_reports_identity_keys() -> None:
    changes = diff_contents(
        {"id": "member/a", "type": "member"}, {"id": "member/b", "type": "forum"}
    )
    assert changes == []


def test_diff_lists_fields_in_name_order() -> None:
    changes = diff_contents({"b": 1, "a": 1, "c": 1}, {"b": 2, "a": 2, "c": 2})
    assert [c.name for c in changes] == ["a", "b", "c"]


def test_diff_reports_added_and_removed_fields() -> None:
    changes = {c.name: c for c in diff_contents({"gone": "x"}, {"new": "y"})}
    assert (changes["gone"].before, changes["gone"].after) == ("x", "")
    assert (changes["new"].before, changes["new"].after) == ("", "y")


def test_diff_shows_none_as_empty_text() -> None:
    [change] = diff_contents({"end_on": None}, {"end_on": "2017-05-23"})
    assert (change.before, change.after) == ("", "2017-05-23")


def test_diff_of_short_values_has_no_diff_lines() -> None:
    [change] = diff_contents({"name": "A"}, {"name": "B"})
    assert change.lines == []


def test_diff_of_multiline_text_is_a_unified_diff_of_the_changed_lines() -> None:
    before = {"text": "one\ntwo\nthree\nfour\nfive"}
    after = {"text": "one\ntwo\nTHREE\nfour\nfive"}
    [change] = diff_contents(before, after)
    assert "-three" in change.lines
    assert "+THREE" in change.lines
    assert "one" not in " ".join(change.lines)  # only one line of context around the change
    assert not any(line.startswith(("---", "+++")) for line in change.lines)


def test_diff_of_nested_values_compares_them_as_json_text() -> None:
    before = {"agenda": [{"position": 1, "title": "Opening"}]}
    after = {"agenda": [{"position": 1, "title": "Welcome"}]}
    [change] = diff_contents(before, after)
    assert '"title": "Opening"' in change.before
    assert '"title": "Welcome"' in change.after
    assert any(line.startswith("-") and "Opening" in line for line in change.lines)
    assert any(line.startswith("+") and "Welcome" in line for line in change.lines)


# ---------------------------------------------------------------- history of stored records


@pytest.mark.django_db
def test_history_lists_every_version_newest_first() -> None:
    member = factories.member()
    services.update_record(system_actor(), member, changes={"name": "Second"})
    services.update_record(system_actor(), member, changes={"region": "Americas"})
    assert [view.version.version for view in history("member", "xx")] == [3, 2, 1]


@pytest.mark.django_db
def test_history_shows_each_version_against_the_previous_one() -> None:
    member = factories.member(name="First")
    services.update_record(system_actor(), member, changes={"name": "Second"})
    services.update_record(system_actor(), member, changes={"region": "Americas"})
    third, second, _first = history("member", "xx")
    assert [(c.name, c.before, c.after) for c in second.changes] == [("name", "First", "Second")]
    assert [(c.name, c.before, c.after) for c in third.changes] == [("region", "", "Americas")]


@pytest.mark.django_db
def test_first_version_shows_every_content_field_as_added() -> None:
    factories.member(name="First")
    [first] = history("member", "xx")
    names = {c.name for c in first.changes}
    assert "name" in names
    assert not names & {"id", "type"}
    assert all(c.before == "" for c in first.changes)


@pytest.mark.django_db
def test_history_of_a_retraction_shows_the_retraction() -> None:
    member = factories.member()
    services.retract(system_actor(), member, reason="Duplicate")
    latest = history("member", "xx")[0]
    assert latest.version.op == "retract"
    assert [c.name for c in latest.changes] == ["retraction"]
    assert "Duplicate" in latest.changes[0].after


@pytest.mark.django_db
def test_history_of_an_unknown_record_is_not_found() -> None:
    with pytest.raises(Http404):
        history("member", "nowhere")


@pytest.mark.django_db
def test_versions_of_keeps_records_of_other_types_and_keys_apart() -> None:
    member = factories.member(key="xx")
    factories.member(key="yy")
    factories.forum(member, key="xx")  # same key, other type
    assert [v.public_id for v in versions_of("member", "xx")] == ["member/xx"]
