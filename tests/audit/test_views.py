"""The algorithm's audit log page and the reusable entries partial."""

import datetime as dt

import pytest
from django.db import connection
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.world import make_algorithm, make_user
from tracker.audit.models import AuditEntry
from tracker.audit.trail import record
from tracker.evidence.models import Evidence

pytestmark = pytest.mark.django_db


def log_url(algorithm) -> str:
    return reverse("audit:algorithm", args=[algorithm.slug])


@pytest.mark.parametrize("user", ["viewer", "contributor", "approver", "owner", "portfolio"])
def test_readers_see_the_log(client, world, make_trail, user: str) -> None:
    make_trail(2)
    client.force_login(world.users[user])
    response = client.get(log_url(world.algorithm))
    assert response.status_code == 200
    assert list(response.context["entries"]) == list(AuditEntry.objects.order_by("-seq"))


def test_anonymous_is_sent_to_login(client, world) -> None:
    response = client.get(log_url(world.algorithm))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_outsider_gets_404(client, world, make_trail) -> None:
    make_trail(1)
    client.force_login(world.outsider)
    assert client.get(log_url(world.algorithm)).status_code == 404


def test_post_is_not_allowed(client, world) -> None:
    client.force_login(world.owner)
    assert client.post(log_url(world.algorithm)).status_code == 405


def test_entry_shows_when_who_what_and_old_to_new(client, world) -> None:
    item = world.item
    entry = record(
        actor=world.contributor,
        obj=item,
        action="update",
        changes={"status": ["open", "done"], "due_date": [None, "2026-03-01"]},
        algorithm=world.algorithm,
    )
    # 23:30 UTC on 31 January is 00:30 on 1 February in Amsterdam.
    winter = dt.datetime(2026, 1, 31, 23, 30, tzinfo=dt.UTC)
    AuditEntry.objects.filter(pk=entry.pk)._update(
        [(AuditEntry._meta.get_field("at"), None, winter)]
    )
    client.force_login(world.viewer)
    html = client.get(log_url(world.algorithm)).content.decode()
    assert "1 februari 2026, 00:30" in html
    assert 'datetime="2026-02-01T00:30:00+01:00"' in html
    assert "contributor" in html
    assert f"Checklistitem <q>{item}</q> gewijzigd" in html
    assert "<dt>status</dt>" in html
    assert '<span class="app-audit__old">Open</span>' in html
    assert '<span class="app-audit__new">Gereed</span>' in html
    assert "<dt>deadline</dt>" in html
    assert '<span class="app-audit__new">1 maart 2026</span>' in html


def test_only_this_algorithms_entries(client, world, make_trail) -> None:
    make_trail(1)
    other = make_algorithm(name="Ander algoritme")
    record(actor=world.owner, obj=other, action="updated", changes={}, algorithm=other)
    client.force_login(world.viewer)
    entries = client.get(log_url(world.algorithm)).context["entries"]
    assert [e.algorithm_id for e in entries] == [world.algorithm.pk]


def test_filter_by_type_and_user(client, world, make_trail) -> None:
    make_trail(2, actor=world.owner)
    evidence = Evidence.objects.create(
        item=world.item, kind="note", title="Notitie", note="n", added_by=world.contributor
    )
    record(
        actor=world.contributor,
        obj=evidence,
        action="create",
        changes={"title": [None, "Notitie"]},
        algorithm=world.algorithm,
    )
    client.force_login(world.viewer)
    url = log_url(world.algorithm)

    by_type = client.get(url, {"type": "tracker.evidence"})
    assert [e.object_type for e in by_type.context["entries"]] == ["tracker.evidence"]
    choices = dict(by_type.context["form"].fields["type"].choices)
    assert choices == {
        "": "Alle soorten",
        "tracker.algorithm": "Algoritme",
        "tracker.evidence": "Bewijs",
    }

    by_user = client.get(url, {"user": world.owner.pk})
    assert {e.actor_name for e in by_user.context["entries"]} == {"owner"}
    assert len(by_user.context["entries"]) == 2
    user_choices = by_user.context["form"].fields["user"].choices
    assert [label for _, label in user_choices] == ["Alle gebruikers", "contributor", "owner"]

    both = client.get(url, {"user": world.owner.pk, "type": "tracker.evidence"})
    assert list(both.context["entries"]) == []
    assert "Geen wijzigingen met deze filters." in both.content.decode()


def test_bad_filter_values_are_ignored_with_an_error(client, world, make_trail) -> None:
    make_trail(3)
    client.force_login(world.viewer)
    response = client.get(log_url(world.algorithm), {"type": "auth.user", "user": "abc"})
    assert response.status_code == 200
    assert len(response.context["entries"]) == 3
    assert set(response.context["form"].errors) == {"type", "user"}


def test_paginated_by_50_newest_first(client, world, make_trail) -> None:
    make_trail(51)
    client.force_login(world.viewer)
    first = client.get(log_url(world.algorithm))
    assert [e.seq for e in first.context["entries"]] == list(range(51, 1, -1))
    html = first.content.decode()
    assert "51 wijzigingen, pagina 1 van 2." in html
    assert 'href="?pagina=2"' in html
    second = client.get(log_url(world.algorithm), {"pagina": 2})
    assert [e.seq for e in second.context["entries"]] == [1]
    out_of_range = client.get(log_url(world.algorithm), {"pagina": 99})
    assert [e.seq for e in out_of_range.context["entries"]] == [1]


def test_pagination_keeps_the_filters(client, world, make_trail) -> None:
    make_trail(51)
    client.force_login(world.viewer)
    response = client.get(log_url(world.algorithm), {"type": "tracker.algorithm"})
    assert 'href="?type=tracker.algorithm&amp;pagina=2"' in response.content.decode()


def test_htmx_request_gets_only_the_results(client, world, make_trail) -> None:
    make_trail(2)
    client.force_login(world.viewer)
    response = client.get(log_url(world.algorithm), headers={"HX-Request": "true"})
    html = response.content.decode()
    assert "app-audit__entry" in html
    assert "<html" not in html
    assert "Logboek filteren" not in html
    assert "HX-Request" in response["Vary"]


def _queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_query_count_does_not_grow_with_the_entries(client, world, make_trail) -> None:
    client.force_login(world.viewer)
    url = log_url(world.algorithm)
    make_trail(2)
    few = _queries(client, url)
    other_users = [make_user() for _ in range(5)]
    for user in other_users:
        make_trail(10, actor=user)
    many = _queries(client, url)
    assert few == many
    assert few <= 12, few


def test_entries_partial_for_an_item(world, make_trail) -> None:
    """The item page includes the partial with the item's own trail."""
    make_trail(1)  # about the algorithm: not part of the item's trail
    record(actor=world.owner, obj=world.item, action="update", changes={"status": ["open", "done"]})
    evidence = Evidence.objects.create(
        item=world.item, kind="url", title="Rapport", url="https://example.nl", added_by=world.owner
    )
    record(
        actor=world.owner,
        obj=evidence,
        action="withdraw",
        changes={"withdrawal_reason": [None, "oud"]},
    )
    entries = AuditEntry.objects.for_item(world.item)
    assert [e.object_type for e in entries] == ["tracker.evidence", "tracker.checklistitem"]
    html = render_to_string("audit/_entries.html", {"entries": entries, "hide_object": False})
    assert "Bewijs <q>Rapport</q> ingetrokken" in html
    assert "reden van intrekking" in html
    empty = render_to_string("audit/_entries.html", {"entries": []})
    assert "Nog geen wijzigingen vastgelegd." in empty
