"""What the tracker already knows of a register entry, field by field, with its source.

``prefill(algorithm, standard)`` returns ``{field: Prefill(value, source, url)}`` for
the fields the tracker can fill; the team writes the rest and may override any of
these (tracker.register.entry). Values that the register restricts (status, category,
language, version) are taken from the standard's ``permitted_values`` at run time: a
mapping that names a value the standard does not permit prefills nothing.

Fixed number of queries: the organisation comes with the algorithm; pilots (1),
residual risks (1), evidence on the DPIA and IAMA items (1).
"""

import re
from dataclasses import dataclass
from typing import Any

from django.urls import reverse
from django.utils import formats
from django.utils.html import escape

from tracker.algorithms.models import Algorithm
from tracker.catalog.phases import Phase
from tracker.evidence.models import Evidence
from tracker.pilots.models import Pilot
from tracker.register.standard import Standard
from tracker.risks.models import ResidualRisk

HIGH_RISK = "hoog-risico-ai-systeem"
IN_USE, IN_DEVELOPMENT, OUT_OF_USE = "In gebruik", "In ontwikkeling", "Buiten gebruik"
CATEGORY_HIGH_RISK = "Hoog-risico AI-systeem"
CATEGORY_IMPACTFUL = "Impactvolle algoritmes"
CATEGORY_OTHER = "Overige algoritmes"
# The impact assessments the register asks for, by the word in the catalog item's file
# name (the hulpmiddel "DPIA", the vereiste "avg-13-dpia-verplicht") and the
# abbreviation in the title the standard recommends for it.
IMPACT_ASSESSMENTS = (("dpia", "(DPIA)"), ("iama", "(IAMA)"))


@dataclass(frozen=True)
class Prefill:
    value: Any
    source: str  # Dutch: where the value came from
    url: str = ""  # the page where that source is kept


def paragraphs(text: str) -> str:
    """Plain text as the register's HTML: one <p> per paragraph, <br> per line."""
    blocks = [block.strip() for block in re.split(r"\n\s*\n", text.strip()) if block.strip()]
    return "".join(
        "<p>" + "<br>".join(escape(line.strip()) for line in block.splitlines()) + "</p>"
        for block in blocks
    )


def _date(value) -> str:
    return formats.date_format(value, "j F Y")


def _permitted(standard: Standard, name: str, value: str) -> bool:
    try:
        return value in standard[name].permitted_values
    except KeyError:
        return False


def is_high_risk(algorithm: Algorithm) -> bool:
    return algorithm.is_ai_system and algorithm.risicogroep == HIGH_RISK


def status_for(algorithm: Algorithm, pilot: Pilot | None) -> tuple[str, str]:
    """The register's status from phase and stage, and why. A pilot that processes real
    cases (production data) has real effects on people: the register counts it as in use."""
    phase = algorithm.get_phase_display()
    if algorithm.phase == Phase.UITFASEREN:
        return OUT_OF_USE, f"Fase {phase}"
    if algorithm.phase == Phase.MONITORING:
        return IN_USE, f"Fase {phase}"
    if algorithm.phase == Phase.IMPLEMENTATIE and algorithm.stage == Algorithm.Stage.PRODUCTION:
        return IN_USE, f"Fase {phase}, stap Productie"
    if algorithm.phase == Phase.IMPLEMENTATIE and algorithm.stage == Algorithm.Stage.PILOT:
        if pilot is not None and pilot.processes_production_data:
            return IN_USE, (
                f"Fase {phase}, stap Pilot: de pilot verwerkt productiedata, dus echte zaken "
                "met echte gevolgen (het register telt dat als in gebruik)"
            )
        return IN_DEVELOPMENT, f"Fase {phase}, stap Pilot zonder productiedata"
    return IN_DEVELOPMENT, f"Fase {phase}"


def category_for(algorithm: Algorithm) -> tuple[str, str]:
    if is_high_risk(algorithm):
        return CATEGORY_HIGH_RISK, "AI-profiel: hoog-risico-AI-systeem"
    if algorithm.impactful:
        return CATEGORY_IMPACTFUL, "Profiel: impactvol algoritme"
    return CATEGORY_OTHER, "Profiel: niet impactvol en geen hoog-risico-AI-systeem"


def _risks_html(risks: list[ResidualRisk]) -> str:
    rows = []
    for risk in risks:
        text = escape(" ".join(risk.description.split()))
        if risk.mitigation.strip():
            text += "<br>Beheersmaatregel: " + escape(" ".join(risk.mitigation.split()))
        rows.append(f"<li>{text}</li>")
    return "<ul>" + "".join(rows) + "</ul>"


