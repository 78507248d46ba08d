"""The item page's work instruction: saved, rendered safely, refreshed by htmx, and
refused when stale."""

from tests.checklist.requests import HTMX, item_url, update_data
from tracker.audit.models import AuditEntry
from tracker.checklist.models import ChecklistItem

Status = ChecklistItem.Status


def test_htmx_item_form_update_returns_the_section_and_refreshes_the_instruction_version(
    client_for, world
):
    data = {**update_data(world.item, status=Status.DONE), "instruction-version": "1"}
    response = client_for(world.contributor).post(item_url(world, "checklist:update"), data, **HTMX)
    assert response.status_code == 200
    body = response.content.decode()
    assert body.lstrip().startswith('<section id="status"')
    assert "Opgeslagen." in body
    # The instruction form of the same page was loaded at version 1 too: it follows.
    assert 'id="id_instruction-version" value="2" hx-swap-oob="true"' in body


def test_instruction_form_of_an_older_version_is_not_refreshed(client_for, world):
    world.item.version = 1
    ChecklistItem.objects.filter(pk=world.item.pk).update(version=3)
    world.item.refresh_from_db()
    data = {**update_data(world.item, status=Status.DONE), "instruction-version": "1"}
    body = (
        client_for(world.contributor)
        .post(item_url(world, "checklist:update"), data, **HTMX)
        .content.decode()
    )
    assert "id_instruction-version" not in body


# -- work instruction, comments, decisions ------------------------------------------


def test_instruction_is_saved_and_rendered_safely(client_for, world):
    client = client_for(world.contributor)
    text = "## Stappen\n\n1. Lees de uitvoer\n\n<script>alert(1)</script>[x](javascript:alert(1))"
    data = {"instruction-version": 1, "instruction-work_instruction": text}
    response = client.post(item_url(world, "checklist:instruction"), data)
    assert response.status_code == 302
    world.item.refresh_from_db()
    assert world.item.work_instruction.startswith("## Stappen")
    page = client.get(item_url(world)).content.decode()
    assert "<h2" in page
    assert "Stappen</h2>" in page
    assert "<script>alert(1)</script>" not in page
    assert "javascript:alert" not in page.split('id="werkinstructie"')[1].split("<form")[0]
    entry = AuditEntry.objects.for_object(world.item).get()
    assert sorted(entry.changes) == ["version", "work_instruction"]  # jsonb has no key order


def test_instruction_images_only_from_the_app(client_for, world):
    client = client_for(world.contributor)
    text = (
        "![pixel](https://tracker.example.com/p.gif) ![ook](//evil.example/p.gif)"
        " ![relatief](schema.png) ![eigen](/static/schema.png)"
    )
    data = {"instruction-version": 1, "instruction-work_instruction": text}
    assert client.post(item_url(world, "checklist:instruction"), data).status_code == 302
    page = client.get(item_url(world)).content.decode()
    instruction = page.split('id="werkinstructie"')[1].split("<form")[0]
    assert "example" not in instruction
    assert 'schema.png"' not in instruction.replace('src="/static/schema.png"', "")
    assert '<img alt="pixel">' in instruction
    assert '<img alt="eigen" src="/static/schema.png">' in instruction


def test_htmx_instruction_returns_its_section(client_for, world):
    data = {"instruction-version": 1, "instruction-work_instruction": "*Let op*", "version": "1"}
    response = client_for(world.contributor).post(
        item_url(world, "checklist:instruction"), data, **HTMX
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert body.lstrip().startswith('<section id="werkinstructie"')
    assert "<em>Let op</em>" in body
    assert 'id="id_version" value="2" hx-swap-oob="true"' in body


def test_stale_instruction_is_refused(client_for, world):
    client = client_for(world.contributor)
    data = {"instruction-version": 1, "instruction-work_instruction": "Eerste"}
    client.post(item_url(world, "checklist:instruction"), data)
    data = {"instruction-version": 1, "instruction-work_instruction": "Tweede"}
    response = client.post(item_url(world, "checklist:instruction"), data, **HTMX)
    assert response.status_code == 409
    body = response.content.decode()
    assert "Iemand anders heeft dit item intussen gewijzigd:" in body
    assert "werkinstructie: leeg -&gt; Eerste door contributor om" in body
    assert "Tweede</textarea>" in body  # the user's text is kept in the form
    # ... on the current version: saving again is a deliberate choice.
    assert 'name="instruction-version" value="2"' in body
    world.item.refresh_from_db()
    assert world.item.work_instruction == "Eerste"
