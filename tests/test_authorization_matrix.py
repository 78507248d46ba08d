"""The authorization matrix: every URL pattern of the app x every kind of user.

A URL pattern of the app without a row in MATRIX fails `test_every_url_pattern_has_a_row`,
so a new view cannot ship without its access rules being stated here.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.world import World, make_condition, make_decision, make_world

USERS = ("anonymous", "outsider", "viewer", "contributor", "approver", "owner", "portfolio")
OK, LOGIN, FORBIDDEN, NOT_FOUND = "ok", "login", "403", "404"


def _outcomes(**granted: str) -> dict[str, str]:
    return {user: granted.get(user, OK) for user in USERS}


PUBLIC = dict.fromkeys(USERS, OK)
LOGGED_IN = _outcomes(anonymous=LOGIN)
READERS = _outcomes(anonymous=LOGIN, outsider=NOT_FOUND)
EDITORS = _outcomes(anonymous=LOGIN, outsider=NOT_FOUND, viewer=FORBIDDEN, portfolio=FORBIDDEN)
APPROVERS = _outcomes(
    anonymous=LOGIN,
    outsider=NOT_FOUND,
    viewer=FORBIDDEN,
    portfolio=FORBIDDEN,
    contributor=FORBIDDEN,
    owner=FORBIDDEN,
)
EXPORTERS = _outcomes(  # owners and approvers
    anonymous=LOGIN,
    outsider=NOT_FOUND,
    viewer=FORBIDDEN,
    portfolio=FORBIDDEN,
    contributor=FORBIDDEN,
)
MANAGERS = _outcomes(
    anonymous=LOGIN,
    outsider=NOT_FOUND,
    viewer=FORBIDDEN,
    portfolio=FORBIDDEN,
    contributor=FORBIDDEN,
    approver=FORBIDDEN,
)


@dataclass(frozen=True)
class Row:
    method: str
    expect: dict[str, str]
    args: Callable[[World], list] = lambda w: []
    data: Callable[[World], dict] = field(default=lambda w: {})


def slug(w: World) -> list:
    return [w.algorithm.slug]


def aid_tree(w: World) -> list:
    """No URL arguments; makes sure a (tiny) decision tree is imported."""
    from tests.decision_aid.helpers import make_decision_tree
    from tracker.decision_aid.models import DecisionTree

    if not DecisionTree.objects.exists():
        make_decision_tree()
    return []


def aid_slug(w: World) -> list:
    return aid_tree(w) + slug(w)


def aid_answers(w: World) -> dict:
    """Query or form data: the tiny tree's "Nee" (not an algorithm), a complete walk."""
    from tracker.decision_aid.models import DecisionTree

    return {"v": DecisionTree.objects.get().pk, "a": [1]}


def slug_item(w: World) -> list:
    return [w.algorithm.slug, w.item.pk]


def slug_decision(w: World) -> list:
    return [w.algorithm.slug, make_decision(w.algorithm, w.approver).pk]


def slug_condition(w: World) -> list:
    return [w.algorithm.slug, make_condition(w.algorithm, w.approver, w.contributor).pk]


def slug_viewer_membership(w: World) -> list:
    return [w.algorithm.slug, w.algorithm.memberships.get(user=w.viewer).pk]


def slug_evidence(w: World) -> list:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tracker.evidence.actions import add_file

    upload = SimpleUploadedFile("bewijs.pdf", b"%PDF-1.4\n%%EOF\n")
    return [w.algorithm.slug, add_file(w.item, w.contributor, upload=upload).pk]


def slug_risk(w: World) -> list:
    from tracker.risks.actions import add_risk

    risk = add_risk(w.item, w.contributor, description="Restrisico", likelihood=2, impact=3)
    return [w.algorithm.slug, risk.pk]


def slug_dossier_job(w: World) -> list:
    """A finished PDF dossier job of the algorithm (no rendering needed)."""
    from tests.world_dossier import make_dossier_job

    return [w.algorithm.slug, make_dossier_job(w.algorithm, state="done").pk]


def slug_register_export(w: World) -> list:
    """An export of a complete register entry (needs the real standard in ../shared)."""
    from tests.register.helpers import export_for

    return [w.algorithm.slug, export_for(w).pk]


def register_save_data(w: World) -> dict:
    """A first save of the register entry (the standard imported from ../shared)."""
    from tests.register.helpers import ensure_standard

    ensure_standard()
    return {"version": "0", "goal": "Doel"}


def catalog_item(w: World) -> list:
    ci = w.item.catalog_item
    return [ci.release.label, ci.kind, ci.slug]


