"""Adding and withdrawing evidence. Each action writes its audit entry in the same
transaction; a file is stored before the row and removed again if the row fails."""

from django.utils import timezone

from tracker.audit import trail
from tracker.audit.trail import record, snapshot
from tracker.checklist.models import ChecklistItem
from tracker.evidence import uploads
from tracker.evidence.models import Evidence

RECORDED_FIELDS = (
    "item",
    "kind",
    "title",
    "file_name",
    "content_type",
    "size",
    "sha256",
    "url",
    "note",
)
WITHDRAWAL_FIELDS = ("withdrawn_at", "withdrawn_by", "withdrawal_reason")


class AlreadyWithdrawn(Exception):
    """Someone withdrew the evidence meanwhile; carries the current row."""

    def __init__(self, evidence: Evidence) -> None:
        super().__init__(f"evidence {evidence.pk} is already withdrawn")
        self.evidence = evidence


def add_file(item: ChecklistItem, actor, *, upload, title: str = "") -> Evidence:
    """Store an uploaded file as new evidence. Raises uploads.UploadRefused."""
    stored = uploads.store_upload(upload)
    try:
        return _create(
            item,
            actor,
            kind=Evidence.Kind.FILE,
            title=title or stored.file_name,
            file_name=stored.file_name,
            stored_name=stored.stored_name,
            content_type=stored.content_type,
            size=stored.size,
            sha256=stored.sha256,
        )
    except BaseException:
        uploads.discard(stored.stored_name)
        raise


def add_url(item: ChecklistItem, actor, *, url: str, title: str) -> Evidence:
    return _create(item, actor, kind=Evidence.Kind.URL, title=title, url=url)


def add_note(item: ChecklistItem, actor, *, note: str, title: str) -> Evidence:
    return _create(item, actor, kind=Evidence.Kind.NOTE, title=title, note=note)


def _create(item: ChecklistItem, actor, **values) -> Evidence:
    with trail.atomic():
        evidence = Evidence.objects.create(item=item, added_by=actor, **values)
        after = snapshot(evidence, RECORDED_FIELDS)
        record(
            actor=actor,
            obj=evidence,
            action="create",
            changes={name: [None, value] for name, value in after.items() if value},
            algorithm=item.algorithm,
        )
    return evidence


def withdraw(evidence: Evidence, actor, *, reason: str) -> Evidence:
    """Mark evidence as withdrawn, keeping the row and its file. Raises AlreadyWithdrawn.

    A conditional UPDATE, so of two simultaneous withdrawals exactly one wins."""
    with trail.atomic():
        withdrawn = Evidence.objects.filter(pk=evidence.pk, withdrawn_at__isnull=True).update(
            withdrawn_at=timezone.now(), withdrawn_by=actor, withdrawal_reason=reason
        )
        current = Evidence.objects.select_related("item__algorithm", "withdrawn_by").get(
            pk=evidence.pk
        )
        if not withdrawn:
            raise AlreadyWithdrawn(current)
        record(
            actor=actor,
            obj=current,
            action="withdraw",
            changes={
                name: [None, value] for name, value in snapshot(current, WITHDRAWAL_FIELDS).items()
            },
            algorithm=current.item.algorithm,
        )
    return current
