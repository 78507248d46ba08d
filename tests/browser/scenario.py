"""The data the journeys start from: an algorithm in production whose checklist is
worked except for one measure, so that the team's work in the browser is what makes it
ready for go-live."""

from dataclasses import dataclass

from tests.gates.helpers import make_ready_world
from tests.world import World, make_catalog_item, make_checklist_item
from tracker.algorithms.models import Algorithm
from tracker.checklist.models import ChecklistItem

NAMES = {
    "viewer": ("Vera", "Kijker"),
    "contributor": ("Carla", "de Vries"),
    "approver": ("Anton", "Jansen"),
    "owner": ("Olga", "Bakker"),
    "portfolio": ("Pieter", "Manager"),
    "outsider": ("Otto", "Buiten"),
}


@dataclass
class Scenario:
    world: World
    item: ChecklistItem  # the one open measure the journeys work on

    @property
    def algorithm(self) -> Algorithm:
        return self.world.algorithm

    def user(self, role: str):
        return self.world.users[role]


def full_name(user) -> str:
    return user.get_full_name() or user.get_username()


def make_scenario() -> Scenario:
    gate = make_ready_world()
    for role, (first, last) in NAMES.items():
        user = gate.world.users[role]
        user.first_name, user.last_name = first, last
        user.save(update_fields=["first_name", "last_name"])
    catalog_item = make_catalog_item(
        gate.algorithm.release,
        code="imp-09",
        title="Stel een werkinstructie op voor behandelaars",
    )
    item = make_checklist_item(gate.algorithm, catalog_item)
    return Scenario(world=gate.world, item=item)