def _assessment_title(standard: Standard, marker: str) -> str:
    try:
        titles = standard["impacttoetsen_grouping"].items
    except KeyError:
        return ""
    for sub in titles:
        for value in sub.recommended_values:
            if marker in value:
                return value
    return ""


def _assessment_key(slug: str) -> str:
    slug = slug.lower()
    for key, _ in IMPACT_ASSESSMENTS:
        if re.search(rf"(^|-){key}(-|$)", slug):
            return key
    return ""


def _impact_assessments(algorithm: Algorithm, standard: Standard) -> dict[str, Prefill]:
    evidence = (
        Evidence.objects.active()
        .filter(item__algorithm=algorithm, item__retired_at__isnull=True)
        .select_related("item__catalog_item")
        .order_by("added_at", "pk")
    )
    found: dict[str, list[Evidence]] = {}
    for row in evidence:
        key = _assessment_key(row.item.catalog_item.slug)
        if key:
            found.setdefault(key, []).append(row)
    if not found:
        return {}
    lines, grouping, sources, url = [], [], [], ""
    for key, marker in IMPACT_ASSESSMENTS:
        rows = found.get(key)
        if not rows:
            continue
        title = _assessment_title(standard, marker) or key.upper()
        names = "; ".join(
            f"{row.title} (vastgelegd {formats.date_format(row.added_at, 'j F Y')})" for row in rows
        )
        lines.append(f"<li>{escape(title)}: {escape(names)}</li>")
        link = next((row.url for row in rows if row.url), None)
        grouping.append({"title": title, "link": link})
        items = sorted({row.item.catalog_item.title for row in rows})
        sources.append(f"bewijs bij {', '.join(items)}")
        url = url or rows[0].item.get_absolute_url()
    source = "Bewijs: " + "; ".join(sources)
    return {
        "impacttoetsen": Prefill("<ul>" + "".join(lines) + "</ul>", source, url),
        "impacttoetsen_grouping": Prefill(grouping, source, url),
    }


def prefill(algorithm: Algorithm, standard: Standard) -> dict[str, Prefill]:
    """Every value the tracker holds for the entry of ``algorithm``, with its source."""
    slug = algorithm.slug
    detail = reverse("algorithms:detail", args=[slug])
    pilot_url = reverse("pilots:detail", args=[slug])
    values: dict[str, Prefill] = {
        "name": Prefill(algorithm.name, "Algoritme: naam", detail),
        "organization": Prefill(
            algorithm.organisation.name, "Organisatie van het algoritme", detail
        ),
        "source_id": Prefill(slug, "Kenmerk van het algoritme in de tracker", detail),
    }
    if algorithm.description.strip():
        values["description_short"] = Prefill(
            " ".join(algorithm.description.split()), "Algoritme: omschrijving", detail
        )
    pilots = list(algorithm.pilots.order_by("start_date", "pk"))
    newest = pilots[-1] if pilots else None
    status, why = status_for(algorithm, newest)
    if _permitted(standard, "status", status):
        values["status"] = Prefill(status, why, detail)
    category, why = category_for(algorithm)
    if _permitted(standard, "publication_category", category):
        values["publication_category"] = Prefill(category, why, detail)
    if pilots:
        first = pilots[0]
        values["begin_date"] = Prefill(
            first.start_date.strftime("%Y-%m"),
            f"Pilot: startdatum {_date(first.start_date)}",
            pilot_url,
        )
    with_basis = [pilot for pilot in pilots if pilot.legal_basis.strip()]
    if with_basis:
        basis = with_basis[-1]
        values["lawful_basis"] = Prefill(
            paragraphs(basis.legal_basis),
            f"Pilot van {_date(basis.start_date)}: grondslag voor de verwerking",
            pilot_url,
        )
    risks = list(
        ResidualRisk.objects.filter(item__algorithm=algorithm, item__retired_at__isnull=True)
    )
    if risks:
        values["risks"] = Prefill(
            _risks_html(risks),
            f"Restrisico's ({len(risks)}) met hun beheersmaatregelen",
            reverse("checklist:list", args=[slug]),
        )
    values.update(_impact_assessments(algorithm, standard))
    for name, permitted_value in (("lang", "nld"), ("standard_version", standard.version)):
        if _permitted(standard, name, permitted_value):
            values[name] = Prefill(permitted_value, "Publicatiestandaard " + standard.version)
    return {name: value for name, value in values.items() if name in standard.names}
