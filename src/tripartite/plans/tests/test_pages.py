"""Public pages of action plans and their JSON twins: what each shows, the parties' views
side by side, retracted records, private co-creation input, the list of plans."""

from __future__ import annotations

import datetime as dt
import html
import itertools
import re
from typing import Any, TypeVar

import pytest
from django.test import Client

from tripartite.core.actors import system_actor
from tripartite.core.models import PublicRecord
from tripartite.forums.tests import factories as forum_factories
from tripartite.plans import services
from tripartite.plans.tests import factories
from tripartite.plans.tests.factories import PlanWorld

D = dt.date
R = TypeVar("R", bound=PublicRecord)


def page(client: Client, path: str, **params: Any) -> str:
    response = client.get(path, params)
    assert response.status_code == 200, response.content[:500]
    assert response["Content-Type"].startswith("text/html")
    return html.unescape(response.content.decode())


def squash(text: str) -> str:
    return re.sub(r"\s+", " ", text)


def visible(markup: str) -> str:
    """What a reader sees: the markup without its tags (and without the SVG charts' own
    text, so that a phrase found is in the HTML), whitespace collapsed."""
    markup = re.sub(r"<svg.*?</svg>", "", markup, flags=re.S)
    markup = re.sub(r"<(?:br|/(?:dt|dd|th|td|li|p|h\d|div|tr|caption))\b[^>]*>", " ", markup)
    return squash(re.sub(r"<[^>]+>", "", markup)).strip()


def fresh(record: R) -> R:
    """The record as the database holds it now. The shared world's objects stay untouched:
    a test's writes are rolled back, but changes to those objects in memory would not be."""
    return type(record)._default_manager.get(pk=record.pk)


def section(markup: str, heading_id: str) -> str:
    """The markup of the section labelled by ``heading_id``."""
    start = markup.index(f'aria-labelledby="{heading_id}"')
    return markup[start : markup.index("</section>", start)]


def table_after(markup: str, caption: str) -> str:
    """The table whose caption is ``caption``."""
    start = markup.index(f"<caption>{caption}</caption>")
    return markup[start : markup.index("</table>", start)]


def rows(table: str) -> list[str]:
    """The visible text of each body row of a table, cells joined by a space."""
    body = table.split("<tbody>", 1)[1]
    return [
        " ".join(
            visible(cell).strip() for cell in re.findall(r"<t[hd][ >].*?</t[hd]>", row, flags=re.S)
        )
        for row in re.findall(r"<tr.*?</tr>", body, flags=re.S)
    ]


# ---------------------------------------------------------------- every page answers

PAGES = {
    "/plan/xx-3/": [
        "Action plan 3",
        "Exampleland",
        "Example Forum",
        "Two years",
        "Implementing (since July 2, 2016)",
        "XX0001: Water metering and discharges",
        "Progress report 2016-2017",
    ],
    "/plan/xx-5/": ["Action plan 5", "Four years, refreshed at year two", "Co-creation"],
    "/commitment/XX0001/": [
        "XX0001: Water metering and discharges",
        "Ministry of Public Service",
        "Information Institute",
        "Access to drinking water",
        "Access to information, Civic participation",
        "Publish metering data",
        "Public report on discharges",
        "Open the water data",
    ],
    "/milestone/XX0001-m1/": [
        "Milestone 1: Publish metering data",
        "Water metering and discharges",
        "Ministry of Public Service",
        "Substantial",
        "Data portal",
    ],
    "/progress/XX0001-r002/": [
        "Progress report by Civil society (shadow report)",
        "Civic Group",
        "The civil_society view of progress.",
        "Shadow report",
        "Limited",
    ],
    "/irm-report/xx-3-progress/": [
        "Progress report 2016-2017",
        "Progress report (mid-term)",
        "IRM methodology before 2020",
        "A. Researcher",
        "Involve",
        "XX0001: Water metering and discharges",
        "XX0002: Policy on enforced disappearances",
    ],
    "/irm-report/xx-5-review/": [
        "Action plan review 2022-2025",
        "IRM refreshed methodology (2020)",
        "MR1.1",
        "MR4.1",
        "Not met",
        "Collaborate",
    ],
    "/assessment/xx-3-progress-xx0001/": [
        "IRM assessment of XX0001: Water metering and discharges",
        "Transformative",
        "Major",
        "★ Starred",
    ],
    "/plans/": ["Action plans", "2 action plans", "Action plan 3", "Action plan 5"],
}


