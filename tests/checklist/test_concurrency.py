"""No lost updates: two people edit the same item; the second save is refused."""

import re

from django.test import Client
from django.urls import reverse

from tracker.audit.models import AuditEntry
from tracker.checklist.models import ChecklistItem

Status = ChecklistItem.Status
HTMX = {"HTTP_HX_REQUEST": "true"}


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def loaded_version(client: Client, url: str) -> str:
    """The version the item page's form carries, as a browser would submit it."""
    html = client.get(url).content.decode()
    return re.search(r'<input type="hidden" name="version" value="(\d+)" id="id_version">', html)[1]


def test_second_of_two_concurrent_saves_is_refused_and_nothing_is_lost(world):
    item = world.item
    page = reverse("checklist:item", args=[world.algorithm.slug, item.pk])
    update = reverse("checklist:update", args=[world.algorithm.slug, item.pk])
    first, second = logged_in(world.contributor), logged_in(world.approver)
    # Both load the item page: the same version.
    first_version, second_version = loaded_version(first, page), loaded_version(second, page)
    assert first_version == second_version == "1"

    saved = first.post(
        update,
        {
            "version": first_version,
            "status": Status.IN_PROGRESS,
            "owner": world.contributor.pk,
            "due_date": "2026-10-01",
            "justification": "",
        },
    )
    assert saved.status_code == 302

    refused = second.post(
        update,
        {
            "version": second_version,
            "status": Status.NOT_APPLICABLE,
            "justification": "Volgens mij niet relevant",
            "owner": "",
            "due_date": "",
        },
        **HTMX,
    )
    assert refused.status_code == 409
    body = refused.content.decode()
    assert "Iemand anders heeft dit item intussen gewijzigd:" in body
    assert "status: Open -&gt; In behandeling door contributor om " in body
    assert "eigenaar: leeg -&gt; contributor door contributor om " in body
    assert "deadline: leeg -&gt; 01-10-2026 door contributor om " in body
    # The second user's own values are still in the form, now on the current version.
    assert '<option value="not_applicable" selected>' in body
    assert "Volgens mij niet relevant</textarea>" in body
    assert 'name="version" value="2"' in body

    # The first user's values are kept; the refused save wrote nothing.
    item.refresh_from_db()
    assert (item.status, item.owner, str(item.due_date), item.justification, item.version) == (
        Status.IN_PROGRESS,
        world.contributor,
        "2026-10-01",
        "",
        2,
    )
    assert AuditEntry.objects.for_object(item).count() == 1

    # Having seen the change, the second user can deliberately save again.
    again = second.post(
        update,
        {
            "version": "2",
            "status": Status.NOT_APPLICABLE,
            "justification": "Volgens mij niet relevant",
            "owner": world.contributor.pk,
            "due_date": "2026-10-01",
        },
    )
    assert again.status_code == 302
    item.refresh_from_db()
    assert (item.status, item.version) == (Status.NOT_APPLICABLE, 3)


def test_stale_row_on_the_checklist_page_is_refused_in_the_row(world):
    list_url = reverse("checklist:list", args=[world.algorithm.slug])
    update = reverse("checklist:update", args=[world.algorithm.slug, world.item.pk])
    first, second = logged_in(world.contributor), logged_in(world.owner)
    for client in (first, second):
        assert 'name="version" value="1"' in client.get(list_url).content.decode()
    base = {"version": "1", "from": "row", "next": list_url, "justification": "", "due_date": ""}

    assert first.post(update, {**base, "status": Status.DONE, "owner": ""}).status_code == 302
    refused = second.post(
        update, {**base, "status": Status.IN_PROGRESS, "owner": world.owner.pk}, **HTMX
    )
    assert refused.status_code == 409
    body = refused.content.decode()
    assert body.lstrip().startswith(f'<tr class="utrecht-table__row" id="rij-{world.item.pk}">')
    assert "status: Open -&gt; Gereed door contributor" in body
    assert '<option value="in_progress" selected>' in body
    assert f'<option value="{world.owner.pk}" selected>' in body
    world.item.refresh_from_db()
    assert (world.item.status, world.item.owner) == (Status.DONE, None)


def test_plain_stale_save_shows_the_item_page_with_409(world):
    update = reverse("checklist:update", args=[world.algorithm.slug, world.item.pk])
    first, second = logged_in(world.contributor), logged_in(world.owner)
    data = {"version": "1", "justification": "", "owner": "", "due_date": ""}
    first.post(update, {**data, "status": Status.DONE})
    refused = second.post(update, {**data, "status": Status.IN_PROGRESS})
    assert refused.status_code == 409
    assert "<html" in refused.content.decode()
    assert "Iemand anders heeft dit item intussen gewijzigd:" in refused.content.decode()
    world.item.refresh_from_db()
    assert world.item.status == Status.DONE
