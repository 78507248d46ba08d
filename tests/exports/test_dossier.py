"""The dossier dict: a fixed number of queries, every item once, readiness reused."""

import pytest

from tests.world import make_checklist_item, make_evidence, make_risk
from tracker.algorithms.models import Algorithm
from tracker.exports.dossier import DOSSIER_QUERIES, build_dossier
from tracker.gates.readiness import go_live_readiness


def _loaded(algorithm) -> Algorithm:
    """As the views and the command load it (organisation and release joined)."""
    return Algorithm.objects.select_related("organisation", "release").get(pk=algorithm.pk)


def test_query_count_does_not_grow_with_the_checklist(dossier_world, django_assert_num_queries):
    algorithm = _loaded(dossier_world.algorithm)
    with django_assert_num_queries(DOSSIER_QUERIES):
        build_dossier(algorithm, generated_by="t")
    for _ in range(5):
        item = make_checklist_item(algorithm, owner=dossier_world.world.owner)
        make_evidence(item, dossier_world.world.contributor)
        make_risk(item, dossier_world.world.contributor)
    algorithm = _loaded(algorithm)
    with django_assert_num_queries(DOSSIER_QUERIES):
        dossier = build_dossier(algorithm, generated_by="t")
    assert len(dossier["items"]) == 12
    with django_assert_num_queries(DOSSIER_QUERIES + 1):  # + the count of all entries
        build_dossier(algorithm, generated_by="t", audit_limit=2)


def test_every_item_in_exactly_one_group(dossier_world) -> None:
    dossier = build_dossier(dossier_world.algorithm, generated_by="t")
    grouped = [pk for group in dossier["groups"] for pk in group["item_ids"]]
    assert sorted(grouped) == sorted(item["id"] for item in dossier["items"])
    assert len(grouped) == len(set(grouped))
    titles = [group["title"] for group in dossier["groups"]]
    assert titles[0].startswith("aia-09: ")
    assert titles[-1] == "Niet meer van toepassing"
    retired = dossier["groups"][-1]["item_ids"]
    assert retired == [dossier_world.items[5].pk]
    by_id = {item["id"]: item for item in dossier["items"]}
    first = dossier["groups"][0]["item_ids"]
    assert [by_id[pk]["code"] for pk in first] == ["aia-09", "imp-01"]  # vereiste -> maatregel


def test_summary_reuses_the_gate_readiness(dossier_world) -> None:
    algorithm = dossier_world.algorithm
    dossier = build_dossier(algorithm, generated_by="t")
    readiness = go_live_readiness(algorithm)
    assert [b["key"] for b in dossier["summary"]["blockers"]] == [b.key for b in readiness.blockers]
    assert dossier["summary"]["go_live_ready"] is readiness.ready
    progress = dossier["summary"]["progress"]
    assert progress["total"] == 6  # the retired item does not count
    assert progress["done"] == 1
    assert progress["not_applicable"] == 1


def test_items_carry_evidence_risks_reasons_and_norms(dossier_world) -> None:
    dossier = build_dossier(dossier_world.algorithm, generated_by="t")
    by_id = {item["id"]: item for item in dossier["items"]}
    toezicht = by_id[dossier_world.items[0].pk]
    assert [row["id"] for row in toezicht["evidence"]] == [
        dossier_world.evidence[0].pk,
        dossier_world.evidence[1].pk,
    ]
    assert toezicht["reasons"] == [
        {"code": "label_match", "text": "Risicogroep: hoog-risico-AI-systeem komt voor"}
    ]
    assert toezicht["risks"][0]["accepted"] is True
    werkinstructie = by_id[dossier_world.items[2].pk]
    assert werkinstructie["norms"] == ["ARK 3.07", "ADR DM.3", "ADR DM.10"]
    assert werkinstructie["overdue"] is True
    assert werkinstructie["open_risk_count"] == 1
    withdrawn = werkinstructie["evidence"][0]
    assert withdrawn["withdrawn"] is True
    assert withdrawn["withdrawn_by"]["username"] == "owner"
    expired = by_id[dossier_world.items[4].pk]["risks"][0]
    assert expired["acceptance_expired"] is True
    assert expired["accepted"] is False


def test_norm_annex_combines_the_csv_relation_and_front_matter(dossier_world) -> None:
    dossier = build_dossier(dossier_world.algorithm, generated_by="t")
    norms = {f"{n['framework']} {n['number']}": n for n in dossier["norms"]}
    assert list(norms) == ["ARK 1.04", "ARK 3.07", "ADR DM.3", "ADR DM.10"]
    assert norms["ARK 1.04"]["items"] == []  # a gap: no item covers it
    assert norms["ARK 1.04"]["in_release"] is True
    dm3 = {row["code"]: row["via"] for row in norms["ADR DM.3"]["items"]}
    assert dm3 == {"imp-01": ["relatie-csv", "sources"], "owp-07": ["relatie-csv"]}
    assert norms["ADR DM.10"]["in_release"] is False
    assert norms["ADR DM.10"]["items"][0]["status"] == "in_progress"


def test_decisions_with_approvers_conditions_and_verified_hashes(dossier_world) -> None:
    dossier = build_dossier(dossier_world.algorithm, generated_by="t", include_snapshots=True)
    decisions = dossier["decisions"]
    assert [d["id"] for d in decisions] == [d.pk for d in dossier_world.decisions]
    pilot, no_go, conditional = decisions
    assert pilot["gate"] == "pilot"
    assert pilot["current"] is True
    assert no_go["current"] is False
    assert no_go["superseded_by_id"] == conditional["id"]
    assert conditional["decided_by"]["name"] == "Anneke van ’t Hoff-Öztürk"
    assert conditional["conditions"]
    assert all(d["snapshot_verifies"] for d in decisions)
    assert conditional["snapshot"]["algorithm"]["slug"] == dossier_world.algorithm.slug
    assert (
        build_dossier(dossier_world.algorithm, generated_by="t")["decisions"][0]["snapshot"] is None
    )


@pytest.mark.parametrize("limit", [None, 3])
def test_audit_trail_all_or_most_recent_with_total(dossier_world, limit) -> None:
    algorithm = dossier_world.algorithm
    total = algorithm.audit_entries.count()
    audit = build_dossier(algorithm, generated_by="t", audit_limit=limit)["audit"]
    assert audit["total"] == total > 3
    seqs = [entry["seq"] for entry in audit["entries"]]
    expected = list(algorithm.audit_entries.order_by("seq").values_list("seq", flat=True))
    assert seqs == (expected if limit is None else expected[-limit:])
    assert audit["complete"] is (limit is None)
