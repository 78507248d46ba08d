"""Shared helpers for the rendering tests: a renderer with a fixed link_for, an HTML reader."""

import re
from html.parser import HTMLParser

from tracker.catalog.rendering import render_body

BASE = "https://minbzk.github.io/Algoritmekader/"
MEASURE = "docs/voldoen-aan-wetten-en-regels/maatregelen/6-imp-01-werkinstructies-gebruikers.md"
PREFIX = "6-imp-01-werkinstructies-gebruikers-"
KNOWN = {
    ("requirement", "aia-09-menselijk-toezicht"): "/catalogus/vereisten/aia-09/",
    ("measure", "5-ver-03-biasanalyse"): "/catalogus/maatregelen/ver-03/",
    ("instrument", "iama"): "/catalogus/hulpmiddelen/iama/",
}


def link_for(kind: str, slug: str) -> str | None:
    return KNOWN.get((kind, slug))


def render(text: str, source_path: str = MEASURE) -> str:
    return str(render_body(text, source_path=source_path, link_for=link_for))


class _Page(HTMLParser):
    """Visible text, hrefs and the text of each heading of a rendered body."""

    def __init__(self) -> None:
        super().__init__()
        self.text: list[str] = []
        self.hrefs: list[str | None] = []
        self.headings: list[tuple[str, str]] = []
        self._heading: str | None = None

    def handle_starttag(self, tag, attrs):
        if tag == "a":
            self.hrefs.append(dict(attrs).get("href"))
        if re.fullmatch(r"h[1-6]", tag):
            self._heading = tag
            self.headings.append((tag, ""))

    def handle_endtag(self, tag):
        if tag == self._heading:
            self._heading = None

    def handle_data(self, data):
        self.text.append(data)
        if self._heading:
            tag, text = self.headings[-1]
            self.headings[-1] = (tag, text + data)


def parse(html: str) -> _Page:
    page = _Page()
    page.feed(html)
    page.close()
    return page


def visible_text(html: str) -> str:
    return "".join(parse(html).text)
