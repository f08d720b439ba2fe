"""Staff pages that add plans records (a plan, commitments, milestones, progress reports,
IRM reports and assessments), exercised through HTTP like a browser without JavaScript.
Every refused request must write nothing: each such test counts RecordVersion rows.

The record pages are built separately: the tests check the redirect's Location and the
database, and never follow the redirect.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.http import HttpResponse
from django.test import Client
from django.urls import reverse

from tripartite.core.actors import system_actor
from tripartite.core.models import PublicRecord
from tripartite.forums.tests import factories as forum_factories
from tripartite.forums.tests.editing import (
    assert_refused,
    fresh,
    page_text,
    user,
    versions,
    versions_of,
)
from tripartite.plans import services
from tripartite.plans.models import (
    ActionPlan,
    Assessment,
    Commitment,
    IrmReport,
    Milestone,
    ProgressReport,
)
from tripartite.plans.tests.editing import Extra, add_unassessed, record_page, section
from tripartite.plans.tests.factories import PlanWorld

pytestmark = pytest.mark.django_db
D = dt.date


@pytest.fixture
def extra(world: PlanWorld) -> Extra:
    return add_unassessed(world)


def assert_created(response: HttpResponse, record: PublicRecord) -> None:
    """303 to the record's page, one "create" version by the editor."""
    assert response.status_code == 303, page_text(response)[:3000]
    assert response["Location"] == record_page(record)
    made = versions_of(record)
    assert [v.op for v in made] == ["create"]
    assert made[0].actor is not None and made[0].actor.username == "editor"


def url(name: str, record: PublicRecord) -> str:
    return reverse(name, kwargs={"key": record.key})


# ---------------------------------------------------------------- who may use the pages

PAGES: dict[str, Callable[[Extra], str]] = {
    "create plan": lambda x: url("member-create-plan", x.world.member),
    "add commitment": lambda x: url("plan-add-commitment", x.world.plan),
    "add milestone": lambda x: url("commitment-add-milestone", x.world.commitments[0]),
    "report progress": lambda x: url("commitment-report-progress", x.world.commitments[0]),
    "publish IRM report": lambda x: url("plan-publish-irm-report", x.world.plan),
    "assess (pre-2020)": lambda x: url("irm-report-assess", x.world.irm_report),
    "assess (2020)": lambda x: url("irm-report-assess", x.world.review),
}

# A submission each page would accept from staff, to show that others cannot make it.
VALID: dict[str, Callable[[Extra], dict[str, Any]]] = {
    "create plan": lambda x: {
        "number": 4,
        "title": "Fourth plan",
        "language": "en",
        "length": 2,
        "start_on": "2019-01-01",
        "end_on": "2020-12-31",
    },
    "add commitment": lambda x: {"key": "XX0004", "title": "Open contracting"},
    "add milestone": lambda x: {"deliverable": "Publish the register", "status": "not_started"},
    "report progress": lambda x: {
        "party": "civil_society",
        "reported_on": "2017-09-01",
        "completion": "limited",
        "text": "Slow.",
        "language": "en",
    },
    "publish IRM report": lambda x: {
        "report_type": "end_of_term_report",
        "methodology": "irm_pre2020",
        "title": "End of term",
        "state": "final",
    },
    "assess (pre-2020)": lambda x: {"commitment": x.open_data.pk, "completion": "limited"},
    "assess (2020)": lambda x: {"commitment": x.registry.pk, "verifiable": "true"},
}


def test_every_page_has_a_valid_submission() -> None:
    assert set(VALID) == set(PAGES)


@pytest.mark.parametrize("page", PAGES)
def test_anonymous_users_are_sent_to_login(client: Client, extra: Extra, page: str) -> None:
    target = PAGES[page](extra)
    before = versions()
    for response in (client.get(target), client.post(target, VALID[page](extra))):
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login") + "?next=")
    assert versions() == before


