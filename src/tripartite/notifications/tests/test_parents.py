"""The parent map: which followed records a change also concerns."""

from __future__ import annotations

import pytest

from tripartite.core.models import PublicRecord
from tripartite.documents.records import record_models
from tripartite.forums.tests import factories as ff
from tripartite.notifications.parents import PARENTS, ancestors

from .helpers import D, world

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(("record_type", "names"), sorted(PARENTS.items()))
def test_every_parent_names_a_reference_to_a_public_record(
    record_type: str, names: tuple[str, ...]
) -> None:
    model = record_models()[record_type]
    for name in names:
        field = model._meta.get_field(name)
        if name == "attached_to":  # a public id kept as text
            continue
        assert field.is_relation and issubclass(field.related_model, PublicRecord), name


def test_member_is_nobodys_parent() -> None:
    """Following a country would mean mail for every record it has."""
    for names in PARENTS.values():
        assert "member" not in names


def test_a_milestone_reaches_its_commitment_then_its_plan() -> None:
    w = world()
    assert ancestors(w.milestone) == [w.commitment.public_id, w.plan.public_id]


def test_minutes_and_sign_offs_reach_the_meeting_and_the_forum() -> None:
    from tripartite.core.actors import system_actor
    from tripartite.forums import services

    w = world()
    seat = ff.seat(w.forum, ff.organization("xx-gov", "government", "Ministry"))
    minutes = services.publish_minutes(
        system_actor(), w.meeting, text="Agreed.", published_on=D(2016, 4, 20)
    )
    signoff = services.sign_off_minutes(
        system_actor(), minutes, seat=seat, position="approve", signed_on=D(2016, 4, 21)
    )
    assert ancestors(minutes) == [w.meeting.public_id, w.forum.public_id]
    assert ancestors(signoff) == [minutes.public_id, w.meeting.public_id, w.forum.public_id]
    assert ancestors(seat) == [w.forum.public_id]


def test_a_record_without_parents_has_no_ancestors() -> None:
    w = world()
    assert ancestors(w.forum) == []
    assert ancestors(w.forum.member) == []