@pytest.mark.parametrize("path", PAGES)
def test_page_shows_its_record(client: Client, world: PlanWorld, path: str) -> None:
    text = visible(page(client, path))
    missing = [phrase for phrase in PAGES[path] if phrase not in text]
    assert missing == []


@pytest.mark.parametrize("path", PAGES)
def test_page_loads_the_plans_stylesheet(client: Client, world: PlanWorld, path: str) -> None:
    assert '<link rel="stylesheet" href="/static/plans/plans.css' in page(client, path)


@pytest.mark.parametrize("path", PAGES)
def test_page_has_no_inline_style_or_script(client: Client, world: PlanWorld, path: str) -> None:
    markup = page(client, path)
    assert " style=" not in markup
    assert "<style" not in markup
    assert "<script" not in markup


@pytest.mark.parametrize("path", [p for p in PAGES if p != "/plans/"])
def test_record_page_has_exactly_one_h1(client: Client, world: PlanWorld, path: str) -> None:
    assert page(client, path).count("<h1") == 1


@pytest.mark.parametrize("path", [p for p in PAGES if p != "/plans/"])
def test_headings_never_skip_a_level(client: Client, world: PlanWorld, path: str) -> None:
    levels = [int(n) for n in re.findall(r"<h([1-6])", page(client, path))]
    skips = [(a, b) for a, b in itertools.pairwise(levels) if b > a + 1]
    assert skips == []


# ---------------------------------------------------------------- JSON twins

TWINS = {
    "/plan/xx-3": "/api/v1/plans/xx-3",
    "/commitment/XX0001": "/api/v1/commitments/XX0001",
    "/milestone/XX0001-m1": "/api/v1/milestones/XX0001-m1",
    "/progress/XX0001-r001": "/api/v1/progress/XX0001-r001",
    "/irm-report/xx-3-progress": "/api/v1/irm-reports/xx-3-progress",
    "/assessment/xx-3-progress-xx0001": "/api/v1/assessments/xx-3-progress-xx0001",
}


@pytest.mark.parametrize("path", TWINS)
def test_json_twin_returns_the_same_data_as_the_api(
    client: Client, world: PlanWorld, path: str
) -> None:
    twin = client.get(f"{path}.json")
    assert twin.status_code == 200
    assert twin["Content-Type"].startswith("application/json")
    assert twin.json() == client.get(TWINS[path]).json()


@pytest.mark.parametrize("path", TWINS)
def test_page_links_to_its_json_twin(client: Client, world: PlanWorld, path: str) -> None:
    assert f'href="{path}.json"' in page(client, f"{path}/")


@pytest.mark.parametrize("path", TWINS)
def test_unknown_key_is_a_404_page(client: Client, world: PlanWorld, path: str) -> None:
    record_type = path.split("/")[1]
    assert client.get(f"/{record_type}/nope/").status_code == 404


@pytest.mark.parametrize("path", TWINS)
def test_unknown_key_of_a_json_twin_is_problem_json(
    client: Client, world: PlanWorld, path: str
) -> None:
    record_type = path.split("/")[1]
    response = client.get(f"/{record_type}/nope.json")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["status"] == 404


@pytest.mark.parametrize("path", TWINS)
def test_record_page_links_to_its_history(client: Client, world: PlanWorld, path: str) -> None:
    record_type, key = path.strip("/").split("/")
    assert f'href="/history/{record_type}/{key}/"' in page(client, f"{path}/")


def test_history_page_of_a_plan_record_links_back_to_it(client: Client, world: PlanWorld) -> None:
    assert 'href="/commitment/XX0001/"' in page(client, "/history/commitment/XX0001/")


# ---------------------------------------------------------------- the plan dashboard


def dashboard_facts(client: Client, path: str = "/plan/xx-3/") -> dict[str, str]:
    markup = page(client, path)
    facts = markup.split('<dl class="facts">', 1)[1].split("</dl>", 1)[0]
    pairs = re.findall(r"<dt>(.*?)</dt><dd>(.*?)</dd>", facts, flags=re.S)
    return {visible(name): visible(value) for name, value in pairs}


def test_dashboard_shows_the_due_date_and_the_rule_that_gave_it(
    client: Client, world: PlanWorld
) -> None:
    due = dashboard_facts(client)["Due"]
    assert due.startswith("June 30, 2016")
    assert "Two-year plans are delivered by 30 June of the plan's first year" in due


