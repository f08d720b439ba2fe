"""Staff pages that act on existing plans records: a plan's state transitions, a new
version and a retraction of each record type, and the staff links of the public pages.
Exercised through HTTP like a browser without JavaScript; every refused request must write
nothing (each such test counts RecordVersion rows).

The record pages are built separately: the tests check the redirect's Location and the
database, and never follow the redirect.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from types import SimpleNamespace
from typing import Any

import pytest
from django import forms
from django.contrib.auth.models import AnonymousUser
from django.template.loader import render_to_string
from django.test import Client
from django.urls import reverse

from tripartite.accounts.tests.roles import approve_all, change_at
from tripartite.core.actors import system_actor
from tripartite.core.models import PublicRecord
from tripartite.forums.tests.editing import (
    assert_refused,
    fresh,
    page_text,
    user,
    versions,
    versions_of,
)
from tripartite.plans import edit_forms, services
from tripartite.plans.edit_views import EDITABLE_MODELS
from tripartite.plans.models import (
    ActionPlan,
    Assessment,
    Commitment,
    IrmReport,
    Milestone,
    PlanTransition,
    ProgressReport,
    ReasonedResponse,
)
from tripartite.plans.tests.editing import form_data, record_page, section
from tripartite.plans.tests.factories import PlanWorld

pytestmark = pytest.mark.django_db
D = dt.date


def transition_url(plan: ActionPlan) -> str:
    return reverse("plan-transition", kwargs={"key": plan.key})


def edit_url(name: str, record: PublicRecord) -> str:
    return reverse(name, kwargs={"record_type": record.RECORD_TYPE, "key": record.key})


# ---------------------------------------------------------------- who may edit

PAGES: dict[str, Callable[[PlanWorld], str]] = {
    "transition": lambda w: transition_url(w.next_plan),
    "new version": lambda w: edit_url("record-new-version", w.plan),
    "retract": lambda w: edit_url("record-retract", w.commitments[1]),
}


@pytest.mark.parametrize("page", PAGES)
def test_anonymous_users_are_sent_to_login(client: Client, world: PlanWorld, page: str) -> None:
    target = PAGES[page](world)
    before = versions()
    for response in (client.get(target), client.post(target, {"reason": "x", "to": "x"})):
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login") + "?next=")
    assert versions() == before


@pytest.mark.parametrize("page", PAGES)
def test_signed_in_non_staff_get_a_403_page(public: Client, world: PlanWorld, page: str) -> None:
    target = PAGES[page](world)
    before = versions()
    for response in (public.get(target), public.post(target, {"reason": "x", "to": "x"})):
        assert response.status_code == 403
        assert "<h1>You cannot edit the record</h1>" in page_text(response)
    assert versions() == before


@pytest.mark.parametrize("page", PAGES)
def test_staff_see_every_form_with_a_csrf_token(staff: Client, world: PlanWorld, page: str) -> None:
    response = staff.get(PAGES[page](world))
    assert response.status_code == 200
    text = page_text(response)
    assert 'name="csrfmiddlewaretoken"' in text
    assert '<form method="post"' in text


def test_a_post_without_csrf_token_is_refused(world: PlanWorld) -> None:
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(user("editor", staff=True))
    before = versions()
    response = browser.post(PAGES["retract"](world), {"reason": "Forged"})
    assert response.status_code == 403
    assert versions() == before
    assert fresh(world.commitments[1]).retracted_at is None


def test_other_methods_are_not_allowed(staff: Client, world: PlanWorld) -> None:
    assert staff.put(PAGES["transition"](world)).status_code == 405
    assert staff.delete(PAGES["retract"](world)).status_code == 405


def test_unknown_records_are_404(staff: Client, world: PlanWorld) -> None:
    assert staff.get(reverse("plan-transition", kwargs={"key": "nowhere"})).status_code == 404
    for name in ("record-new-version", "record-retract"):
        for record_type in EDITABLE_MODELS:
            response = staff.get(
                reverse(name, kwargs={"record_type": record_type, "key": "nowhere"})
            )
            assert response.status_code == 404, (name, record_type)


# ---------------------------------------------------------------- state transitions


def test_the_form_offers_only_the_states_reachable_from_the_current_one(
    staff: Client, world: PlanWorld
) -> None:
    response = staff.get(transition_url(world.plan))  # implementing
    select = section(page_text(response), 'name="to"', "</select>")
    assert '<option value="refresh_due">Refresh due</option>' in select
    assert '<option value="ended">Ended</option>' in select
    for state in (
        "planning",
        "co_creation",
        "delivered",
        "in_review",
        "implementing",
        "refreshed",
        "results_assessed",
    ):
        assert f'value="{state}"' not in select, state
    assert "The plan is Implementing since July 2, 2016." in page_text(response)


def test_deliver_a_plan(staff: Client, world: PlanWorld) -> None:
    response = staff.post(
        transition_url(world.next_plan),
        {"to": "delivered", "on": "2021-12-15", "note": "Published in the official gazette."},
    )
    plan = fresh(world.next_plan)
    assert response.status_code == 303, page_text(response)[:3000]
    assert response["Location"] == record_page(plan)
    assert (plan.state, plan.state_since, plan.delivered_on) == (
        "delivered",
        D(2021, 12, 15),
        D(2021, 12, 15),
    )
    step = PlanTransition.objects.filter(plan=plan).last()
    assert step is not None
    assert (step.from_state, step.to_state, step.note) == (
        "co_creation",
        "delivered",
        "Published in the official gazette.",
    )
    latest = versions_of(plan)[-1]
    assert (latest.op, latest.reason) == ("update", "Published in the official gazette.")
    assert latest.content["transitions"][-1]["to"] == "delivered"
    assert latest.actor is not None and latest.actor.username == "editor"


@pytest.mark.parametrize(
    ("target", "on", "reason"),
    [
        ("refresh_due", "2017-07-01", "Only four-year plans have a mid-term refresh."),
        ("ended", "2018-01-01", "The plan runs until 2018-06-30; it cannot end before then."),
    ],
)
def test_a_step_the_rules_forbid_shows_the_rules_reason(
    staff: Client, world: PlanWorld, target: str, on: str, reason: str
) -> None:
    before = versions()
    response = staff.post(transition_url(world.plan), {"to": target, "on": on})
    assert_refused(response, 422, reason, before)
    field = section(page_text(response), 'id="id_to_error"', "</ul>")
    assert reason in field
    assert fresh(world.plan).state == "implementing"


def test_results_need_a_published_results_report(staff: Client, world: PlanWorld) -> None:
    services.transition_plan(system_actor(), fresh(world.plan), to="ended", on=D(2018, 7, 1))
    before = versions()
    response = staff.post(
        transition_url(world.plan), {"to": "results_assessed", "on": "2018-12-01"}
    )
    assert_refused(
        response,
        422,
        "Results are assessed by a published IRM end-of-term or results report; record it first.",
        before,
    )
    services.publish_irm_report(
        system_actor(),
        key="xx-3-eotr",
        plan=fresh(world.plan),
        report_type="end_of_term_report",
        methodology="irm_pre2020",
        title="End of term",
    )
    response = staff.post(
        transition_url(world.plan), {"to": "results_assessed", "on": "2018-12-01"}
    )
    assert response.status_code == 303
    assert fresh(world.plan).state == "results_assessed"
    # No state follows: the page says so instead of showing the form.
    text = page_text(staff.get(transition_url(world.plan)))
    assert "The plan is Results assessed: it has no further state." in text
    assert '<form method="post" class="stack"' not in text
    before = versions()
    response = staff.post(transition_url(world.plan), {"to": "ended", "on": "2019-01-01"})
    assert response.status_code in (409, 422)
    assert versions() == before


def test_a_step_cannot_be_dated_before_the_current_state(staff: Client, world: PlanWorld) -> None:
    before = versions()
    response = staff.post(transition_url(world.next_plan), {"to": "delivered", "on": "2021-01-01"})
    assert_refused(response, 422, "a later step cannot be dated earlier", before)
    assert 'id="id_on_error"' in page_text(response)


def test_a_state_not_reachable_is_not_a_choice(staff: Client, world: PlanWorld) -> None:
    before = versions()
    response = staff.post(transition_url(world.plan), {"to": "planning", "on": ""})
    assert_refused(response, 422, "New state: Select a valid choice.", before)
    assert "Date: This field is required." in page_text(response)


def test_no_step_for_a_retracted_plan(staff: Client, world: PlanWorld) -> None:
    services.retract(system_actor(), fresh(world.next_plan), reason="Duplicate")
    assert "has been retracted" in page_text(staff.get(transition_url(world.next_plan)))
    before = versions()
    response = staff.post(transition_url(world.next_plan), {"to": "delivered", "on": "2021-12-15"})
    assert_refused(response, 409, "has been retracted", before)


# ---------------------------------------------------------------- any plans record

RecordBuilder = Callable[[PlanWorld], PublicRecord]
# type: (builder, changes as submitted, the same changes as stored in the new version)
RECORDS: dict[str, tuple[RecordBuilder, dict[str, Any], dict[str, Any]]] = {
    "plan": (
        lambda w: w.plan,
        {"title": "Third national action plan", "length": "2"},
        {"title": "Third national action plan"},
    ),
    "commitment": (
        lambda w: w.commitments[0],
        {"themes": "Water\r\nEnvironment", "ogp_values": ["tech", "ati"]},
        {"themes": ["Water", "Environment"], "ogp_values": ["ati", "tech"]},
    ),
    "milestone": (
        lambda w: w.milestones[0],
        {
            "evidence": "Data portal | https://example.org/water\r\nAudit | example.org/audit",
            "status": "complete",
        },
        {
            "status": "complete",
            "evidence": [
                {"label": "Data portal", "url": "https://example.org/water"},
                {"label": "Audit", "url": "https://example.org/audit"},
            ],
        },
    ),
    "progress": (
        lambda w: w.reports[1],
        {"completion": "substantial"},
        {"completion": "substantial"},
    ),
    "irm-report": (
        lambda w: w.review,
        {"minimum_requirements": "MR1.1 | met\r\nMR4.1 | met", "forum_exists": "false"},
        {"minimum_requirements": {"MR1.1": "met", "MR4.1": "met"}, "forum_exists": False},
    ),
    "assessment": (
        lambda w: w.assessment,
        {"starred": "false", "relevance": ["ati"]},
        {"starred": False, "relevance": ["ati"]},
    ),
    "response": (lambda w: w.response, {"decision": "partially"}, {"decision": "partially"}),
}


def test_every_plans_record_type_can_be_versioned_and_retracted() -> None:
    assert set(RECORDS) == set(EDITABLE_MODELS)
    assert set(EDITABLE_MODELS.values()) == {
        ActionPlan,
        Commitment,
        Milestone,
        ProgressReport,
        IrmReport,
        Assessment,
        ReasonedResponse,
    }
    assert set(EDITABLE_MODELS.values()) == set(services.EDITABLE_FIELDS)


def test_the_urls_share_the_forums_names() -> None:
    assert (
        reverse("record-new-version", kwargs={"record_type": "irm-report", "key": "k"})
        == "/irm-report/k/new-version/"
    )
    assert (
        reverse("record-retract", kwargs={"record_type": "plan", "key": "k"}) == "/plan/k/retract/"
    )
    assert (
        reverse("record-retract", kwargs={"record_type": "letter", "key": "k"})
        == "/letter/k/retract/"
    )


@pytest.mark.parametrize("record_type", RECORDS)
def test_publish_a_new_version(staff: Client, world: PlanWorld, record_type: str) -> None:
    build, submitted, stored = RECORDS[record_type]
    record = build(world)
    target = edit_url("record-new-version", record)
    shown = staff.get(target)
    assert shown.status_code == 200
    data = form_data(shown)
    assert set(data) == {*edit_forms.editable_fields(record), "reason"}
    data.update({**submitted, "reason": "Corrected from the published text."})
    response = staff.post(target, data)
    assert response.status_code == 303, page_text(response)[:3000]
    record = fresh(record)
    assert response["Location"] == record_page(record)
    latest = versions_of(record)[-1]
    assert (latest.op, latest.reason) == ("update", "Corrected from the published text.")
    assert latest.actor is not None and latest.actor.username == "editor"
    for name, value in stored.items():
        assert getattr(record, name) == value, name


@pytest.mark.parametrize("record_type", RECORDS)
def test_the_form_sent_back_unchanged_changes_nothing(
    staff: Client, world: PlanWorld, record_type: str
) -> None:
    """Every field, lists included, reads back as it was written: no spurious version."""
    record = RECORDS[record_type][0](world)
    target = edit_url("record-new-version", record)
    data = form_data(staff.get(target)) | {"reason": "No reason"}
    before = versions()
    response = staff.post(target, data)
    assert_refused(response, 422, "Nothing changed", before)


def test_an_assessment_version_has_the_indicators_of_its_methodology(
    staff: Client, world: PlanWorld
) -> None:
    pre = staff.get(edit_url("record-new-version", world.assessment)).context["form"]
    assert {"specificity", "relevance", "starred"} <= set(pre.fields)
    assert not {"verifiable", "promising", "early_results"} & set(pre.fields)
    assert isinstance(pre.fields["starred"], forms.NullBooleanField)
    review = Assessment.objects.get(report=world.review)
    refreshed = staff.get(edit_url("record-new-version", review)).context["form"]
    assert {"verifiable", "promising", "early_results"} <= set(refreshed.fields)
    assert not {"specificity", "relevance", "starred"} & set(refreshed.fields)


def test_the_version_form_shows_lists_as_text(staff: Client, world: PlanWorld) -> None:
    text = page_text(staff.get(edit_url("record-new-version", world.review)))
    assert "MR1.1 | met\nMR4.1 | not_met</textarea>" in text
    text = page_text(staff.get(edit_url("record-new-version", world.milestones[0])))
    assert "Data portal | https://example.org/water</textarea>" in text
    text = page_text(staff.get(edit_url("record-new-version", world.commitments[0])))
    assert ">\nAccess to drinking water</textarea>" in text
    assert 'value="ati" id="id_ogp_values_0" checked' in text


def test_a_plans_forum_is_one_of_its_members(staff: Client, world: PlanWorld) -> None:
    from tripartite.forums.tests import factories as forum_factories

    other = forum_factories.forum(forum_factories.member("yy", "Otherland"), key="yy-forum")
    target = edit_url("record-new-version", world.plan)
    shown = staff.get(target)
    select = section(page_text(shown), 'name="forum"', "</select>")
    assert f'<option value="{world.forum.pk}" selected>' in select
    assert f'value="{other.pk}"' not in select
    before = versions()
    response = staff.post(target, form_data(shown) | {"forum": other.pk, "reason": "Move"})
    assert_refused(response, 422, "Forum: Select a valid choice.", before)


def test_a_new_version_of_a_plan_rederives_its_deadline(staff: Client, world: PlanWorld) -> None:
    target = edit_url("record-new-version", world.next_plan)
    data = form_data(staff.get(target)) | {
        "length": "2",
        "end_on": "2023-12-31",
        "reason": "Shortened to two years.",
    }
    response = staff.post(target, data)
    assert response.status_code == 303, page_text(response)[:3000]
    plan = fresh(world.next_plan)
    assert (plan.length, plan.refresh_due_on) == (2, None)


def test_a_new_version_needs_a_reason(staff: Client, world: PlanWorld) -> None:
    target = edit_url("record-new-version", world.plan)
    data = form_data(staff.get(target)) | {"title": "Another title", "reason": "  "}
    before = versions()
    response = staff.post(target, data)
    assert_refused(response, 422, "Reason for the new version: This field is required.", before)
    assert fresh(world.plan).title == "Action plan 3"


def test_a_new_version_validates_its_fields(staff: Client, world: PlanWorld) -> None:
    target = edit_url("record-new-version", world.milestones[0])
    data = form_data(staff.get(target)) | {
        "evidence": "Portal | not a url",
        "status": "finished",
        "reason": "Fix",
    }
    before = versions()
    response = staff.post(target, data)
    assert_refused(
        response, 422, "Evidence: Line 1: “not a url” is not a valid web address.", before
    )
    assert "Status: Select a valid choice." in page_text(response)


def test_a_new_version_is_checked_by_the_models_rules(staff: Client, world: PlanWorld) -> None:
    target = edit_url("record-new-version", world.plan)
    data = form_data(staff.get(target)) | {"end_on": "2016-01-01", "reason": "Typo"}
    before = versions()
    response = staff.post(target, data)
    assert_refused(response, 422, "A plan must end after it starts.", before)
    assert 'id="id_end_on_error"' in page_text(response)


@pytest.mark.parametrize("record_type", RECORDS)
def test_retract(staff: Client, world: PlanWorld, record_type: str) -> None:
    record = RECORDS[record_type][0](world)
    target = edit_url("record-retract", record)
    assert staff.get(target).status_code == 200
    response = staff.post(target, {"reason": "Entered twice by mistake."})
    assert response.status_code == 303, page_text(response)[:3000]
    # Proposed; retracted once every sector of the member's forum approves.
    change = change_at(response["Location"])
    assert fresh(record).retracted_at is None
    assert approve_all(change).state == "applied"
    record = fresh(record)
    assert record.retraction_reason == "Entered twice by mistake."
    latest = versions_of(record)[-1]
    assert (latest.op, latest.reason) == ("retract", "Entered twice by mistake.")


@pytest.mark.parametrize("reason", ["", "   "])
def test_a_retraction_needs_a_reason(staff: Client, world: PlanWorld, reason: str) -> None:
    before = versions()
    response = staff.post(edit_url("record-retract", world.commitments[1]), {"reason": reason})
    assert_refused(response, 422, "Reason: This field is required.", before)
    assert fresh(world.commitments[1]).retracted_at is None


def test_a_retracted_record_no_longer_changes(staff: Client, world: PlanWorld) -> None:
    services.retract(system_actor(), fresh(world.milestones[1]), reason="Duplicate")
    for name in ("record-retract", "record-new-version"):
        assert "has been retracted and can no longer change" in page_text(
            staff.get(edit_url(name, world.milestones[1]))
        )
    before = versions()
    response = staff.post(edit_url("record-retract", world.milestones[1]), {"reason": "Again"})
    assert_refused(response, 409, "is already retracted", before)
    response = staff.post(
        edit_url("record-new-version", world.milestones[1]),
        {"deliverable": "New", "status": "complete", "reason": "Fix"},
    )
    assert_refused(response, 409, "has been retracted", before)


# ---------------------------------------------------------------- links on the public pages


def ref(record: PublicRecord) -> dict[str, str]:
    return {"id": record.public_id, "url": record_page(record), "label": str(record)}


def shape(record: PublicRecord, **extra: Any) -> SimpleNamespace:
    """What a public page passes as ``record``: at least its id and whether it is retracted."""
    return SimpleNamespace(id=record.public_id, retracted=record.is_retracted, **extra)


def staff_links(record: SimpleNamespace, who: Any) -> str:
    return render_to_string("plans/edit/_actions.html", {"record": record, "user": who})


def hrefs(text: str) -> list[str]:
    return [part.split('"', 1)[0] for part in text.split('href="')[1:]]


def shapes(world: PlanWorld) -> dict[str, SimpleNamespace]:
    return {
        "plan": shape(world.plan, state=world.plan.state, member=ref(world.member)),
        "commitment": shape(world.commitments[0]),
        "milestone": shape(world.milestones[1], commitment=ref(world.commitments[0])),
        "progress": shape(world.reports[0]),
        "irm-report": shape(world.irm_report),
        "assessment": shape(world.assessment),
        "response": shape(world.response),
    }


def test_staff_see_links_to_working_forms(staff: Client, world: PlanWorld) -> None:
    editor = user("links", staff=True)
    expected = {
        "plan": [
            transition_url(world.plan),
            reverse("plan-add-commitment", kwargs={"key": world.plan.key}),
            reverse("plan-respond", kwargs={"key": world.plan.key}),
            reverse("plans-moderation"),
            reverse("plan-publish-irm-report", kwargs={"key": world.plan.key}),
            reverse("member-create-plan", kwargs={"key": world.member.key}),
        ],
        "commitment": [
            reverse("commitment-add-milestone", kwargs={"key": world.commitments[0].key}),
            reverse("commitment-report-progress", kwargs={"key": world.commitments[0].key}),
            reverse("commitment-link-inputs", kwargs={"key": world.commitments[0].key}),
        ],
        "milestone": [
            reverse("commitment-report-progress", kwargs={"key": world.commitments[0].key})
            + f"?milestone={world.milestones[1].key}"
        ],
        "irm-report": [reverse("irm-report-assess", kwargs={"key": world.irm_report.key})],
    }
    records = {
        "plan": world.plan,
        "commitment": world.commitments[0],
        "milestone": world.milestones[1],
        "progress": world.reports[0],
        "irm-report": world.irm_report,
        "assessment": world.assessment,
        "response": world.response,
    }
    for record_type, record in shapes(world).items():
        text = staff_links(record, editor)
        assert '<aside class="staff-actions" aria-label="Staff editing">' in text, record_type
        generic = [
            edit_url("record-new-version", records[record_type]),
            edit_url("record-retract", records[record_type]),
        ]
        assert hrefs(text) == [*expected.get(record_type, []), *generic], record_type
        for href in hrefs(text):
            assert staff.get(href).status_code == 200, href


def test_an_ended_plan_offers_no_new_commitment(world: PlanWorld) -> None:
    record = shape(world.plan, state="ended", member=ref(world.member))
    links = hrefs(staff_links(record, user("links", staff=True)))
    assert transition_url(world.plan) in links
    assert reverse("plan-add-commitment", kwargs={"key": world.plan.key}) not in links
    record.state = "results_assessed"
    links = hrefs(staff_links(record, user("links2", staff=True)))
    assert transition_url(world.plan) not in links


def test_no_staff_links_for_others_or_retracted_records(world: PlanWorld) -> None:
    for who in (AnonymousUser(), user("reader", staff=False)):
        for record_type, record in shapes(world).items():
            assert staff_links(record, who).strip() == "", record_type
    retracted = shape(world.commitments[0])
    retracted.retracted = True
    assert staff_links(retracted, user("links", staff=True)).strip() == ""
    # Other records' pages have the forums' own links.
    forum = SimpleNamespace(id=world.forum.public_id, retracted=False)
    assert staff_links(forum, user("links3", staff=True)).strip() == ""


def test_the_public_pages_show_working_staff_links(staff: Client, world: PlanWorld) -> None:
    """On the record pages (where they exist), staff links lead to forms that open."""
    records = [
        world.plan,
        world.commitments[0],
        world.milestones[1],
        world.reports[0],
        world.irm_report,
        world.assessment,
    ]
    pages = [record_page(r) for r in records if not record_page(r).startswith("/history/")]
    if not pages:
        pytest.skip("the plans record pages are not there yet")
    for page in pages:
        text = page_text(staff.get(page))
        aside = section(
            text, '<aside class="staff-actions" aria-label="Staff editing">', "</aside>"
        )
        assert "Publish a new version of this record" in aside, page
        for href in hrefs(aside):
            assert staff.get(href).status_code == 200, (page, href)
    staff.logout()
    for page in pages:
        assert "staff-actions" not in page_text(staff.get(page)), page


# ---------------------------------------------------------------- text ↔ lists


def test_lines_field() -> None:
    field = edit_forms.LinesField(label="Themes")
    assert field.clean(" Water \r\n\r\nAir\nWater\n") == ["Water", "Air"]
    assert field.clean("") == []
    assert field.prepare_value(["Water", "Air"]) == "Water\nAir"
    with pytest.raises(forms.ValidationError) as caught:
        field.clean("ok\n\n" + "x" * 201)
    assert caught.value.messages == ["Line 3 is longer than 200 characters."]


def test_evidence_field_round_trip() -> None:
    field = edit_forms.EvidenceField()
    items = [
        {"label": "Portal", "url": "https://example.org/a"},
        {"label": "", "url": "https://example.org/b"},
    ]
    assert field.clean(field.prepare_value(items)) == items
    with pytest.raises(forms.ValidationError) as caught:
        field.clean("| https://example.org/ok\nX |\nY | nope")
    assert caught.value.messages == [
        "Line 2: give the web address after the vertical bar.",
        "Line 3: “nope” is not a valid web address.",
    ]


def test_requirements_field_round_trip() -> None:
    field = edit_forms.RequirementsField()
    found = {"MR1.1": "met", "MR2.2": "not_met", "MR3.1": "not_applicable"}
    assert field.clean(field.prepare_value(found)) == found
    assert field.clean("MR1.1 | NOT MET\nMR1.2 | Not-applicable") == {
        "MR1.1": "not_met",
        "MR1.2": "not_applicable",
    }
    assert field.clean("  ") == {}


def test_yes_no_unknown_field() -> None:
    class Form(forms.Form):
        answer = edit_forms.yes_no_unknown("Answer")

    for sent, value in (("true", True), ("false", False), ("unknown", None), ("", None)):
        form = Form({"answer": sent})
        assert form.is_valid()
        assert form.cleaned_data["answer"] is value
    assert 'value="false" id="id_answer_1" checked' in str(Form(initial={"answer": False}))
