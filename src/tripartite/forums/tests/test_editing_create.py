"""Staff pages that create records (members, organisations, people, forums, statements),
record a collective withdrawal and set a meeting's agenda, exercised through HTTP like a
browser without JavaScript. Every refused request must write nothing: each such test
counts RecordVersion rows (see docs/subsystems/editing.md).
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
from tripartite.forums import services
from tripartite.forums.models import (
    Forum,
    Meeting,
    Member,
    Organization,
    Person,
    Seat,
    Statement,
    WithdrawalGroup,
)
from tripartite.forums.tests import factories
from tripartite.forums.tests.editing import (
    EditWorld,
    assert_refused,
    build_edit_world,
    fresh,
    page_text,
    user,
    versions,
    versions_of,
)

pytestmark = pytest.mark.django_db
D = dt.date


# ---------------------------------------------------------------- helpers


class World(EditWorld):
    @property
    def member(self) -> Member:
        return self.forum.member

    @property
    def cso(self) -> list[Seat]:
        return [seat for seat in self.seats if seat.sector == "civil_society"]


@pytest.fixture
def world() -> World:
    return build_edit_world(World)


def assert_created(
    response: HttpResponse, record: PublicRecord, staff: Client, message: str
) -> None:
    """303 to the record's page, one "create" version by the editor, the message shown."""
    assert response.status_code == 303, page_text(response)[:3000]
    assert response["Location"] == record.get_absolute_url()
    made = versions_of(record)
    assert [v.op for v in made] == ["create"]
    assert made[0].actor is not None and made[0].actor.username == "editor"
    assert message in page_text(staff.get(response["Location"]))


# ---------------------------------------------------------------- who may use the pages

PAGES: dict[str, Callable[[World], str]] = {
    "create member": lambda w: reverse("member-create"),
    "create organisation": lambda w: reverse("organization-create"),
    "create person": lambda w: reverse("person-create"),
    "publish statement": lambda w: reverse("statement-publish"),
    "create forum": lambda w: reverse("member-create-forum", kwargs={"key": w.member.key}),
    "record withdrawal": lambda w: reverse("forum-record-withdrawal", kwargs={"key": w.forum.key}),
    "set agenda": lambda w: reverse("meeting-agenda", kwargs={"key": w.meeting.key}),
}

# A submission each page would accept from staff, to show that others cannot make it.
VALID: dict[str, Callable[[World], dict[str, Any]]] = {
    "create member": lambda w: {"name": "Otherland", "kind": "country", "status": "active"},
    "create organisation": lambda w: {"name": "Watchdog", "sector": "civil_society"},
    "create person": lambda w: {"name": "Ana Pérez"},
    "publish statement": lambda w: {
        "title": "T",
        "issued_on": "2017-05-24",
        "text": "Words.",
        "language": "en",
        "issuer_label": "The co-chairs",
    },
    "create forum": lambda w: {
        "name": "New forum",
        "language": "en",
        "established_on": "2019-01-01",
        "decision_rule": "sector_consensus",
    },
    "record withdrawal": lambda w: {
        "title": "We leave",
        "withdrawn_on": "2017-05-23",
        "letter": w.letter.pk,
        "seats": [w.cso[0].pk],
    },
    "set agenda": lambda w: {"agenda": "Something else"},
}


def test_every_page_has_a_valid_submission() -> None:
    assert set(VALID) == set(PAGES)


@pytest.mark.parametrize("page", PAGES)
def test_anonymous_users_are_sent_to_login(client: Client, world: World, page: str) -> None:
    url = PAGES[page](world)
    before = versions()
    for response in (client.get(url), client.post(url, VALID[page](world))):
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login") + "?next=")
    assert versions() == before


@pytest.mark.parametrize("page", PAGES)
def test_signed_in_non_staff_get_a_403_page(public: Client, world: World, page: str) -> None:
    url = PAGES[page](world)
    before = versions()
    for response in (public.get(url), public.post(url, VALID[page](world))):
        assert response.status_code == 403
        assert "<h1>You cannot edit the record</h1>" in page_text(response)
    assert versions() == before


@pytest.mark.parametrize("page", PAGES)
def test_staff_see_every_form_with_a_csrf_token(staff: Client, world: World, page: str) -> None:
    response = staff.get(PAGES[page](world))
    assert response.status_code == 200
    text = page_text(response)
    assert 'name="csrfmiddlewaretoken"' in text
    assert '<form method="post"' in text


