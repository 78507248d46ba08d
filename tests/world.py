"""Plain builders for the algorithm side of the app, and a small shared world with a
user per role. Catalog rows are made directly (no importer), so these tests run
without the real content."""

import itertools
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser

from tracker.algorithms.models import Algorithm, Membership
from tracker.catalog.models import CatalogItem, ContentRelease, Taxon
from tracker.checklist.models import ChecklistItem
from tracker.organisations.models import Organisation, OrganisationMembership

_seq = itertools.count(1)
PASSWORD = "correct-horse-battery"


def make_user(username: str | None = None, **extra) -> AbstractBaseUser:
    username = username or f"user{next(_seq)}"
    return get_user_model().objects.create_user(username=username, password=PASSWORD, **extra)


def make_organisation(name: str | None = None) -> Organisation:
    name = name or f"Organisatie {next(_seq)}"
    return Organisation.objects.create(name=name, slug=name.lower().replace(" ", "-"))


def make_release(label: str | None = None) -> ContentRelease:
    label = label or f"test-{next(_seq)}"
    return ContentRelease.objects.create(label=label, source="tests", content_hash=label)


def make_catalog_item(
    release: ContentRelease,
    *,
    kind: str = CatalogItem.Kind.MEASURE,
    code: str | None = None,
    title: str | None = None,
    phases: tuple[str, ...] = ("implementatie",),
    topics: tuple[str, ...] = ("governance",),
    **extra,
) -> CatalogItem:
    n = next(_seq)
    code = code or f"{'ver' if kind == CatalogItem.Kind.REQUIREMENT else 'mtr'}-{n:02d}"
    prefix = "ver" if kind == CatalogItem.Kind.REQUIREMENT else "mtr"
    item = CatalogItem.objects.create(
        release=release,
        kind=kind,
        slug=f"{code}-item-{n}",
        urn=f"urn:nl:ak:{prefix}:{code}",
        code=code,
        title=title or f"Item {code}",
        path=f"docs/{code}.md",
        fingerprint=f"{n:064d}",
        body="## Toelichting\n\nTekst.",
        **extra,
    )
    for kind_, slugs in ((Taxon.Kind.PHASE, phases), (Taxon.Kind.TOPIC, topics)):
        taxa = [
            Taxon.objects.get_or_create(
                release=release, kind=kind_, slug=slug, defaults={"title": slug.capitalize()}
            )[0]
            for slug in slugs
        ]
        (item.phases if kind_ == Taxon.Kind.PHASE else item.topics).add(*taxa)
    return item


def make_algorithm(
    organisation: Organisation | None = None,
    release: ContentRelease | None = None,
    *,
    name: str | None = None,
    **extra,
) -> Algorithm:
    n = next(_seq)
    name = name or f"Algoritme {n}"
    defaults = {"phase": "implementatie", "stage": Algorithm.Stage.PILOT}
    defaults.update(extra)
    return Algorithm.objects.create(
        name=name,
        slug=f"algoritme-{n}",
        organisation=organisation or make_organisation(),
        release=release or make_release(),
        **defaults,
    )


def add_member(algorithm: Algorithm, user, role: str) -> Membership:
    OrganisationMembership.objects.get_or_create(organisation=algorithm.organisation, user=user)
    return Membership.objects.create(algorithm=algorithm, user=user, role=role)


def make_checklist_item(algorithm: Algorithm, catalog_item: CatalogItem | None = None, **extra):
    catalog_item = catalog_item or make_catalog_item(algorithm.release)
    return ChecklistItem.objects.create(algorithm=algorithm, catalog_item=catalog_item, **extra)


@dataclass
class World:
    """One algorithm with a user in every role, plus an outsider and a portfolio viewer."""

    algorithm: Algorithm
    item: ChecklistItem
    users: dict[str, AbstractBaseUser] = field(default_factory=dict)

    def __getattr__(self, name: str):
        try:
            return self.users[name]
        except KeyError:
            raise AttributeError(name) from None


ROLES = ("viewer", "contributor", "approver", "owner")


def make_world() -> World:
    algorithm = make_algorithm(name="Toeslagen-risicomodel")
    users = {}
    for role in ROLES:
        users[role] = make_user(role)
        add_member(algorithm, users[role], role)
    users["outsider"] = make_user("outsider")
    OrganisationMembership.objects.create(
        organisation=make_organisation("Andere gemeente"), user=users["outsider"]
    )
    users["portfolio"] = make_user("portfolio")
    OrganisationMembership.objects.create(
        organisation=algorithm.organisation, user=users["portfolio"], is_portfolio_viewer=True
    )
    item = make_checklist_item(algorithm)
    return World(algorithm=algorithm, item=item, users=users)


