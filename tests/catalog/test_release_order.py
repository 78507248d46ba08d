"""The current release is the newest version, not the one imported last."""

import pytest

from tests.catalog.conftest import vereiste
from tracker.catalog.importer import import_release
from tracker.catalog.models import ContentRelease, version_key

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("older", "newer"),
    [("v2.0", "v2.5.1"), ("v2.9", "v2.10"), ("v2.5", "v2.5.1"), ("v1.6.1", "Algoritmekader-2.0")],
)
def test_version_keys_sort_as_versions(older, newer):
    assert version_key(older) < version_key(newer)


def test_version_key_without_a_number():
    assert version_key("proef") == ""
    assert version_key("proef") < version_key("v0.1")


def _release(mini_release, label, title):
    changes = {
        "docs/voldoen-aan-wetten-en-regels/vereisten/avg-01-rechtmatig.md": vereiste(
            "avg-01", title
        )
    }
    return import_release(mini_release(label, changes)).release


def test_importing_an_older_release_after_a_newer_one_keeps_the_newer_current(mini_release):
    new = _release(mini_release, "v2.5.1", "Rechtmatig")
    old = _release(mini_release, "v1.6.1", "Rechtmatig verwerken (oud)")
    assert ContentRelease.latest() == new
    assert list(ContentRelease.objects.filter(kind="algoritmekader")) == [new, old]
    assert old.newer_release() == new
    assert new.newer_release() is None


def test_the_own_pack_stays_apart(mini_release, settings):
    release = _release(mini_release, "v2.0", "Rechtmatig")
    pack = import_release(settings.CONTENT_PACK_DIR).release
    assert ContentRelease.latest() == release
    assert ContentRelease.latest(ContentRelease.Source.PACK) == pack
    assert release.newer_release() is None


def test_new_algorithms_default_to_the_newest_version(mini_release):
    from tracker.algorithms.forms import AlgorithmCreateForm
    from tracker.organisations.models import Organisation

    new = _release(mini_release, "v2.5.1", "Rechtmatig")
    _release(mini_release, "v1.6.1", "Rechtmatig verwerken (oud)")
    form = AlgorithmCreateForm(organisations=Organisation.objects.none())
    assert form.fields["release"].initial == new.pk
    assert [r.label for r in form.fields["release"].queryset] == ["v2.5.1", "v1.6.1"]