def test_dashboard_links_the_due_rule_to_its_policy_page(client: Client, world: PlanWorld) -> None:
    facts = page(client, "/plan/xx-3/").split('<dl class="facts">', 1)[1].split("</dl>", 1)[0]
    assert 'href="/policy/plan-delivery-2015/"' in facts


def test_dashboard_shows_how_late_the_plan_was_delivered(client: Client, world: PlanWorld) -> None:
    assert dashboard_facts(client)["Delivered"] == "July 1, 2016 · 1 day late"


def test_dashboard_counts_days_overdue_while_not_delivered(
    client: Client, world: PlanWorld
) -> None:
    delivered = dashboard_facts(client, "/plan/xx-5/")["Delivered"]
    assert re.fullmatch(r"Not yet · \d+ days overdue", delivered)


def test_dashboard_shows_the_refresh_due_of_a_four_year_plan(
    client: Client, world: PlanWorld
) -> None:
    facts = dashboard_facts(client, "/plan/xx-5/")
    assert facts["Mid-term refresh due"] == "Jan. 1, 2024"
    assert facts["Refreshed"] == "Not yet"


def test_dashboard_shows_the_irm_results_deadline_the_rules_set(
    client: Client, world: PlanWorld
) -> None:
    assert dashboard_facts(client, "/plan/xx-5/")["IRM results due"] == "April 30, 2026"


def test_dashboard_links_previous_and_next_plans(client: Client, world: PlanWorld) -> None:
    assert dashboard_facts(client)["Next plan"] == "Action plan 5"
    assert dashboard_facts(client, "/plan/xx-5/")["Previous plan"] == "Action plan 3"


def test_dashboard_links_to_the_co_creation_page(client: Client, world: PlanWorld) -> None:
    assert 'href="/plan/xx-3/co-creation/"' in page(client, "/plan/xx-3/")


def test_dashboard_announces_its_progress_feed(client: Client, world: PlanWorld) -> None:
    head = page(client, "/plan/xx-3/").split("</head>", 1)[0]
    assert (
        '<link rel="alternate" type="application/atom+xml" href="/plan/xx-3/progress.atom"' in head
    )


def test_dashboard_timeline_lists_deadlines_and_transitions_in_order(
    client: Client, world: PlanWorld
) -> None:
    timeline = page(client, "/plan/xx-3/").split('<ol class="timeline">', 1)[1].split("</ol>")[0]
    events = [visible(item) for item in re.findall(r"<li.*?</li>", timeline, flags=re.S)]
    assert events == [
        "March 1, 2016 — Co-creation opens",
        "March 1, 2016 — Planning → Co-creation",
        "June 30, 2016 — Deadline: The plan is due",
        "July 1, 2016 — The plan starts",
        "July 1, 2016 — Co-creation → Delivered",
        "July 2, 2016 — Delivered → Implementing",
        "Dec. 1, 2017 — Progress report 2016-2017",
        "June 30, 2018 — The plan ends",
        "Dec. 31, 2026 — Deadline: Co-creation closes",
    ]


def test_dashboard_table_gives_each_commitments_completion_and_its_source(
    client: Client, world: PlanWorld
) -> None:
    table = table_after(page(client, "/plan/xx-3/"), "Completion by commitment")
    assert rows(table) == [
        "XX0001: Water metering and discharges Ministry of Public Service 1 of 2 Substantial "
        "Progress report 2016-2017",
        "XX0002: Policy on enforced disappearances Ministry of Public Service 0 of 1 Not started "
        "Progress report 2016-2017",
    ]


def test_dashboard_falls_back_to_the_milestones_without_an_irm_assessment(
    client: Client, world: PlanWorld
) -> None:
    fresh = factories.commitment(world.plan, "XX0003", "Open contracting", number=3)
    factories.milestone(fresh, "Publish contracts", status="complete")
    factories.milestone(fresh, "Publish amendments", status="limited")
    table = table_after(page(client, "/plan/xx-3/"), "Completion by commitment")
    assert rows(table)[-1] == "XX0003: Open contracting — 1 of 2 Substantial the milestones"


def test_dashboard_counts_commitments_by_theme_and_level(client: Client, world: PlanWorld) -> None:
    table = table_after(page(client, "/plan/xx-3/"), "Commitments by theme and completion")
    assert rows(table) == [
        "Access to drinking water 0 1 0 0 0 0 1",
        "Human rights and the rule of law 0 0 0 1 0 0 1",
    ]


