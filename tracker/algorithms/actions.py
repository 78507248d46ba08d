"""Domain actions on an algorithm: register, edit details, change phase and profile.

Each action runs in one transaction that locks the algorithm's row, refuses a stale
version, saves with ``update_fields`` and records the change in the audit trail.
Member actions live in ``tracker.algorithms.members``.
"""

from dataclasses import dataclass

from django.core.exceptions import FieldDoesNotExist
from django.utils.text import slugify

from tracker.accounts.names import display_name
from tracker.algorithms.models import Algorithm, Membership
from tracker.audit import trail
from tracker.audit.models import AuditEntry
from tracker.audit.trail import changes_between, record, snapshot
from tracker.checklist import sync

DETAIL_FIELDS = ("name", "description")
PROFILE_FIELDS = (
    "phase",
    "stage",
    "is_ai_system",
    "soort_toepassing",
    "risicogroep",
    "rol_ai_act",
    "transparantieverplichting",
    "systeemrisico",
    "open_source",
    "impactful",
)
SLUG_MAX = Algorithm._meta.get_field("slug").max_length
RESERVED_SLUGS = {"nieuw"}  # URL words under /algoritmes/


class StaleVersionError(Exception):
    """The form was built from an older version of the algorithm; nothing was saved."""

    def __init__(self, algorithm: Algorithm, form_version: int) -> None:
        self.algorithm = algorithm
        self.form_version = form_version
        super().__init__(f"{algorithm.slug}: version {form_version} is stale ({algorithm.version})")

    def entries(self) -> list[AuditEntry]:
        """The entries that moved the version on; each gets ``rows`` of (label, old, new)."""
        entries = changes_since(self.algorithm, self.form_version)
        for entry in entries:
            entry.rows = [
                (field_label(name), values[0], values[1])
                for name, values in entry.changes.items()
                if name != "version" and isinstance(values, list) and len(values) == 2
            ]
        return entries


def field_label(name: str) -> str:
    """The Dutch label of an Algorithm field, or the name itself."""
    try:
        return str(Algorithm._meta.get_field(name).verbose_name)
    except FieldDoesNotExist:
        return name


def changes_since(algorithm: Algorithm, version: int, limit: int = 50) -> list[AuditEntry]:
    """Audit entries on the algorithm that moved its version past ``version`` (oldest first)."""
    entries = AuditEntry.objects.for_object(algorithm).select_related("actor")[:limit]
    moved = [
        entry
        for entry in entries
        if isinstance((entry.changes or {}).get("version"), list)
        and (entry.changes["version"][1] or 0) > version
    ]
    return list(reversed(moved))


def unique_slug(name: str) -> str:
    """A slug for the name, made unique with -2, -3, ... when taken."""
    base = slugify(name)[: SLUG_MAX - 6].strip("-") or "algoritme"
    if base in RESERVED_SLUGS:
        base = f"{base}-algoritme"
    taken = set(Algorithm.objects.filter(slug__startswith=base).values_list("slug", flat=True))
    slug, n = base, 1
    while slug in taken:
        n += 1
        slug = f"{base}-{n}"
    return slug


def _locked(algorithm: Algorithm, version: int) -> Algorithm:
    """The algorithm's row, locked for this transaction; StaleVersionError when it moved."""
    current = Algorithm.objects.select_for_update(no_key=True).get(pk=algorithm.pk)
    if current.version != version:
        raise StaleVersionError(current, version)
    return current


@trail.atomic
def create_algorithm(*, actor, values: dict) -> Algorithm:
    """Register an algorithm: the actor becomes owner, and its checklist is filled."""
    algorithm = Algorithm(slug=unique_slug(values["name"]), **values)
    algorithm.full_clean(exclude=["slug"])
    algorithm.save()
    fields = ("name", "slug", "description", "organisation", "release", "version", *PROFILE_FIELDS)
    record(
        actor=actor,
        obj=algorithm,
        action="created",
        changes=changes_between({}, snapshot(algorithm, fields)),
        algorithm=algorithm,
    )
    membership = Membership.objects.create(
        algorithm=algorithm, user=actor, role=Membership.Role.OWNER
    )
    record(
        actor=actor,
        obj=membership,
        action="member_added",
        changes={"user": [None, display_name(actor)], "role": [None, membership.role]},
        algorithm=algorithm,
    )
    sync.sync(algorithm, actor, "Algoritme geregistreerd")
    return algorithm


@trail.atomic
def update_details(algorithm: Algorithm, *, actor, version: int, values: dict) -> Algorithm:
    algorithm = _locked(algorithm, version)
    before = snapshot(algorithm, (*DETAIL_FIELDS, "version"))
    for name in DETAIL_FIELDS:
        setattr(algorithm, name, values[name])
    changes = changes_between(before, snapshot(algorithm, DETAIL_FIELDS))
    if not changes:
        return algorithm
    algorithm.version += 1
    algorithm.save(update_fields=[*DETAIL_FIELDS, "version", "updated_at"])
    changes["version"] = [before["version"], algorithm.version]
    record(actor=actor, obj=algorithm, action="updated", changes=changes, algorithm=algorithm)
    return algorithm


@dataclass(frozen=True)
class ProfileChange:
    algorithm: Algorithm
    plan: sync.SyncPlan
    changes: dict


def preview_profile(algorithm: Algorithm, values: dict, profile) -> sync.SyncPlan:
    """What changing to these values would do to the checklist (no writes)."""
    return sync.plan(algorithm, phase=values["phase"], stage=values["stage"], profile=profile)


@trail.atomic
def change_profile(
    algorithm: Algorithm, *, actor, version: int, values: dict, profile
) -> ProfileChange:
    """Change phase, stage and AI profile and sync the checklist, in one transaction."""
    algorithm = _locked(algorithm, version)
    before = snapshot(algorithm, (*PROFILE_FIELDS, "version"))
    for name in PROFILE_FIELDS:
        setattr(algorithm, name, values[name])
    changes = changes_between(before, snapshot(algorithm, PROFILE_FIELDS))
    planned = sync.plan(algorithm, phase=algorithm.phase, stage=algorithm.stage, profile=profile)
    if not changes and not planned.has_changes:
        return ProfileChange(algorithm, planned, {})
    algorithm.version += 1
    algorithm.full_clean(exclude=["slug", "organisation", "release"], validate_unique=False)
    algorithm.save(update_fields=[*PROFILE_FIELDS, "version", "updated_at"])
    changes["version"] = [before["version"], algorithm.version]
    record(
        actor=actor, obj=algorithm, action="profile_changed", changes=changes, algorithm=algorithm
    )
    sync.apply(algorithm, planned, actor, "Fase of profiel gewijzigd")
    return ProfileChange(algorithm, planned, changes)