MATRIX: dict[str, Row] = {
    "home": Row("get", LOGGED_IN),
    "login": Row("get", PUBLIC),
    "logout": Row("post", dict.fromkeys(USERS, LOGIN)),  # LOGOUT_REDIRECT_URL is the login page
    "catalog:list": Row("get", LOGGED_IN),
    "catalog:item": Row("get", LOGGED_IN, catalog_item),
    "catalog:compare": Row("get", LOGGED_IN),
    "gates:go_live": Row("get", READERS, slug),
    "decisions:list": Row("get", READERS, slug),
    "decisions:detail": Row("get", READERS, slug_decision),
    "decisions:record": Row("post", APPROVERS, slug),
    "decisions:condition_done": Row("post", EDITORS, slug_condition),
    "pilots:detail": Row("get", READERS, slug),
    "pilots:edit": Row("get", EDITORS, slug),
    "pilots:evaluate": Row("get", EDITORS, slug),
    "pilots:decide": Row("post", APPROVERS, slug),
    "checklist:list": Row("get", READERS, slug),
    "checklist:item": Row("get", READERS, slug_item),
    "checklist:update": Row("post", EDITORS, slug_item, lambda w: {"version": 1, "status": "done"}),
    "checklist:instruction": Row(
        "post",
        EDITORS,
        slug_item,
        lambda w: {"instruction-version": 1, "instruction-work_instruction": "Stap 1"},
    ),
    "checklist:comment": Row("post", EDITORS, slug_item, lambda w: {"body": "Opmerking"}),
    "checklist:review": Row("post", EDITORS, slug_item, lambda w: {"version": 1}),
    "checklist:decide": Row(
        "post", APPROVERS, slug_item, lambda w: {"verdict": "go", "rationale": "Akkoord"}
    ),
    "algorithms:list": Row("get", LOGGED_IN),
    "algorithms:create": Row("get", LOGGED_IN),
    "algorithms:detail": Row("get", READERS, slug),
    "algorithms:not_applicable": Row("get", READERS, slug),
    "algorithms:members": Row("get", READERS, slug),
    "algorithms:edit": Row("get", MANAGERS, slug),
    "algorithms:profile": Row("get", MANAGERS, slug),
    "algorithms:release": Row("get", MANAGERS, slug),
    "decision_aid:start": Row("get", LOGGED_IN, aid_tree),
    "decision_aid:question": Row("get", LOGGED_IN, aid_tree, aid_answers),
    "decision_aid:result": Row("get", LOGGED_IN, aid_tree, aid_answers),
    "decision_aid:algorithm_start": Row("get", MANAGERS, aid_slug),
    "decision_aid:algorithm_question": Row("get", MANAGERS, aid_slug, aid_answers),
    "decision_aid:algorithm_result": Row("get", MANAGERS, aid_slug, aid_answers),
    "decision_aid:algorithm_apply": Row(
        "post", MANAGERS, aid_slug, lambda w: {**aid_answers(w), "version": w.algorithm.version}
    ),
    "algorithms:member_add": Row(
        "post", MANAGERS, slug, lambda w: {"user": w.outsider.pk, "role": "viewer"}
    ),
    "algorithms:member_role": Row(
        "post", MANAGERS, slug_viewer_membership, lambda w: {"role": "viewer"}
    ),
    "algorithms:member_remove": Row("post", MANAGERS, slug_viewer_membership),
    "audit:algorithm": Row("get", READERS, slug),
    "evidence:add": Row(
        "post", EDITORS, slug_item, lambda w: {"kind": "note", "title": "M", "note": "Tekst"}
    ),
    "evidence:download": Row("get", READERS, slug_evidence),
    "exports:pdf": Row("post", READERS, slug),
    "exports:pdf_status": Row("get", READERS, slug_dossier_job),
    "exports:pdf_download": Row("get", READERS, slug_dossier_job),
    "exports:json": Row("get", READERS, slug),
    "exports:csv": Row("get", READERS, slug),
    "evidence:withdraw": Row("post", EDITORS, slug_evidence, lambda w: {"reason": "Matrix"}),
    "risks:add": Row("post", EDITORS, slug_item),
    "risks:edit": Row("get", EDITORS, slug_risk),
    "risks:accept": Row("post", APPROVERS, slug_risk, lambda w: {"version": "1"}),
    "risks:revoke": Row("post", APPROVERS, slug_risk, lambda w: {"version": "1"}),
    # Portfolio pages list only what the user may read: every logged-in user gets a page.
    "dashboards:portfolio": Row("get", LOGGED_IN),
    "dashboards:export": Row("get", LOGGED_IN),
    "dashboards:risks": Row("get", LOGGED_IN),
    "dashboards:risk_list": Row("get", LOGGED_IN),
    "algorithm_dashboard:detail": Row("get", READERS, slug),
    "register:entry": Row("get", READERS, slug),
    "register:preview": Row("get", READERS, slug),
    "register:save": Row("post", EDITORS, slug, lambda w: register_save_data(w)),
    "register:export": Row("post", EXPORTERS, slug),
    "register:download": Row("get", EXPORTERS, slug_register_export),
}


def app_url_names() -> set[str]:
    """Names of every URL pattern of the app (Django's admin excluded)."""
    names: set[str] = set()

    def walk(patterns, namespace: str) -> None:
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                if pattern.namespace == "admin":
                    continue
                ns = pattern.namespace or ""
                walk(pattern.url_patterns, f"{namespace}{ns}:" if ns else namespace)
            elif isinstance(pattern, URLPattern) and pattern.name:
                names.add(f"{namespace}{pattern.name}")

    walk(get_resolver().url_patterns, "")
    return names


def test_every_url_pattern_has_a_row() -> None:
    missing = app_url_names() - set(MATRIX)
    assert not missing, f"URL patterns without a row in the authorization matrix: {sorted(missing)}"
    stale = set(MATRIX) - app_url_names()
    assert not stale, f"rows for URL patterns that no longer exist: {sorted(stale)}"


def outcome(response, login_url: str) -> str:
    if response.status_code == 302 and response["Location"].startswith(login_url):
        return LOGIN
    if response.status_code == 403:
        return FORBIDDEN
    if response.status_code == 404:
        return NOT_FOUND
    assert response.status_code < 500, f"server error {response.status_code}"
    return OK


@pytest.fixture
def world(db) -> World:
    return make_world()


CASES = [(name, user) for name in sorted(MATRIX) for user in USERS]


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "user"), CASES, ids=[f"{n}-{u}" for n, u in CASES])
def test_access(client, world: World, name: str, user: str) -> None:
    row = MATRIX[name]
    if user != "anonymous":
        client.force_login(world.users[user])
    url = reverse(name, args=row.args(world))
    response = getattr(client, row.method)(url, row.data(world))
    assert outcome(response, reverse("login")) == row.expect[user], (
        f"{row.method.upper()} {url} as {user}: got {response.status_code}"
    )
