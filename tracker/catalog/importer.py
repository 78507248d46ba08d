"""Import one content release (Algoritmekader or our own pack) in one transaction.

``import_release(source)`` opens the source (sources.py), hashes the files it will
read, stops early when that content was imported before, and otherwise parses
everything (import_plan.py, parsing.py) before it writes a single row. Rows are
written with bulk inserts; earlier releases and everything teams recorded are
never touched.
"""

from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from django.db import IntegrityError, transaction

from tracker.catalog.import_errors import ImportFailure
from tracker.catalog.import_plan import (
    ITEM_NAMES,
    ReleasePlan,
    build_plan,
    glossary_of,
    read_files,
)
from tracker.catalog.models import AuditNorm, CatalogItem, ContentRelease, Law, Taxon
from tracker.catalog.sources import open_source


class LabelInUse(ImportFailure):
    """The label is taken by a release with other content."""


class _Writable(Protocol):
    def write(self, text: str, /) -> object: ...


@dataclass
class ImportResult:
    release: ContentRelease
    created: bool
    warnings: list[str] = field(default_factory=list)

    @property
    def summary(self) -> str:
        """``v2.5.1: 63 vereisten, 108 maatregelen, 28 hulpmiddelen (added)``."""
        counts = self.release.counts
        if self.release.kind == ContentRelease.Source.PACK:
            parts = [f"{counts.get('criterion', 0)} criteria"] + [
                f"{counts[kind]} {name}"
                for kind, name in ITEM_NAMES.items()
                if kind != "criterion" and counts.get(kind)
            ]
        else:
            parts = [
                f"{counts.get(kind, 0)} {ITEM_NAMES[kind]}"
                for kind in ("requirement", "measure", "instrument")
            ]
        state = "added" if self.created else "unchanged"
        return f"{self.release.label}: {', '.join(parts)} ({state})"


def import_release(
    source: str | Path, label: str | None = None, stdout: _Writable | None = None
) -> ImportResult:
    """Import SOURCE (folder, .zip/.tar.gz archive or http(s) URL of one).

    Raises an ImportFailure subclass (SourceError, ContentError, LabelInUse) when
    the import is refused; then nothing has been written.
    """

    def say(line: str) -> None:
        if stdout is not None:
            stdout.write(line + "\n")

    def warn(path: str, message: str) -> None:
        say(f"warning: {path}: {message}")

    with open_source(source) as opened:
        say(f"reading {opened.description}…")
        files = read_files(opened.root, is_pack=opened.is_pack)
        kind = (
            ContentRelease.Source.PACK if opened.is_pack else ContentRelease.Source.ALGORITMEKADER
        )
        existing = ContentRelease.objects.filter(kind=kind, content_hash=files.content_hash).first()
        if existing is not None:
            if not existing.abbreviations and (glossary := glossary_of(files)):
                # imported before releases kept their glossary: add it, nothing else changes
                existing.abbreviations = glossary
                existing.save(update_fields=["abbreviations"])
            result = ImportResult(existing, created=False)
            say(result.summary)
            return result
        plan = build_plan(files, warn=warn, progress=say)
        label = _choose_label(label, plan, opened.default_label)
        say(f"writing release {label}…")
        release = write_release(plan, label=label, source=opened.description)
    result = ImportResult(release, created=True, warnings=list(plan.warnings))
    say(result.summary)
    return result


def _choose_label(given: str | None, plan: ReleasePlan, default: str) -> str:
    label = (given or (plan.manifest.label if plan.manifest else "") or default).strip()
    if not label or len(label) > 100:
        raise ImportFailure(f"label {label[:40]!r} is not usable; pass --label (1-100 characters)")
    if ContentRelease.objects.filter(label=label).exists():
        raise LabelInUse(f"label {label} is already used by another import; pass --label")
    return label


def write_release(plan: ReleasePlan, *, label: str, source: str) -> ContentRelease:
    """Write the planned release in one transaction, with bulk inserts only."""
    try:
        with transaction.atomic():
            return _write(plan, label, source)
    except IntegrityError as exc:  # e.g. the same content imported concurrently
        raise ImportFailure(f"{label}: could not be written ({exc}); nothing was imported") from exc


def _write(plan: ReleasePlan, label: str, source: str) -> ContentRelease:
    release = ContentRelease.objects.create(
        label=label,
        kind=ContentRelease.Source.PACK if plan.is_pack else ContentRelease.Source.ALGORITMEKADER,
        source=source[:500],
        content_hash=plan.content_hash,
        counts=plan.counts(),
        warnings=plan.warnings,
        abbreviations=plan.abbreviations,
    )
    taxa = Taxon.objects.bulk_create(
        Taxon(
            release=release,
            kind=t.kind,
            slug=t.slug,
            title=t.title,
            position=t.position,
            body=t.body,
        )
        for t in plan.taxa
    )
    taxon_ids = {(t.kind, t.slug): t.pk for t in taxa}
    laws = Law.objects.bulk_create(
        Law(release=release, code=code, name=name) for code, name in plan.laws.items()
    )
    law_ids = {law.code: law.pk for law in laws}
    items = CatalogItem.objects.bulk_create(
        CatalogItem(
            release=release,
            kind=p.kind,
            slug=p.slug,
            urn=p.urn,
            code=p.code,
            title=p.title,
            summary=p.summary,
            body=p.body,
            path=p.path,
            fingerprint=p.fingerprint,
            law_id=law_ids.get(p.code.split("-", 1)[0].lower())
            if p.kind == "requirement"
            else None,
            labels=p.labels,
            exceptions=p.exceptions,
            sources=p.sources,
            front_matter=p.front_matter,
        )
        for p in plan.items
    )
    for field_name, taxon_kind in (("phases", "phase"), ("topics", "topic"), ("roles", "role")):
        through = getattr(CatalogItem, field_name).through
        through.objects.bulk_create(
            through(catalogitem_id=item.pk, taxon_id=taxon_ids[(taxon_kind, slug)])
            for item, parsed in zip(items, plan.items, strict=True)
            for slug in getattr(parsed, field_name)
        )
    links = CatalogItem.links.through
    links.objects.bulk_create(
        links(from_catalogitem_id=items[a].pk, to_catalogitem_id=items[b].pk) for a, b in plan.links
    )
    norms = AuditNorm.objects.bulk_create(
        AuditNorm(release=release, framework=n.framework, number=n.number) for n in plan.norms
    )
    norm_measures = AuditNorm.measures.through
    norm_measures.objects.bulk_create(
        norm_measures(auditnorm_id=norm.pk, catalogitem_id=items[i].pk)
        for norm, planned in zip(norms, plan.norms, strict=True)
        for i in planned.items
    )
    return release
