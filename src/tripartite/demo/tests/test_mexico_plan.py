"""Mexico's 2016-2018 action plan, loaded with the Mexico 2017 scenario through the services."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tripartite.core.actors import system_actor
from tripartite.core.models import PublicRecord, RecordVersion
from tripartite.demo import mexico_plan
from tripartite.demo.mexico import LETTER_KEY, WITHDRAWAL_KEY, load_mexico_2017
from tripartite.demo.mexico_plan import (
    AXES,
    COMMITMENTS,
    EXTRA_SOURCES,
    IRM_REPORT_KEY,
    OBESITY,
    OBESITY_KEY,
    PLAN_KEY,
    SRC_BITTER_SWEET,
    SRC_LETTERS,
    UNKNOWN_TITLE_IDS,
    load_mexico_plan_2016,
)
from tripartite.ledger.integrity import verify_local
from tripartite.plans.models import (
    ActionPlan,
    Assessment,
    Commitment,
    IrmReport,
    Milestone,
    ProgressReport,
)

IDS = [f"MX{n:04d}" for n in range(64, 75)]
PLAN_MODELS: tuple[type[PublicRecord], ...] = (
    ActionPlan,
    Commitment,
    Milestone,
    ProgressReport,
    IrmReport,
    Assessment,
)
# The Steering Committee's records loaded with the scenario (demo/oversight_2017.py; counted
# in test_oversight_2017.py).
OVERSIGHT_RECORDS = 47
DOCS = Path(__file__).resolve().parents[4] / "docs" / "subsystems" / "demo.md"
URL = re.compile(r"https?://[^\s;()\"']+")


def domain_file() -> Path | None:
    """``shared/domain/ogp-process.md``: beside the checkout or inside it."""
    root = Path(__file__).resolve().parents[4]
    for base in (root, root.parent):
        candidate = base / "shared" / "domain" / "ogp-process.md"
        if candidate.exists():
            return candidate
    return None


@pytest.fixture
def plan(db: None) -> ActionPlan:
    load_mexico_2017()
    return ActionPlan.objects.get(key=PLAN_KEY)


def plan_records() -> Iterator[PublicRecord]:
    for model in PLAN_MODELS:
        yield from model.objects.all()


@pytest.mark.django_db
def test_loads_on_an_empty_database_through_the_services() -> None:
    written = load_mexico_2017()

    records = list(plan_records())
    assert len(records) == 25  # 1 plan, 11 commitments, 1 milestone, 11 reports, 1 IRM report
    assert written == 42 + len(records) + OVERSIGHT_RECORDS
    # Written through the services: every record has its first version on the log.
    for record in records:
        assert RecordVersion.objects.filter(
            record_type=record.RECORD_TYPE, record_key=record.key, version=1, op="create"
        ).exists(), record.public_id
    assert verify_local() == []


@pytest.mark.django_db
def test_eleven_commitments_under_the_seven_axes(plan: ActionPlan) -> None:
    commitments = list(plan.commitments.order_by("number"))

    assert [c.key for c in commitments] == IDS
    assert [c.number for c in commitments] == list(range(1, 12))
    assert len(AXES) == 7
    for axis in AXES:
        assert axis.lower() in plan.description.lower()
    used = {theme for c in commitments for theme in c.themes}
    assert used <= set(AXES)
    # Axes matched to a commitment; climate-change adaptation is matched to none.
    assert len(used) == 6
    assert mexico_plan.CLIMATE not in used
    # The same title on OGP's member page for both disappearances ids.
    by_key = {c.key: c for c in commitments}
    assert by_key["MX0064"].title == by_key["MX0066"].title
    assert "MX0064" in by_key["MX0066"].description
    # Titles that are not in our sources say so, and claim no axis.
    for key in UNKNOWN_TITLE_IDS:
        assert "not in our sources" in by_key[key].title
        assert by_key[key].themes == []
    assert by_key["MX0065"].themes == []


@pytest.mark.django_db
def test_plan_states_and_derived_due_date(plan: ActionPlan) -> None:
    assert plan.number == 3
    assert plan.forum is not None and plan.forum.key == "mx-stt"
    assert plan.member.key == "mx"
    # Derived by the policy row of the 2015 calendar, not set by the loader.
    assert plan.due_on == dt.date(2016, 6, 30)
    assert plan.due_rule == "policy/plan-delivery-2015"
    assert plan.delivered_on == dt.date(2016, 6, 30)
    assert plan.state == "ended"
    steps = [(t.from_state, t.to_state, t.on) for t in plan.transitions.all()]
    assert steps == [
        ("planning", "co_creation", dt.date(2016, 4, 15)),
        ("co_creation", "delivered", dt.date(2016, 6, 30)),
        ("delivered", "implementing", dt.date(2016, 7, 1)),
        ("implementing", "ended", dt.date(2018, 6, 30)),
    ]
    # Approximated dates say so where they are recorded.
    for transition in plan.transitions.exclude(to_state="co_creation"):
        assert "our sources" in transition.note


@pytest.mark.django_db
def test_the_obesity_commitment_links_its_context(plan: ActionPlan) -> None:
    obesity = Commitment.objects.get(key=OBESITY_KEY)

    assert obesity.themes == [OBESITY]
    assert "Bitter Sweet" in obesity.description
    assert SRC_BITTER_SWEET in obesity.description
    assert f"letter/{LETTER_KEY}" in obesity.description
    assert f"withdrawal/{WITHDRAWAL_KEY}" in obesity.description
    assert "Two of the" in obesity.description
    (milestone,) = obesity.milestones.all()
    assert milestone.status == "no_evidence"
    (report,) = obesity.progress_reports.all()
    urls = {item["url"] for item in report.evidence}
    assert {SRC_LETTERS, SRC_BITTER_SWEET} <= urls
    assert "Bitter" in report.text


@pytest.mark.django_db
def test_the_withdrawal_shows_in_civil_society_reporting(plan: ActionPlan) -> None:
    reports = ProgressReport.objects.filter(commitment__plan=plan)

    assert reports.count() == 11
    for report in reports:
        assert report.party == "civil_society"
        assert report.author is not None and report.author.key == "nosc-mx"
        assert report.reported_on == dt.date(2017, 5, 23)
        # The core group's tracking ended; no completion level is claimed for it.
        assert report.completion == "no_evidence"
        assert f"letter/{LETTER_KEY}" in report.text
    assert {r.commitment.key for r in reports} == set(IDS)
    # No government report per commitment: the dashboard's count is plan-level and undated.
    assert not reports.filter(party="government").exists()
    assert "8 of them completed" in plan.description

    irm = IrmReport.objects.get(key=IRM_REPORT_KEY)
    assert irm.plan == plan
    assert irm.report_type == "progress_report"
    assert irm.methodology == "irm_pre2020"
    assert irm.researcher == "Gabriela Nava Campos"
    assert irm.acted_contrary_to_process is False
    assert irm.published_on is None
    assert "limited" in irm.summary and "8 of the" in irm.summary
    # The per-commitment coding is not in our sources: nothing is coded.
    assert not irm.assessments.exists()


@pytest.mark.django_db
def test_loading_twice_writes_nothing(plan: ActionPlan) -> None:
    versions = RecordVersion.objects.count()

    assert load_mexico_2017() == 0
    assert load_mexico_plan_2016(system_actor()) == 0
    assert RecordVersion.objects.count() == versions


@pytest.mark.django_db
def test_a_database_with_the_2017_scenario_gets_the_plan(monkeypatch: pytest.MonkeyPatch) -> None:
    # A demo database loaded before the plan existed.
    monkeypatch.setattr(mexico_plan, "load_mexico_plan_2016", lambda actor: 0)
    assert load_mexico_2017() == 42 + OVERSIGHT_RECORDS
    assert not ActionPlan.objects.exists()
    monkeypatch.undo()

    assert load_mexico_2017() == 25
    assert ActionPlan.objects.filter(key=PLAN_KEY).exists()
    assert verify_local() == []


@pytest.mark.django_db
def test_the_plan_needs_the_2017_scenario() -> None:
    with pytest.raises(LookupError):
        load_mexico_plan_2016(system_actor())
    assert not RecordVersion.objects.exists()


@pytest.mark.django_db
def test_a_failure_midway_writes_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    from tripartite.plans import services

    def fail(*args: Any, **kwargs: Any) -> None:
        raise RuntimeError("IRM report refused")

    monkeypatch.setattr(services, "publish_irm_report", fail)
    with pytest.raises(RuntimeError):
        load_mexico_2017()
    assert not RecordVersion.objects.exists()


def _urls(record: PublicRecord) -> set[str]:
    content = record.record_content()
    found: set[str] = set()
    for value in content.values():
        if isinstance(value, str):
            found |= set(URL.findall(value))
    for item in content.get("evidence") or []:
        found.add(item["url"])
    for transition in content.get("transitions") or []:
        found |= set(URL.findall(transition["note"]))
    return {url.rstrip(".,") for url in found}


@pytest.mark.django_db
def test_every_source_is_in_the_domain_file(plan: ActionPlan) -> None:
    path = domain_file()
    if path is None:
        pytest.skip("shared/domain/ogp-process.md is not beside this checkout")
    domain = path.read_text(encoding="utf-8")
    docs = DOCS.read_text(encoding="utf-8")

    used = set().union(*(_urls(record) for record in plan_records()))
    source_urls = {
        record.source_url for record in plan_records() if getattr(record, "source_url", "")
    }
    assert source_urls <= used
    # Every commitment's source is recorded in its source_url.
    assert all(c.source_url for c in Commitment.objects.all())
    assert {c.source_url for c in COMMITMENTS} <= source_urls
    for url in sorted(used):
        if url in EXTRA_SOURCES:
            # Beyond the domain file (until it lists them): documented in demo.md.
            assert url in docs, url
        else:
            assert url in domain, url
