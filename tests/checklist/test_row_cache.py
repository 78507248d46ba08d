"""The checklist's rows are kept rendered by their content: each row's cells
(Row.cache_key and row_scope) and the page's rows whole (results_key). After every kind of
change a row shows, the page from what is kept is the page rendered from scratch, and it
shows the change; the save forms of kept rows carry the requester's own CSRF token."""

import re
from datetime import timedelta

import pytest
from django.core.cache import caches
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.world import add_member, make_algorithm, make_checklist_item, make_user
from tracker.checklist import actions
from tracker.checklist.models import ChecklistItem
from tracker.evidence import actions as evidence_actions
from tracker.pages.checklist import CSRF_HOLE
from tracker.risks import actions as risk_actions

pytestmark = pytest.mark.django_db
# A new masked CSRF token and script nonce on every request.
PER_REQUEST = re.compile(
    r'name="csrfmiddlewaretoken" value="[^"]+"|nonce="[^"]+"|"X-CSRFToken": "[^"]+"'
)


class Kept:
    """The rows' kept cells and the pages' rows kept whole."""

    def __init__(self) -> None:
        self._cache = caches["fragments"]._cache  # the rows' entries, to count them
        self.pages = caches["pages"]

    def clear(self) -> None:
        caches["fragments"].clear()
        self.pages.clear()


@pytest.fixture
def rows():
    kept = Kept()
    kept.clear()
    yield kept
    kept.clear()


def _page(client, algorithm) -> str:
    html = client.get(reverse("checklist:list", args=[algorithm.slug])).content.decode()
    return PER_REQUEST.sub("", html)


def _same_as_from_scratch(client, algorithm, rows) -> str:
    """The page from what is kept equals the page rendered from scratch: its first view
    after a change renders the changed rows (the others from their kept cells) and keeps
    the rows whole, the second shows them from there."""
    first = _page(client, algorithm)
    assert rows.pages._cache  # kept whole
    kept = _page(client, algorithm)
    rows.clear()
    assert _page(client, algorithm) == kept == first
    assert rows.pages._cache  # kept whole again: the next change's view must not use it
    return kept


def test_kept_cells_equal_a_fresh_rendering_after_every_change_a_row_shows(client, rows):
    algorithm = make_algorithm()
    owner, other = make_user("eigenaar"), make_user("collega", first_name="Cor")
    add_member(algorithm, owner, "owner")
    add_member(algorithm, other, "contributor")
    item = make_checklist_item(algorithm)
    make_checklist_item(algorithm)
    client.force_login(owner)
    before = _same_as_from_scratch(client, algorithm, rows)
    assert len(rows._cache) == 2  # both rows' cells were kept

    def fresh() -> ChecklistItem:
        return ChecklistItem.objects.get(pk=item.pk)

    changes = [
        lambda: actions.update_item(
            fresh(), owner, expected_version=fresh().version, status="in_progress"
        ),
        lambda: actions.update_item(fresh(), owner, expected_version=fresh().version, owner=other),
        lambda: actions.update_item(
            fresh(),
            owner,
            expected_version=fresh().version,
            due_date=timezone.localdate() - timedelta(days=1),
        ),
        lambda: evidence_actions.add_note(fresh(), owner, note="Verslag", title="Verslag"),
        lambda: risk_actions.add_risk(
            fresh(), owner, description="Restrisico", likelihood=2, impact=2, owner=other
        ),
        # Not through an action: a name changed in the admin shows all the same.
        lambda: type(other).objects.filter(pk=other.pk).update(first_name="Cornelia"),
        lambda: ChecklistItem.objects.filter(pk=item.pk).update(review_since=timezone.now()),
    ]
    for change in changes:
        change()
        after = _same_as_from_scratch(client, algorithm, rows)
        assert after != before
        before = after
    for shown in ("Cornelia", "Opnieuw beoordelen", "Te laat"):
        assert shown in before


def test_a_reader_and_an_editor_never_share_cells(client, rows):
    algorithm = make_algorithm()
    owner, reader = make_user("eigenaar"), make_user("lezer")
    add_member(algorithm, owner, "owner")
    add_member(algorithm, reader, "viewer")
    make_checklist_item(algorithm)
    client.force_login(owner)
    assert 'id="status-' in _page(client, algorithm)
    client.force_login(reader)
    assert 'id="status-' not in _page(client, algorithm)


def _tokens(html: str) -> set[str]:
    return set(re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"', html))


def test_kept_rows_carry_each_editors_own_csrf_token(rows):
    """Two editors of one algorithm see the same rows, kept once; each one's save forms
    hold a token of their own session, which the CSRF check accepts for their save."""
    algorithm = make_algorithm()
    first, second = make_user("eerste"), make_user("tweede")
    add_member(algorithm, first, "owner")
    add_member(algorithm, second, "contributor")
    items = [make_checklist_item(algorithm) for _ in range(3)]
    clients = []
    for user in (first, second):
        client = Client(enforce_csrf_checks=True)
        client.force_login(user)
        clients.append(client)
    url = reverse("checklist:list", args=[algorithm.slug])
    pages = [client.get(url).content.decode() for client in clients]
    assert len(rows.pages._cache) == 1  # the second editor's rows came from the first's
    # The cache's own keys are ":<version>:<key>".
    (kept,) = (rows.pages.get(key.split(":", 2)[2]) for key in list(rows.pages._cache))
    assert _tokens(kept) == {CSRF_HOLE}  # no one's token is kept, only where it goes
    item = items[0]
    for client, html in zip(clients, pages, strict=True):
        (token,) = _tokens(html.split(f'id="rij-form-{item.pk}"')[1].split("</form>")[0])
        assert CSRF_HOLE not in html
        data = {"status": "in_progress", "justification": "", "owner": "", "due_date": ""}
        data["version"] = ChecklistItem.objects.get(pk=item.pk).version
        response = client.post(
            reverse("checklist:update", args=[algorithm.slug, item.pk]),
            {**data, "csrfmiddlewaretoken": token},
        )
        assert response.status_code == 302, response.status_code
        # Without the token the check refuses the save.
        refused = client.post(reverse("checklist:update", args=[algorithm.slug, item.pk]), data)
        assert refused.status_code == 403