@pytest.mark.parametrize("page", PAGES)
def test_signed_in_non_staff_get_a_403_page(public: Client, extra: Extra, page: str) -> None:
    target = PAGES[page](extra)
    before = versions()
    for response in (public.get(target), public.post(target, VALID[page](extra))):
        assert response.status_code == 403
        assert "<h1>You cannot edit the record</h1>" in page_text(response)
    assert versions() == before


@pytest.mark.parametrize("page", PAGES)
def test_staff_see_every_form_with_a_csrf_token(staff: Client, extra: Extra, page: str) -> None:
    response = staff.get(PAGES[page](extra))
    assert response.status_code == 200
    text = page_text(response)
    assert 'name="csrfmiddlewaretoken"' in text
    assert '<form method="post"' in text
    assert "<script" not in text.split("<main", 1)[-1] and " style=" not in text


@pytest.mark.parametrize("page", PAGES)
def test_a_post_without_csrf_token_is_refused(extra: Extra, page: str) -> None:
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(user("editor", staff=True))
    before = versions()
    response = browser.post(PAGES[page](extra), VALID[page](extra))
    assert response.status_code == 403
    assert versions() == before


@pytest.mark.parametrize("page", PAGES)
def test_the_valid_submissions_succeed_for_staff(staff: Client, extra: Extra, page: str) -> None:
    before = versions()
    response = staff.post(PAGES[page](extra), VALID[page](extra))
    assert response.status_code == 303, page_text(response)[:3000]
    assert versions() == before + 1


def test_other_methods_are_not_allowed(staff: Client, extra: Extra) -> None:
    assert staff.put(PAGES["create plan"](extra)).status_code == 405
    assert staff.delete(PAGES["assess (2020)"](extra)).status_code == 405


def test_unknown_records_are_404(staff: Client) -> None:
    for name in (
        "member-create-plan",
        "plan-add-commitment",
        "plan-publish-irm-report",
        "commitment-add-milestone",
        "commitment-report-progress",
        "irm-report-assess",
    ):
        assert staff.get(reverse(name, kwargs={"key": "nowhere"})).status_code == 404, name


# ---------------------------------------------------------------- plans


def plan_post(world: PlanWorld, **overrides: Any) -> dict[str, Any]:
    return {
        "number": 4,
        "title": "Fourth national action plan",
        "original_title": "Cuarto plan de acción",
        "language": "es",
        "description": "Co-created with the forum.",
        "length": 2,
        "start_on": "2019-01-01",
        "end_on": "2020-12-31",
        "co_creation_opens_on": "2018-09-01",
        "co_creation_closes_on": "2018-11-30",
        "forum": world.forum.pk,
        "previous": world.plan.pk,
        "source_url": "example.org/plan4.pdf",
        "key": "",
        **overrides,
    }


def test_create_plan(staff: Client, world: PlanWorld) -> None:
    response = staff.post(url("member-create-plan", world.member), plan_post(world))
    made = ActionPlan.objects.get(member=world.member, number=4)
    assert_created(response, made)
    assert made.key == "xx-4"
    assert (made.title, made.original_title, made.language, made.length) == (
        "Fourth national action plan",
        "Cuarto plan de acción",
        "es",
        2,
    )
    assert (made.start_on, made.end_on, made.co_creation_opens_on, made.co_creation_closes_on) == (
        D(2019, 1, 1),
        D(2020, 12, 31),
        D(2018, 9, 1),
        D(2018, 11, 30),
    )
    assert (made.forum, made.previous, made.state) == (world.forum, world.plan, "planning")
    assert made.source_url == "https://example.org/plan4.pdf"
    # The deadline comes from the rule in force on the start date (2018: 31 August).
    assert (made.due_on, made.due_rule) == (D(2019, 8, 31), "policy/plan-delivery-2018")
    assert versions_of(made)[0].content["previous"] == world.plan.public_id


