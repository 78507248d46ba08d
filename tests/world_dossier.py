"""Builders for the audit dossier tests: a pilot with its evaluation, and a world with
decisions, evidence, risks and a hostile work instruction (issue 6)."""

from tests.world import (
    Algorithm,
    add_member,
    make_checklist_item,
    make_evidence,
    make_risk,
    make_user,
    make_world,
)

HOSTILE_INSTRUCTION = (
    '<script>alert("dossier")</script>\n\n## Stap 1\n\n**Controleer** de uitkomst. '
    '<img src="file:///etc/passwd" alt="geheim"> <a href="javascript:alert(1)">klik</a>'
)


def make_pilot(algorithm: Algorithm, actor, *, evaluated_by=None, **fields):
    """A pilot with two success criteria; evaluated (both measured) when evaluated_by."""
    import datetime

    from tracker.pilots.models import CriterionResult, Pilot, PilotEvaluation, SuccessCriterion

    fields.setdefault("start_date", datetime.date(2026, 1, 5))
    fields.setdefault("end_date", datetime.date(2026, 3, 31))
    fields.setdefault("max_cases", 250)
    fields.setdefault("units", "Team Bijzondere Bijstand, Noord")
    fields.setdefault("legal_basis", "Participatiewet, art. 64; DPIA van 12 december 2025")
    fields.setdefault("participants", "Zes consulenten")
    fields.setdefault("agreements", "Wekelijks overleg; consulent beslist altijd zelf.")
    pilot = Pilot.objects.create(algorithm=algorithm, created_by=actor, **fields)
    criteria = [
        SuccessCriterion.objects.create(
            pilot=pilot, name="Precisie", metric="aandeel terechte signalen", expected="≥ 0,8"
        ),
        SuccessCriterion.objects.create(
            pilot=pilot,
            name="Bruikbaarheid",
            metric="oordeel consulenten",
            expected="≥ 7",
            position=1,
        ),
    ]
    if evaluated_by is not None:
        evaluation = PilotEvaluation.objects.create(
            pilot=pilot,
            usability_findings="Consulenten begrijpen de score na één instructie.",
            other_findings="Twee incidenten, beide binnen een dag opgelost.",
            evaluated_by=evaluated_by,
        )
        for criterion, value, met in zip(criteria, ("0,84", "6,5"), (True, False), strict=True):
            CriterionResult.objects.create(
                evaluation=evaluation, criterion=criterion, measured_value=value, met=met
            )
    return pilot


