"""Links from rendered content to the catalog pages of the release an algorithm follows."""

from collections.abc import Callable

from django.urls import reverse

from tracker.catalog.models import CatalogItem, ContentRelease


def link_for(release: ContentRelease) -> Callable[[str, str], str | None]:
    """URL of an item of ``release`` by kind and slug, or None; one query, on first use."""
    known: set[tuple[str, str]] | None = None

    def url(kind: str, slug: str) -> str | None:
        nonlocal known
        if known is None:
            known = set(CatalogItem.objects.in_release(release).values_list("kind", "slug"))
        if (kind, slug) not in known:
            return None
        return reverse("catalog:item", args=[release.label, kind, slug])

    return url
