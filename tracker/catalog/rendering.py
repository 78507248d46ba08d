"""Safe rendering of catalog item bodies (mkdocs-material Markdown) to HTML.

`render_body()` converts a body with Python-Markdown plus the mkdocs-material
handling in `tracker.catalog.mkdocs`, then sanitises the result with nh3. While
sanitising, every link and image URL is rewritten: links to other catalog items go
to the app's own pages (via `link_for`), other relative links become absolute links
to the upstream site, and anything that is not http(s) or mailto is dropped.
"""

from __future__ import annotations

import posixpath
import re
import threading
from collections.abc import Callable, Mapping
from urllib.parse import urlsplit

import nh3
from django.conf import settings
from django.utils.safestring import SafeString, mark_safe
from markdown import Markdown
from markdown.extensions.abbr import AbbrExtension

from tracker.catalog.decision_aid_link import app_decision_aid_url, link_decision_aid
from tracker.catalog.mkdocs import (
    ADMONITION,
    ADMONITION_TITLE,
    ADMONITION_TYPES,
    TAB,
    TAB_TITLE,
    extensions,
    site_url,
)

LinkFor = Callable[[str, str], str | None]

ITEMS_FOLDER = "docs/voldoen-aan-wetten-en-regels"
ITEM_KINDS = {"vereisten": "requirement", "maatregelen": "measure", "hulpmiddelen": "instrument"}

ALLOWED_TAGS = frozenset(
    {
        "a",
        "abbr",
        "b",
        "blockquote",
        "br",
        "code",
        "dd",
        "del",
        "details",
        "div",
        "dl",
        "dt",
        "em",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "hr",
        "i",
        "img",
        "ins",
        "kbd",
        "li",
        "mark",
        "ol",
        "p",
        "pre",
        "s",
        "small",
        "span",
        "strong",
        "sub",
        "summary",
        "sup",
        "table",
        "tbody",
        "td",
        "tfoot",
        "th",
        "thead",
        "tr",
        "u",
        "ul",
    }
)
# Removed together with their content (nh3 already does so for script and style).
DROPPED_WITH_CONTENT = frozenset(
    {"script", "style", "iframe", "object", "embed", "template", "noscript", "svg", "math"}
)
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "abbr": {"title"},
    "img": {"src", "alt", "title"},
    "details": {"open"},
    "h1": {"id"},
    "h2": {"id"},
    "h3": {"id"},
    "h4": {"id"},
    "h5": {"id"},
    "h6": {"id"},
    "li": {"id"},  # footnotes
    "sup": {"id"},  # footnote references
    "td": {"align"},
    "th": {"align"},
    "ol": {"start"},
    "span": {"lang"},
}
ALLOWED_CLASSES = {
    "div": {ADMONITION, TAB, "footnote", *ADMONITION_TYPES},
    "details": {ADMONITION, *ADMONITION_TYPES},
    "p": {ADMONITION_TITLE, TAB_TITLE},
}
URL_SCHEMES = frozenset({"http", "https", "mailto"})
EXTERNAL_REL = "noopener noreferrer"

_converters = threading.local()
_FOOTNOTE_ID = re.compile(r"^fn(?:ref)?\d*:")
_START_TAG = re.compile(
    r'<(?P<tag>[a-z][a-z0-9]*)(?P<attributes>(?:\s+[^\s"\'>/=]+(?:="[^"]*")?)*)\s*>'
)
_EXTERNAL_HREF = re.compile(r'\shref="(?:https?:|mailto:)')


def render_body(
    markdown_text: str,
    *,
    source_path: str,
    link_for: LinkFor | None = None,
    app_images_only: bool = False,
    abbreviations: Mapping[str, str] | None = None,
) -> SafeString:
    """Render an item body (without front matter) to sanitised HTML.

    `source_path` is the file's path inside the release (`docs/.../<slug>.md`), used
    to resolve relative links; `link_for(kind, slug)` gives the app URL of a catalog
    item ("requirement", "measure" or "instrument") or None if there is none.
    With `app_images_only` (text written by users, such as work instructions) an image
    keeps its `src` only when it is a path on this app (`/...`), so a body cannot load
    a tracking pixel from elsewhere; other images keep just their alt text.
    `abbreviations` (the release's glossary, ContentRelease.abbreviations) become
    `<abbr title="...">` wherever the term occurs, as on upstream's site; links that
    open the AI Act decision aid by JavaScript become plain links (decision_aid_link).
    """
    if abbreviations:  # a glossary of its own: a converter of its own
        used = [
            AbbrExtension(glossary=dict(abbreviations)) if ext == "abbr" else ext
            for ext in extensions()
        ]
        md = Markdown(extensions=[*used, "toc"], tab_length=4)
    else:
        md = _markdown().reset()
    html = md.convert(link_decision_aid(markdown_text))
    rewriter = UrlRewriter(
        source_path, link_for, base=_site_base(), app_images_only=app_images_only
    )
    rewriter.local_ids = _heading_ids(md.toc_tokens)
    cleaned = nh3.clean(
        html,
        tags=set(ALLOWED_TAGS),
        clean_content_tags=set(DROPPED_WITH_CONTENT),
        attributes={tag: set(names) for tag, names in ALLOWED_ATTRIBUTES.items()},
        attribute_filter=rewriter.filter_attribute,
        strip_comments=True,
        link_rel=None,
        url_schemes=set(URL_SCHEMES),
        allowed_classes={tag: set(names) for tag, names in ALLOWED_CLASSES.items()},
    )
    if rewriter.error is not None:
        raise rewriter.error
    return mark_safe(_finish_tags(cleaned))  # sanitised by nh3 above