def make_dossier_world():
    """make_world() grown into a full dossier: vereisten with maatregelen (long Dutch
    titles, ARK/ADR references), evidence of every kind (one withdrawn), risks
    (accepted, open, expired), a hostile work instruction, a retired item, a pilot with
    its evaluation and three gate decisions (pilot, no-go, conditional go with
    conditions) by two approvers. Returns a namespace; ``items`` excludes world.item."""
    import datetime
    import hashlib
    from types import SimpleNamespace

    from django.utils import timezone

    from tests import builders
    from tracker.audit.trail import record
    from tracker.decisions.actions import (
        ConditionSpec,
        record_decision,
        record_go_live_decision,
    )
    from tracker.decisions.models import Decision
    from tracker.gates.readiness import go_live_readiness

    world = make_world()
    algorithm = world.algorithm
    release = algorithm.release
    second = make_user("anneke", first_name="Anneke", last_name="van ’t Hoff-Öztürk")
    add_member(algorithm, second, "approver")
    toezicht = builders.make_requirement(
        release,
        code="aia-09",
        title="Hoog-risico-AI-systemen staan onder menselijk toezicht; de gebruiker "
        "begrijpt de werking, de beperkingen én de risico’s van het systeem volledig",
    )
    transparantie = builders.make_requirement(
        release, code="awb-02", title="Besluiten worden deugdelijk gemotiveerd (ë, é, ’)"
    )
    werkinstructie = builders.make_measure(
        release,
        code="imp-01",
        title="Stel een werkinstructie op voor gebruikers, zodat zij de output “goed” lezen",
        links=[toezicht],
        sources={"ARK": ["3.07"], "ADR": ["DM.3", "DM.10"]},
    )
    uitleg = builders.make_measure(
        release, code="imp-04", title="Leg uit hoe de score tot stand komt", links=[transparantie]
    )
    los = builders.make_measure(release, code="owp-07", title="Maatregel zonder vereiste")
    vervallen = builders.make_measure(release, code="owp-30", title="Vervallen maatregel")
    builders.make_norm(release, "ADR", "DM.3", measures=[werkinstructie, los])
    builders.make_norm(release, "ARK", "1.04", measures=[])
    owner, contributor = world.owner, world.contributor
    reasons = [{"code": "label_match", "text": "Risicogroep: hoog-risico-AI-systeem komt voor"}]
    items = [
        make_checklist_item(
            algorithm,
            toezicht,
            status="done",
            owner=owner,
            reasons=reasons,
            due_date=datetime.date(2026, 6, 30),
        ),
        make_checklist_item(
            algorithm,
            transparantie,
            status="not_applicable",
            owner=contributor,
            justification="Geen besluiten in de zin van de Awb; alleen signalen aan consulenten.",
        ),
        make_checklist_item(
            algorithm,
            werkinstructie,
            status="in_progress",
            owner=contributor,
            work_instruction=HOSTILE_INSTRUCTION,
            due_date=datetime.date(2025, 1, 31),
        ),
        make_checklist_item(algorithm, uitleg, status="open"),
        make_checklist_item(algorithm, los, status="open", owner=owner),
        make_checklist_item(
            algorithm,
            vervallen,
            retired_at=timezone.now(),
            retired_reason="Niet meer van toepassing na de profielwijziging",
        ),
    ]
    content = "Werkinstructie versie 1.2 — één pagina".encode()
    evidence = [
        make_evidence(
            items[0],
            contributor,
            kind="file",
            title="Werkinstructie menselijk toezicht.pdf",
            file_name="werkinstructie.pdf",
            size=len(content),
            note="",
            sha256=hashlib.sha256(content).hexdigest(),
            content_type="application/pdf",
        ),
        make_evidence(
            items[0],
            owner,
            kind="url",
            title="Verslag training consulenten",
            note="",
            url="https://intranet.example.nl/training?id=42&x=’",
        ),
        make_evidence(
            items[2],
            contributor,
            kind="file",
            title="Concept werkinstructie",
            file_name="concept.docx",
            size=1234,
            note="",
            sha256=hashlib.sha256(b"concept").hexdigest(),
        ),
        make_evidence(items[2], owner, title="Besproken in het teamoverleg van 3 maart"),
    ]
    withdrawn = evidence[2]
    withdrawn.withdrawn_at, withdrawn.withdrawn_by = timezone.now(), owner
    withdrawn.withdrawal_reason = "Vervangen door de definitieve versie"
    withdrawn.save(update_fields=["withdrawn_at", "withdrawn_by", "withdrawal_reason"])
    risks = [
        make_risk(items[0], owner, accepted_by=world.approver, description="Automation bias"),
        make_risk(items[2], contributor, description="Consulenten volgen de score blind"),
        make_risk(
            items[4],
            contributor,
            accepted_by=second,
            description="Verlopen acceptatie",
            acceptance_expires=datetime.date(2025, 12, 31),
        ),
    ]
    record(
        actor=contributor,
        obj=items[2],
        action="update",
        algorithm=algorithm,
        changes={"status": ["open", "in_progress"]},
    )
    pilot = make_pilot(algorithm, owner, evaluated_by=world.approver)
    decisions = [
        record_decision(
            algorithm,
            world.approver,
            gate=Decision.Gate.PILOT,
            outcome="implement",
            rationale="De pilot haalt de precisie; door naar productie.",
        ),
        record_go_live_decision(algorithm, world.approver, "no_go", "Werkinstructie ontbreekt."),
    ]
    Algorithm.objects.filter(pk=algorithm.pk).update(stage=Algorithm.Stage.PRODUCTION)
    algorithm.refresh_from_db()
    due = timezone.localdate() + datetime.timedelta(days=30)
    specs = [
        ConditionSpec(blocker.key, f"Oplossen: {blocker.label}", contributor, due)
        for blocker in go_live_readiness(algorithm).blockers
    ]
    decisions.append(
        record_go_live_decision(
            algorithm, second, "conditional", "Go onder voorwaarden; betrokkenen volgen.", specs
        )
    )
    return SimpleNamespace(
        world=world,
        algorithm=algorithm,
        items=items,
        evidence=evidence,
        risks=risks,
        pilot=pilot,
        decisions=decisions,
        approvers=[world.approver, second],
    )


def make_dossier_job(algorithm: Algorithm, *, state: str = "queued", pdf: bytes = b"", **fields):
    """A dossier job in the given state; a done one with its PDF file (no rendering)."""
    from tracker.exports import jobs
    from tracker.exports.models import DossierJob

    job = DossierJob.objects.create(algorithm=algorithm, generated_by="test", **fields)
    if state == "queued":
        return job
    jobs.claim(job.pk)
    if state == "done":
        jobs.finish(job.pk, pdf or b"%PDF-1.7\n%%EOF\n", pages=1)
    elif state == "failed":
        jobs.fail(job.pk, "Het dossier kon niet worden gemaakt (ValueError).")
    job.refresh_from_db()
    return job