# --- Gates and decisions (issue 4) ---------------------------------------------------

GO_LIVE_CRITERION_KEYS = (
    "output-interpretatie",
    "werkinstructies",
    "service-en-incidentbeheer",
    "verantwoordelijkheden",
    "restrisicos",
    "betrokkenen-geinformeerd",
)


def make_pack_release(label: str | None = None) -> ContentRelease:
    label = label or f"pack-{next(_seq)}"
    return ContentRelease.objects.create(
        label=label, kind=ContentRelease.Source.PACK, source="tests", content_hash=label
    )


def make_go_live_criteria(
    algorithm: Algorithm, pack: ContentRelease | None = None, **item_fields
) -> dict[str, ChecklistItem]:
    """The six go-live criteria of a pack as checklist items of the algorithm, by key."""
    pack = pack or make_pack_release()
    items = {}
    for n, key in enumerate(GO_LIVE_CRITERION_KEYS, start=1):
        catalog_item = make_catalog_item(
            pack,
            kind=CatalogItem.Kind.CRITERION,
            code=f"gl-{n:02d}",
            title=f"Criterium {key}",
            front_matter={"stap": "productie", "criterium": key},
        )
        items[key] = make_checklist_item(algorithm, catalog_item, **item_fields)
    return items


def make_evidence(item: ChecklistItem, user, **fields):
    from tracker.evidence.models import Evidence

    fields.setdefault("kind", Evidence.Kind.NOTE)
    fields.setdefault("title", f"Bewijs {next(_seq)}")
    fields.setdefault("note", "Vastgelegd in het projectdossier.")
    return Evidence.objects.create(item=item, added_by=user, **fields)


def make_risk(item: ChecklistItem, user, *, accepted_by=None, **fields):
    from django.utils import timezone

    from tracker.risks.models import ResidualRisk

    fields.setdefault("description", f"Restrisico {next(_seq)}")
    fields.setdefault("likelihood", 2)
    fields.setdefault("impact", 3)
    if accepted_by is not None:
        fields.setdefault("accepted_at", timezone.now())
    return ResidualRisk.objects.create(
        item=item, created_by=user, accepted_by=accepted_by, **fields
    )


def make_decision(algorithm: Algorithm, actor, outcome: str = "no_go", rationale: str = ""):
    """A go-live decision recorded the real way (a no-go needs no readiness)."""
    from tracker.decisions.actions import record_go_live_decision

    return record_go_live_decision(
        algorithm, actor, outcome, rationale or "Nog niet klaar voor productie."
    )


def make_condition(algorithm: Algorithm, actor, owner=None, **fields):
    """An open condition on a go-live decision of the algorithm."""
    import datetime

    from tracker.decisions.models import DecisionCondition

    fields.setdefault("blocker_key", "affected-persons")
    fields.setdefault("description", "Informeer de betrokkenen per brief.")
    fields.setdefault("due_date", datetime.date.today() + datetime.timedelta(days=30))
    return DecisionCondition.objects.create(
        decision=make_decision(algorithm, actor), owner=owner or actor, **fields
    )


# --- Algoritmeregister (issue 15) ------------------------------------------------------

MINIMAL_REGISTER_STANDARD = {
    "description": "A two-field standard for tests that are not about the register.",
    "properties": {
        "name": {"type": "string", "title": "Naam", "max_length": 200, "required": True},
        "standard_version": {
            "type": "enum",
            "title": "Versie",
            "permitted_values": ["1.0"],
            "required": False,
        },
    },
}


def make_current_register_entry(algorithm: Algorithm, user):
    """A register entry exported after the last change (no go-live blocker), on a minimal
    standard, written directly: no evidence is added to the affected-persons criterion."""
    from tracker.register.entry import document_hash, entry_state
    from tracker.register.models import RegisterEntry, RegisterExport, RegisterStandard

    standard, _ = RegisterStandard.objects.get_or_create(
        content_hash="0" * 63 + "1",
        defaults={
            "label": "test-minimal",
            "version": "1.0",
            "source": "tests",
            "configuration": MINIMAL_REGISTER_STANDARD,
            "field_order": list(MINIMAL_REGISTER_STANDARD["properties"]),
            "field_count": 2,
        },
    )
    entry = RegisterEntry.objects.create(
        algorithm=algorithm, standard=standard, is_valid=True, is_complete=True
    )
    state = entry_state(algorithm, entry)
    export = RegisterExport.objects.create(
        entry=entry,
        standard=standard,
        document=state.document,
        sources={name: found.value for name, found in state.filled.items()},
        sha256=document_hash(state.document),
        exported_by=user,
    )
    RegisterEntry.objects.filter(pk=entry.pk).update(last_export=export, export_current=True)
    return entry
