"""Domain actions on residual risks, each recorded in the audit trail in the same
transaction as the change.

Every change names the version its form was loaded at and is applied only while the
row still has it (``UPDATE ... WHERE pk = .. AND version = ..``), bumping it; otherwise
``StaleRisk`` is raised with what changed meanwhile and nothing is saved. Acceptance
forms carry the version too: an approver accepts the risk as they saw it.

Changing the description, likelihood or impact of an accepted risk voids the
acceptance: it was given for another risk. The audit trail then holds the update and a
separate ``void_acceptance`` entry.
"""

from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.utils import timezone

from tracker.algorithms.models import Membership
from tracker.audit import trail
from tracker.audit.models import AuditEntry
from tracker.audit.stale import Change, changes_in, entries_since
from tracker.audit.trail import changes_between, record, snapshot
from tracker.checklist.models import ChecklistItem
from tracker.risks.models import ResidualRisk

RISK_FIELDS = ("description", "likelihood", "impact", "mitigation", "owner")
VOIDING_FIELDS = ("description", "likelihood", "impact")
ACCEPTANCE_FIELDS = ("accepted_by", "accepted_at", "acceptance_expires")
FIELD_LABELS = {
    "description": "omschrijving",
    "likelihood": "kans",
    "impact": "impact",
    "mitigation": "beheersmaatregel",
    "owner": "eigenaar",
    "accepted_by": "geaccepteerd door",
    "accepted_at": "geaccepteerd op",
    "acceptance_expires": "acceptatie geldig tot",
}
NOT_A_MEMBER = "De eigenaar moet lid zijn van dit algoritme."
EXPIRY_NOT_IN_FUTURE = "De einddatum van de acceptatie moet in de toekomst liggen."
SHOWN_TEXT = 80


class StaleRisk(Exception):
    """The form was loaded at an older version of the risk; nothing was saved."""

    message = "Iemand anders heeft dit restrisico intussen gewijzigd. Er is niets opgeslagen."

    def __init__(self, risk: ResidualRisk, changes: list[Change]) -> None:
        super().__init__(f"residual risk {risk.pk} changed meanwhile (now v{risk.version})")
        self.risk = risk
        self.changes = changes


def readable(value) -> str:
    if value in (None, "", []):
        return "leeg"
    if isinstance(value, str) and len(value) >= 10 and value[4] == "-" and value[7] == "-":
        try:
            moment = datetime.fromisoformat(value)
        except ValueError:
            return value
        if len(value) == 10:
            return moment.strftime("%d-%m-%Y")
        return timezone.localtime(moment).strftime("%d-%m-%Y %H:%M")
    text = " ".join(str(value).split())
    return text if len(text) <= SHOWN_TEXT else text[: SHOWN_TEXT - 1] + "…"


def changes_since(risk: ResidualRisk, version: int) -> list[Change]:
    """What was recorded for ``risk`` after it had ``version``, oldest first
    (``tracker.audit.stale``)."""
    entries = entries_since(AuditEntry.objects.for_object(risk), version)
    return changes_in(
        entries, label=lambda name: FIELD_LABELS.get(name, name), readable=lambda _, v: readable(v)
    )


def _check_owner(item: ChecklistItem, owner) -> None:
    if (
        owner is not None
        and not Membership.objects.filter(algorithm_id=item.algorithm_id, user=owner).exists()
    ):
        raise ValidationError({"owner": NOT_A_MEMBER})


def add_risk(item: ChecklistItem, actor, **fields) -> ResidualRisk:
    unknown = set(fields) - set(RISK_FIELDS)
    if unknown:
        raise TypeError(f"add_risk() cannot set {', '.join(sorted(unknown))}")
    _check_owner(item, fields.get("owner"))
    with trail.atomic():
        risk = ResidualRisk(item=item, created_by=actor, **fields)
        risk.full_clean(exclude=["item", "created_by"])
        risk.save()
        record(
            actor=actor,
            obj=risk,
            action="create",
            changes={
                "item": [None, str(item)],
                **{name: [None, value] for name, value in snapshot(risk, RISK_FIELDS).items()},
            },
            algorithm=item.algorithm,
        )
    return risk