def test_dashboard_counts_commitments_by_ogp_value_and_level(
    client: Client, world: PlanWorld
) -> None:
    table = table_after(page(client, "/plan/xx-3/"), "Commitments by OGP value and completion")
    assert rows(table) == [
        "Access to information 0 1 0 0 0 0 1",
        "Civic participation 0 1 0 0 0 0 1",
        "Public accountability 0 0 0 1 0 0 1",
    ]


def test_dashboard_counts_each_partys_reports_month_by_month(
    client: Client, world: PlanWorld
) -> None:
    table = table_after(
        page(client, "/plan/xx-3/"), "Progress reports published by each party, to date"
    )
    assert rows(table) == ["2017-06 2 0 0", "2017-07 2 1 0", "2017-08 2 1 1"]


def test_dashboard_sets_the_parties_latest_reports_side_by_side(
    client: Client, world: PlanWorld
) -> None:
    table = table_after(page(client, "/plan/xx-3/"), "Each party's latest report, by commitment")
    assert rows(table)[0] == (
        "XX0001: Water metering and discharges "
        "Substantial (milestone 1) 2017-06-30 "
        "Limited (milestone 1) 2017-07-15 "
        "Substantial (whole commitment) 2017-08-01 "
        "≠ Parties disagree (on milestone 1)"
    )


def test_dashboard_shows_no_disagreement_where_only_one_party_reported(
    client: Client, world: PlanWorld
) -> None:
    table = table_after(page(client, "/plan/xx-3/"), "Each party's latest report, by commitment")
    assert rows(table)[1].endswith("No report No report No disagreement")


def test_dashboard_never_averages_the_parties(client: Client, world: PlanWorld) -> None:
    """Government says substantial and civil society limited: both stay, nothing between."""
    water = client.get("/plan/xx-3.json").json()["commitments"][0]
    assert [v["completion"] for v in water["views"]] == ["substantial", "limited", "substantial"]
    assert water["disagreement"] is True


def test_dashboard_lists_the_irm_reports_of_the_plan(client: Client, world: PlanWorld) -> None:
    irm = visible(section(page(client, "/plan/xx-3/"), "irm-heading"))
    assert "Progress report 2016-2017 — Progress report (mid-term)" in irm


def test_dashboard_of_a_plan_without_commitments_says_so(client: Client, world: PlanWorld) -> None:
    factories.plan(
        world.member,
        key="xx-7",
        number=7,
        start_on=D(2026, 1, 1),
        end_on=D(2027, 12, 31),
        previous=world.next_plan,
    )
    assert "This plan has no commitments yet." in visible(page(client, "/plan/xx-7/"))


def test_dashboard_lists_a_retracted_commitment_apart_as_retracted(
    client: Client, world: PlanWorld
) -> None:
    services.retract(system_actor(), fresh(world.commitments[1]), reason="Duplicated by mistake.")
    markup = page(client, "/plan/xx-3/")
    completion = table_after(markup, "Completion by commitment")
    assert "XX0002" not in completion
    retracted = markup.split('id="retracted-heading"', 1)[1].split("</ul>", 1)[0]
    assert "XX0002: Policy on enforced disappearances — retracted" in visible(retracted)


def test_retracted_plan_is_shown_as_retracted(client: Client, world: PlanWorld) -> None:
    services.retract(system_actor(), fresh(world.plan), reason="Published for the wrong member.")
    text = visible(page(client, "/plan/xx-3/"))
    assert "This record has been retracted." in text
    assert "Reason for retraction: Published for the wrong member." in text


# ---------------------------------------------------------------- the commitment page


def test_commitment_page_sets_the_parties_side_by_side_per_milestone(
    client: Client, world: PlanWorld
) -> None:
    table = table_after(
        page(client, "/commitment/XX0001/"), "The parties' latest reports, side by side"
    )
    assert rows(table) == [
        "Milestone 1: Publish metering data Substantial June 30, 2017 Limited July 15, 2017 "
        "No report ≠ Parties disagree",
        "Milestone 2: Public report on discharges No report No report No report No disagreement",
        "The whole commitment No report No report Substantial Aug. 1, 2017 No disagreement",
    ]


