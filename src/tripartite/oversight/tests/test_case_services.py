"""Response Policy cases: eligible filers only, machine D steps with actor, date and
document, outreach tasks, and confidential notes kept out of the public record."""

from __future__ import annotations

import datetime as dt

import pytest

from tripartite.core import services as core_services
from tripartite.core.actors import system_actor
from tripartite.core.errors import Conflict, InvalidInput
from tripartite.core.models import RecordVersion
from tripartite.forums.models import Member, Organization
from tripartite.forums.tests import factories as forum_factories
from tripartite.oversight import case_services, services
from tripartite.oversight.models import ConcernCase
from tripartite.oversight.rules import commit_to_note
from tripartite.oversight.tests.factories import cs_seat, person

pytestmark = pytest.mark.django_db
D = dt.date


@pytest.fixture
def mexico() -> Member:
    return forum_factories.member("mx", "Mexico")


@pytest.fixture
def cso(mexico: Member) -> Organization:
    return forum_factories.organization("article19", "civil_society", member=mexico)


def _file(mexico: Member, filers: list, key: str = "mx-2018") -> ConcernCase:
    return case_services.file_case(
        system_actor(),
        key=key,
        member=mexico,
        title="Surveillance of civil society",
        concerns="Use of surveillance software against members of the forum.",
        received_on=D(2018, 7, 16),
        filers=filers,
    )


def _walk(case: ConcernCase, *steps: tuple[str, dt.date, str]) -> ConcernCase:
    for to, on, by in steps:
        case_services.advance_case(system_actor(), case, to=to, on=on, by=by)
    return case


def test_an_eligible_organisation_files_a_case_that_is_logged(
    mexico: Member, cso: Organization
) -> None:
    case = _file(mexico, [(cso, "involved_entity")])
    assert case.state == "received"
    content = case.to_record()
    assert content["filers"] == [
        {"organization": "organization/article19", "category": "involved_entity"}
    ]
    assert RecordVersion.objects.filter(record_type="case").count() == 1


def test_an_individual_filer_is_refused_with_the_reason_and_nothing_is_stored(
    mexico: Member,
) -> None:
    with pytest.raises(InvalidInput, match="individual acting on his or her own behalf"):
        _file(mexico, [(person("citizen", "A Citizen"), "involved_entity")])
    assert not ConcernCase.objects.exists()


def test_an_entity_from_another_country_is_refused(mexico: Member) -> None:
    other = forum_factories.organization(
        "foreign", "civil_society", member=forum_factories.member("ar", "Argentina")
    )
    with pytest.raises(InvalidInput, match="country"):
        _file(mexico, [(other, "involved_entity")])


def test_an_sc_member_organisation_may_file_while_it_holds_a_seat(mexico: Member) -> None:
    wri = forum_factories.organization("wri", "civil_society")
    cs_seat(person("bapna"), "bapna-2016", wri, start=D(2016, 10, 1))
    case = _file(mexico, [(wri, "sc_member")])
    assert case.filers.get().category == "sc_member"


def test_a_case_needs_a_filer(mexico: Member) -> None:
    with pytest.raises(InvalidInput, match="at least one eligible organisation"):
        _file(mexico, [])


def test_each_step_stores_actor_date_and_document(mexico: Member, cso: Organization) -> None:
    case = _file(mexico, [(cso, "involved_entity")])
    case_services.advance_case(
        system_actor(),
        case,
        to="acknowledged",
        on=D(2018, 7, 20),
        by="su",
        document="Acknowledgement letter",
        document_url="https://example.org/ack",
    )
    step = case.to_record()["steps"][-1]
    assert step["from"] == "received" and step["to"] == "acknowledged"
    assert (step["on"], step["by"], step["document_url"]) == (
        "2018-07-20",
        "su",
        "https://example.org/ack",
    )


def test_a_step_the_policy_forbids_is_refused(mexico: Member, cso: Organization) -> None:
    case = _file(mexico, [(cso, "involved_entity")])
    with pytest.raises(InvalidInput, match="cannot go from"):
        case_services.advance_case(system_actor(), case, to="stage2", on=D(2018, 8, 1), by="sc")
    case.refresh_from_db()
    assert case.state == "received" and case.steps.count() == 1


def test_a_step_dated_before_the_current_state_is_refused(
    mexico: Member, cso: Organization
) -> None:
    case = _file(mexico, [(cso, "involved_entity")])
    with pytest.raises(InvalidInput, match="cannot be dated earlier"):
        case_services.advance_case(
            system_actor(), case, to="acknowledged", on=D(2018, 7, 1), by="su"
        )


def test_the_mexico_path_closes_the_case_by_resolution(mexico: Member, cso: Organization) -> None:
    case = _walk(
        _file(mexico, [(cso, "involved_entity")]),
        ("acknowledged", D(2018, 8, 24), "su"),
        ("eligibility_review", D(2018, 8, 24), "su"),
        ("eligible", D(2018, 8, 24), "su"),
        ("merits_review", D(2018, 9, 20), "cs"),
        ("report_adopted", D(2019, 5, 2), "cs"),
        ("resolved", D(2019, 12, 12), "cs"),
    )
    assert (case.state, case.closed_on) == ("resolved", D(2019, 12, 12))
    assert len(case.to_record()["steps"]) == 7