def test_create_plan_form_is_prefilled_from_the_latest_plan(
    staff: Client, world: PlanWorld
) -> None:
    response = staff.get(url("member-create-plan", world.member))
    form = response.context["form"]
    assert form["number"].value() == 6
    assert form["previous"].value() == world.next_plan.pk
    assert form["forum"].value() == world.forum.pk
    text = page_text(response)
    assert "<h1>Create an action plan of Exampleland</h1>" in text
    assert f'href="{world.member.get_absolute_url()}"' in text  # the way back


def test_a_plan_may_follow_only_a_plan_and_a_forum_of_its_member(
    staff: Client, world: PlanWorld
) -> None:
    other = forum_factories.member("yy", "Otherland")
    other_forum = forum_factories.forum(other, key="yy-forum")
    other_plan = services.create_plan(
        system_actor(),
        key="yy-1",
        member=other,
        number=1,
        title="Other",
        start_on=D(2016, 7, 1),
        end_on=D(2018, 6, 30),
    )
    text = page_text(staff.get(url("member-create-plan", world.member)))
    # Each list on its own: a plan and a forum may share a database id.
    plans_listed = section(text, 'name="previous"', "</select>")
    forums_listed = section(text, 'name="forum"', "</select>")
    assert f'<option value="{world.plan.pk}">' in plans_listed
    assert f'<option value="{other_plan.pk}">' not in plans_listed
    assert f'<option value="{other_forum.pk}">' not in forums_listed
    before = versions()
    response = staff.post(
        url("member-create-plan", world.member),
        plan_post(world, previous=other_plan.pk, forum=other_forum.pk),
    )
    assert_refused(response, 422, "Previous plan: Select a valid choice.", before)
    assert "Forum: Select a valid choice." in page_text(response)
    assert not ActionPlan.objects.filter(member=world.member, number=4).exists()


def test_create_plan_checks_its_fields(staff: Client, world: PlanWorld) -> None:
    before = versions()
    response = staff.post(
        url("member-create-plan", world.member),
        plan_post(
            world,
            title="",
            end_on="2018-12-31",
            co_creation_closes_on="2018-08-01",
            language="Spanish",
            number="0",
        ),
    )
    assert_refused(response, 422, "Title: This field is required.", before)
    text = page_text(response)
    for message in (
        "Ends on: A plan must end after it starts.",
        "Co-creation closes on: Co-creation cannot close before it opens.",
        "Language: Enter a language code such as en, es or fr.",
        "Number: Ensure this value is greater than or equal to 1.",
    ):
        assert message in text, message
    assert 'aria-describedby="id_end_on_error"' in text
    assert 'aria-invalid="true"' in text


def test_create_plan_applies_the_length_rule_in_force(staff: Client, world: PlanWorld) -> None:
    before = versions()
    response = staff.post(url("member-create-plan", world.member), plan_post(world, length=4))
    assert_refused(response, 422, "may run for 2 years, not 4", before)
    assert 'id="id_length_error"' in page_text(response)


def test_a_plan_number_is_used_once(staff: Client, world: PlanWorld) -> None:
    before = versions()
    response = staff.post(url("member-create-plan", world.member), plan_post(world, number=3))
    assert_refused(response, 409, "Exampleland already has a plan number 3.", before)


def test_create_plan_with_a_taken_key_is_a_conflict(staff: Client, world: PlanWorld) -> None:
    before = versions()
    response = staff.post(
        url("member-create-plan", world.member), plan_post(world, key=world.plan.key)
    )
    assert_refused(response, 409, "already exists", before)
    assert 'id="id_key_error"' in page_text(response)
    assert "This key is already taken." in page_text(response)


def test_no_plan_for_a_retracted_member(staff: Client, world: PlanWorld) -> None:
    member = forum_factories.member("zz", "Gone")
    from tripartite.forums import services as forum_services

    forum_services.retract(system_actor(), member, reason="Duplicate")
    target = url("member-create-plan", member)
    assert "has been retracted: nothing new can be added to it" in page_text(staff.get(target))
    before = versions()
    response = staff.post(
        target,
        {
            "number": 1,
            "title": "T",
            "language": "en",
            "length": 2,
            "start_on": "2019-01-01",
            "end_on": "2020-12-31",
        },
    )
    assert_refused(response, 409, "has been retracted", before)


