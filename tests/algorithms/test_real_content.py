"""The sync on imported real content: v2.5.1 and the project's own pack (content/).

The expected vereisten and maatregelen are the hand-derived lists of the applicability
tests; here they must come out of the database rows the importer wrote (labels,
phases, links), plus the pack criteria of the algorithm's stage.
"""

from pathlib import Path

import pytest
from django.conf import settings

from tests.applicability.helpers import load_items
from tests.applicability.test_real_content import EXPECTED_APPLICABLE, PROFILES
from tests.world import make_organisation, make_user
from tracker.applicability.scope import scoped_checklist
from tracker.catalog.importer import import_release
from tracker.catalog.models import CatalogItem
from tracker.checklist import sync
from tracker.checklist.models import ChecklistItem
from tracker.checklist.profile import change_profile, create_algorithm

pytestmark = pytest.mark.django_db
PACK = Path(settings.BASE_DIR) / "content"
GO_LIVE = {"gl-01", "gl-02", "gl-03", "gl-04", "gl-05", "gl-06"}
PILOT = {f"pil-0{n}" for n in range(1, 8)}


@pytest.fixture
def imported(v251):
    release = import_release(v251, label="v2.5.1").release
    import_release(PACK)
    return release


def values_for(profile, stage: str) -> dict:
    return {
        "phase": "implementatie",
        "stage": stage,
        "is_ai_system": profile.is_ai_system,
        "soort_toepassing": profile.soort_toepassing,
        "risicogroep": profile.risicogroep,
        "rol_ai_act": sorted(profile.rol_ai_act),
        "transparantieverplichting": profile.transparantieverplichting,
        "systeemrisico": profile.systeemrisico,
        "open_source": profile.open_source,
        "impactful": profile.impactful,
    }


def slugs(algorithm, kind: str) -> set[str]:
    return set(
        algorithm.items.current()
        .filter(catalog_item__kind=kind)
        .values_list("catalog_item__slug", flat=True)
    )


@pytest.mark.parametrize("scenario", sorted(PROFILES))
def test_checklist_of_each_scenario(imported, v251, scenario):
    owner = make_user()
    organisation = make_organisation()
    values = {"name": scenario, "description": "", "organisation": organisation}
    values |= {"release": imported, **values_for(PROFILES[scenario], "production")}
    algorithm = create_algorithm(actor=owner, values=values)

    # Implementatie's own items (hand-derived) and those of every earlier phase and the
    # organisation-wide ones, as the plain-data scope computes them from the files.
    scope = scoped_checklist(load_items(v251), "implementatie", PROFILES[scenario])
    expected = {scoped.item.slug for scoped in scope.applicable}
    found = slugs(algorithm, "requirement") | slugs(algorithm, "measure")
    assert found == expected
    assert set(EXPECTED_APPLICABLE[scenario]) <= found
    assert len(found) > len(EXPECTED_APPLICABLE[scenario])
    codes = set(
        algorithm.items.filter(catalog_item__kind=CatalogItem.Kind.CRITERION).values_list(
            "catalog_item__code", flat=True
        )
    )
    assert codes == GO_LIVE
    informed = algorithm.items.get(catalog_item__code="gl-06")
    assert informed.reasons[1]["code"] == "criterion_mandatory_when"
    assert all(row.reasons for row in algorithm.items.all())


def test_from_production_ai_to_pilot_not_ai_retires_and_keeps(imported):
    owner = make_user()
    values = {"name": "Wissel", "description": "", "organisation": make_organisation()}
    values |= {
        "release": imported,
        **values_for(PROFILES["a-hoog-risico-gebruiksverantwoordelijke"], "production"),
    }
    algorithm = create_algorithm(actor=owner, values=values)
    ChecklistItem.objects.filter(algorithm=algorithm).update(status="in_progress")
    total = algorithm.items.count()

    not_ai = values_for(PROFILES["c-impactvol-geen-ai"], "pilot")
    planned = sync.plan(
        algorithm, phase="implementatie", stage="pilot", profile=PROFILES["c-impactvol-geen-ai"]
    )
    retired = {change.item.code for change in planned.retired}
    assert retired >= GO_LIVE
    # Every AI Act vereiste on the list goes (those of earlier phases too).
    ai_act = set(
        algorithm.items.current()
        .filter(catalog_item__code__startswith="aia-")
        .values_list("catalog_item__code", flat=True)
    )
    assert {code for code in retired if code.startswith("aia-")} == ai_act
    assert {"aia-20", "aia-24", "aia-25"} <= ai_act
    assert {j.item.code for j in planned.added} >= PILOT
    change_profile(
        algorithm,
        actor=owner,
        version=algorithm.version,
        values=not_ai,
        profile=PROFILES["c-impactvol-geen-ai"],
    )
    assert algorithm.items.filter(retired_at__isnull=False).count() == len(planned.retired)
    assert algorithm.items.count() == total + len(planned.added)  # nothing deleted
    assert (
        not algorithm.items.filter(retired_at__isnull=False).exclude(status="in_progress").exists()
    )
