"""A plan with more commitments than a page holds: the per-commitment charts and tables
page through them, the counts cover them all, the JSON twin carries every one."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

from tripartite.forums.tests import factories as forum_factories
from tripartite.plans.models import ActionPlan
from tripartite.plans.tests import factories as f
from tripartite.plans.views import COMMITMENTS_PER_PAGE

pytestmark = pytest.mark.django_db
TOTAL = COMMITMENTS_PER_PAGE + 7


@pytest.fixture
def big_plan() -> ActionPlan:
    plan = f.advance(f.plan(forum_factories.member()), ("co_creation", dt.date(2016, 3, 1)))
    for n in range(1, TOTAL + 1):
        f.commitment(plan, f"XX{n:04d}", number=n, themes=["Water"])
    return plan


def rows_linking_commitments(html: str) -> int:
    return html.count('<th scope="row"><a href="/commitment/')


def test_first_page_shows_one_page_of_commitments(client: Client, big_plan: ActionPlan) -> None:
    html = client.get(big_plan.get_absolute_url()).content.decode()
    # Two tables by commitment (completion, each party's view), one page of rows each.
    assert rows_linking_commitments(html) == 2 * COMMITMENTS_PER_PAGE
    assert f"commitments 1 to {COMMITMENTS_PER_PAGE} of {TOTAL}" in html


def test_second_page_shows_the_rest(client: Client, big_plan: ActionPlan) -> None:
    html = client.get(big_plan.get_absolute_url() + "?page=2").content.decode()
    assert rows_linking_commitments(html) == 2 * (TOTAL - COMMITMENTS_PER_PAGE)


def test_counts_by_theme_cover_every_commitment(client: Client, big_plan: ActionPlan) -> None:
    html = client.get(big_plan.get_absolute_url() + "?page=2").content.decode()
    assert f"{TOTAL} commitments" in html


def test_json_twin_carries_every_commitment(client: Client, big_plan: ActionPlan) -> None:
    data = client.get(f"/plan/{big_plan.key}.json").json()
    assert len(data["commitments"]) == TOTAL


def test_page_out_of_range_shows_the_last_page(client: Client, big_plan: ActionPlan) -> None:
    response = client.get(big_plan.get_absolute_url() + "?page=99")
    assert response.status_code == 200
    assert rows_linking_commitments(response.content.decode()) == 2 * (TOTAL - COMMITMENTS_PER_PAGE)
