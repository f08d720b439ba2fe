"""Pages of policy rows (the rules OGP changes over time): the list of every row, built in
and recorded, and each row's page, with its JSON twins."""

from __future__ import annotations

import datetime as dt
import html
import re
from typing import Any

import pytest
from django.test import Client

from tripartite.core.actors import system_actor
from tripartite.core.models import PolicyRule
from tripartite.core.policy import SEED
from tripartite.core.services import record_policy_rule
from tripartite.plans import services
from tripartite.plans.tests.factories import PlanWorld

D = dt.date


def page(client: Client, path: str) -> str:
    response = client.get(path)
    assert response.status_code == 200, response.content[:500]
    return html.unescape(response.content.decode())


def visible(markup: str) -> str:
    markup = re.sub(r"<(?:br|/(?:dt|dd|th|td|li|p|h\d|div|tr|caption))\b[^>]*>", " ", markup)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", markup)).strip()


def row_of(markup: str, key: str) -> str:
    """The visible text of the list's table row that links to ``policy/<key>``."""
    found = re.search(rf'<tr>\s*<th scope="row"><a href="/policy/{key}/">.*?</tr>', markup, re.S)
    assert found, key
    return visible(found.group(0))


def record(**fields: Any) -> PolicyRule:
    values: dict[str, Any] = {
        "key": "delivery-2015-recorded",
        "code": "plan.delivery",
        "title": "Plans are due by 30 June (recorded)",
        "effective_from": D(2015, 1, 1),
        "effective_to": None,
        "params": {"rule": "fixed_date", "month": 6, "day": 30},
        "source_url": "https://example.org/rules",
        "verified": True,
    }
    values.update(fields)
    rule: PolicyRule = record_policy_rule(system_actor(), **values)
    return rule


# ---------------------------------------------------------------- the list


def test_policies_page_links_every_built_in_row(client: Client, world: PlanWorld) -> None:
    links = set(re.findall(r'href="/policy/([\w-]+)/"', page(client, "/policies/")))
    assert links == {row.key for row in SEED}


def test_policies_page_gives_each_rows_source_and_verification(
    client: Client, world: PlanWorld
) -> None:
    text = row_of(page(client, "/policies/"), "plan-delivery-2015")
    assert "Jan. 1, 2015 \N{EN DASH} Dec. 31, 2017" in text
    assert "Source Verified Built in In use" in text


def test_policies_page_links_each_source(client: Client, world: PlanWorld) -> None:
    markup = page(client, "/policies/")
    assert all(f'href="{row.source_url}"' in markup for row in SEED)


def test_policies_page_marks_the_row_in_force_today(client: Client, world: PlanWorld) -> None:
    markup = page(client, "/policies/")
    assert "(in force today)" in row_of(markup, "plan-delivery-2022")
    assert "(in force today)" not in row_of(markup, "plan-delivery-2015")


def test_recorded_rows_replace_the_built_in_ones_of_their_rule(
    client: Client, world: PlanWorld
) -> None:
    record()
    markup = page(client, "/policies/")
    assert row_of(markup, "delivery-2015-recorded").endswith("Verified Recorded In use")
    assert row_of(markup, "plan-delivery-2015").endswith("Built in Replaced by recorded rows")
    assert row_of(markup, "plan-length-2015").endswith("Built in In use")


def test_unverified_recorded_row_is_flagged(client: Client, world: PlanWorld) -> None:
    record(verified=False, source_url="")
    text = row_of(page(client, "/policies/"), "delivery-2015-recorded")
    assert "None given Not verified Recorded" in text


def test_retracted_recorded_row_is_listed_as_retracted(client: Client, world: PlanWorld) -> None:
    rule = record()
    services.retract(system_actor(), rule, reason="Wrong date.")
    markup = page(client, "/policies/")
    assert row_of(markup, "delivery-2015-recorded").endswith("Retracted")
    assert row_of(markup, "plan-delivery-2015").endswith("In use")


def test_policies_json_twin_matches_the_api(client: Client, world: PlanWorld) -> None:
    record()
    twin = client.get("/policies.json")
    assert twin["Content-Type"].startswith("application/json")
    assert twin.json() == client.get("/api/v1/policies").json()


# ---------------------------------------------------------------- a row's page


def test_built_in_row_page_shows_the_rule_and_its_parameters(
    client: Client, world: PlanWorld
) -> None:
    text = visible(page(client, "/policy/plan-delivery-2018/"))
    assert "Plans are due 31 August; delivered on or after 1 January" in text
    assert "Rule plan.delivery" in text
    assert "contrary_after_months 4" in text
    assert "Built into the software: not a versioned record." in text


def test_row_page_shows_a_list_parameter_as_a_list(client: Client, world: PlanWorld) -> None:
    text = visible(page(client, "/policy/irm-starred-2015/"))
    assert "values ati, cp, pa" in text


def test_row_page_links_the_other_versions_of_its_rule(client: Client, world: PlanWorld) -> None:
    versions = page(client, "/policy/plan-delivery-2018/").split('id="versions-heading"', 1)[1]
    assert re.findall(r'href="/policy/([\w-]+)/"', versions.split("</section>", 1)[0]) == [
        "plan-delivery-2015",
        "plan-delivery-2022",
    ]


def test_row_page_lists_the_plans_whose_due_date_it_set(client: Client, world: PlanWorld) -> None:
    plans = page(client, "/policy/plan-delivery-2015/").split('id="plans-heading"', 1)[1]
    assert 'href="/plan/xx-3/"' in plans


def test_recorded_row_page_is_a_versioned_record(client: Client, world: PlanWorld) -> None:
    record()
    markup = page(client, "/policy/delivery-2015-recorded/")
    assert "Record policy/delivery-2015-recorded · version 1" in visible(markup)
    assert 'href="/history/policy/delivery-2015-recorded/"' in markup


def test_history_of_a_recorded_row_links_back_to_its_page(client: Client, world: PlanWorld) -> None:
    record()
    history = page(client, "/history/policy/delivery-2015-recorded/")
    assert 'href="/policy/delivery-2015-recorded/"' in history


def test_unverified_row_page_warns(client: Client, world: PlanWorld) -> None:
    record(verified=False)
    text = visible(page(client, "/policy/delivery-2015-recorded/"))
    assert "Warning: The source of this rule has not been verified." in text


def test_verified_row_page_does_not_warn(client: Client, world: PlanWorld) -> None:
    assert "has not been verified" not in page(client, "/policy/plan-delivery-2015/")


def test_retracted_row_page_says_so(client: Client, world: PlanWorld) -> None:
    rule = record()
    services.retract(system_actor(), rule, reason="Wrong date.")
    text = visible(page(client, "/policy/delivery-2015-recorded/"))
    assert "This record has been retracted." in text
    assert "Reason for retraction: Wrong date." in text


@pytest.mark.parametrize("key", ["plan-delivery-2015", "irm-starred-2012"])
def test_row_json_twin_matches_the_api(client: Client, world: PlanWorld, key: str) -> None:
    twin = client.get(f"/policy/{key}.json")
    assert twin.status_code == 200
    assert twin.json() == client.get(f"/api/v1/policies/{key}").json()


def test_unknown_row_is_404(client: Client, world: PlanWorld) -> None:
    assert client.get("/policy/nope/").status_code == 404


def test_unknown_row_json_twin_is_problem_json(client: Client, world: PlanWorld) -> None:
    response = client.get("/policy/nope.json")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/problem+json"