@pytest.mark.parametrize("page", PAGES)
def test_a_post_without_csrf_token_is_refused(world: World, page: str) -> None:
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(user("editor", staff=True))
    before = versions()
    response = browser.post(PAGES[page](world), VALID[page](world))
    assert response.status_code == 403
    assert versions() == before


@pytest.mark.parametrize("page", PAGES)
def test_the_valid_submissions_succeed_for_staff(staff: Client, world: World, page: str) -> None:
    response = staff.post(PAGES[page](world), VALID[page](world))
    assert response.status_code == 303, page_text(response)[:3000]


def test_other_methods_are_not_allowed(staff: Client, world: World) -> None:
    assert staff.put(PAGES["create member"](world)).status_code == 405
    assert staff.delete(PAGES["set agenda"](world)).status_code == 405


def test_unknown_records_are_404(staff: Client) -> None:
    for name in ("member-create-forum", "forum-record-withdrawal", "meeting-agenda"):
        assert staff.get(reverse(name, kwargs={"key": "nowhere"})).status_code == 404, name


# ---------------------------------------------------------------- members


def member_post(**overrides: Any) -> dict[str, Any]:
    return {
        "name": "United Mexican States",
        "kind": "country",
        "iso2": "mx",
        "region": "Americas",
        "joined_on": "2011-09-20",
        "status": "active",
        "status_since": "",
        "key": "",
        **overrides,
    }


def test_create_member(staff: Client) -> None:
    response = staff.post(reverse("member-create"), member_post())
    made = Member.objects.get(name="United Mexican States")
    assert_created(response, made, staff, "United Mexican States is on the record.")
    assert (made.key, made.iso2, made.region, made.joined_on) == (
        "mx",
        "MX",
        "Americas",
        D(2011, 9, 20),
    )
    assert versions_of(made)[0].content["iso2"] == "MX"


def test_a_local_governments_key_has_its_code_and_name(staff: Client) -> None:
    staff.post(reverse("member-create"), member_post(name="Jalisco", kind="local"))
    assert Member.objects.get(name="Jalisco").key == "mx-jalisco"


def test_create_member_refuses_a_bad_code(staff: Client) -> None:
    before = versions()
    response = staff.post(reverse("member-create"), member_post(iso2="M1", name=""))
    assert_refused(response, 422, "ISO 3166 code: Enter two letters, such as MX.", before)
    assert "Name: This field is required." in page_text(response)
    assert 'aria-invalid="true"' in page_text(response)
    assert not Member.objects.exists()


def test_create_member_with_a_taken_key_is_a_conflict(staff: Client, world: World) -> None:
    before = versions()
    response = staff.post(reverse("member-create"), member_post(key=world.member.key))
    assert_refused(response, 409, "already exists", before)
    assert 'id="id_key_error"' in page_text(response)
    assert "This key is already taken." in page_text(response)


# ---------------------------------------------------------------- organisations


def organization_post(**overrides: Any) -> dict[str, Any]:
    return {
        "name": "Mexican Institute for Competitiveness",
        "short_name": "IMCO",
        "sector": "civil_society",
        "member": "",
        "website": "imco.org.mx",
        "description": "A think tank.",
        "key": "",
        **overrides,
    }


def test_create_organisation_from_the_member_page(staff: Client, world: World) -> None:
    url = reverse("organization-create") + f"?member={world.member.key}"
    shown = page_text(staff.get(url))
    assert f'<option value="{world.member.pk}" selected>' in shown
    assert f'href="{world.member.get_absolute_url()}"' in shown  # the way back
    response = staff.post(url, organization_post(member=world.member.pk))
    made = Organization.objects.get(short_name="IMCO")
    assert_created(response, made, staff, "Mexican Institute for Competitiveness is on the record.")
    assert (made.key, made.member, made.website) == (
        f"{world.member.key}-imco",
        world.member,
        "https://imco.org.mx",
    )


def test_create_organisation_without_a_member(staff: Client) -> None:
    response = staff.post(reverse("organization-create"), organization_post(short_name=""))
    made = Organization.objects.get()
    assert response.status_code == 303
    assert (made.key, made.member) == ("mexican-institute-for-competitiveness", None)


