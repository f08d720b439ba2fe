"""The shared plan world is built through the services, so it agrees with the log."""

from tripartite.ledger.integrity import verify_local
from tripartite.plans.tests.factories import PlanWorld


def test_shared_plan_world_is_consistent_with_the_log(world: PlanWorld) -> None:
    assert verify_local() == []


def test_pending_input_of_the_shared_world_is_unversioned(world: PlanWorld) -> None:
    assert world.pending.version == 0
