"""The pages of the two-sector rule over HTTP: who sees the answer form, answering,
withdrawing, the JSON twin, the role register and one's own roles."""

from __future__ import annotations

import pytest
from django.test import Client

from tripartite.accounts.roles import Role

from .test_joint_changes import editor, propose_subject, two_sector_world

pytestmark = pytest.mark.django_db

ANSWER_FORM = 'name="action" value="answer"'


def test_anyone_reads_a_pending_change_and_the_list(client: Client) -> None:
    forum, gov, _cso, letter = two_sector_world()
    change = propose_subject(editor("g", Role.SECTOR_REPRESENTATIVE, gov), letter)
    page = client.get(change.get_absolute_url()).content.decode()
    assert "Awaiting approval" in page and "New subject" in page
    assert ANSWER_FORM not in page
    listed = client.get(f"/changes/?forum={forum.key}").content.decode()
    assert change.summary in listed
    assert client.get(f"/change/{change.key}.json").json()["state"] == "pending"


def test_the_forum_page_links_its_pending_changes(client: Client) -> None:
    forum, gov, _cso, letter = two_sector_world()
    propose_subject(editor("g", Role.SECTOR_REPRESENTATIVE, gov), letter)
    page = client.get(forum.get_absolute_url()).content.decode()
    assert f"/changes/?forum={forum.key}" in page and "1 change awaits" in page


def test_only_a_representative_of_a_missing_sector_gets_the_answer_form(client: Client) -> None:
    _forum, gov, cso, letter = two_sector_world()
    proposer = editor("g", Role.SECTOR_REPRESENTATIVE, gov)
    change = propose_subject(proposer, letter)
    client.force_login(proposer)
    assert ANSWER_FORM not in client.get(change.get_absolute_url()).content.decode()
    client.force_login(editor("c", Role.SECTOR_REPRESENTATIVE, cso))
    assert ANSWER_FORM in client.get(change.get_absolute_url()).content.decode()


def test_answering_through_the_page_applies_the_change(client: Client) -> None:
    _forum, gov, cso, letter = two_sector_world()
    change = propose_subject(editor("g", Role.SECTOR_REPRESENTATIVE, gov), letter)
    client.force_login(editor("c", Role.SECTOR_REPRESENTATIVE, cso))
    response = client.post(
        change.get_absolute_url(), {"action": "answer", "position": "approve", "statement": ""}
    )
    assert response.status_code == 303
    letter.refresh_from_db()
    assert letter.subject == "New subject"


def test_an_answer_without_a_position_is_refused(client: Client) -> None:
    _forum, gov, cso, letter = two_sector_world()
    change = propose_subject(editor("g", Role.SECTOR_REPRESENTATIVE, gov), letter)
    client.force_login(editor("c", Role.SECTOR_REPRESENTATIVE, cso))
    response = client.post(change.get_absolute_url(), {"action": "answer"})
    assert response.status_code == 422


def test_someone_who_may_not_answer_gets_a_403(client: Client) -> None:
    _forum, gov, _cso, letter = two_sector_world()
    change = propose_subject(editor("g", Role.SECTOR_REPRESENTATIVE, gov), letter)
    client.force_login(editor("op", Role.OPERATOR))
    response = client.post(change.get_absolute_url(), {"action": "answer", "position": "approve"})
    assert response.status_code == 403
    change.refresh_from_db()
    assert change.state == "pending"


def test_the_proposer_withdraws_through_the_page(client: Client) -> None:
    _forum, gov, _cso, letter = two_sector_world()
    proposer = editor("g", Role.SECTOR_REPRESENTATIVE, gov)
    change = propose_subject(proposer, letter)
    client.force_login(proposer)
    assert client.post(change.get_absolute_url(), {"action": "withdraw"}).status_code == 303
    change.refresh_from_db()
    assert change.state == "withdrawn"


def test_the_role_register_shows_names_not_addresses(client: Client) -> None:
    _forum, gov, _cso, _letter = two_sector_world()
    editor("gov-rep", Role.SECTOR_REPRESENTATIVE, gov)
    page = client.get("/roles/").content.decode()
    assert "gov-rep" in page and gov.public_id in page and "@" not in page


def test_a_holder_resigns_from_their_roles_page(client: Client) -> None:
    _forum, gov, _cso, _letter = two_sector_world()
    rep = editor("g", Role.SECTOR_REPRESENTATIVE, gov)
    client.force_login(rep)
    page = client.get("/accounts/roles/").content.decode()
    assert gov.public_id in page
    grant_id = rep.role_grants.get().pk
    assert client.post("/accounts/roles/", {"grant": grant_id}).status_code == 303
    assert not rep.role_grants.filter(ended_at__isnull=True).exists()


def test_the_secretariat_ending_a_seat_proposes_it(client: Client) -> None:
    from tripartite.accounts.tests.roles import approve_all, change_at

    forum, gov, _cso, _letter = two_sector_world()
    client.force_login(editor("sec", Role.SECRETARIAT, forum))
    response = client.post(
        f"/seat/{gov.key}/end/", {"end_on": "2020-01-01", "end_reason": "term_ended"}
    )
    assert response.status_code == 303, response.content.decode()[:2000]
    change = change_at(response["Location"])
    gov.refresh_from_db()
    assert gov.end_on is None
    assert approve_all(change).state == "applied"
    gov.refresh_from_db()
    assert str(gov.end_on) == "2020-01-01"
