"""Changing phase, stage and AI profile: preview first, then confirm; stale confirm refused."""

import pytest
from django.urls import reverse

from tests.algorithms.helpers import HIGH_RISK_DEPLOYER
from tracker.audit.models import AuditEntry
from tracker.checklist import sync
from tracker.checklist.models import ChecklistItem

pytestmark = pytest.mark.django_db


def profile_url(world) -> str:
    return reverse("algorithms:profile", args=[world.algorithm.slug])


def data(**values) -> dict:
    base = {"phase": "implementatie", "stage": "production", "version": 1}
    base.update(values)
    return {k: v for k, v in base.items() if v not in (False, None)}


@pytest.fixture
def synced(world):
    sync.sync(world.algorithm, world.owner, "Start")
    world.pilot_row = world.algorithm.items.get(catalog_item=world.catalog.pilot)
    ChecklistItem.objects.filter(pk=world.pilot_row.pk).update(
        status="done", work_instruction="Bewaren"
    )
    return world


def test_get_shows_current_values(synced, login):
    response = login(synced.owner).get(profile_url(synced))
    assert response.status_code == 200
    form = response.context["form"]
    assert form["stage"].value() == "pilot"
    assert form["version"].value() == 1


def test_preview_writes_nothing_and_lists_the_effects(synced, login):
    rows_before, entries_before = ChecklistItem.objects.count(), AuditEntry.objects.count()
    response = login(synced.owner).post(profile_url(synced), data(impactful="on"))
    assert response.status_code == 200
    plan = response.context["plan"]
    assert {j.item.code for j in plan.added} == {"gl-01", "gl-06"}
    assert [c.item.code for c in plan.retired] == ["pil-01"]
    assert "Criterium voor de stap pilot; stap van het algoritme: productie" in response.text
    assert "Er wordt niets verwijderd" in response.text
    assert 'name="confirm"' in response.text
    assert '<input type="hidden" name="impactful" value="on">' in response.text
    assert ChecklistItem.objects.count() == rows_before
    assert AuditEntry.objects.count() == entries_before
    synced.algorithm.refresh_from_db()
    assert synced.algorithm.stage == "pilot"


def test_htmx_preview_renders_only_the_partial(synced, login):
    response = login(synced.owner).post(profile_url(synced), data(), headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert response.text.lstrip().startswith('<section id="preview"')
    assert "<html" not in response.text


def test_confirm_applies_change_and_sync(synced, login):
    response = login(synced.owner).post(profile_url(synced), data(impactful="on", confirm="1"))
    assert response.status_code == 302
    assert response.url == synced.algorithm.get_absolute_url()
    synced.algorithm.refresh_from_db()
    assert (synced.algorithm.stage, synced.algorithm.impactful) == ("production", True)
    assert synced.algorithm.version == 2
    synced.pilot_row.refresh_from_db()
    assert synced.pilot_row.retired_at is not None
    assert synced.pilot_row.status == "done"
    assert synced.pilot_row.work_instruction == "Bewaren"
    entry = AuditEntry.objects.for_object(synced.algorithm).get(action="profile_changed")
    assert entry.changes["stage"] == ["pilot", "production"]
    assert entry.changes["version"] == [1, 2]
    assert entry.actor == synced.owner
    assert AuditEntry.objects.filter(algorithm=synced.algorithm, action="item_added").count() >= 2


def test_stale_confirm_is_refused(synced, login):
    other, late = login(synced.owner), login(synced.owner)
    assert (
        other.post(profile_url(synced), data(stage="", phase="ontwerp", confirm="1")).status_code
        == 302
    )
    rows = list(ChecklistItem.objects.values_list("pk", "retired_at", "status"))
    response = late.post(profile_url(synced), data(confirm="1"))
    assert response.status_code == 409
    assert "Niet opgeslagen" in response.text
    assert "fase: implementatie → ontwerp" in response.text
    synced.algorithm.refresh_from_db()
    assert (synced.algorithm.phase, synced.algorithm.stage) == ("ontwerp", "")
    assert list(ChecklistItem.objects.values_list("pk", "retired_at", "status")) == rows


def test_ai_system_switch_adds_ai_act_items(synced, login):
    values = data(stage="pilot", is_ai_system="on", confirm="1")
    response = login(synced.owner).post(
        profile_url(synced), {**values, **HIGH_RISK_DEPLOYER, "is_ai_system": "on"}
    )
    assert response.status_code == 302
    synced.algorithm.refresh_from_db()
    assert synced.algorithm.rol_ai_act == ["gebruiksverantwoordelijke"]
    codes = set(synced.algorithm.items.current().values_list("catalog_item__code", flat=True))
    assert {"aia-09", "imp-01"} <= codes


@pytest.mark.parametrize(
    ("values", "field", "message"),
    [
        ({"stage": ""}, "stage", "Kies in de fase Implementatie de stap"),
        ({"phase": "ontwerp", "stage": "pilot"}, "stage", "hoort alleen bij Implementatie"),
        ({"is_ai_system": "on"}, "risicogroep", "Kies voor een AI-systeem"),
        ({"rol_ai_act": ["baas"], "is_ai_system": "on"}, "rol_ai_act", "geldige keuze"),
    ],
)
def test_invalid_profile_is_not_applied(synced, login, values, field, message):
    response = login(synced.owner).post(profile_url(synced), data(confirm="1", **values))
    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors[field])
    synced.algorithm.refresh_from_db()
    assert synced.algorithm.version == 1


def test_ai_fields_are_cleared_for_a_non_ai_system(synced, login):
    synced.algorithm.rol_ai_act = ["aanbieder"]
    synced.algorithm.risicogroep = "hoog-risico-ai-systeem"
    synced.algorithm.save()
    # AI labels on an algorithm that is not AI are refused (tests/algorithms/test_guardrails.py);
    # leaving them out clears the stored ones.
    response = login(synced.owner).post(profile_url(synced), data(stage="pilot", confirm="1"))
    assert response.status_code == 302
    synced.algorithm.refresh_from_db()
    assert synced.algorithm.risicogroep == ""
    assert synced.algorithm.rol_ai_act == []


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("viewer", 403),
        ("contributor", 403),
        ("approver", 403),
        ("portfolio", 403),
        ("outsider", 404),
    ],
)
def test_profile_refused(synced, login, role, status):
    client = login(synced.users[role])
    assert client.get(profile_url(synced)).status_code == status
    assert client.post(profile_url(synced), data(confirm="1")).status_code == status
    synced.algorithm.refresh_from_db()
    assert synced.algorithm.stage == "pilot"


def test_profile_anonymous(synced, login):
    response = login(None).post(profile_url(synced), data(confirm="1"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))
