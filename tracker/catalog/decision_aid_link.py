"""Where the content's links to the AI Act decision aid point.

Upstream's pages open the *beslishulp AI-verordening* with JavaScript
(``<a href="#" onclick="showModal(event, 'beslishulp AI-verordening', ...)">``): in the
app that would be a dead link. ``rendering.render_body`` rewrites every such link to
``decision_aid_url()``, upstream's page; on the app's own pages ``app_decision_aid_url()``
then takes its place: the app's decision aid (``decision_aid:start``), which needs no
algorithm. Outside the app (the PDF dossier) the link stays upstream's.
"""

import re

from django.conf import settings
from django.urls import reverse

# The page of upstream's site on which the decision aid opens (showModal's redirectUrl).
UPSTREAM_DECISION_AID_PAGE = "voldoen-aan-wetten-en-regels/vereisten/"

SHOW_MODAL_LINK = re.compile(
    r"""<a\s+href=(["'])#\1\s+onclick=(["'])\s*showModal\([^"']*?(?:(["'])[^"']*\3[^"']*?)*\)\s*;?\s*\2\s*>""",
    re.IGNORECASE,
)


def decision_aid_url() -> str:
    """The URL a decision-aid link in the content goes to: upstream's page for now."""
    base = settings.CONTENT_SITE_URL
    return (base if base.endswith("/") else base + "/") + UPSTREAM_DECISION_AID_PAGE


def app_decision_aid_url(url: str) -> str | None:
    """The app's own decision aid for a link to upstream's, or None for any other URL."""
    return reverse("decision_aid:start") if url == decision_aid_url() else None


def link_decision_aid(markdown_text: str) -> str:
    """Replace every ``showModal`` decision-aid link by a plain link to decision_aid_url()."""
    if "showModal" not in markdown_text:
        return markdown_text
    return SHOW_MODAL_LINK.sub(f'<a href="{decision_aid_url()}">', markdown_text)
