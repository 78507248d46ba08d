"""The PDF audit dossier: Django templates (templates/exports/) rendered by WeasyPrint.

The PDF is tagged and marked as PDF/UA-1 (``pdf_variant="pdf/ua-1"``): a structure
tree, document language ``nl`` from ``<html lang="nl">``, the ``<title>`` as title
metadata shown in the viewer's title bar, and embedded (subset) fonts.

Nothing is fetched while rendering: the stylesheet is inlined and the URL fetcher
refuses every URL except ``data:``, so an image link in a work instruction can neither
reach the network nor read a local file. Work instructions are user text rendered
with the catalog's sanitising renderer (tracker.catalog.rendering.render_body).
"""

import posixpath
import re
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.safestring import SafeString, mark_safe
from weasyprint import HTML
from weasyprint.urls import URLFetcher

from tracker.catalog.rendering import render_body
from tracker.exports.dossier import build_dossier

TEMPLATE = "exports/dossier.html"
PDF_VARIANT = "pdf/ua-1"
AUDIT_ENTRIES_IN_PDF = 250  # the most recent; the JSON export holds all of them
TIME_ZONE = "Europe/Amsterdam"
_HEADING = re.compile(r"<(/?)h[1-6]\b")


class OfflineFetcher(URLFetcher):
    """Fetches ``data:`` URLs only; the dossier never reaches out."""

    def __init__(self) -> None:
        super().__init__(allowed_protocols=("data",), timeout=1)


@dataclass(frozen=True)
class RenderedPdf:
    content: bytes
    pages: int


def instruction_html(item: dict) -> SafeString | str:
    """The work instruction as sanitised HTML, its headings below the item's heading."""
    text = item.get("work_instruction") or ""
    if not text.strip():
        return ""
    folder = posixpath.dirname(item["path"])
    # A file name of its own per item keeps heading ids unique within the dossier.
    source = posixpath.join(folder, f"werkinstructie-{item['id']}.md")
    html = render_body(text, source_path=source, link_for=None)
    return mark_safe(_HEADING.sub(r"<\1h5", html))  # sanitised by render_body


def _href(url: str) -> str:
    return url if urlsplit(url).scheme in ("http", "https") else ""


def pdf_context(dossier: dict) -> dict:
    """The template context: the dossier plus what only the PDF needs (resolved groups,
    rendered work instructions, link targets)."""
    by_id = {}
    for item in dossier["items"]:
        by_id[item["id"]] = {
            **item,
            "instruction_html": instruction_html(item),
            "evidence": [{**row, "href": _href(row["url"])} for row in item["evidence"]],
        }
    groups = [
        {
            "anchor": f"groep-{group['key']}",
            "title": group["title"],
            "items": [by_id[pk] for pk in group["item_ids"]],
        }
        for group in dossier["groups"]
    ]
    return {
        "dossier": dossier,
        "groups": groups,
        "generated_iso": dossier["generated_at"].isoformat(timespec="seconds"),
    }


def render_pdf(dossier: dict) -> RenderedPdf:
    """The dossier as a tagged PDF/UA-1 document."""
    with translation.override("nl"), timezone.override(TIME_ZONE):
        html = render_to_string(TEMPLATE, pdf_context(dossier))
    document = HTML(string=html, url_fetcher=OfflineFetcher()).render(pdf_variant=PDF_VARIANT)
    content = document.write_pdf(pdf_variant=PDF_VARIANT)
    return RenderedPdf(content=content, pages=len(document.pages))


def dossier_pdf(algorithm, *, generated_by: str) -> RenderedPdf:
    """Collect and render: the one call behind the download and the command."""
    dossier = build_dossier(algorithm, generated_by=generated_by, audit_limit=AUDIT_ENTRIES_IN_PDF)
    return render_pdf(dossier)
