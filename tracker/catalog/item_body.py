"""A catalog item's body as HTML, rendered once and kept (the ``bodies`` cache).

Rendering a body with its release's glossary builds a Markdown converter of its own: a
fifth of a checklist item page (7.5 -> 5.9 times the floor, measured). Nothing it
depends on changes after import: the body and path (the importer only inserts, the
admin is read-only) and the items of the release its links point into (fixed by that
release's label and content hash). Only a glossary can still arrive, added by a
re-import to a release imported before releases kept one. The key is a digest of all
of these, so a kept body is never stale.
"""

import hashlib
import json

from django.core.cache import caches
from django.utils.safestring import SafeString, mark_safe

from tracker.catalog.links import link_for
from tracker.catalog.models import CatalogItem, ContentRelease
from tracker.catalog.rendering import render_body

BODIES = caches["bodies"]


def item_body(item: CatalogItem, links: ContentRelease) -> SafeString:
    """``item``'s body, its links to the catalog pages of ``links`` (the release the
    algorithm follows, or the item's own on the catalog's pages)."""
    glossary = item.release.abbreviations or {}
    key = hashlib.sha256(
        json.dumps(
            [item.body, item.path, links.label, links.content_hash, glossary],
            sort_keys=True,
        ).encode()
    ).hexdigest()
    html = BODIES.get(key)
    if html is None:
        html = str(
            render_body(
                item.body, source_path=item.path, link_for=link_for(links), abbreviations=glossary
            )
        )
        BODIES.set(key, html, None)
    return mark_safe(html)  # sanitised by render_body before it was kept