def test_create_organisation_needs_a_sector_and_a_valid_website(staff: Client) -> None:
    before = versions()
    response = staff.post(
        reverse("organization-create"), organization_post(sector="", website="not a website")
    )
    assert_refused(response, 422, "Sector: This field is required.", before)
    assert "Website: Enter a valid URL." in page_text(response)
    assert not Organization.objects.exists()


# ---------------------------------------------------------------- people


def test_create_person(staff: Client) -> None:
    response = staff.post(
        reverse("person-create"), {"name": "Ana Pérez", "role_title": "Director", "key": ""}
    )
    made = Person.objects.get()
    assert_created(response, made, staff, "Ana Pérez is on the record.")
    assert (made.key, made.role_title) == ("ana-perez", "Director")


def test_create_person_needs_a_name_and_a_valid_key(staff: Client) -> None:
    before = versions()
    response = staff.post(reverse("person-create"), {"name": "  ", "key": "not a key!"})
    assert_refused(response, 422, "Name: This field is required.", before)
    assert "Key: " in page_text(response)
    assert not Person.objects.exists()


# ---------------------------------------------------------------- forums


def forum_post(**overrides: Any) -> dict[str, Any]:
    return {
        "name": "Tripartite Technical Secretariat",
        "original_name": "Secretariado",
        "language": "es",
        "description": "",
        "established_on": "2019-02-01",
        "dissolved_on": "",
        "decision_rule": "majority",
        "rules_url": "https://example.org/rules.pdf",
        "predecessor": "",
        "source_url": "",
        "key": "",
        **overrides,
    }


def create_forum_url(member: Member) -> str:
    return reverse("member-create-forum", kwargs={"key": member.key})


def test_create_forum_replacing_an_earlier_one(staff: Client, world: World) -> None:
    response = staff.post(create_forum_url(world.member), forum_post(predecessor=world.forum.pk))
    made = Forum.objects.get(name="Tripartite Technical Secretariat")
    assert_created(
        response, made, staff, "The forum “Tripartite Technical Secretariat” is on the record."
    )
    assert made.key == f"{world.member.key}-tripartite-technical-secretariat"
    assert (made.member, made.predecessor, made.decision_rule, made.rules_url, made.language) == (
        world.member,
        world.forum,
        "majority",
        "https://example.org/rules.pdf",
        "es",
    )
    assert versions_of(made)[0].content["predecessor"] == world.forum.public_id
    assert "Replaced by" in page_text(staff.get(world.forum.get_absolute_url()))


def test_a_forum_replaces_only_a_forum_of_its_member(staff: Client, world: World) -> None:
    other = factories.forum(factories.member("yy", "Otherland"), key="yy-forum")
    text = page_text(staff.get(create_forum_url(world.member)))
    assert f'<option value="{world.forum.pk}">' in text
    assert f'<option value="{other.pk}">' not in text
    before = versions()
    response = staff.post(create_forum_url(world.member), forum_post(predecessor=other.pk))
    assert_refused(response, 422, "Replaces: Select a valid choice.", before)
    assert not Forum.objects.filter(name="Tripartite Technical Secretariat").exists()


def test_create_forum_validates_dates_and_urls(staff: Client, world: World) -> None:
    before = versions()
    response = staff.post(
        create_forum_url(world.member), forum_post(dissolved_on="2018-01-01", rules_url="not a url")
    )
    assert_refused(
        response,
        422,
        "Dissolved on: A forum cannot be dissolved before it was established.",
        before,
    )
    assert "Published participation rules: Enter a valid URL." in page_text(response)
    before = versions()
    response = staff.post(create_forum_url(world.member), forum_post(established_on=""))
    assert_refused(response, 422, "Established on: This field is required.", before)


def test_create_forum_with_a_taken_key_is_a_conflict(staff: Client, world: World) -> None:
    before = versions()
    response = staff.post(create_forum_url(world.member), forum_post(key=world.forum.key))
    assert_refused(response, 409, "already exists", before)
    assert "This key is already taken." in page_text(response)


def test_no_forum_for_a_retracted_member(staff: Client, world: World) -> None:
    services.retract(system_actor(), world.member, reason="Duplicate")
    assert "has been retracted: nothing new can be added to it" in page_text(
        staff.get(create_forum_url(world.member))
    )
    before = versions()
    response = staff.post(create_forum_url(world.member), forum_post())
    assert_refused(response, 409, "has been retracted", before)