# ---------------------------------------------------------------- commitments


def commitment_post(world: PlanWorld, **overrides: Any) -> dict[str, Any]:
    return {
        "key": "XX0004",
        "number": "",
        "title": "Open contracting in public works",
        "short_title": "Open contracting",
        "problem": "Contracts are secret.",
        "objective": "Publish them.",
        "description": "All of them, as OCDS.",
        "lead_institution": world.gov.pk,
        "supporting_institutions": [world.cso.pk, world.ovs.pk],
        "themes": "Open contracting\r\n\r\n  Public works  \r\nOpen contracting\r\n",
        "ogp_values": ["pa", "ati"],
        "start_on": "2016-09-01",
        "end_on": "2018-06-30",
        "source_url": "",
        **overrides,
    }


def test_add_commitment(staff: Client, world: PlanWorld) -> None:
    response = staff.post(url("plan-add-commitment", world.plan), commitment_post(world))
    made = Commitment.objects.get(key="XX0004")
    assert_created(response, made)
    assert (made.plan, made.number, made.lead_institution) == (world.plan, 3, world.gov)
    assert set(made.supporting_institutions.all()) == {world.cso, world.ovs}
    assert made.themes == ["Open contracting", "Public works"]
    assert made.ogp_values == ["ati", "pa"]
    assert (made.start_on, made.end_on) == (D(2016, 9, 1), D(2018, 6, 30))
    content = versions_of(made)[0].content
    assert content["supporting_institutions"] == sorted([world.cso.public_id, world.ovs.public_id])
    assert content["themes"] == ["Open contracting", "Public works"]


def test_the_commitment_form_groups_the_ogp_values(staff: Client, world: PlanWorld) -> None:
    text = page_text(staff.get(url("plan-add-commitment", world.plan)))
    fieldset = section(text, "<fieldset", "</fieldset>")
    assert "<legend>OGP values</legend>" in fieldset
    assert 'aria-describedby="id_ogp_values_helptext"' in fieldset
    assert fieldset.count('type="checkbox"') == 4
    assert "Access to information" in fieldset
    assert '<label for="id_themes">Themes</label>' in text
    assert 'aria-describedby="id_themes_helptext"' in text


def test_add_commitment_with_a_number(staff: Client, world: PlanWorld) -> None:
    response = staff.post(
        url("plan-add-commitment", world.plan), commitment_post(world, number="7")
    )
    assert response.status_code == 303
    assert Commitment.objects.get(key="XX0004").number == 7
    before = versions()
    response = staff.post(
        url("plan-add-commitment", world.plan), commitment_post(world, key="XX0005", number="7")
    )
    assert_refused(response, 409, "The plan already has a commitment number 7.", before)


def test_add_commitment_checks_its_fields(staff: Client, world: PlanWorld) -> None:
    before = versions()
    response = staff.post(
        url("plan-add-commitment", world.plan),
        commitment_post(
            world,
            key="",
            themes="Fine\n" + "x" * 201,
            ogp_values=["ati", "magic"],
            end_on="2016-01-01",
        ),
    )
    assert_refused(response, 422, "OGP id: This field is required.", before)
    text = page_text(response)
    for message in (
        "Themes: Line 2 is longer than 200 characters.",
        "OGP values: Select a valid choice. magic is not one of the available choices.",
        "Ends on: A commitment cannot end before it starts.",
    ):
        assert message in text, message
    assert 'aria-describedby="id_ogp_values_helptext id_ogp_values_error"' in text
    assert '<a href="#id_ogp_values_0">' in text
    assert not Commitment.objects.filter(title="Open contracting in public works").exists()


def test_a_commitment_id_is_used_once(staff: Client, world: PlanWorld) -> None:
    before = versions()
    response = staff.post(
        url("plan-add-commitment", world.plan), commitment_post(world, key="XX0001")
    )
    assert_refused(response, 409, "commitment/XX0001 already exists.", before)
    assert "This key is already taken." in page_text(response)


