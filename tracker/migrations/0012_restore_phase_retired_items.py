"""Phase scope (issue 11): bring back the items a phase change retired, with their data.

Before, an algorithm's checklist held the items of its current phase only: moving on
retired earlier phases' items ("Hoort niet bij de fase ..."), DPIA and all. Now the
checklist holds every reached phase and the organisation-wide items. This migration

- moves algorithms that sat "in" organisatieverantwoordelijkheden (not a phase of an
  algorithm) to probleemanalyse, their earliest lifecycle phase;
- marks every current row with the phase it comes from (``origin_phase``);
- reactivates rows retired by a phase change when their item is in scope and applies
  to the algorithm's profile. Status, evidence, risks and comments were never touched,
  so they are simply there again.

Every change gets an audit entry appended to the hash chain exactly as
``tracker.audit.trail.record_many`` appends (same payload and hash), so that
``verify_audit`` passes afterwards. The applicability judgement uses the pure
functions of ``tracker.applicability`` (plain data, no models).
"""

import hashlib
import json
from collections import defaultdict
from datetime import UTC

from django.db import migrations
from django.utils import timezone

ORGANISATION = "organisatieverantwoordelijkheden"
FIRST_PHASE = "probleemanalyse"
PHASE_RETIRED_MARK = "Hoort niet bij de fase"
SYNC_REASON = "Fasebereik: items van eerdere fasen blijven op de checklist"


class _Row:
    def __init__(self, item, phases, links):
        self.item = item
        self.kind = item.kind
        self.slug = item.slug
        self.code = item.code
        self.labels = item.labels or {}
        self.exceptions = item.exceptions or ()
        self.phases = phases
        self.links = links


class _Chain:
    """Appends entries the way tracker.audit.trail does (historical models)."""

    def __init__(self, apps):
        self.Entry = apps.get_model("tracker", "AuditEntry")
        Head = apps.get_model("tracker", "AuditChainHead")
        self.head, _ = Head.objects.select_for_update().get_or_create(pk=1)
        self.seq, self.prev = self.head.last_seq, self.head.last_hash
        self.at = timezone.now().astimezone(UTC)
        self.batch = []

    def add(self, *, obj, object_type, repr_, action, changes, algorithm_id):
        entry = self.Entry(
            seq=self.seq + 1,
            at=self.at,
            actor=None,
            actor_name="",
            algorithm_id=algorithm_id,
            object_type=object_type,
            object_id=str(obj.pk),
            object_repr=repr_[:300],
            action=action,
            changes=changes,
            prev_hash=self.prev,
        )
        payload = {
            "seq": entry.seq,
            "at": entry.at.isoformat(timespec="microseconds"),
            "actor_id": None,
            "actor_name": "",
            "algorithm_id": algorithm_id,
            "object_type": object_type,
            "object_id": entry.object_id,
            "object_repr": entry.object_repr,
            "action": action,
            "changes": changes,
            "prev_hash": entry.prev_hash,
        }
        canonical = json.dumps(
            payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str
        )
        entry.hash = hashlib.sha256(canonical.encode()).hexdigest()
        self.seq, self.prev = entry.seq, entry.hash
        self.batch.append(entry)

    def close(self):
        self.Entry.objects.bulk_create(self.batch)
        self.head.last_seq, self.head.last_hash = self.seq, self.prev
        self.head.save(update_fields=["last_seq", "last_hash"])


def _profile(algorithm):
    from tracker.applicability.profile import AIProfile

    if not algorithm.is_ai_system:
        return AIProfile.not_ai(impactful=algorithm.impactful)
    return AIProfile(
        is_ai_system=True,
        soort_toepassing=algorithm.soort_toepassing,
        risicogroep=algorithm.risicogroep,
        rol_ai_act=frozenset(algorithm.rol_ai_act or ()),
        transparantieverplichting=algorithm.transparantieverplichting,
        systeemrisico=algorithm.systeemrisico,
        open_source=algorithm.open_source,
        impactful=algorithm.impactful,
    )


def _catalog(apps, release_id):
    CatalogItem = apps.get_model("tracker", "CatalogItem")
    items = list(
        CatalogItem.objects.filter(release_id=release_id, kind__in=["requirement", "measure"])
    )
    ids = [item.pk for item in items]
    phases = defaultdict(set)
    for item_id, slug in CatalogItem.phases.through.objects.filter(
        catalogitem_id__in=ids
    ).values_list("catalogitem_id", "taxon__slug"):
        phases[item_id].add(slug)
    links = defaultdict(list)
    for item_id, slug in CatalogItem.links.through.objects.filter(
        from_catalogitem_id__in=ids
    ).values_list("from_catalogitem_id", "to_catalogitem__slug"):
        links[item_id].append(slug)
    return [_Row(item, frozenset(phases[item.pk]), tuple(links[item.pk])) for item in items]


