"""Synthetic data for ``manage.py bench_dossier``: an algorithm with N checklist items
and M evidence entries, realistic in shape (vereisten with linked maatregelen, ARK/ADR
norms, reasons, work instructions, risks, decisions and audit entries).

Always called inside a transaction that the command rolls back.
"""

import hashlib
import uuid
from dataclasses import dataclass
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.utils import timezone

from tracker.algorithms.models import Algorithm, Membership
from tracker.audit.trail import record
from tracker.catalog.models import AuditNorm, CatalogItem, ContentRelease
from tracker.checklist.models import ChecklistItem
from tracker.decisions.actions import record_decision, record_go_live_decision
from tracker.decisions.models import Decision
from tracker.evidence.models import Evidence
from tracker.organisations.models import Organisation
from tracker.risks.models import ResidualRisk

INSTRUCTION = (
    "## Werkwijze\n\nDe consulent controleert **elke** uitkomst van het model voordat "
    "een besluit wordt genomen. Bij twijfel wordt de zaak voorgelegd aan de "
    "kwaliteitsmedewerker.\n\n- Lees de toelichting bij de score.\n- Leg de afweging "
    "vast in het dossier.\n- Meld afwijkingen bij het functioneel beheer.\n"
)
ROLES = ("owner", "approver", "contributor", "contributor", "viewer")
STATUSES = ("done", "done", "in_progress", "open", "not_applicable")


@dataclass(frozen=True)
class BenchData:
    algorithm: Algorithm
    items: int
    evidence: int


def build_bench_algorithm(n_items: int = 200, n_evidence: int = 500) -> BenchData:
    tag = uuid.uuid4().hex[:10]
    users = [
        get_user_model().objects.create_user(
            username=f"bench-{tag}-{n}", first_name="Bench", last_name=f"Gebruiker {n}"
        )
        for n in range(5)
    ]
    organisation = Organisation.objects.create(name=f"Benchgemeente {tag}", slug=f"bench-{tag}")
    release = ContentRelease.objects.create(
        label=f"bench-{tag}", source="bench", content_hash=hashlib.sha256(tag.encode()).hexdigest()
    )
    n_requirements = max(1, n_items // 4)
    catalog = []
    for n in range(n_items):
        is_req = n < n_requirements
        code = f"{'aia' if is_req else 'imp'}-{n:03d}"
        catalog.append(
            CatalogItem(
                release=release,
                kind=CatalogItem.Kind.REQUIREMENT if is_req else CatalogItem.Kind.MEASURE,
                slug=f"{code}-bench-item",
                urn=f"urn:nl:ak:{'ver' if is_req else 'mtr'}:{code}",
                code=code,
                title=f"Benchmarkitem {n}: de organisatie legt vast wie welke beslissing "
                f"neemt en hoe betrokkenen één aanspreekpunt krijgen ({code})",
                path=f"docs/voldoen-aan-wetten-en-regels/bench/{code}.md",
                fingerprint=hashlib.sha256(code.encode()).hexdigest(),
                sources={} if is_req else {"ADR": [f"DM.{n % 30}"], "ARK": [f"3.{n % 12:02d}"]},
            )
        )
    catalog = CatalogItem.objects.bulk_create(catalog)
    requirements, measures = catalog[:n_requirements], catalog[n_requirements:]
    through = CatalogItem.links.through
    through.objects.bulk_create(
        through(from_catalogitem=measure, to_catalogitem=requirements[n % len(requirements)])
        for n, measure in enumerate(measures)
    )
    for n in range(40):
        norm = AuditNorm.objects.create(release=release, framework="ADR", number=f"SV.{n}")
        norm.measures.set(measures[n::40])
    algorithm = Algorithm.objects.create(
        name=f"Benchmark bijzondere bijstand {tag}",
        slug=f"bench-{tag}",
        organisation=organisation,
        release=release,
        phase="implementatie",
        stage=Algorithm.Stage.PRODUCTION,
    )
    for user, role in zip(users, ROLES, strict=True):
        Membership.objects.create(algorithm=algorithm, user=user, role=role)
    today = timezone.localdate()
    reasons = [{"code": "label_match", "text": "Risicogroep: hoog-risico-AI-systeem komt voor"}]
    items = ChecklistItem.objects.bulk_create(
        ChecklistItem(
            algorithm=algorithm,
            catalog_item=entry,
            status=STATUSES[n % len(STATUSES)],
            justification="Niet van toepassing: geen besluiten in de zin van de Awb."
            if STATUSES[n % len(STATUSES)] == "not_applicable"
            else "",
            owner=users[n % 4] if n % 7 else None,
            due_date=today + timedelta(days=n - 50),
            work_instruction=INSTRUCTION if n % 3 == 0 else "",
            reasons=reasons,
        )
        for n, entry in enumerate(catalog)
    )
    now = timezone.now()
    Evidence.objects.bulk_create(
        Evidence(
            item=items[n % len(items)],
            kind=Evidence.Kind.FILE if n % 2 else Evidence.Kind.URL,
            title=f"Bewijsstuk {n}: verslag van de toetsing door de functionaris",
            file_name=f"bewijs-{n}.pdf" if n % 2 else "",
            size=10_000 + n if n % 2 else None,
            sha256=hashlib.sha256(f"{tag}-{n}".encode()).hexdigest() if n % 2 else "",
            url="" if n % 2 else f"https://intranet.example.nl/dossier/{n}",
            added_by=users[n % 4],
            added_at=now,
        )
        for n in range(n_evidence)
    )
    ResidualRisk.objects.bulk_create(
        ResidualRisk(
            item=items[n * 5 % len(items)],
            description=f"Restrisico {n}: de gebruiker vertrouwt te veel op de uitkomst",
            likelihood=1 + n % 5,
            impact=1 + (n * 3) % 5,
            created_by=users[2],
            accepted_by=users[1] if n % 2 else None,
            accepted_at=now if n % 2 else None,
        )
        for n in range(max(1, n_items // 5))
    )
    for item in items[: min(len(items), 300)]:
        record(
            actor=users[2],
            obj=item,
            action="update",
            changes={"status": ["open", item.status]},
            algorithm=algorithm,
        )
    record_decision(
        algorithm, users[1], gate=Decision.Gate.PILOT, outcome="implement", rationale="Pilot OK."
    )
    record_go_live_decision(algorithm, users[1], "no_go", "Nog niet gereed voor productie.")
    return BenchData(algorithm=algorithm, items=len(items), evidence=n_evidence)