def update_risk(risk: ResidualRisk, actor, *, expected_version: int, **fields) -> ResidualRisk:
    """Edit the risk; voids an acceptance when description, likelihood or impact change."""
    unknown = set(fields) - set(RISK_FIELDS)
    if unknown:
        raise TypeError(f"update_risk() cannot change {', '.join(sorted(unknown))}")

    def apply(current: ResidualRisk) -> list[tuple[str, dict]]:
        if "owner" in fields and fields["owner"] != current.owner:
            _check_owner(current.item, fields["owner"])
        before = snapshot(current, RISK_FIELDS)
        for name, value in fields.items():
            setattr(current, name, value)
        current.full_clean(exclude=["item", "created_by"])
        changes = changes_between(before, snapshot(current, RISK_FIELDS))
        if not changes:
            return []
        entries = [("update", changes)]
        if current.accepted_at is not None and set(changes) & set(VOIDING_FIELDS):
            entries.append(("void_acceptance", _clear_acceptance(current)))
        return entries

    return _versioned(risk, actor, expected_version, apply)


def accept_risk(
    risk: ResidualRisk, actor, *, expected_version: int, expires: date | None = None
) -> ResidualRisk:
    """Record the acceptance by an approver (the caller checks the approve capability)."""
    if expires is not None and expires <= timezone.localdate():
        raise ValidationError({"acceptance_expires": EXPIRY_NOT_IN_FUTURE})

    def apply(current: ResidualRisk) -> list[tuple[str, dict]]:
        before = snapshot(current, ACCEPTANCE_FIELDS)
        current.accepted_by = actor
        current.accepted_at = timezone.now()
        current.acceptance_expires = expires
        return [("accept", changes_between(before, snapshot(current, ACCEPTANCE_FIELDS)))]

    return _versioned(risk, actor, expected_version, apply)


def revoke_acceptance(risk: ResidualRisk, actor, *, expected_version: int) -> ResidualRisk:
    def apply(current: ResidualRisk) -> list[tuple[str, dict]]:
        if current.accepted_at is None:
            return []
        return [("revoke_acceptance", _clear_acceptance(current))]

    return _versioned(risk, actor, expected_version, apply)


def _clear_acceptance(risk: ResidualRisk) -> dict:
    before = snapshot(risk, ACCEPTANCE_FIELDS)
    risk.accepted_by = None
    risk.accepted_at = None
    risk.acceptance_expires = None
    return changes_between(before, snapshot(risk, ACCEPTANCE_FIELDS))


def _versioned(risk: ResidualRisk, actor, expected_version: int, apply) -> ResidualRisk:
    """Lock, check the version, let ``apply`` change the instance and name its audit
    entries, then write the changed fields with a conditional UPDATE and record."""
    with trail.atomic():
        current = (
            ResidualRisk.objects.select_for_update(of=("self",), no_key=True)
            .select_related("item__algorithm", "owner", "accepted_by")
            .get(pk=risk.pk)
        )
        if current.version != expected_version:
            raise StaleRisk(current, changes_since(current, expected_version))
        entries = apply(current)
        if not entries:
            return current
        changed = {name for _, changes in entries for name in changes}
        new_version = expected_version + 1
        saved = ResidualRisk.objects.filter(pk=current.pk, version=expected_version).update(
            **{name: getattr(current, name) for name in changed},
            version=new_version,
        )
        if not saved:  # a concurrent save won between our read and our write
            fresh = ResidualRisk.objects.get(pk=current.pk)
            raise StaleRisk(fresh, changes_since(fresh, expected_version))
        current.version = new_version
        algorithm = current.item.algorithm
        first_action, first_changes = entries[0]
        record(
            actor=actor,
            obj=current,
            action=first_action,
            changes={**first_changes, "version": [expected_version, new_version]},
            algorithm=algorithm,
        )
        for action, changes in entries[1:]:
            record(actor=actor, obj=current, action=action, changes=changes, algorithm=algorithm)
    return current