# ---------------------------------------------------------------- statements


def statement_post(**overrides: Any) -> dict[str, Any]:
    return {
        "title": "Civil society leaves the forum",
        "issued_on": "2017-05-24",
        "text": "We can no longer take part.",
        "language": "es",
        "issued_by": [],
        "issuer_label": "",
        "member": "",
        "forum": "",
        "source_url": "",
        "key": "",
        **overrides,
    }


def test_publish_statement(staff: Client, world: World) -> None:
    orgs = [seat.organization for seat in world.cso[:2]]
    response = staff.post(
        reverse("statement-publish"),
        statement_post(
            issued_by=[org.pk for org in orgs],
            member=world.member.pk,
            source_url="https://example.org/statement",
        ),
    )
    made = Statement.objects.get()
    assert_created(
        response, made, staff, "The statement “Civil society leaves the forum” is published."
    )
    assert made.key == f"{world.member.key}-2017-05-24-civil-society-leaves-the-forum"
    assert set(made.issued_by.all()) == set(orgs)
    assert (made.member, made.forum, made.language) == (world.member, None, "es")
    assert versions_of(made)[0].content["issued_by"] == sorted(o.public_id for o in orgs)


def test_publish_statement_about_a_forum_by_a_named_issuer(staff: Client, world: World) -> None:
    url = reverse("statement-publish") + f"?forum={world.forum.key}"
    shown = page_text(staff.get(url))
    assert f'<option value="{world.forum.pk}" selected>' in shown
    assert f'<option value="{world.member.pk}" selected>' in shown
    response = staff.post(url, statement_post(issuer_label="The co-chairs", forum=world.forum.pk))
    made = Statement.objects.get()
    assert response.status_code == 303
    assert (made.issuer_label, made.forum, made.member) == (
        "The co-chairs",
        world.forum,
        world.member,
    )
    assert not made.issued_by.exists()


def test_a_statement_names_who_issued_it(staff: Client) -> None:
    before = versions()
    response = staff.post(reverse("statement-publish"), statement_post())
    assert_refused(response, 422, "A statement names who issued it.", before)
    text = page_text(response)
    assert 'id="id_issued_by_error"' in text
    assert "Choose an organisation or name the issuer." in text
    assert not Statement.objects.exists()


def test_a_statements_forum_belongs_to_its_member(staff: Client, world: World) -> None:
    other = factories.member("yy", "Otherland")
    before = versions()
    response = staff.post(
        reverse("statement-publish"),
        statement_post(issuer_label="Us", member=other.pk, forum=world.forum.pk, text=""),
    )
    assert_refused(response, 422, "Forum concerned: This forum belongs to another member.", before)
    assert "Text: This field is required." in page_text(response)


# ---------------------------------------------------------------- collective withdrawals


def withdrawal_url(world: World) -> str:
    return reverse("forum-record-withdrawal", kwargs={"key": world.forum.key})


def withdrawal_post(world: World, seats: list[Seat], **overrides: Any) -> dict[str, Any]:
    return {
        "title": "Civil society leaves the forum",
        "withdrawn_on": "2017-05-23",
        "summary": "After the surveillance revelations.",
        "letter": world.letter.pk,
        "seats": [seat.pk for seat in seats],
        "key": "",
        **overrides,
    }


def test_withdrawal_form_lists_the_current_seats_in_a_fieldset(staff: Client, world: World) -> None:
    services.end_seat(system_actor(), world.seats[1], end_on=D(2016, 1, 1), end_reason="term_ended")
    text = page_text(staff.get(withdrawal_url(world)))
    fieldset = text.split("<fieldset", 1)[1].split("</fieldset>", 1)[0]
    assert "<legend>Seats that withdraw" in fieldset
    assert 'aria-describedby="id_seats_helptext"' in fieldset
    assert fieldset.count('type="checkbox"') == len(world.seats) - 1
    assert "Civic Group 0 (Civil society)" in fieldset
    assert "Information Institute" not in fieldset
    assert f'<option value="{world.letter.pk}">' in text


