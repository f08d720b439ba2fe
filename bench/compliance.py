"""Compliance runs over many members, beside loading the same evidence without the rules.

N members (240 by default, about OGP's national and local members together; 12 with
``--quick``) are built through the services, so every record is versioned and logged like
real data: each a forum with a government and a civil-society seat, three consecutive
two-year action plans (2018-2019, 2020-2021, 2022-2023, each ``previous`` of the next)
with 6 to 10 held forum meetings per cycle, minutes for most of them, 2 to 4 published
co-creation inputs with reasoned responses (some left unanswered), two commitments, and an
IRM report assessing them on the two older plans; some members deliver late or leave the
rules unpublished. Every 20th member is large (four times the meetings, three times the
input), so the query counts show whether they grow with a member's size. Sizes and dates
come from the seed.

Then, in alternating rounds with the baseline ``compliance.load_records(member)`` for
every member (the same evidence read, no rules, nothing stored):

- ``compliance.evaluate`` of every member (read only);
- ``compliance_store.refresh`` of every member: evaluate, store the reading of each plan
  cycle, record the contrary findings. Its first pass writes a reading per plan (timed
  once, before the rounds); the measured rounds find the evidence unchanged and write
  no new version.

Policies are loaded once and passed in, and ``today`` is fixed, as ``tripartite compliance
check`` does. Each row says how many SQL queries one member took (bounded: it must not
grow with the member's meetings, minutes or inputs).
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from bench.common import Context, alternate, seeded, timed_ns
from bench.report import Result

D = dt.date
TODAY = D(2024, 6, 1)
CYCLES = ((D(2018, 1, 1), D(2019, 12, 31)), (D(2020, 1, 1), D(2021, 12, 31)))
CYCLES += ((D(2022, 1, 1), D(2023, 12, 31)),)


@dataclass
class Built:
    members: list[Any]
    #: Versions on the record per member, in member order.
    sizes: list[int]
    versions: int
    log_entries: int
    seconds: float
    meetings: int
    minutes: int
    inputs: int
    responses: int


def _noon(day: dt.date) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, 12, tzinfo=dt.UTC)


def _add_days(day: dt.date, days: int) -> dt.date:
    return day + dt.timedelta(days=days)


def _build_member(actor: Any, index: int, rng: Any, counts: dict[str, int]) -> Any:
    from tripartite.forums import services as forums
    from tripartite.plans import services as plans
    from tripartite.plans.rules import add_months

    key = f"cx{index:03d}"
    member = forums.create_member(actor, key=key, name=f"Benchland {index}", kind="country")
    gov = forums.create_organization(
        actor, key=f"{key}-gov", name=f"Ministry {index}", sector="government"
    )
    cso = forums.create_organization(
        actor, key=f"{key}-cso", name=f"Civic Group {index}", sector="civil_society"
    )
    rules_url = "" if index % 5 == 0 else f"https://example.org/{key}/rules"
    forum = forums.create_forum(
        actor,
        key=f"{key}-forum",
        member=member,
        name=f"Forum {index}",
        established_on=D(2016, 1, 1),
        rules_url=rules_url,
    )
    for org in (gov, cso):
        forums.add_seat(
            actor,
            key=f"{key}-forum-{org.key}",
            forum=forum,
            organization=org,
            start_on=D(2016, 1, 1),
        )
    # Every 20th member is a large one: a forum meeting about monthly, more input.
    large = index % 20 == 7
    previous = None
    for number, (start, end) in enumerate(CYCLES, start=1):
        plan_key = f"{key}-{number}"
        opens = add_months(start, -6)
        plan = plans.create_plan(
            actor,
            key=plan_key,
            member=member,
            number=number,
            title=f"Action plan {number}",
            start_on=start,
            end_on=end,
            forum=forum,
            previous=previous,
            co_creation_opens_on=opens,
            co_creation_closes_on=add_months(start, -2),
        )
        plans.transition_plan(actor, plan, to="co_creation", on=opens)
        # Co-creation: input received offline on fixed days, published, mostly answered.
        received = []
        for n in range(rng.randint(2, 4) * (3 if large else 1)):
            item = plans.submit_input(
                actor,
                plan=plan,
                title=f"Proposal {n + 1}",
                text=f"Please publish the data of programme {n + 1}.",
                channel="offline",
                received_at=_noon(_add_days(opens, 7 + 9 * n)),
            )
            published = plans.moderate_input(actor, item, decision="publish")
            received.append(published)
            counts["inputs"] += 1
        answered = received if rng.random() < 0.8 else received[:-1]
        for n, item in enumerate(answered):
            plans.respond_to_inputs(
                actor,
                plan=plan,
                inputs=[item],
                decision=("accepted", "partially", "rejected")[n % 3],
                rationale="Taken up in the plan." if n % 3 != 2 else "Outside its scope.",
                published_on=_add_days(opens, 120 + n),
            )
            counts["responses"] += 1
        commitments = [
            plans.add_commitment(
                actor,
                key=f"{key.upper()}{number}{c:02d}",
                plan=plan,
                number=c,
                title=f"Commitment {c}",
                lead_institution=gov,
            )
            for c in (1, 2)
        ]
        late = index % 7 == 0 and number == 3
        delivered = D(2023, 2, 1) if late else _add_days(start, -rng.randint(5, 40))
        plans.transition_plan(actor, plan, to="delivered", on=delivered)
        plans.transition_plan(actor, plan, to="implementing", on=_add_days(delivered, 1))
        # Forum meetings spread over the cycle, a few weeks' jitter; minutes for most.
        meetings = rng.randint(6, 10) * (4 if large else 1)
        span = (end - start).days
        for m in range(meetings):
            day = _add_days(start, span * m // meetings + rng.randint(0, 30))
            meeting = forums.schedule_meeting(
                actor,
                key=f"{plan_key}-m{m + 1}",
                forum=forum,
                title=f"Session {m + 1}",
                date=day,
                status="held",
            )
            counts["meetings"] += 1
            if rng.random() < 0.85:
                forums.publish_minutes(
                    actor,
                    meeting,
                    text=f"Minutes of session {m + 1}.",
                    published_on=_add_days(day, rng.randint(3, 30)),
                )
                counts["minutes"] += 1
        if number < len(CYCLES):
            report = plans.publish_irm_report(
                actor,
                key=f"{plan_key}-irm",
                plan=plan,
                report_type="progress_report",
                methodology="irm_pre2020",
                title=f"IRM report on plan {number}",
                published_on=add_months(end, 3),
                public_influence=("consult", "involve", "collaborate")[rng.randint(0, 2)],
            )
            for c, commitment in enumerate(commitments):
                plans.record_assessment(
                    actor,
                    report=report,
                    commitment=commitment,
                    completion=("not_started", "limited", "substantial", "complete")[
                        (index + c) % 4
                    ],
                )
        previous = plan
    return member


def _build(ctx: Context, count: int) -> Built:
    from django.db import transaction

    from tripartite.core.actors import system_actor
    from tripartite.core.models import RecordVersion
    from tripartite.ledger.models import LogEntry

    actor = system_actor()
    rng = seeded(ctx.seed)
    counts = {"meetings": 0, "minutes": 0, "inputs": 0, "responses": 0}
    members, sizes = [], []
    versions_before = RecordVersion.objects.count()
    log_before = LogEntry.objects.count()
    started = time.monotonic()
    for index in range(count):
        before = RecordVersion.objects.count()
        with transaction.atomic():
            members.append(_build_member(actor, index, rng, counts))
        sizes.append(RecordVersion.objects.count() - before)
        if (index + 1) % 10 == 0:
            ctx.say(f"built {index + 1}/{count} members ({time.monotonic() - started:.0f} s)")
    return Built(
        members=members,
        sizes=sizes,
        versions=RecordVersion.objects.count() - versions_before,
        log_entries=LogEntry.objects.count() - log_before,
        seconds=time.monotonic() - started,
        **counts,
    )


def _span(values: list[int]) -> str:
    low, high = min(values), max(values)
    return f"{low}" if low == high else f"{low}-{high}"


def bench_compliance(ctx: Context) -> list[Result]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tripartite.core.actors import system_actor
    from tripartite.core.policy import PolicySet
    from tripartite.oversight.compliance import RULE_IDS, evaluate, load_records
    from tripartite.oversight.compliance_store import refresh
    from tripartite.oversight.models import ComplianceReading

    count = int(ctx.pick(240, 12))
    built = _build(ctx, count)
    members = built.members
    plans = count * len(CYCLES)
    ctx.notes.append(
        f"compliance/{ctx.database}: {count} members, {plans} plans, {built.meetings:,} held "
        f"meetings, {built.minutes:,} minutes, {built.inputs:,} published inputs, "
        f"{built.responses:,} reasoned responses built through the services: "
        f"{built.versions:,} record versions ({_span(built.sizes)} per member), "
        f"{built.log_entries:,} log entries, in {built.seconds:.0f} s"
    )
    actor = system_actor()
    policies = PolicySet.load()
    per_round = len(members)

    def evaluate_all(n: int) -> None:
        for member in members:
            evaluate(member, today=TODAY, policies=policies)

    changed: list[int] = []  # readings changed per refresh round
    recorded: list[int] = []  # contrary findings recorded per refresh round

    def refresh_all(n: int) -> None:
        readings = contrary = 0
        for member in members:
            result = refresh(member, actor=actor, today=TODAY, policies=policies)
            readings += len(result.changed)
            contrary += len(result.contrary)
        changed.append(readings)
        recorded.append(contrary)

    def load_all(n: int) -> None:
        for member in members:
            load_records(member)

    def queries(func: Callable[[Any], object]) -> list[int]:
        found = []
        for member in members:
            connection.queries_log.clear()  # it keeps 9,000: the count would stop growing
            with CaptureQueriesContext(connection) as captured:
                func(member)
            found.append(len(captured))
        return found

    # The first refresh writes a reading per plan cycle (and the contrary findings).
    first_ns, _ = timed_ns(lambda: refresh_all(per_round))
    first_changed, first_contrary = changed.pop(), recorded.pop()
    readings = ComplianceReading.objects.count()
    statuses: dict[str, int] = {}
    for member in members:
        for finding in evaluate(member, today=TODAY, policies=policies):
            statuses[finding.status] = statuses.get(finding.status, 0) + 1
    findings = sum(statuses.values())
    spread = ", ".join(f"{name} {n:,}" for name, n in sorted(statuses.items()))

    load_queries = queries(load_records)
    evaluate_queries = queries(lambda m: evaluate(m, today=TODAY, policies=policies))
    refresh_queries = queries(lambda m: refresh(m, actor=actor, today=TODAY, policies=policies))
    changed.clear()
    recorded.clear()

    budget = ctx.pick(30, 4)
    sizes = f"{_span(built.sizes)} record versions per member"
    baseline_name = "load_records, same evidence, no rules"

    def baseline_detail(rates: Any) -> str:
        return (
            f"{rates.baseline_ops:,} member loads; SQL queries per member: "
            f"{_span(load_queries)} ({sizes})"
        )

    results = []
    rates = alternate(evaluate_all, load_all, per_round=per_round, budget_s=budget)
    results.append(
        Result(
            benchmark="compliance",
            name=f"evaluate, {count} members x {len(CYCLES)} plans x {len(RULE_IDS)} rules",
            database=ctx.database,
            unit="members/s",
            value=rates.subject,
            baseline_name=baseline_name,
            baseline_value=rates.baseline,
            higher_is_better=True,
            detail=(
                f"{rates.subject_ops:,} member evaluations in {rates.rounds} rounds "
                f"({findings:,} findings per round: {spread}); SQL queries per member: "
                f"{_span(evaluate_queries)} ({sizes})"
            ),
            baseline_detail=baseline_detail(rates),
        )
    )
    rates = alternate(refresh_all, load_all, per_round=per_round, budget_s=budget)
    later, later_contrary = sum(changed), sum(recorded)
    results.append(
        Result(
            benchmark="compliance",
            name=f"refresh (evaluate + store readings), {count} members, evidence unchanged",
            database=ctx.database,
            unit="members/s",
            value=rates.subject,
            baseline_name=baseline_name,
            baseline_value=rates.baseline,
            higher_is_better=True,
            detail=(
                f"{rates.subject_ops:,} member refreshes in {rates.rounds} rounds; readings "
                f"changed: {first_changed} in the first pass ({readings} stored, "
                f"{first_ns / 1e9 / count * 1000:,.0f} ms per member, not in the figure), "
                f"{later} in the {rates.rounds} measured rounds; contrary-to-process findings "
                f"recorded: {first_contrary} in the first pass, {later_contrary} after; "
                f"SQL queries per member: "
                f"{_span(refresh_queries)} ({sizes})"
            ),
            baseline_detail=baseline_detail(rates),
        )
    )
    return results