def _markdown() -> Markdown:
    """One converter per thread, reset before each use: building one (extensions and
    their processors) costs more than converting a short text, and a page or a dossier
    converts many."""
    md = getattr(_converters, "md", None)
    if md is None:
        md = _converters.md = Markdown(extensions=[*extensions(), "toc"], tab_length=4)
    return md


def _heading_ids(tokens: list[dict]) -> set[str]:
    """The ids the toc extension gave to headings (mkdocs gives the same ones)."""
    ids: set[str] = set()
    for token in tokens:
        ids.add(token["id"])
        ids |= _heading_ids(token["children"])
    return ids


def _site_base() -> str:
    base = settings.CONTENT_SITE_URL
    return base if base.endswith("/") else base + "/"


def _finish_tags(html: str) -> str:
    """Drop the empty `class=""` nh3 leaves behind; mark links that leave the app.

    nh3's output is normalised (lower-case names, values in double quotes with `"`
    escaped), so a tag and its attributes can be matched reliably.
    """

    def finish(match: re.Match[str]) -> str:
        tag, attributes = match["tag"], match["attributes"]
        attributes = attributes.replace(' class=""', "")
        if tag == "a" and _EXTERNAL_HREF.search(attributes):
            attributes += f' rel="{EXTERNAL_REL}"'
        return f"<{tag}{attributes}>"

    return _START_TAG.sub(finish, html)


def id_prefix(source_path: str) -> str:
    """What the ids of a rendered body start with: its file name, e.g. `imp-01-x-`."""
    stem = posixpath.basename(source_path).removesuffix(".md") or "body"
    return f"{stem}-"


def item_for_path(path: str) -> tuple[str, str] | None:
    """(kind, slug) when a release path is a catalog item page, else None."""
    folder, _, filename = path.rpartition("/")
    parent, _, kind_folder = folder.rpartition("/")
    if parent != ITEMS_FOLDER or kind_folder not in ITEM_KINDS:
        return None
    if not filename.endswith(".md") or filename == "index.md":
        return None
    return ITEM_KINDS[kind_folder], filename.removesuffix(".md")


class UrlRewriter:
    """Rewrites URLs in one rendered body; used as nh3's attribute filter."""

    def __init__(
        self,
        source_path: str,
        link_for: LinkFor | None,
        *,
        base: str,
        app_images_only: bool = False,
    ) -> None:
        self.app_images_only = app_images_only
        self.source_path = source_path.lstrip("/")
        self.link_for = link_for
        self.base = base
        self.id_prefix = id_prefix(self.source_path)
        self.local_ids: set[str] = set()
        self.error: Exception | None = None

    def filter_attribute(self, tag: str, attribute: str, value: str) -> str | None:
        # nh3 would swallow an exception (e.g. from link_for); keep it for render_body.
        try:
            if (tag, attribute) == ("img", "src") and self.app_images_only:
                return self.app_path(value)
            if (tag, attribute) in (("a", "href"), ("img", "src")):
                return self.url(value)
            if attribute == "id":
                return self.element_id(value)
        except Exception as error:
            self.error = self.error or error
            return None
        return value

    @staticmethod
    def app_path(value: str) -> str | None:
        """A path on this app (``/...``, no scheme, no host), or None."""
        value = value.strip()
        try:
            parts = urlsplit(value)
        except ValueError:
            return None
        if parts.scheme or parts.netloc or not value.startswith("/") or "\\" in value:
            return None
        return value

    def is_local(self, fragment: str) -> bool:
        return fragment in self.local_ids or bool(_FOOTNOTE_ID.match(fragment))

    def element_id(self, value: str) -> str | None:
        """Heading and footnote ids, prefixed so several bodies can share a page."""
        return self.id_prefix + value if self.is_local(value) else None

    def url(self, value: str) -> str | None:
        value = value.strip()
        try:
            parts = urlsplit(value)
        except ValueError:
            return None
        if parts.scheme:
            if self.link_for is not None and (app_url := app_decision_aid_url(value)):
                return app_url  # on the app's own pages, the app's own decision aid
            return value if parts.scheme in URL_SCHEMES else None
        if parts.netloc:
            return f"https:{value}"
        fragment = f"#{parts.fragment}" if parts.fragment else ""
        if value.startswith("/"):
            upstream = urlsplit(self.base)
            return f"{upstream.scheme}://{upstream.netloc}{value}"
        if not parts.path:
            return self.same_page(parts.fragment)
        target = posixpath.normpath(posixpath.join(posixpath.dirname(self.source_path), parts.path))
        if parts.path.endswith("/"):
            target += "/"  # a folder: mkdocs serves its index.md there
        item = item_for_path(target)
        if item is not None and self.link_for is not None:
            app_url = self.link_for(*item)
            if app_url:
                # The target body, rendered on its own page, prefixes its ids with its slug.
                return app_url + (f"#{item[1]}-{parts.fragment}" if parts.fragment else "")
        query = f"?{parts.query}" if parts.query else ""
        return site_url(target, self.base) + query + fragment

    def same_page(self, fragment: str) -> str | None:
        """Anchors of this body's headings and footnotes stay; others go upstream."""
        if not fragment:
            return None  # `href="#"`: a script hook upstream, nothing to follow here
        if self.is_local(fragment):
            return f"#{self.id_prefix}{fragment}"
        return f"{site_url(self.source_path, self.base)}#{fragment}"