def test_commitment_page_lists_every_report_by_date_with_its_evidence(
    client: Client, world: PlanWorld
) -> None:
    reports = page(client, "/commitment/XX0001/").split('<ol class="report-list">', 1)[1]
    reports = reports.split("</ol>", 1)[0]
    heads = re.findall(r'<p class="report-head">(.*?)</p>', reports, flags=re.S)
    assert [visible(head).split(" — ")[0] for head in heads] == [
        "June 30, 2017",
        "July 15, 2017",
        "Aug. 1, 2017",
    ]
    assert 'href="https://example.org/shadow"' in reports


def test_commitment_page_lists_the_milestones_with_dates_and_status(
    client: Client, world: PlanWorld
) -> None:
    table = table_after(page(client, "/commitment/XX0001/"), "Milestones, their dates and status")
    assert rows(table) == [
        "1. Publish metering data Ministry of Public Service July 1, 2016 June 30, 2017 "
        "Substantial Data portal",
        "2. Public report on discharges Information Institute — — Not started —",
    ]


def test_commitment_page_shows_the_irm_verdict_and_what_the_rule_derives(
    client: Client, world: PlanWorld
) -> None:
    text = visible(section(page(client, "/commitment/XX0001/"), "irm-heading"))
    assert "Starred (the IRM's verdict) ★ Starred" in text
    assert "The rule would derive starred · A star needs transformative potential impact" in text
    assert "differs from what the rule" not in text


def test_commitment_page_notes_when_the_verdict_differs_from_the_rule(
    client: Client, world: PlanWorld
) -> None:
    """Moderate potential impact gets no star under the 2015 rule: a recorded star differs."""
    fresh = factories.commitment(world.plan, "XX0004", "Budget transparency", number=4)
    services.record_assessment(
        system_actor(),
        report=world.irm_report,
        commitment=fresh,
        specificity="high",
        relevance=["ati"],
        potential_impact="moderate",
        completion="complete",
        starred=True,
    )
    text = visible(section(page(client, "/commitment/XX0004/"), "irm-heading"))
    assert "Starred (the IRM's verdict) ★ Starred" in text
    assert "The rule would derive not starred" in text
    assert "The IRM's published verdict differs from what the rule in force derives" in text


def test_commitment_page_links_the_input_it_came_from(client: Client, world: PlanWorld) -> None:
    inputs = section(page(client, "/commitment/XX0001/"), "inputs-heading")
    assert f'<a href="/input/{world.inputs[0].key}/">Open the water data</a>' in inputs


PRIVATE = ("Awaiting a moderator", "Abusive text", "Kept Private", "a@example.org")


