"""Typst syntax in user and content text is printed, never run (issue 14).

Every free-text field the PDF shows gets a marker and a payload of Typst syntax; each
must come out of the PDF literally, and nothing the payload asks for (reading
/etc/passwd) may happen."""

import datetime
import io
import re

import pypdf
from django.utils import timezone

from tests import builders
from tests.world import (
    add_member,
    make_checklist_item,
    make_evidence,
    make_risk,
    make_user,
    make_world,
)
from tests.world_dossier import make_pilot
from tracker.exports.pdf import dossier_pdf

PAYLOAD = '#sys.exit() #read("/etc/passwd") $x^2$ *vet* [haak] ] \\ @label <x> #let a = 1'


def _text(content: bytes) -> str:
    reader = pypdf.PdfReader(io.BytesIO(content))
    return re.sub(r"\s+", " ", " ".join(page.extract_text() for page in reader.pages))


def _hostile(field: str) -> str:
    return f"{field}: {PAYLOAD}"


def _cell(field: str) -> str:
    """For narrow table cells, whose lines pypdf interleaves with the next column's: the
    tokens are checked one by one, the first one naming its field."""
    return f'#{field}.exit() #read("{field}") $x$ *v* [a] ] \\ @b <c>'


def test_typst_syntax_in_every_free_text_field_appears_literally(db) -> None:
    from tracker.audit.trail import record
    from tracker.decisions.actions import record_go_live_decision
    from tracker.decisions.models import DecisionCondition
    from tracker.organisations.models import Organisation
    from tracker.pilots.models import PilotEvaluation, SuccessCriterion

    world = make_world()
    algorithm = world.algorithm
    Organisation.objects.filter(pk=algorithm.organisation_id).update(name=_hostile("organisatie"))
    type(algorithm).objects.filter(pk=algorithm.pk).update(
        name=_hostile("naam"), description=_hostile("omschrijving")
    )
    algorithm.refresh_from_db()
    person = make_user(
        "hacker", first_name="Eva #sys.exit()", last_name='$x$ [a] \\ @b <c> #read("/etc/passwd")'
    )
    add_member(algorithm, person, "approver")
    requirement = builders.make_requirement(
        algorithm.release, code="aia-99", title=_hostile("titel-vereiste")
    )
    measure = builders.make_measure(
        algorithm.release, code="mtr-99", title=_hostile("titel-maatregel"), links=[requirement]
    )
    make_checklist_item(
        algorithm, requirement, status="not_applicable", justification=_hostile("onderbouwing")
    )
    item = make_checklist_item(
        algorithm,
        measure,
        status="in_progress",
        owner=person,
        # Markdown has its own rules for * [ ] \ < >: the Typst-only syntax must survive.
        work_instruction='Werkinstructie: #sys.exit() en #read("/etc/passwd") kosten $5 @team',
        due_date=datetime.date(2030, 1, 1),
    )
    retired = make_checklist_item(
        algorithm,
        builders.make_measure(algorithm.release, code="mtr-98", title="Vervallen"),
        retired_at=timezone.now(),
        retired_reason=_hostile("vervallen"),
    )
    assert retired.is_retired
    make_evidence(item, person, title=_hostile("bewijs"), note=_hostile("notitie"))
    make_evidence(
        item, person, kind="url", title="Link", note="", url="https://example.nl/#sys.exit()"
    )
    make_risk(
        item, person, description=_hostile("restrisico"), mitigation=_hostile("beheersmaatregel")
    )
    pilot = make_pilot(
        algorithm,
        person,
        units=_hostile("onderdelen"),
        participants=_hostile("deelnemers"),
        agreements=_hostile("afspraken"),
        legal_basis=_hostile("grondslag"),
        other_limit=_hostile("begrenzing"),
    )
    SuccessCriterion.objects.create(
        pilot=pilot,
        name=_cell("criterium"),
        metric=_cell("maatstaf"),
        expected=_hostile("verwacht"),
        position=5,
    )
    PilotEvaluation.objects.create(
        pilot=pilot,
        usability_findings=_hostile("bruikbaarheid"),
        other_findings=_hostile("bevindingen"),
        evaluated_by=person,
    )
    decision = record_go_live_decision(algorithm, person, "no_go", _hostile("besluit"))
    DecisionCondition.objects.create(
        decision=decision,
        owner=person,
        blocker_key="affected-persons",
        description=_cell("voorwaarde"),
        due_date=datetime.date(2030, 1, 1),
    )
    record(
        actor=person,
        obj=item,
        action="update",
        algorithm=algorithm,
        changes={"justification": ["", _hostile("logboek")]},
    )

    text = _text(dossier_pdf(algorithm, generated_by=_hostile("gegenereerd door")).content)

    fields = [
        "organisatie",
        "naam",
        "omschrijving",
        "titel-vereiste",
        "titel-maatregel",
        "onderbouwing",
        "vervallen",
        "bewijs",
        "notitie",
        "restrisico",
        "beheersmaatregel",
        "onderdelen",
        "deelnemers",
        "afspraken",
        "grondslag",
        "begrenzing",
        "verwacht",
        "bruikbaarheid",
        "bevindingen",
        "besluit",
        "gegenereerd door",
    ]
    missing = [field for field in fields if _hostile(field) not in text]
    assert not missing, missing
    tokens = set(text.split())
    for field in ("criterium", "maatstaf", "voorwaarde"):
        assert set(_cell(field).split()) <= tokens, field
    assert 'Eva #sys.exit() $x$ [a] \\ @b <c> #read("/etc/passwd")' in text  # a person's name
    assert 'Werkinstructie: #sys.exit() en #read("/etc/passwd") kosten $5 @team' in text
    assert "example.nl/#sys.exit()" in text  # the URL may wrap after "https://"
    assert "logboek: #sys.exit()" in text  # the audit trail's change, shortened to 80
    assert "root:" not in text  # nothing was read