def test_record_collective_withdrawal(staff: Client, world: World) -> None:
    leaving = world.cso[:2]
    response = staff.post(withdrawal_url(world), withdrawal_post(world, leaving))
    group = WithdrawalGroup.objects.get()
    assert response.status_code == 303, page_text(response)[:3000]
    assert response["Location"] == world.forum.get_absolute_url() + f"#{group.key}"
    assert group.key == f"{world.forum.key}-withdrawal-2017-05-23"
    assert (group.forum, group.letter, group.withdrawn_on) == (
        world.forum,
        world.letter,
        D(2017, 5, 23),
    )
    for seat in leaving:
        seat = fresh(seat)
        assert (seat.end_on, seat.end_reason, seat.withdrawal_group, seat.withdrawal_letter) == (
            D(2017, 5, 23),
            "withdrawn",
            group,
            world.letter,
        )
        assert [v.op for v in versions_of(seat)] == ["create", "update"]
    assert fresh(world.cso[2]).end_on is None
    content = versions_of(group)[-1].content
    assert content["seats"] == sorted(seat.public_id for seat in leaving)
    followed = page_text(staff.get(response["Location"]))
    assert (
        "The withdrawal “Civil society leaves the forum” is on the record: 2 seats ended."
        in followed
    )


def test_a_withdrawal_needs_seats_and_a_letter(staff: Client, world: World) -> None:
    before = versions()
    response = staff.post(withdrawal_url(world), withdrawal_post(world, [], letter=""))
    assert_refused(response, 422, "Seats that withdraw: Tick at least one seat.", before)
    text = page_text(response)
    assert '<a href="#id_seats_0">' in text
    assert 'aria-describedby="id_seats_helptext id_seats_error"' in text
    assert "Withdrawal letter: This field is required." in text
    assert not WithdrawalGroup.objects.exists()


def test_a_withdrawal_cannot_predate_a_seat(staff: Client, world: World) -> None:
    before = versions()
    response = staff.post(
        withdrawal_url(world), withdrawal_post(world, world.cso, withdrawn_on="2014-06-01")
    )
    assert_refused(response, 422, "A seat cannot end before it started.", before)
    assert 'id="id_withdrawn_on_error"' in page_text(response)
    assert not WithdrawalGroup.objects.exists()
    assert all(fresh(seat).end_on is None for seat in world.cso)


def test_a_withdrawal_lists_only_current_seats(staff: Client, world: World) -> None:
    staff.post(withdrawal_url(world), withdrawal_post(world, world.cso[:1]))
    before = versions()
    response = staff.post(
        withdrawal_url(world), withdrawal_post(world, world.cso[:2], key="second")
    )
    assert_refused(response, 422, "Seats that withdraw: Select a valid choice.", before)


def test_a_withdrawal_with_a_taken_key_is_a_conflict(staff: Client, world: World) -> None:
    staff.post(withdrawal_url(world), withdrawal_post(world, world.cso[:1], key="cso-exit"))
    before = versions()
    response = staff.post(
        withdrawal_url(world), withdrawal_post(world, world.cso[1:2], key="cso-exit")
    )
    assert_refused(response, 409, "already exists", before)
    assert "This key is already taken." in page_text(response)
    assert fresh(world.cso[1]).end_on is None


def test_no_withdrawal_without_current_seats(staff: Client, world: World) -> None:
    forum = factories.forum(world.member, key="empty-forum")
    url = reverse("forum-record-withdrawal", kwargs={"key": forum.key})
    assert "there is no seat to withdraw" in page_text(staff.get(url))


# ---------------------------------------------------------------- agendas


def agenda_url(meeting: Meeting) -> str:
    return reverse("meeting-agenda", kwargs={"key": meeting.key})


def test_agenda_form_shows_the_current_agenda(staff: Client, world: World) -> None:
    response = staff.get(agenda_url(world.meeting))
    assert response.context["form"]["agenda"].value() == "Opening\nProgress of the action plan"
    assert "<h1>Change the agenda of Plenary session</h1>" in page_text(response)


