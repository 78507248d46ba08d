"""A ready algorithm and a newer release of its content, for the upgrade tests."""

from tests.gates.helpers import make_ready_world
from tests.world import make_catalog_item, make_release
from tracker.catalog.models import CatalogItem


def copy_item(item: CatalogItem, release, **changes) -> CatalogItem:
    """The same item in another release (same file slug), with ``changes``."""
    body = changes.pop("body", item.body)
    fields = {"kind": item.kind, "code": item.code, "title": item.title, **changes}
    copy = make_catalog_item(release, **fields)
    copy.slug, copy.body = item.slug, body
    copy.save(update_fields=["slug", "body"])
    return copy


def make_upgraded_world():
    """A ready algorithm whose measure changes in substance and whose vereiste changes
    in form only in the newer release v9.1."""
    gate = make_ready_world()
    old = gate.algorithm.release
    old.label = "v9.0"
    old.save()
    new = make_release("v9.1")
    measure, requirement = gate.measure.catalog_item, gate.requirement.catalog_item
    copy_item(measure, new, body=measure.body + "\n\nEen nieuwe zin over toezicht.")
    copy_item(requirement, new, body=requirement.body.replace("Tekst.", "*Tekst*."))
    return gate, new
