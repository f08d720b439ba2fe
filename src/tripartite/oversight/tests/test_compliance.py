"""The compliance engine, on small worlds built through the services."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from tripartite.core.actors import system_actor
from tripartite.core.policy import SEED
from tripartite.forums import services as forum_services
from tripartite.forums.models import Forum, Member, Seat
from tripartite.forums.tests import factories as ff
from tripartite.oversight.compliance import (
    INSUFFICIENT,
    MET,
    NOT_APPLICABLE,
    NOT_MET,
    RULE_IDS,
    Finding,
    evaluate,
)
from tripartite.plans import services as plan_services
from tripartite.plans.models import ActionPlan, Input
from tripartite.plans.tests import factories as pf

pytestmark = pytest.mark.django_db

D = dt.date


def by_rule(findings: list[Finding], plan: ActionPlan) -> dict[str, Finding]:
    return {f.rule: f for f in findings if f.plan == plan.public_id}


def meetings(forum: Forum, *days: dt.date, prefix: str = "m") -> list[Any]:
    return [ff.meeting(forum, key=f"{forum.key}-{prefix}{i}", day=d) for i, d in enumerate(days)]


def small_forum(member: Member, key: str, **fields: Any) -> tuple[Forum, Seat, Seat]:
    forum = ff.forum(member, key=key, **fields)
    gov = ff.seat(forum, ff.organization(f"{key}-gov", "government", "Ministry"))
    cso = ff.seat(forum, ff.organization(f"{key}-cso", "civil_society", "Civic Group"))
    return forum, gov, cso


def assessed(plan: ActionPlan, key: str, *completions: str, influence: str = "") -> None:
    report = plan_services.publish_irm_report(
        system_actor(),
        key=key,
        plan=plan,
        report_type="progress_report",
        methodology="irm_pre2020",
        title="IRM report",
        published_on=plan.end_on,
        public_influence=influence,
    )
    for number, completion in enumerate(completions, start=1):
        c = pf.commitment(plan, f"{key}-c{number}".upper(), number=number)
        plan_services.record_assessment(
            system_actor(), report=report, commitment=c, completion=completion
        )


def test_every_plan_gets_every_rule_with_its_policy_row() -> None:
    member = ff.member()
    plan = pf.plan(member)
    findings = evaluate(member, today=D(2019, 1, 1))
    assert [f.rule for f in findings] == list(RULE_IDS)
    seeded = {row.public_id for row in SEED}
    assert all(f.policy in seeded for f in findings)
    assert all(f.plan == plan.public_id and f.member == member.public_id for f in findings)


def test_2016_plan_2017_era_met() -> None:
    member = ff.member()
    forum, _gov, _cso = small_forum(member, "xx-forum")
    plan = pf.plan(member, forum=forum, start_on=D(2016, 7, 1), end_on=D(2018, 6, 30))
    quarterly = [D(2016, 7, 1), D(2016, 10, 1)]
    quarterly += [D(year, month, 1) for year in (2017, 2018) for month in (1, 4, 7, 10)]
    held = meetings(forum, *(day for day in quarterly if day <= plan.end_on))
    assessed(plan, "xx-3-irm", "not_started", "limited", influence="involve")

    found = by_rule(evaluate(member, plan, today=D(2019, 1, 1)), plan)

    freq = found["F2017-freq"]
    assert freq.status == MET, freq.explanation
    assert freq.policy == "policy/forum-meeting-gap-2017"
    assert freq.era == "2016-01-01/2021-12-31"
    assert freq.verified is False  # §3.1 [U]
    assert set(freq.evidence) == {m.public_id for m in held}
    assert found["PROG"].status == MET
    assert found["PROG"].evidence and found["PROG"].evidence[0].startswith("assessment/")
    assert found["INVOLVE"].status == MET
    assert found["INVOLVE"].evidence == ("irm-report/xx-3-irm",)
    # The 2022 rules and the 2018 delivery rule do not reach a plan starting in 2016.
    for rule in ("MR1.1-freq", "MR1.1-mix", "MR1.1-rules", "MR2.1", "MR2.2", "MR4.1", "MR5.1"):
        assert found[rule].status == NOT_APPLICABLE, rule
        assert found[rule].era.startswith("2022-01-01/")
    assert found["LATE-2018"].status == NOT_APPLICABLE
    assert found["LATE-2022"].status == NOT_APPLICABLE


def test_2016_plan_2017_era_not_met() -> None:
    member = ff.member()
    forum, _gov, _cso = small_forum(member, "xx-forum")
    plan = pf.plan(member, forum=forum, start_on=D(2016, 7, 1), end_on=D(2018, 6, 30))
    meetings(forum, D(2016, 8, 1), D(2017, 6, 1))
    assessed(plan, "xx-3-irm", "not_started", "no_evidence", influence="consult")

    found = by_rule(evaluate(member, plan, today=D(2019, 1, 1)), plan)

    assert found["F2017-freq"].status == NOT_MET
    assert "394 days, from 2017-06-01 to 2018-06-30" in found["F2017-freq"].explanation
    assert found["PROG"].status == NOT_MET
    assert found["INVOLVE"].status == NOT_MET


def test_no_records_is_insufficient_evidence_not_a_verdict() -> None:
    member = ff.member()
    plan = pf.plan(member, start_on=D(2022, 1, 1), end_on=D(2023, 12, 31))
    found = by_rule(evaluate(member, plan, today=D(2024, 6, 1)), plan)
    for rule in ("MR1.1-freq", "MR1.1-mix", "MR1.1-rules", "MR4.1", "MR5.1", "PROG"):
        assert found[rule].status == INSUFFICIENT, rule
        assert found[rule].missing, rule
    assert "documents app" in found["MR2.1"].missing
    assert found["MR2.2"].status == INSUFFICIENT
    assert found["INVOLVE"].status == NOT_APPLICABLE


def _plan_2022(
    member: Member, forum: Forum, delivered_on: dt.date, *inputs: str
) -> tuple[ActionPlan, list[Input]]:
    previous = pf.plan(member, key="xx-4", number=4, start_on=D(2019, 1, 1), end_on=D(2020, 12, 31))
    plan = pf.plan(
        member,
        key="xx-5",
        number=5,
        start_on=D(2022, 1, 1),
        end_on=D(2023, 12, 31),
        previous=previous,
        forum=forum,
    )
    pf.advance(plan, ("co_creation", D(2021, 6, 1)))
    # Input is taken while co-creation is open (today, for the services).
    published = [pf.published_input(plan, title) for title in inputs]
    pf.commitment(plan, "XX0050", number=1)
    pf.advance(plan, ("delivered", delivered_on))
    return plan, published


def test_2022_plan_met() -> None:
    member = ff.member()
    forum, _gov, _cso = small_forum(member, "xx-forum", rules_url="https://example.org/rules")
    plan, (answered,) = _plan_2022(member, forum, D(2021, 12, 15), "Open contracts")
    held = meetings(
        forum, D(2022, 3, 1), D(2022, 8, 1), D(2023, 1, 10), D(2023, 6, 1), D(2023, 11, 1)
    )
    response = plan_services.respond_to_inputs(
        system_actor(),
        plan=plan,
        inputs=[answered],
        decision="accepted",
        rationale="It became a commitment.",
        published_on=dt.date.today(),  # not before the input, received today
    )

    found = by_rule(evaluate(member, plan, today=D(2024, 3, 1)), plan)

    assert found["MR1.1-freq"].status == MET, found["MR1.1-freq"].explanation
    assert found["MR1.1-freq"].policy == "policy/forum-meeting-gap-2022"
    assert found["MR1.1-freq"].era == "2022-01-01/.."
    assert found["F2017-freq"].status == NOT_APPLICABLE
    assert found["MR1.1-mix"].status == MET
    assert set(found["MR1.1-mix"].evidence) == {m.public_id for m in held}
    assert found["MR1.1-rules"].status == MET
    assert "https://example.org/rules" in found["MR1.1-rules"].evidence
    assert found["MR4.1"].status == MET
    assert found["MR4.1"].evidence == (response.public_id,)
    assert found["MR5.1"].status == MET, found["MR5.1"].explanation
    assert found["LATE-2022"].status == MET
    assert found["LATE-2022"].evidence == ("plan/xx-5", "plan/xx-4")
    assert found["LATE-2018"].status == NOT_APPLICABLE
    assert found["INVOLVE"].status == NOT_APPLICABLE


def test_2022_plan_not_met() -> None:
    member = ff.member()
    forum, _gov, cso = small_forum(member, "xx-forum")
    # Due within 12 months of the previous plan's end (2021-12-31): delivered late.
    plan, (unanswered,) = _plan_2022(member, forum, D(2022, 2, 1), "Nobody answered")
    meetings(forum, D(2022, 3, 1), D(2022, 8, 1))
    # Civil society leaves; the forum keeps meeting without it.
    forum_services.end_seat(system_actor(), cso, end_on=D(2022, 9, 1), end_reason="term_ended")
    late = meetings(forum, D(2023, 6, 1), D(2023, 7, 1), prefix="late")

    found = by_rule(evaluate(member, plan, today=D(2024, 3, 1)), plan)

    assert found["MR1.1-freq"].status == NOT_MET  # 2022-08-01 → 2023-06-01
    assert found["MR1.1-mix"].status == NOT_MET
    assert set(found["MR1.1-mix"].evidence) == {m.public_id for m in late}
    assert found["MR1.1-rules"].status == NOT_MET
    assert "rules URL" in found["MR1.1-rules"].missing
    assert found["MR4.1"].status == NOT_MET
    assert found["MR4.1"].evidence == (unanswered.public_id,)
    assert found["MR5.1"].status == NOT_MET  # second year: no meeting with civil society
    assert found["LATE-2022"].status == NOT_MET


def test_2018_rule_delivery_and_first_plan() -> None:
    member = ff.member()
    on_time = pf.plan(member, key="xx-4", number=4, start_on=D(2018, 9, 1), end_on=D(2020, 8, 31))
    pf.advance(on_time, ("co_creation", D(2018, 3, 1)))
    pf.commitment(on_time, "XX0040", number=1)
    pf.advance(on_time, ("delivered", D(2018, 12, 31)))
    late = pf.plan(member, key="xx-6", number=6, start_on=D(2020, 9, 1), end_on=D(2022, 8, 31))
    pf.advance(late, ("co_creation", D(2020, 3, 1)))
    pf.commitment(late, "XX0060", number=1)
    pf.advance(late, ("delivered", D(2021, 1, 1)))

    findings = evaluate(member, today=D(2023, 1, 1))

    assert by_rule(findings, on_time)["LATE-2018"].status == MET
    assert by_rule(findings, on_time)["LATE-2018"].policy == "policy/plan-delivery-2018"
    assert by_rule(findings, late)["LATE-2018"].status == NOT_MET
    assert "2021-01-01" in by_rule(findings, late)["LATE-2018"].explanation
    assert by_rule(findings, late)["LATE-2022"].status == NOT_APPLICABLE


def test_changing_a_meeting_date_changes_the_finding() -> None:
    member = ff.member()
    forum, _gov, _cso = small_forum(member, "xx-forum")
    plan = pf.plan(member, forum=forum, start_on=D(2022, 1, 1), end_on=D(2023, 12, 31))
    meetings(forum, D(2022, 5, 1), D(2022, 10, 1), D(2023, 3, 1), D(2023, 12, 1))
    moved = ff.meeting(forum, key="xx-forum-moved", day=D(2023, 8, 1))
    assert by_rule(evaluate(member, plan, today=D(2024, 1, 1)), plan)["MR1.1-freq"].status == MET
    forum_services.update_record(system_actor(), moved, changes={"date": D(2023, 4, 1)})
    finding = by_rule(evaluate(member, plan, today=D(2024, 1, 1)), plan)["MR1.1-freq"]
    assert finding.status == NOT_MET
    assert "from 2023-04-01 to 2023-12-01" in finding.explanation
    forum_services.update_record(system_actor(), moved, changes={"status": "cancelled"})
    finding = by_rule(evaluate(member, plan, today=D(2024, 1, 1)), plan)["MR1.1-freq"]
    assert moved.public_id not in finding.evidence


def test_queries_do_not_grow_with_meetings(django_assert_max_num_queries: Any) -> None:
    member = ff.member()
    forum, _gov, _cso = small_forum(member, "xx-forum")
    plan = pf.plan(member, forum=forum, start_on=D(2022, 1, 1), end_on=D(2023, 12, 31))
    meetings(forum, *(D(2022, month, 1) for month in range(1, 13)))
    pf.advance(plan, ("co_creation", D(2021, 6, 1)))
    pf.published_input(plan, "One")
    # A fixed number: forums, seats, meetings with minutes, plans and their parts, and the
    # dated publications (minutes, responses, progress reports).
    with django_assert_max_num_queries(13):
        evaluate(member, today=D(2024, 1, 1))


def test_mexico_demo_evaluates() -> None:
    from tripartite.demo.mexico import load_mexico_2017

    load_mexico_2017()
    member = Member.objects.get(key="mx")
    findings = evaluate(member, today=D(2019, 1, 1))
    assert findings
    assert {f.rule for f in findings} == set(RULE_IDS)
    freq = [f for f in findings if f.rule == "F2017-freq"]
    assert freq and all(f.status in {MET, NOT_MET, INSUFFICIENT} for f in freq)


def _minutes(meeting: Any, day: dt.date) -> None:
    forum_services.publish_minutes(system_actor(), meeting, text="Minutes.", published_on=day)


def test_minutes_missing_for_a_held_meeting_is_not_met() -> None:
    member = ff.member()
    forum, _gov, _cso = small_forum(member, "xx-forum")
    plan = pf.plan(member, forum=forum, start_on=D(2022, 1, 1), end_on=D(2023, 12, 31))
    first, second = meetings(forum, D(2022, 5, 1), D(2022, 10, 1))
    _minutes(first, D(2022, 5, 10))
    finding = by_rule(evaluate(member, plan, today=D(2024, 1, 1)), plan)["MINUTES"]
    assert finding.status == NOT_MET
    assert finding.evidence == (second.public_id,)
    assert finding.verified is False  # the rule's wording is not verified, and says so


def test_minutes_of_every_held_meeting_published_is_met() -> None:
    member = ff.member()
    forum, _gov, _cso = small_forum(member, "xx-forum")
    plan = pf.plan(member, forum=forum, start_on=D(2022, 1, 1), end_on=D(2023, 12, 31))
    for meeting in meetings(forum, D(2022, 5, 1), D(2022, 10, 1)):
        _minutes(meeting, meeting.date + dt.timedelta(days=7))
    finding = by_rule(evaluate(member, plan, today=D(2024, 1, 1)), plan)["MINUTES"]
    assert finding.status == MET and len(finding.evidence) == 2


def test_repository_updated_twice_in_each_year_is_met_from_the_records() -> None:
    member = ff.member()
    forum, _gov, _cso = small_forum(member, "xx-forum")
    plan = pf.plan(member, forum=forum, start_on=D(2022, 1, 1), end_on=D(2023, 12, 31))
    days = (D(2022, 3, 1), D(2022, 9, 1), D(2023, 3, 1), D(2023, 9, 1))
    for meeting in meetings(forum, *days):
        _minutes(meeting, meeting.date + dt.timedelta(days=7))
    finding = by_rule(evaluate(member, plan, today=D(2024, 1, 1)), plan)["MR2.2"]
    assert finding.status == MET
    assert len(finding.evidence) == 4


def test_repository_updated_once_in_a_year_is_not_met_and_names_the_year() -> None:
    member = ff.member()
    forum, _gov, _cso = small_forum(member, "xx-forum")
    plan = pf.plan(member, forum=forum, start_on=D(2022, 1, 1), end_on=D(2023, 12, 31))
    days = (D(2022, 3, 1), D(2022, 9, 1), D(2023, 3, 1))
    for meeting in meetings(forum, *days):
        _minutes(meeting, meeting.date + dt.timedelta(days=7))
    finding = by_rule(evaluate(member, plan, today=D(2024, 1, 1)), plan)["MR2.2"]
    assert finding.status == NOT_MET
    assert "From 2023-01-01 to 2023-12-31" in finding.explanation


def test_no_publication_on_the_record_is_insufficient_evidence_for_the_repository() -> None:
    member = ff.member()
    forum, _gov, _cso = small_forum(member, "xx-forum")
    plan = pf.plan(member, forum=forum, start_on=D(2022, 1, 1), end_on=D(2023, 12, 31))
    finding = by_rule(evaluate(member, plan, today=D(2024, 1, 1)), plan)["MR2.2"]
    assert finding.status == INSUFFICIENT and finding.missing


def test_documents_filed_in_the_repository_count_as_updates(settings: Any, tmp_path: Any) -> None:
    from django.utils import timezone

    from tripartite.documents.tests.factories import upload

    settings.TRIPARTITE_BLOB_DIR = tmp_path / "blobs"
    member = ff.member()
    forum, _gov, _cso = small_forum(member, "xx-forum")
    year = timezone.localdate().year  # the upload is dated today
    plan = pf.plan(member, forum=forum, start_on=D(year, 1, 1), end_on=D(year + 1, 12, 31))
    upload(plan.public_id, "self-assessment", extract=False)
    finding = by_rule(evaluate(member, plan, today=D(year + 2, 1, 1)), plan)["MR2.2"]
    # One update in the first year: counted, and not enough.
    assert finding.status == NOT_MET
    assert finding.evidence == ("document/self-assessment",)