def _phases_of(apps, item_ids):
    CatalogItem = apps.get_model("tracker", "CatalogItem")
    phases = defaultdict(set)
    for item_id, slug in CatalogItem.phases.through.objects.filter(
        catalogitem_id__in=item_ids
    ).values_list("catalogitem_id", "taxon__slug"):
        phases[item_id].add(slug)
    return phases


def restore(apps, schema_editor):
    from tracker.applicability.scope import origin, origin_text, scoped_checklist

    Algorithm = apps.get_model("tracker", "Algorithm")
    ChecklistItem = apps.get_model("tracker", "ChecklistItem")
    if not ChecklistItem.objects.exists() and not Algorithm.objects.exists():
        return
    chain = _Chain(apps)
    now = chain.at
    catalogs = {}
    for algorithm in Algorithm.objects.order_by("pk"):
        changed_rows = []
        reactivated = 0
        if algorithm.phase == ORGANISATION:
            algorithm.phase = FIRST_PHASE
            algorithm.version += 1
            algorithm.save(update_fields=["phase", "version"])
            chain.add(
                obj=algorithm,
                object_type="tracker.algorithm",
                repr_=algorithm.name,
                action="profile_changed",
                changes={
                    "phase": [ORGANISATION, FIRST_PHASE],
                    "version": [algorithm.version - 1, algorithm.version],
                },
                algorithm_id=algorithm.pk,
            )
        if algorithm.release_id not in catalogs:
            catalogs[algorithm.release_id] = _catalog(apps, algorithm.release_id)
        scoped = scoped_checklist(catalogs[algorithm.release_id], algorithm.phase, _profile(algorithm))
        applicable = {s.item.item.pk: s for s in scoped.applicable}
        rows = list(ChecklistItem.objects.filter(algorithm=algorithm).select_related("catalog_item"))
        phases = _phases_of(apps, [row.catalog_item_id for row in rows])
        for row in rows:
            if row.retired_at is None:
                found = origin(phases[row.catalog_item_id], algorithm.phase)
                if found != row.origin_phase:
                    row.origin_phase = found
                    changed_rows.append(row)
                continue
            judged = applicable.get(row.catalog_item_id)
            if judged is None or PHASE_RETIRED_MARK not in (row.retired_reason or ""):
                continue
            before_at, before_reason = row.retired_at, row.retired_reason
            row.retired_at, row.retired_reason = None, ""
            row.origin_phase = judged.phase
            row.reasons = [{"code": "phase_origin", "text": origin_text(judged.phase)}] + [
                {"code": str(reason.code), "text": reason.text}
                for reason in judged.verdict.reasons
            ]
            row.version += 1
            row.updated_at = now
            changed_rows.append(row)
            reactivated += 1
            catalog = row.catalog_item
            chain.add(
                obj=row,
                object_type="tracker.checklistitem",
                repr_=f"{algorithm.name}: {catalog.code or catalog.slug}: {catalog.title}",
                action="item_reactivated",
                changes={
                    "retired_at": [before_at.astimezone(UTC).isoformat(), None],
                    "retired_reason": [before_reason, ""],
                    "sync_reason": [None, SYNC_REASON],
                    "version": [row.version - 1, row.version],
                },
                algorithm_id=algorithm.pk,
            )
        ChecklistItem.objects.bulk_update(
            changed_rows,
            ["retired_at", "retired_reason", "origin_phase", "reasons", "version", "updated_at"],
        )
        if reactivated:
            chain.add(
                obj=algorithm,
                object_type="tracker.algorithm",
                repr_=algorithm.name,
                action="checklist_synced",
                changes={
                    "sync_reason": [None, SYNC_REASON],
                    "added": [None, 0],
                    "retired": [None, 0],
                    "reactivated": [None, reactivated],
                    "reasons_updated": [None, 0],
                },
                algorithm_id=algorithm.pk,
            )
    chain.close()


class Migration(migrations.Migration):
    dependencies = [
        ("tracker", "0011_phase_scope"),
    ]

    operations = [
        migrations.RunPython(restore, migrations.RunPython.noop),
    ]
