"""``tripartite compliance check``, run in-process with typer's CliRunner."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from typer.testing import CliRunner

from tripartite.cli import app
from tripartite.forums.tests import factories as ff
from tripartite.oversight.compliance import RULE_IDS
from tripartite.plans.tests import factories as pf

pytestmark = pytest.mark.django_db

runner = CliRunner()


def _world() -> None:
    member = ff.member()
    forum = ff.forum(member, key="xx-forum")
    pf.plan(member, forum=forum, start_on=dt.date(2016, 7, 1), end_on=dt.date(2018, 6, 30))
    ff.member("yy", "Otherland")  # no plan


def test_table_lists_each_member_and_plan() -> None:
    _world()
    result = runner.invoke(app, ["compliance", "check"])
    assert result.exit_code == 0, result.output
    assert "Exampleland (member/xx)" in result.output
    assert "plan/xx-3" in result.output
    assert "F2017-freq" in result.output
    assert "Not met" in result.output  # non-compliance is a result, not an error
    assert "Otherland (member/yy)" in result.output
    assert "No action plan on the record." in result.output


def test_json_for_one_member() -> None:
    _world()
    result = runner.invoke(app, ["compliance", "check", "--member", "xx", "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert [m["member"] for m in data["members"]] == ["member/xx"]
    findings = data["members"][0]["findings"]
    assert [f["rule"] for f in findings] == list(RULE_IDS)
    assert {f["status"] for f in findings} <= {
        "met",
        "not_met",
        "not_applicable",
        "insufficient_evidence",
    }
    assert all(isinstance(f["evidence"], list) for f in findings)


def test_unknown_member_exits_2() -> None:
    result = runner.invoke(app, ["compliance", "check", "--member", "nowhere"])
    assert result.exit_code == 2
    assert "Unknown member: nowhere" in result.output


def test_help_lists_compliance() -> None:
    result = runner.invoke(app, ["--help"])
    assert result.exit_code == 0
    assert "compliance" in result.output