def test_stage_two_is_refused_without_the_sc_resolution(mexico: Member, cso: Organization) -> None:
    case = _walk(
        _file(mexico, [(cso, "involved_entity")]),
        ("acknowledged", D(2018, 8, 1), "su"),
        ("eligibility_review", D(2018, 8, 1), "su"),
        ("eligible", D(2018, 8, 2), "su"),
        ("merits_review", D(2018, 9, 1), "cs"),
        ("report_adopted", D(2018, 10, 1), "cs"),
        ("stage1", D(2018, 10, 1), "cs"),
    )
    with pytest.raises(InvalidInput, match="resolution"):
        case_services.advance_case(system_actor(), case, to="stage2", on=D(2019, 1, 1), by="sc")
    resolution = services.record_resolution(
        system_actor(),
        key="inactive",
        title="Inactive",
        text="…",
        adopted_on=D(2019, 1, 1),
        method="vote",
        votes={"for": 16, "against": 3, "abstain": 3},
        case=case,
    )
    case_services.advance_case(
        system_actor(), case, to="stage2", on=D(2019, 1, 1), by="sc", resolution=resolution
    )
    step = case.to_record()["steps"][-1]
    assert step["document"] == "resolution/inactive"
    # Stage two lasts up to a year: its review is due a year on (a verified policy row).
    assert (step["deadline"], step["deadline_rule"]) == ("2020-01-01", "policy/case-stage-two-2014")


def test_a_recorded_day_count_sets_the_next_deadline(mexico: Member, cso: Organization) -> None:
    core_services.record_policy_rule(
        system_actor(),
        key="ack-10",
        code="case.acknowledge",
        title="Acknowledge within ten days",
        effective_from=D(2014, 9, 25),
        params={"days": 10},
        source_url="https://example.org/procedures",
        verified=True,
    )
    case = _file(mexico, [(cso, "involved_entity")])
    assert case.steps.get().deadline == D(2018, 7, 26)


def test_a_confidential_note_is_kept_for_the_committee_but_only_committed_to_in_the_record(
    mexico: Member, cso: Organization
) -> None:
    case = _file(mexico, [(cso, "involved_entity")])
    secret = "The filer's staff were followed after the meeting."
    case_services.advance_case(
        system_actor(),
        case,
        to="acknowledged",
        on=D(2018, 7, 20),
        by="su",
        confidential_note=secret,
    )
    step = case.steps.get(to_state="acknowledged")
    version = RecordVersion.objects.filter(record_type="case", record_key=case.key).last()
    assert version is not None
    assert secret not in str(version.content)
    assert step.confidential_note == secret
    committed = version.content["steps"][-1]["confidential_commitment"]
    assert committed == commit_to_note(secret, step.confidential_salt)


def test_an_outreach_task_has_an_owner_and_a_due_date_and_versions_the_case(
    mexico: Member, cso: Organization
) -> None:
    case = _file(mexico, [(cso, "involved_entity")])
    owner = person("envoy", "An Envoy")
    task = case_services.add_outreach_task(
        system_actor(),
        case,
        title="Reach out to government officials and civil society before the meeting",
        owner=owner,
        due_on=D(2018, 9, 1),
    )
    assert task.number == 1
    assert case.to_record()["tasks"][0]["owner"] == "person/envoy"
    case_services.complete_outreach_task(
        system_actor(), task, on=D(2018, 8, 30), outcome="Met both sides."
    )
    assert case.version == 3
    with pytest.raises(Conflict, match="already"):
        case_services.complete_outreach_task(system_actor(), task, on=D(2018, 8, 31))


def test_no_task_is_added_to_a_closed_case(mexico: Member, cso: Organization) -> None:
    case = _walk(
        _file(mexico, [(cso, "involved_entity")]),
        ("acknowledged", D(2018, 8, 1), "su"),
        ("eligibility_review", D(2018, 8, 1), "su"),
        ("ineligible", D(2018, 8, 2), "su"),
    )
    with pytest.raises(Conflict, match="closed"):
        case_services.add_outreach_task(
            system_actor(), case, title="Call", owner=person("p"), due_on=D(2018, 9, 1)
        )


def test_letters_and_statements_attach_to_the_case(mexico: Member, cso: Organization) -> None:
    case = _file(mexico, [(cso, "involved_entity")])
    concern = forum_factories.letter("concern", member=mexico, letter_type="letter_of_concern")
    letter = forum_factories.letter(
        "gov-response",
        member=mexico,
        direction="inbound",
        letter_type="response",
        response_to=concern,
        sent_on=D(2018, 11, 30),
    )
    case_services.attach_to_case(system_actor(), case, letters=[letter])
    assert case.to_record()["letters"] == ["letter/gov-response"]


def test_an_event_without_a_state_change_joins_the_timeline(
    mexico: Member, cso: Organization
) -> None:
    case = _walk(
        _file(mexico, [(cso, "involved_entity")]),
        ("acknowledged", D(2018, 8, 24), "su"),
        ("eligibility_review", D(2018, 8, 24), "su"),
        ("eligible", D(2018, 8, 24), "su"),
        ("merits_review", D(2018, 9, 20), "cs"),
    )
    case_services.record_case_event(
        system_actor(),
        case,
        on=D(2018, 11, 30),
        by="government",
        note="The government responded to the concerns.",
    )
    step = case.to_record()["steps"][-1]
    assert (step["from"], step["to"], step["on"]) == (
        "merits_review",
        "merits_review",
        "2018-11-30",
    )
    assert case.state == "merits_review"


def test_a_filer_named_twice_is_refused_not_a_server_error(
    mexico: Member, cso: Organization
) -> None:
    with pytest.raises(InvalidInput, match="named once"):
        _file(mexico, [(cso, "involved_entity"), (cso, "involved_entity")])
