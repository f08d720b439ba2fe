"""Every page, JSON twin, feed and API operation of action plans runs a bounded number of
SQL queries, whatever the size of the plan: the count on a plan of 3 commitments equals
the count once it has 30 commitments of 10 milestones each, with every party's reports,
IRM assessments in two reports, linked co-creation input, more plans and policy rows.

The two measurements are made once for the module (the data is built through the services
and rolled back afterwards); each test then compares one URL's counts. The benchmark
(``make bench``) measures the issue's 500 commitments and 5,000 milestones.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from dataclasses import dataclass
from typing import Any

import pytest
from django.db import connection, transaction
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext

from tripartite.core.actors import system_actor
from tripartite.core.services import record_policy_rule
from tripartite.forums.models import Member
from tripartite.forums.tests import factories as forum_factories
from tripartite.forums.tests.read_world import assert_test_database
from tripartite.plans import services
from tripartite.plans.models import (
    ActionPlan,
    Assessment,
    Commitment,
    Input,
    Milestone,
    ProgressReport,
)
from tripartite.plans.tests import factories
from tripartite.plans.tests.factories import PlanWorld, plan_world

D = dt.date

# Every test uses the database, so pytest-django sets up the test database (and never lets
# the module fixture below reach the development one).
pytestmark = pytest.mark.django_db

URLS: list[str] = [
    # pages
    "/plan/xx-3/",
    "/plan/xx-5/",
    "/commitment/XX0001/",
    "/commitment/XX0010/",
    "/milestone/XX0001-m1/",
    "/progress/XX0001-r001/",
    "/irm-report/xx-3-progress/",
    "/assessment/xx-3-progress-xx0001/",
    "/plans/",
    "/plans/?member=xx&state=implementing",
    "/policies/",
    "/policy/plan-delivery-2015/",
    "/member/xx/",
    "/plan/xx-3/progress.atom",
    # JSON twins of pages
    "/plan/xx-3.json",
    "/commitment/XX0001.json",
    "/commitment/XX0010.json",
    "/milestone/XX0001-m1.json",
    "/progress/XX0001-r001.json",
    "/irm-report/xx-3-progress.json",
    "/assessment/xx-3-progress-xx0001.json",
    "/plans.json",
    "/policies.json",
    "/policy/plan-delivery-2015.json",
    # API lists
    "/api/v1/plans",
    "/api/v1/plans?member=xx&state=implementing",
    "/api/v1/commitments",
    "/api/v1/commitments?plan=xx-3",
    "/api/v1/commitments?theme=Access%20to%20drinking%20water",
    "/api/v1/milestones",
    "/api/v1/milestones?commitment=XX0001",
    "/api/v1/progress",
    "/api/v1/progress?commitment=XX0001&party=government",
    "/api/v1/irm-reports",
    "/api/v1/irm-reports?plan=xx-3",
    "/api/v1/assessments",
    "/api/v1/assessments?report=xx-3-progress",
    "/api/v1/policies",
    # API details
    "/api/v1/plans/xx-3",
    "/api/v1/commitments/XX0001",
    "/api/v1/milestones/XX0001-m1",
    "/api/v1/progress/XX0001-r001",
    "/api/v1/irm-reports/xx-3-progress",
    "/api/v1/assessments/xx-3-progress-xx0001",
    "/api/v1/policies/plan-delivery-2015",
]

PARTIES = ("government", "civil_society", "oversight_body")
LEVELS = ("not_started", "limited", "substantial", "complete")


# ---------------------------------------------------------------- growing the plan


def third_commitment(world: PlanWorld) -> None:
    """The small plan: three commitments."""
    third = factories.commitment(
        world.plan,
        "XX0003",
        "Open contracting",
        number=3,
        themes=["Open contracting"],
        ogp_values=["pa"],
    )
    factories.milestone(third, "Publish contracts", status="limited")


def grow(world: PlanWorld) -> None:
    """30 commitments of 10 milestones each, every party reporting, two IRM reports, more
    plans, members, inputs and policy rows."""
    actor = system_actor()
    the_plan = world.plan
    themes = ["Water", "Health", "Budget", "Justice", "Open data"]
    commitments = list(Commitment.objects.filter(plan=the_plan).order_by("number"))
    for n in range(4, 31):
        commitments.append(
            factories.commitment(
                the_plan,
                f"XX{100 + n:04d}",
                f"Commitment number {n}",
                number=n,
                lead_institution=world.gov,
                supporting_institutions=[world.ovs, world.cso],
                themes=[themes[n % 5], themes[(n + 1) % 5]],
                ogp_values=["ati", "pa"],
                start_on=D(2016, 7, 1),
                end_on=D(2018, 6, 30),
            )
        )
    for commitment in commitments:
        while commitment.milestones.count() < 10:
            m = commitment.milestones.count() + 1
            factories.milestone(
                commitment,
                f"Deliverable {m} of {commitment.key}",
                responsible=world.gov,
                start_on=D(2016, 7, m),
                end_on=D(2017, m, 1),
                status=LEVELS[m % 4],
                evidence=[{"label": "Portal", "url": f"https://example.org/{m}"}],
            )
    for n, commitment in enumerate(commitments):
        milestones = list(commitment.milestones.order_by("number"))
        for p, party in enumerate(PARTIES):
            author = (world.gov, world.cso, world.ovs)[p]
            factories.report(
                commitment,
                party,
                LEVELS[(n + p) % 4],
                D(2017, 1 + p, 1 + n % 28),
                author=author,
                milestone=milestones[p],
            )
            factories.report(
                commitment, party, LEVELS[(n + p + 1) % 4], D(2017, 9, 1 + n % 28), author=author
            )
    m1 = Milestone.objects.get(key="XX0001-m1")
    water = m1.commitment
    for n in range(10):
        for party in PARTIES:
            factories.report(
                water,
                party,
                LEVELS[n % 4],
                D(2018, 1, 1 + n),
                milestone=m1,
                evidence=[{"label": "Minutes", "url": "https://example.org/m"}],
            )
    assessed = set(
        Assessment.objects.filter(report=world.irm_report).values_list("commitment_id", flat=True)
    )
    for commitment in commitments:
        if commitment.pk not in assessed:
            services.record_assessment(
                actor,
                report=world.irm_report,
                commitment=commitment,
                specificity="high",
                relevance=["ati"],
                potential_impact="moderate",
                completion="limited",
                starred=False,
            )
    end_of_term = services.publish_irm_report(
        actor,
        key="xx-3-end",
        plan=the_plan,
        report_type="end_of_term_report",
        methodology="irm_pre2020",
        title="End-of-term report",
        published_on=D(2018, 12, 1),
    )
    for commitment in commitments:
        services.record_assessment(
            actor,
            report=end_of_term,
            commitment=commitment,
            specificity="medium",
            relevance=["pa"],
            potential_impact="transformative",
            completion="complete",
            starred=True,
        )
    # Linked co-creation input on the plan in co-creation, and pending input beside it.
    beneficial = Commitment.objects.get(key="XX0010")
    inputs = [factories.published_input(world.next_plan, f"Idea {n}") for n in range(12)]
    services.link_inputs(actor, beneficial, inputs=inputs)
    for n in range(5):
        factories.public_input(world.next_plan, f"Pending idea {n}")
    # More plans: of this member, and of others under the 2015 delivery rule.
    for n in range(6, 16):
        factories.plan(
            world.member,
            key=f"xx-{n}",
            number=n,
            start_on=D(2030 + 2 * n, 1, 1),
            end_on=D(2031 + 2 * n, 12, 31),
            forum=world.forum,
        )
    for n in range(8):
        member = forum_factories.member(f"g{n}", f"Growland {n}")
        factories.plan(member, key=f"g{n}-1", number=1)
        factories.plan(
            member, key=f"g{n}-2", number=2, start_on=D(2016, 9, 1), end_on=D(2018, 8, 31)
        )
    # Policy rows recorded beside the built-in ones.
    for n in range(6):
        record_policy_rule(
            actor,
            key=f"growth-{n}",
            code=f"test.growth{n % 2}",
            title=f"Growth rule {n}",
            effective_from=D(2000 + 3 * n, 1, 1),
            effective_to=D(2002 + 3 * n, 12, 31),
            params={"n": n},
            source_url="https://example.org/rule",
            verified=bool(n % 2),
        )


# ---------------------------------------------------------------- measuring


@dataclass
class Measure:
    status: int
    queries: list[str]


def measure(client: Client, url: str) -> Measure:
    client.get(url)  # warm up: anything cached per process is loaded before counting
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    return Measure(response.status_code, [q["sql"] for q in captured.captured_queries])


def sizes() -> dict[str, int]:
    """How many rows surround the records the URLs show."""
    return {
        "commitments of the plan": Commitment.objects.filter(plan__key="xx-3").count(),
        "milestones of the plan": Milestone.objects.filter(commitment__plan__key="xx-3").count(),
        "reports on the plan": ProgressReport.objects.filter(commitment__plan__key="xx-3").count(),
        "reports on milestone 1": ProgressReport.objects.filter(milestone__key="XX0001-m1").count(),
        "assessments of the plan": Assessment.objects.filter(commitment__plan__key="xx-3").count(),
        "inputs of XX0010": Input.objects.filter(commitments__key="XX0010").count(),
        "plans": ActionPlan.objects.count(),
        "members": Member.objects.count(),
    }


@dataclass
class Measured:
    counts: dict[str, tuple[Measure, Measure]]
    sizes: tuple[dict[str, int], dict[str, int]]


@pytest.fixture(scope="module")
def measured(django_db_setup: None, django_db_blocker: Any) -> Measured:
    client = Client()
    static = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
    with (
        django_db_blocker.unblock(),
        override_settings(
            STORAGES={
                "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
                "staticfiles": static,
            }
        ),
        transaction.atomic(),
    ):
        assert_test_database()
        world = plan_world()
        third_commitment(world)
        small = sizes()
        before = {url: measure(client, url) for url in URLS}
        grow(world)
        large = sizes()
        after = {url: measure(client, url) for url in URLS}
        transaction.set_rollback(True)
    return Measured({url: (before[url], after[url]) for url in URLS}, (small, large))


def shape(sql: str) -> str:
    """A query with its literal values blanked, so repeats of one query compare equal."""
    sql = re.sub(r"'(?:[^']|'')*'", "?", sql)
    sql = re.sub(r"\b\d+\b", "?", sql)
    return re.sub(r"\(\?(?:, \?)*\)", "(…)", sql)


def repeated(before: list[str], after: list[str]) -> str:
    grown = Counter(map(shape, after)) - Counter(map(shape, before))
    return "\n".join(f"  +{n} x {sql[:300]}" for sql, n in grown.most_common())


def test_every_url_answers_200(measured: Measured) -> None:
    failing = {
        url: (b.status, a.status)
        for url, (b, a) in measured.counts.items()
        if (b.status, a.status) != (200, 200)
    }
    assert failing == {}


def test_the_small_plan_has_three_commitments(measured: Measured) -> None:
    assert measured.sizes[0]["commitments of the plan"] == 3


def test_the_large_plan_has_30_commitments_of_10_milestones(measured: Measured) -> None:
    large = measured.sizes[1]
    assert (large["commitments of the plan"], large["milestones of the plan"]) == (30, 300)


def test_the_record_really_grew_several_fold(measured: Measured) -> None:
    small, large = measured.sizes
    too_small = {
        what: (small[what], large[what]) for what in small if large[what] < 3 * max(small[what], 1)
    }
    assert too_small == {}


@pytest.mark.parametrize("url", URLS)
def test_query_count_does_not_grow_with_the_plan(measured: Measured, url: str) -> None:
    before, after = measured.counts[url]
    assert len(after.queries) == len(before.queries), (
        f"{url}: {len(before.queries)} queries on the small plan, "
        f"{len(after.queries)} on the large one; repeated:\n"
        + repeated(before.queries, after.queries)
    )


@pytest.mark.parametrize("url", ["/plan/xx-3/", "/plan/xx-3.json", "/commitment/XX0001/"])
def test_plan_pages_stay_within_a_small_fixed_budget(measured: Measured, url: str) -> None:
    """Not only constant: a handful of queries (the page's reads, the policy rows and the
    record's place in the public log)."""
    _before, after = measured.counts[url]
    assert len(after.queries) <= 14, "\n".join(after.queries)
