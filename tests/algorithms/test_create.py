"""Registering an algorithm: the creator becomes owner and the checklist is filled."""

import pytest
from django.urls import reverse

from tests.algorithms.helpers import make_catalog
from tests.world import make_organisation, make_user
from tracker.algorithms.models import Algorithm, Membership
from tracker.audit.models import AuditEntry
from tracker.organisations.models import OrganisationMembership

pytestmark = pytest.mark.django_db
CREATE = reverse("algorithms:create")


@pytest.fixture
def setup():
    catalog = make_catalog()
    organisation = make_organisation("Gemeente Test")
    user = make_user("maker")
    OrganisationMembership.objects.create(organisation=organisation, user=user)
    return catalog, organisation, user


def form_data(organisation, release, **extra) -> dict:
    data = {
        "name": "Fraude-signalering",
        "description": "Signaleert.",
        "organisation": organisation.pk,
        "release": release.pk,
        "phase": "implementatie",
        "stage": "pilot",
    }
    data.update(extra)
    return data


def test_get_offers_own_organisations_and_latest_release(setup, login):
    catalog, organisation, user = setup
    make_organisation("Niet de mijne")
    response = login(user).get(CREATE)
    assert response.status_code == 200
    form = response.context["form"]
    assert list(form.fields["organisation"].queryset) == [organisation]
    assert form.fields["release"].initial == catalog.release.pk
    assert "Hoog-risico-AI-systeem" in response.text  # readable Dutch labels
    phases = [value for value, _ in form.fields["phase"].choices]
    assert "organisatieverantwoordelijkheden" not in phases


def test_the_form_defaults_to_the_organisation_the_user_works_in(setup, login):
    """Not the first by name (a portfolio the user only reads), but their own."""
    from tests.world import add_member, make_algorithm

    _catalog, organisation, user = setup
    watched = make_organisation("Aaa-stad")  # first by name: only read as portfolio viewer
    OrganisationMembership.objects.create(organisation=watched, user=user, is_portfolio_viewer=True)
    add_member(make_algorithm(organisation), user, "owner")
    response = login(user).get(CREATE)
    form = response.context["form"]
    assert str(form["organisation"].value()) == str(organisation.pk)
    assert f'<option value="{organisation.pk}" selected>' in response.text
    assert form.fields["organisation"].queryset.first() == watched


def test_organisation_wide_part_is_refused_as_a_phase(setup, login):
    catalog, organisation, user = setup
    data = form_data(organisation, catalog.release, phase="organisatieverantwoordelijkheden")
    response = login(user).post(CREATE, data)
    assert response.status_code == 200
    assert not Algorithm.objects.exists()
    assert "Organisatieverantwoordelijkheden is geen fase van een algoritme" in response.text


def test_create_makes_owner_fills_checklist_and_audits(setup, login):
    catalog, organisation, user = setup
    response = login(user).post(CREATE, form_data(organisation, catalog.release, impactful="on"))
    algorithm = Algorithm.objects.get()
    assert response.status_code == 302
    assert response.url == algorithm.get_absolute_url()
    assert algorithm.slug == "fraude-signalering"
    assert algorithm.impactful is True
    assert Membership.objects.get(algorithm=algorithm).role == "owner"
    codes = set(algorithm.items.values_list("catalog_item__code", flat=True))
    assert codes == {"avg-01", "imp-02", "owp-01", "pil-01"}  # owp-01: phase ontwerp
    actions = set(AuditEntry.objects.filter(algorithm=algorithm).values_list("action", flat=True))
    assert {"created", "member_added", "item_added", "checklist_synced"} <= actions


def test_slug_is_unique(setup, login):
    catalog, organisation, user = setup
    client = login(user)
    for _ in range(3):
        assert client.post(CREATE, form_data(organisation, catalog.release)).status_code == 302
    slugs = sorted(Algorithm.objects.values_list("slug", flat=True))
    assert slugs == ["fraude-signalering", "fraude-signalering-2", "fraude-signalering-3"]


def test_reserved_slug_is_avoided(setup, login):
    catalog, organisation, user = setup
    login(user).post(CREATE, form_data(organisation, catalog.release, name="Nieuw"))
    assert Algorithm.objects.get().slug == "nieuw-algoritme"


def test_other_organisation_is_refused(setup, login):
    catalog, _, user = setup
    other = make_organisation("Andere")
    response = login(user).post(CREATE, form_data(other, catalog.release))
    assert response.status_code == 200
    assert "organisation" in response.context["form"].errors
    assert not Algorithm.objects.exists()


def test_user_without_organisation_is_refused(setup, login):
    response = login(make_user("los")).get(CREATE)
    assert response.status_code == 403


def test_anonymous_is_sent_to_login(setup, login):
    response = login(None).get(CREATE)
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))