def test_no_commitment_once_the_plan_has_ended(staff: Client, world: PlanWorld) -> None:
    services.transition_plan(system_actor(), fresh(world.plan), to="ended", on=D(2018, 7, 1))
    target = url("plan-add-commitment", world.plan)
    assert "The plan has ended" in page_text(staff.get(target))
    before = versions()
    response = staff.post(target, commitment_post(world))
    assert_refused(
        response, 409, "The plan has ended; its commitments can no longer change.", before
    )


# ---------------------------------------------------------------- milestones


def test_add_milestone_with_evidence(staff: Client, world: PlanWorld) -> None:
    water = world.commitments[0]
    response = staff.post(
        url("commitment-add-milestone", water),
        {
            "deliverable": "Publish the discharge permits",
            "responsible": world.ovs.pk,
            "start_on": "2017-01-01",
            "end_on": "2017-12-31",
            "status": "limited",
            "evidence": "Permits portal | https://example.org/permits\r\n\r\n"
            "example.org/annex.pdf\r\nA | B | https://example.org/ab\r\n",
        },
    )
    made = Milestone.objects.get(deliverable="Publish the discharge permits")
    assert_created(response, made)
    assert (made.key, made.number, made.commitment) == ("XX0001-m3", 3, water)
    assert (made.responsible, made.status, made.end_on) == (world.ovs, "limited", D(2017, 12, 31))
    assert made.evidence == [
        {"label": "Permits portal", "url": "https://example.org/permits"},
        {"label": "", "url": "https://example.org/annex.pdf"},
        {"label": "A | B", "url": "https://example.org/ab"},
    ]
    assert versions_of(made)[0].content["evidence"] == made.evidence


def test_add_milestone_explains_bad_evidence_lines(staff: Client, world: PlanWorld) -> None:
    before = versions()
    response = staff.post(
        url("commitment-add-milestone", world.commitments[0]),
        {
            "deliverable": "",
            "status": "not_started",
            "evidence": "Good | https://example.org/ok\nReport | not a web address\n\nLabel |\n",
        },
    )
    assert_refused(response, 422, "Deliverable: This field is required.", before)
    text = page_text(response)
    assert "Evidence: Line 2: “not a web address” is not a valid web address." in text
    assert "Evidence: Line 4: give the web address after the vertical bar." in text
    assert 'id="id_evidence_error"' in text
    # What was typed is shown again, as typed.
    assert "Report | not a web address" in text


def test_milestone_dates_in_order(staff: Client, world: PlanWorld) -> None:
    before = versions()
    response = staff.post(
        url("commitment-add-milestone", world.commitments[0]),
        {
            "deliverable": "D",
            "status": "not_started",
            "start_on": "2017-06-01",
            "end_on": "2017-01-01",
        },
    )
    assert_refused(response, 422, "Ends on: A milestone cannot end before it starts.", before)


# ---------------------------------------------------------------- progress reports


def progress_post(world: PlanWorld, **overrides: Any) -> dict[str, Any]:
    return {
        "party": "civil_society",
        "milestone": world.milestones[1].pk,
        "author": world.cso.pk,
        "reported_on": "2017-09-01",
        "completion": "limited",
        "text": "The report was not published.\r\nWe asked twice.",
        "language": "es",
        "evidence": "Our request | https://example.org/request",
        **overrides,
    }


