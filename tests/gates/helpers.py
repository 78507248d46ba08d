"""A world whose algorithm is ready for go-live, to break one rule at a time."""

from dataclasses import dataclass

from tests.world import (
    World,
    make_catalog_item,
    make_checklist_item,
    make_current_register_entry,
    make_evidence,
    make_go_live_criteria,
    make_world,
)
from tracker.algorithms.models import Algorithm
from tracker.catalog.models import CatalogItem
from tracker.checklist.models import ChecklistItem
from tracker.gates.rules import affected_persons_mandatory

DONE = ChecklistItem.Status.DONE


@dataclass
class GateWorld:
    world: World
    criteria: dict[str, ChecklistItem]
    requirement: ChecklistItem
    measure: ChecklistItem

    @property
    def algorithm(self) -> Algorithm:
        return self.world.algorithm

    def __getattr__(self, name: str):
        return getattr(self.world, name)


def settle(item: ChecklistItem, owner, evidence_by=None) -> ChecklistItem:
    """Done, with an owner and one piece of evidence."""
    item.status, item.owner = DONE, owner
    item.save(update_fields=["status", "owner"])
    make_evidence(item, evidence_by or owner)
    return item


def make_ready_world(
    *, impactful: bool = False, register: bool = True, **algorithm_fields
) -> GateWorld:
    """An algorithm in production whose checklist is fully worked: no blockers. When
    informing affected persons is mandatory, with a current register entry too (unless
    ``register`` is false)."""
    world = make_world()
    algorithm = world.algorithm
    algorithm.stage = Algorithm.Stage.PRODUCTION
    algorithm.impactful = impactful
    for name, value in algorithm_fields.items():
        setattr(algorithm, name, value)
    algorithm.save()
    owner = world.contributor
    criteria = make_go_live_criteria(algorithm)
    for item in criteria.values():
        settle(item, owner)
    measure = settle(world.item, owner)
    requirement = make_checklist_item(
        algorithm, make_catalog_item(algorithm.release, kind=CatalogItem.Kind.REQUIREMENT)
    )
    settle(requirement, owner)
    if register and affected_persons_mandatory(algorithm):
        make_current_register_entry(algorithm, world.owner)
    return GateWorld(world=world, criteria=criteria, requirement=requirement, measure=measure)


def add_items(algorithm: Algorithm, count: int, owner) -> None:
    """``count`` more measures, half of them blocking (open, no owner)."""
    for n in range(count):
        item = make_checklist_item(algorithm)
        if n % 2:
            settle(item, owner)
