"""Domain actions on an algorithm's own row: edit its details, under a row lock and a
version check (``locked``) that the profile change shares.

Each action runs in one transaction that locks the algorithm's row, refuses a stale
version, saves with ``update_fields`` and records the change in the audit trail.
Member actions live in ``tracker.algorithms.members``; registering an algorithm and
changing its profile, which sync its checklist, in ``tracker.checklist.profile``.
"""

from django.core.exceptions import FieldDoesNotExist
from django.utils.text import slugify

from tracker.algorithms.models import Algorithm
from tracker.audit import trail
from tracker.audit.models import AuditEntry
from tracker.audit.stale import entries_since, with_rows
from tracker.audit.trail import changes_between, record, snapshot

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
        return with_rows(changes_since(self.algorithm, self.form_version), field_label)


def field_label(name: str) -> str:
    """The Dutch label of an Algorithm field, or the name itself."""
    try:
        return str(Algorithm._meta.get_field(name).verbose_name)
    except FieldDoesNotExist:
        return name


def changes_since(algorithm: Algorithm, version: int, limit: int = 50) -> list[AuditEntry]:
    """Audit entries on the algorithm since it had ``version``, oldest first, of its
    ``limit`` latest (``tracker.audit.stale``)."""
    entries = AuditEntry.objects.for_object(algorithm).select_related("actor")[:limit]
    return entries_since(entries, version)


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


def locked(algorithm: Algorithm, version: int) -> Algorithm:
    """The algorithm's row, locked for this transaction; StaleVersionError when it moved."""
    current = Algorithm.objects.select_for_update(no_key=True).get(pk=algorithm.pk)
    if current.version != version:
        raise StaleVersionError(current, version)
    return current


@trail.atomic
def update_details(algorithm: Algorithm, *, actor, version: int, values: dict) -> Algorithm:
    algorithm = locked(algorithm, version)
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