def test_report_progress_on_a_milestone(staff: Client, world: PlanWorld) -> None:
    water, second = world.commitments[0], world.milestones[1]
    target = url("commitment-report-progress", water)
    shown = section(
        page_text(staff.get(f"{target}?milestone={second.key}")), 'name="milestone"', "</select>"
    )
    assert f'<option value="{second.pk}" selected>' in shown
    assert f'<option value="{world.milestones[2].pk}">' not in shown  # another commitment's
    response = staff.post(f"{target}?milestone={second.key}", progress_post(world))
    made = ProgressReport.objects.get(key="XX0001-r004")
    assert_created(response, made)
    assert (made.commitment, made.milestone, made.party, made.author) == (
        water,
        second,
        "civil_society",
        world.cso,
    )
    assert (made.completion, made.language, made.reported_on) == ("limited", "es", D(2017, 9, 1))
    assert made.text == "The report was not published.\nWe asked twice."
    assert made.evidence == [{"label": "Our request", "url": "https://example.org/request"}]
    # The other parties' reports stand as they were.
    assert ProgressReport.objects.filter(commitment=water).count() == 4


def test_report_progress_on_the_whole_commitment(staff: Client, world: PlanWorld) -> None:
    response = staff.post(
        url("commitment-report-progress", world.commitments[1]),
        progress_post(world, milestone="", party="government", author=world.gov.pk, evidence=""),
    )
    made = ProgressReport.objects.get(
        commitment=world.commitments[1], party="government", reported_on=D(2017, 9, 1)
    )
    assert_created(response, made)
    assert (made.milestone, made.evidence) == (None, [])


def test_a_report_names_a_milestone_of_its_commitment(staff: Client, world: PlanWorld) -> None:
    before = versions()
    response = staff.post(
        url("commitment-report-progress", world.commitments[0]),
        progress_post(world, milestone=world.milestones[2].pk),
    )
    assert_refused(response, 422, "Milestone: Select a valid choice.", before)


def test_progress_cannot_predate_the_plan(staff: Client, world: PlanWorld) -> None:
    before = versions()
    response = staff.post(
        url("commitment-report-progress", world.commitments[0]),
        progress_post(world, reported_on="2016-01-01"),
    )
    assert_refused(response, 422, "Progress cannot be reported before the plan starts", before)
    text = page_text(response)
    assert 'id="id_reported_on_error"' in text
    assert "Before the plan starts." in text


def test_a_report_needs_a_party_a_level_and_its_text(staff: Client, world: PlanWorld) -> None:
    before = versions()
    response = staff.post(
        url("commitment-report-progress", world.commitments[0]),
        progress_post(world, party="", completion="", text="  "),
    )
    assert_refused(response, 422, "Party: This field is required.", before)
    text = page_text(response)
    assert "Completion: This field is required." in text
    assert "Report: This field is required." in text


# ---------------------------------------------------------------- IRM reports


def irm_post(**overrides: Any) -> dict[str, Any]:
    return {
        "report_type": "end_of_term_report",
        "methodology": "irm_pre2020",
        "title": "End-of-term report 2016-2018",
        "researcher": "B. Researcher",
        "state": "final",
        "published_on": "2018-12-01",
        "forum_exists": "true",
        "public_influence": "consult",
        "acted_contrary_to_process": "true",
        "contrary_reasons": "The forum did not meet.",
        "minimum_requirements": "MR1.1 | met\r\nMR2.1 | Not met\r\nMR3.1 | not_applicable",
        "summary": "Mixed results.",
        "source_url": "https://example.org/eotr.pdf",
        "key": "",
        **overrides,
    }


def test_publish_irm_report(staff: Client, world: PlanWorld) -> None:
    response = staff.post(url("plan-publish-irm-report", world.plan), irm_post())
    made = IrmReport.objects.get(title="End-of-term report 2016-2018")
    assert_created(response, made)
    assert made.key == "xx-3-end-of-term-report"
    assert (made.plan, made.report_type, made.methodology, made.state) == (
        world.plan,
        "end_of_term_report",
        "irm_pre2020",
        "final",
    )
    assert (made.forum_exists, made.acted_contrary_to_process, made.public_influence) == (
        True,
        True,
        "consult",
    )
    assert made.minimum_requirements == {
        "MR1.1": "met",
        "MR2.1": "not_met",
        "MR3.1": "not_applicable",
    }
    assert versions_of(made)[0].content["minimum_requirements"] == made.minimum_requirements


