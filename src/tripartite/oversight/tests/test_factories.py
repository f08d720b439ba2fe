"""The shared oversight world builds through the services, as the page tests expect."""

from __future__ import annotations

import pytest

from tripartite.oversight.tests.factories import oversight_world

pytestmark = pytest.mark.django_db


def test_oversight_world_opens_a_review_and_places_the_member_under_it() -> None:
    world = oversight_world()
    assert world.review.state == "open"
    assert world.member.status == "under_review"
    assert sorted(f.public_id for f in world.review.findings.all()) == sorted(
        f.public_id for f in world.findings
    )


def test_oversight_world_keeps_the_confidential_note_out_of_the_record() -> None:
    world = oversight_world()
    step = world.case.steps.get(to_state="eligibility_review")
    assert step.confidential_note
    content = world.case.to_record()
    assert "staff not be named" not in str(content)
    assert content["steps"][-1]["confidential_commitment"] == step.confidential_commitment
