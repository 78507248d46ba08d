"""Domain actions on checklist items, each recorded in the audit trail in the same
transaction as the change.

Lost updates are prevented with the item's ``version``: a save names the version
its form was loaded at and is applied only while the row still has it
(``UPDATE ... WHERE pk = .. AND version = ..``), bumping it. Otherwise ``StaleEdit``
is raised, carrying the current item and what changed meanwhile; nothing is saved.
Every versioned save records ``version: [old, new]`` in its audit entry, which is how
the entries made after a given version are found again.
"""

from datetime import date

from django.core.exceptions import ValidationError
from django.utils import timezone

from tracker.algorithms.models import Membership
from tracker.audit import trail
from tracker.audit.models import AuditEntry
from tracker.audit.stale import Change, changes_in, entries_since
from tracker.audit.trail import changes_between, record, snapshot
from tracker.checklist.forms import NA_NEEDS_JUSTIFICATION, NOT_A_MEMBER
from tracker.checklist.models import ChecklistItem, Comment, ItemDecision

ITEM_FIELDS = ("status", "justification", "owner", "due_date")
INSTRUCTION_FIELDS = ("work_instruction",)
FIELD_LABELS = {
    "status": "status",
    "justification": "onderbouwing",
    "owner": "eigenaar",
    "due_date": "deadline",
    "work_instruction": "werkinstructie",
    "retired_at": "niet meer van toepassing sinds",
    "retired_reason": "reden",
}
STATUS_LABELS = dict(ChecklistItem.Status.choices)
SHOWN_TEXT = 80  # characters of a long text shown in a change line


class StaleEdit(Exception):
    """The form was loaded at an older version of the item; nothing was saved."""

    def __init__(self, item: ChecklistItem, changes: list[Change]):
        super().__init__(f"checklist item {item.pk} changed meanwhile (now v{item.version})")
        self.item = item
        self.changes = changes

    @property
    def message(self) -> str:
        return "Iemand anders heeft dit item intussen gewijzigd:"

    def lines(self) -> list[str]:
        """The message and what changed; the current values when the trail cannot tell
        (a change recorded without its version, e.g. by an older sync)."""
        if self.changes:
            return [self.message, *map(str, self.changes)]
        item = self.item
        current = ", ".join(
            f"{FIELD_LABELS[name]}: {readable(name, value)}"
            for name, value in (
                ("status", item.status),
                ("owner", str(item.owner) if item.owner_id else None),
                ("due_date", item.due_date.isoformat() if item.due_date else None),
            )
        )
        return [self.message, f"Huidige waarden: {current}."]


def readable(field: str, value) -> str:
    """A stored (audit) value as the UI shows it."""
    if value in (None, "", []):
        return "leeg"
    if field == "status":
        return str(STATUS_LABELS.get(value, value))
    if isinstance(value, str) and field in ("due_date", "retired_at"):
        try:
            parsed = date.fromisoformat(value[:10])
        except ValueError:
            return value
        return parsed.strftime("%d-%m-%Y")
    text = " ".join(str(value).split())
    return text if len(text) <= SHOWN_TEXT else text[: SHOWN_TEXT - 1] + "…"


def changes_since(item: ChecklistItem, version: int) -> list[Change]:
    """The field changes recorded for ``item`` after it had ``version``, oldest first
    (``tracker.audit.stale``)."""
    entries = entries_since(AuditEntry.objects.for_object(item), version)
    return changes_in(entries, label=lambda name: FIELD_LABELS.get(name, name), readable=readable)


def update_item(item: ChecklistItem, actor, *, expected_version: int, **fields) -> ChecklistItem:
    """Save status / justification / owner / due date, if the item is still at
    ``expected_version``. Returns the item as saved; raises StaleEdit or ValidationError."""
    unknown = set(fields) - set(ITEM_FIELDS)
    if unknown:
        raise TypeError(f"update_item() cannot change {', '.join(sorted(unknown))}")
    return _versioned_update(item, actor, expected_version, fields)


def update_instruction(
    item: ChecklistItem, actor, *, expected_version: int, text: str
) -> ChecklistItem:
    """Save the work instruction (markdown), with the same stale-form protection."""
    return _versioned_update(item, actor, expected_version, {"work_instruction": text})


def _versioned_update(item, actor, expected_version: int, fields: dict) -> ChecklistItem:
    with trail.atomic():
        current = (
            ChecklistItem.objects.select_for_update(of=("self",), no_key=True)
            .select_related("owner", "algorithm")
            .get(pk=item.pk)
        )
        if current.version != expected_version:
            raise StaleEdit(current, changes_since(current, expected_version))
        before = snapshot(current, fields)
        previous_owner_id = current.owner_id
        for name, value in fields.items():
            setattr(current, name, value)
        _validate(current, check_owner=current.owner_id not in (None, previous_owner_id))
        changes = changes_between(before, snapshot(current, fields))
        if not changes:
            return current
        new_version = expected_version + 1
        saved = ChecklistItem.objects.filter(pk=current.pk, version=expected_version).update(
            **{name: fields[name] for name in changes},
            version=new_version,
            updated_at=timezone.now(),
        )
        if not saved:  # a concurrent save won between our read and our write
            fresh = ChecklistItem.objects.select_related("owner").get(pk=current.pk)
            raise StaleEdit(fresh, changes_since(fresh, expected_version))
        current.version = new_version
        record(
            actor=actor,
            obj=current,
            action="update",
            changes={**changes, "version": [expected_version, new_version]},
            algorithm=current.algorithm,
        )
    return current


def _validate(item: ChecklistItem, *, check_owner: bool) -> None:
    """The rules the forms check too, enforced here for every caller."""
    if item.status == ChecklistItem.Status.NOT_APPLICABLE and not item.justification.strip():
        raise ValidationError({"justification": NA_NEEDS_JUSTIFICATION})
    if (
        check_owner
        and not Membership.objects.filter(algorithm_id=item.algorithm_id, user=item.owner).exists()
    ):
        raise ValidationError({"owner": NOT_A_MEMBER})


def decide_item(
    item: ChecklistItem, actor, *, verdict: str, rationale: str, conditions: str = ""
) -> ItemDecision:
    """Record a go / conditional go / no-go on the item (callers check approve rights)."""
    with trail.atomic():
        decision = ItemDecision.objects.create(
            item=item,
            verdict=verdict,
            conditions=conditions,
            rationale=rationale,
            decided_by=actor,
        )
        record(
            actor=actor,
            obj=decision,
            action="create",
            changes={
                "verdict": [None, verdict],
                "conditions": [None, conditions],
                "rationale": [None, rationale],
            },
            algorithm=item.algorithm,
        )
    return decision


def add_comment(item: ChecklistItem, actor, *, body: str) -> Comment:
    with trail.atomic():
        comment = Comment.objects.create(item=item, author=actor, body=body)
        record(
            actor=actor,
            obj=comment,
            action="create",
            changes={"body": [None, body]},
            algorithm=item.algorithm,
        )
    return comment