def test_an_irm_report_may_leave_its_findings_unknown(staff: Client, world: PlanWorld) -> None:
    response = staff.post(
        url("plan-publish-irm-report", world.next_plan),
        irm_post(
            report_type="action_plan_review",
            methodology="irm_refresh_2020",
            forum_exists="unknown",
            acted_contrary_to_process="unknown",
            contrary_reasons="",
            public_influence="",
            minimum_requirements="",
        ),
    )
    made = IrmReport.objects.get(
        plan=world.next_plan, report_type="action_plan_review", title="End-of-term report 2016-2018"
    )
    assert_created(response, made)
    assert made.key == "xx-5-action-plan-review"  # xx-5-review is another key
    assert (
        made.forum_exists,
        made.acted_contrary_to_process,
        made.public_influence,
        made.minimum_requirements,
    ) == (None, None, "", {})


def test_the_irm_report_form_asks_yes_no_or_unknown_in_fieldsets(
    staff: Client, world: PlanWorld
) -> None:
    response = staff.get(url("plan-publish-irm-report", world.next_plan))
    assert response.context["form"]["methodology"].value() == "irm_refresh_2020"
    text = page_text(response)
    fieldset = section(text, '<fieldset class="field choice-group">', "</fieldset>")
    assert "<legend>A multi-stakeholder forum exists</legend>" in fieldset
    assert fieldset.count('type="radio"') == 3
    assert 'value="unknown" id="id_forum_exists_2" checked' in fieldset


def test_irm_report_explains_bad_requirement_lines(staff: Client, world: PlanWorld) -> None:
    before = versions()
    response = staff.post(
        url("plan-publish-irm-report", world.plan),
        irm_post(
            minimum_requirements="MR1.1 met\nMR1.1 | met\nMR1.1 | met\nMR 2 | met\nMR3.1 | maybe",
            report_type="",
        ),
    )
    assert_refused(response, 422, "Report: This field is required.", before)
    text = page_text(response)
    for message in (
        "Minimum requirements: Line 1: write the requirement, a vertical bar and its "
        "finding, for example “MR1.1 | met”.",
        "Minimum requirements: Line 3: MR1.1 is already listed.",
        "Minimum requirements: Line 4: “MR 2” is not a requirement code such as MR1.1.",
        "Minimum requirements: Line 5: “maybe” is not a finding; write met, not met, "
        "not applicable.",
    ):
        assert message in text, message


def test_reasons_only_when_contrary_to_process(staff: Client, world: PlanWorld) -> None:
    before = versions()
    response = staff.post(
        url("plan-publish-irm-report", world.plan), irm_post(acted_contrary_to_process="false")
    )
    assert_refused(response, 422, "Reasons are given only when the member acted contrary", before)
    assert 'id="id_contrary_reasons_error"' in page_text(response)


def test_an_irm_report_key_is_used_once(staff: Client, world: PlanWorld) -> None:
    before = versions()
    response = staff.post(
        url("plan-publish-irm-report", world.plan), irm_post(key=world.irm_report.key)
    )
    assert_refused(response, 409, "already exists", before)
    assert "This key is already taken." in page_text(response)


# ---------------------------------------------------------------- assessments

PRE_2020 = (
    "specificity",
    "relevance",
    "potential_impact",
    "on_time",
    "did_it_open_government",
    "starred",
)
REFRESH_2020 = (
    "verifiable",
    "open_gov_lens",
    "potential_for_results",
    "promising",
    "early_results",
)


def test_the_assessment_form_has_the_indicators_of_the_reports_methodology(
    staff: Client, extra: Extra
) -> None:
    pre = staff.get(url("irm-report-assess", extra.world.irm_report))
    assert set(pre.context["form"].fields) == {"commitment", "completion", "note", *PRE_2020}
    text = page_text(pre)
    assert "Indicators: IRM methodology before 2020" in text
    assert "<legend>Relevance to OGP values</legend>" in text
    assert "<legend>Starred (the IRM's verdict)</legend>" in text
    assert 'name="verifiable"' not in text
    refreshed = staff.get(url("irm-report-assess", extra.world.review))
    assert set(refreshed.context["form"].fields) == {
        "commitment",
        "completion",
        "note",
        *REFRESH_2020,
    }
    text = page_text(refreshed)
    assert "Indicators: IRM refreshed methodology (2020)" in text
    assert "<legend>Promising (the IRM's verdict)</legend>" in text
    assert 'name="specificity"' not in text and 'name="starred"' not in text