@pytest.mark.parametrize(
    "path",
    [
        "/plan/xx-3/",
        "/plan/xx-3.json",
        "/commitment/XX0001/",
        "/commitment/XX0002/",
        "/commitment/XX0001.json",
        "/commitment/XX0002.json",
    ],
)
def test_pending_and_withheld_input_never_show(client: Client, world: PlanWorld, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 200
    text = html.unescape(response.content.decode())
    assert [word for word in PRIVATE if word in text] == []


def test_retracted_report_is_shown_as_retracted_and_no_longer_counts(
    client: Client, world: PlanWorld
) -> None:
    services.retract(system_actor(), fresh(world.reports[1]), reason="Sent by mistake.")
    markup = page(client, "/commitment/XX0001/")
    table = table_after(markup, "The parties' latest reports, side by side")
    assert rows(table)[0] == (
        "Milestone 1: Publish metering data Substantial June 30, 2017 No report No report "
        "No disagreement"
    )
    assert "This report has been retracted; it no longer counts" in visible(markup)


def test_retracted_progress_report_page_says_so(client: Client, world: PlanWorld) -> None:
    services.retract(system_actor(), fresh(world.reports[1]), reason="Sent by mistake.")
    text = visible(page(client, "/progress/XX0001-r002/"))
    assert "This record has been retracted." in text
    assert "Reason for retraction: Sent by mistake." in text


# ---------------------------------------------------------------- milestones, reports, IRM


def test_milestone_page_sets_the_parties_side_by_side(client: Client, world: PlanWorld) -> None:
    table = table_after(
        page(client, "/milestone/XX0001-m1/"),
        "The parties' latest reports on this milestone, side by side",
    )
    assert rows(table) == [
        "Milestone 1: Publish metering data Substantial June 30, 2017 Limited July 15, 2017 "
        "No report ≠ Parties disagree"
    ]


def test_progress_page_shows_the_other_parties_on_the_same_work(
    client: Client, world: PlanWorld
) -> None:
    table = table_after(
        page(client, "/progress/XX0001-r001/"),
        "The parties' latest reports on the same work, side by side",
    )
    assert "Limited July 15, 2017" in rows(table)[0]


def test_irm_report_page_compares_each_star_with_the_rule(client: Client, world: PlanWorld) -> None:
    table = table_after(
        page(client, "/irm-report/xx-3-progress/"), "The IRM's assessment of each commitment"
    )
    assert rows(table) == [
        "XX0001: Water metering and discharges Substantial Transformative ★ Starred starred",
        "XX0002: Policy on enforced disappearances Not started Moderate Not starred not starred",
    ]


def test_irm_report_page_lists_minimum_requirements(client: Client, world: PlanWorld) -> None:
    table = table_after(
        page(client, "/irm-report/xx-5-review/"),
        "Minimum requirements of the co-creation standards, as the IRM found them",
    )
    assert rows(table) == ["MR1.1 Met", "MR4.1 Not met"]


def test_refreshed_methodology_assessment_shows_its_own_indicators(
    client: Client, world: PlanWorld
) -> None:
    text = visible(page(client, "/assessment/xx-5-review-xx0010/"))
    assert "Potential for results Substantial" in text
    assert "Promising (the IRM's verdict) Promising" in text
    assert "Starred" not in text


# ---------------------------------------------------------------- all plans


def plan_links(markup: str) -> set[str]:
    table = markup.split("<tbody>", 1)[-1].split("</tbody>", 1)[0] if "<tbody>" in markup else ""
    return set(re.findall(r'href="/plan/([^/]+)/"', table))


def test_plans_list_shows_every_plan(client: Client, world: PlanWorld) -> None:
    assert plan_links(page(client, "/plans/")) == {"xx-3", "xx-5"}


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"member": "xx"}, {"xx-3", "xx-5"}),
        ({"member": "zz"}, set()),
        ({"state": "implementing"}, {"xx-3"}),
        ({"state": "co_creation"}, {"xx-5"}),
        ({"member": "xx", "state": "ended"}, set()),
    ],
)
def test_plans_list_filters(
    client: Client, world: PlanWorld, params: dict[str, str], expected: set[str]
) -> None:
    assert plan_links(page(client, "/plans/", **params)) == expected


def test_plans_list_with_no_match_says_so(client: Client, world: PlanWorld) -> None:
    assert "No action plan matches these filters." in visible(page(client, "/plans/", member="zz"))


def test_plans_list_bad_filter_is_400_with_a_message(client: Client, world: PlanWorld) -> None:
    response = client.get("/plans/", {"state": "nonsense"})
    assert response.status_code == 400
    assert "Select a valid choice." in html.unescape(response.content.decode())


def test_plans_json_bad_filter_is_a_400_problem(client: Client, world: PlanWorld) -> None:
    response = client.get("/plans.json", {"state": "nonsense"})
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"


def test_plans_list_is_paginated_and_keeps_the_filter(client: Client, world: PlanWorld) -> None:
    member = forum_factories.member("yy", "Yland")
    for n in range(1, 27):
        factories.plan(member, key=f"yy-{n}", number=n)
    first = squash(page(client, "/plans/", member="yy"))
    assert "26 action plans" in first
    assert "Page 1 of 2" in first
    assert "?member=yy&page=2" in first
    assert len(plan_links(page(client, "/plans/", member="yy", page="2"))) == 1


def test_plans_json_twin_matches_the_api(client: Client, world: PlanWorld) -> None:
    twin = client.get("/plans.json", {"state": "implementing"}).json()
    api = client.get("/api/v1/plans", {"state": "implementing"}).json()
    assert twin == {"count": api["count"], "page": 1, "items": api["items"]}


# ---------------------------------------------------------------- the member page


def test_member_page_lists_its_action_plans(client: Client, world: PlanWorld) -> None:
    plans = section(page(client, "/member/xx/"), "plans-heading")
    assert re.findall(r'href="/plan/([^/]+)/"', plans) == ["xx-5", "xx-3"]
    assert "Implementing · 2 commitments" in visible(plans)


def test_member_page_without_plans_says_so(client: Client, world: PlanWorld) -> None:
    forum_factories.member("ww", "Wland")
    assert "No action plan is recorded for this member." in visible(page(client, "/member/ww/"))