def test_set_agenda(staff: Client, world: World) -> None:
    meeting = factories.meeting(
        world.forum,
        key="m2",
        agenda=[{"title": "Opening", "description": "Welcome by the co-chairs."}],
    )
    response = staff.post(
        agenda_url(meeting), {"agenda": "Opening\r\n\r\n  Budget of the plan  \r\nClosing"}
    )
    assert response.status_code == 303, page_text(response)[:3000]
    assert response["Location"] == meeting.get_absolute_url() + "#agenda-heading"
    items = [(i.title, i.description) for i in fresh(meeting).agenda_items.all()]
    assert items == [
        ("Opening", "Welcome by the co-chairs."),
        ("Budget of the plan", ""),
        ("Closing", ""),
    ]
    latest = versions_of(meeting)[-1]
    assert (latest.op, latest.version) == ("update", 2)
    assert [item["title"] for item in latest.content["agenda"]] == [
        "Opening",
        "Budget of the plan",
        "Closing",
    ]
    assert "The agenda is saved." in page_text(staff.get(response["Location"]))


def test_clear_the_agenda(staff: Client, world: World) -> None:
    response = staff.post(agenda_url(world.meeting), {"agenda": "  \r\n"})
    assert response.status_code == 303
    assert not world.meeting.agenda_items.exists()
    assert versions_of(world.meeting)[-1].content["agenda"] == []


def test_an_agenda_item_has_a_length_limit(staff: Client, world: World) -> None:
    before = versions()
    response = staff.post(agenda_url(world.meeting), {"agenda": "Opening\n" + "x" * 401})
    assert_refused(response, 422, "Agenda: Item 2 is longer than 400 characters.", before)
    assert [i.title for i in world.meeting.agenda_items.all()] == [
        "Opening",
        "Progress of the action plan",
    ]


def test_an_unchanged_agenda_is_refused(staff: Client, world: World) -> None:
    before = versions()
    response = staff.post(
        agenda_url(world.meeting), {"agenda": "Opening\nProgress of the action plan\n"}
    )
    assert_refused(response, 422, "Nothing changed", before)


def test_a_retracted_meetings_agenda_no_longer_changes(staff: Client, world: World) -> None:
    services.retract(system_actor(), world.meeting, reason="Duplicate")
    assert "has been retracted and can no longer change" in page_text(
        staff.get(agenda_url(world.meeting))
    )
    before = versions()
    response = staff.post(agenda_url(world.meeting), {"agenda": "Other"})
    assert_refused(response, 409, "has been retracted", before)


# ---------------------------------------------------------------- links on the public pages


def links(text: str) -> str:
    assert '<aside class="staff-actions" aria-label="Staff editing">' in text
    return text.split('<aside class="staff-actions"', 1)[1].split("</aside>", 1)[0]


def test_the_home_page_links_to_the_creation_forms(staff: Client, world: World) -> None:
    aside = links(page_text(staff.get(reverse("home"))))
    for name in (
        "member-create",
        "organization-create",
        "person-create",
        "statement-publish",
        "letter-register",
    ):
        assert f'href="{reverse(name)}"' in aside, name
    letters = links(page_text(staff.get(reverse("letters"))))
    assert f'href="{reverse("letter-register")}"' in letters
    assert reverse("member-create") not in letters


def test_the_member_page_links_to_its_forms(staff: Client, world: World) -> None:
    aside = links(page_text(staff.get(world.member.get_absolute_url())))
    key = world.member.key
    for href in (
        create_forum_url(world.member),
        f"{reverse('statement-publish')}?member={key}",
        f"{reverse('organization-create')}?member={key}",
        reverse("person-create"),
        reverse("member-create"),
    ):
        assert f'href="{href}"' in aside, href


def test_the_forum_and_meeting_pages_link_to_their_forms(staff: Client, world: World) -> None:
    aside = links(page_text(staff.get(world.forum.get_absolute_url())))
    assert f'href="{withdrawal_url(world)}"' in aside
    assert f'href="{reverse("statement-publish")}?forum={world.forum.key}"' in aside
    aside = links(page_text(staff.get(world.meeting.get_absolute_url())))
    assert f'<a href="{agenda_url(world.meeting)}">Change the agenda</a>' in aside
    bare = factories.meeting(world.forum, key="m3", agenda=[])
    aside = links(page_text(staff.get(bare.get_absolute_url())))
    assert f'<a href="{agenda_url(bare)}">Set the agenda</a>' in aside


def test_no_staff_links_on_the_home_page_for_the_public(client: Client, world: World) -> None:
    assert "staff-actions" not in page_text(client.get(reverse("home")))
    client.force_login(user("reader", staff=False))
    assert "staff-actions" not in page_text(client.get(reverse("home")))
