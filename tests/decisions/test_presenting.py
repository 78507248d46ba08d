"""Reading a stored snapshot for the detail page: Dutch labels, local times, tolerance
for keys an older snapshot does not have."""

import datetime

from tracker.decisions.presenting import present_snapshot, profile_rows


def test_profile_rows_use_dutch_names():
    rows = dict(
        profile_rows(
            {
                "is_ai_system": True,
                "risicogroep": "hoog-risico-ai-systeem",
                "rol_ai_act": ["gebruiksverantwoordelijke"],
            }
        )
    )
    assert rows["AI-systeem"] == "ja"
    assert rows["Risicogroep"] != "hoog-risico-ai-systeem"
    assert "hoog" in rows["Risicogroep"].lower()
    assert profile_rows({"is_ai_system": False}) == [("AI-systeem", "nee")]


def test_items_are_grouped_by_kind_with_labels_and_times():
    shown = present_snapshot(
        {
            "taken_at": "2026-05-01T10:00:00+00:00",
            "algorithm": {"name": "X", "phase": "implementatie", "stage": "production"},
            "items": [
                {"kind": "measure", "status": "not_applicable", "due_date": "2026-06-30"},
                {"kind": "requirement", "status": "done", "evidence": [{"kind": "file"}]},
            ],
            "blockers": [{"key": "affected-persons", "category": "betrokkenen", "label": "…"}],
        }
    )
    assert shown["taken"] == datetime.datetime(2026, 5, 1, 10, tzinfo=datetime.UTC)
    assert [group.title for group in shown["groups"]] == ["Vereisten", "Maatregelen"]
    [measure] = shown["groups"][1].items
    assert measure["status_label"] == "Niet van toepassing"
    assert measure["due"] == datetime.date(2026, 6, 30)
    assert shown["groups"][0].items[0]["evidence"][0]["kind_label"] == "Bestand"
    assert shown["algorithm"]["stage_label"] == "Productie"
    assert shown["blockers"][0]["category_title"] == "Betrokkenen informeren"
    assert shown["pilot"] is None