def test_the_assessment_form_lists_the_commitments_not_yet_assessed(
    staff: Client, extra: Extra
) -> None:
    world = extra.world
    target = url("irm-report-assess", world.irm_report)
    text = page_text(staff.get(f"{target}?commitment={extra.open_data.key}"))
    assert f'<option value="{extra.open_data.pk}" selected>XX0003 — ' in text
    assert f'<option value="{world.commitments[0].pk}"' not in text  # already assessed
    assert f'<option value="{extra.registry.pk}"' not in text  # another plan's
    before = versions()
    response = staff.post(target, {"commitment": world.commitments[0].pk})
    assert_refused(response, 422, "Commitment: Select a valid choice.", before)


def test_record_a_pre_2020_assessment(staff: Client, extra: Extra) -> None:
    response = staff.post(
        url("irm-report-assess", extra.world.irm_report),
        {
            "commitment": extra.open_data.pk,
            "completion": "complete",
            "specificity": "high",
            "relevance": ["cp", "ati"],
            "potential_impact": "transformative",
            "on_time": "true",
            "did_it_open_government": "outstanding",
            "starred": "true",
            "note": "Well done.",
            "verifiable": "true",
        },
    )
    made = Assessment.objects.get(commitment=extra.open_data)
    assert_created(response, made)
    assert made.key == "xx-3-progress-xx0003"
    assert (made.completion, made.specificity, made.relevance, made.potential_impact) == (
        "complete",
        "high",
        ["ati", "cp"],
        "transformative",
    )
    assert (made.on_time, made.did_it_open_government, made.starred, made.note) == (
        True,
        "outstanding",
        True,
        "Well done.",
    )
    assert made.verifiable is None  # not an indicator of this methodology: not read
    content = versions_of(made)[0].content
    assert content["methodology"] == "irm_pre2020"
    assert "verifiable" not in content


def test_record_a_2020_assessment(staff: Client, extra: Extra) -> None:
    response = staff.post(
        url("irm-report-assess", extra.world.review),
        {
            "commitment": extra.registry.pk,
            "completion": "",
            "verifiable": "true",
            "open_gov_lens": "false",
            "potential_for_results": "modest",
            "promising": "unknown",
            "early_results": "Not yet",
            "note": "",
            "specificity": "high",
            "starred": "true",
        },
    )
    made = Assessment.objects.get(commitment=extra.registry)
    assert_created(response, made)
    assert (
        made.verifiable,
        made.open_gov_lens,
        made.potential_for_results,
        made.promising,
        made.early_results,
    ) == (True, False, "modest", None, "Not yet")
    assert (made.specificity, made.starred, made.completion) == ("", None, "")


def test_assessment_refuses_unknown_values(staff: Client, extra: Extra) -> None:
    before = versions()
    response = staff.post(
        url("irm-report-assess", extra.world.irm_report),
        {"commitment": extra.open_data.pk, "specificity": "huge", "relevance": ["xyz"]},
    )
    assert_refused(response, 422, "Specificity: Select a valid choice.", before)
    assert "Relevance to OGP values: Select a valid choice." in page_text(response)


def test_a_report_that_assesses_every_commitment_says_so(staff: Client, world: PlanWorld) -> None:
    target = url("irm-report-assess", world.review)
    assert "already assesses every commitment" in page_text(staff.get(target))
    before = versions()
    response = staff.post(target, {"commitment": world.commitments[0].pk})
    assert response.status_code in (409, 422)
    assert versions() == before
