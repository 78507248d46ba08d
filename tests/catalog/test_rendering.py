"""Rendering of item bodies: sanitising and link rewriting."""

import re

import pytest
from django.urls import reverse
from django.utils.safestring import SafeString

from tests.catalog.rendering_support import BASE, MEASURE, PREFIX, link_for, parse, render
from tracker.catalog.rendering import render_body


@pytest.fixture(autouse=True)
def _site_url(settings):
    settings.CONTENT_SITE_URL = BASE


# --- sanitising -------------------------------------------------------------------------

HOSTILE = """\
<script>alert('script')</script>
<style>body { display: none }</style>
<iframe src="https://evil.example/"></iframe>
<object data="https://evil.example/x.swf"></object>
<svg onload="alert('svg')"><circle r="1"/></svg>
<form action="https://evil.example/"><input name="q"></form>

<img src="x.png" onerror="alert('img')">
<div onclick="alert('div')" style="position:fixed" class="admonition note">Klik</div>

[js link](javascript:alert('md'))
<a href="JaVaScRiPt:alert('mixed case')">mixed</a>
<a href="&#106;avascript:alert('entity')">entity</a>
<a href="java&#x09;script:alert('tab')">tab</a>
[data link](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)
<a href="vbscript:msgbox('vb')">vb</a>
[attr list](https://example.org/){ onclick="alert('attr')" href="javascript:alert('attr')" }
![image](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)

!!! warning "Let op <script>alert('title')</script>"
    <img src="https://example.org/a.png" onmouseover="alert('nested')">
    [nested](javascript:alert('nested'))

Gewone tekst blijft staan.
"""


def test_hostile_body_renders_harmless():
    html = render(HOSTILE)
    lowered = html.lower()
    for forbidden in (
        "<script",
        "<style",
        "<iframe",
        "<object",
        "<svg",
        "<form",
        "<input",
        "javascript:",
        "vbscript:",
        "data:",
        "alert(",
        "style=",
    ):
        assert forbidden not in lowered, forbidden
    assert not re.search(r"\son[a-z]+\s*=", lowered), "an on…= attribute survived"
    assert "Gewone tekst blijft staan." in html
    # Content may use the admonition classes (harmless), but no other attribute survives.
    assert '<div class="admonition note">Klik</div>' in html
    assert '<img src="https://example.org/a.png">' in html  # a safe image inside survives
    hrefs = parse(html).hrefs
    assert hrefs == [None] * 8  # every hostile link lost its href
    assert all(href is None or href.startswith(("https://", "/", "#")) for href in hrefs)


def test_result_is_a_safe_string():
    assert isinstance(render("Tekst"), SafeString)


def test_only_generated_classes_and_no_ids_from_content():
    html = render(
        '<p class="md-button" id="main">x</p>\n\n[knop](https://example.org/){ .button #knop }'
    )
    assert "class=" not in html
    assert "id=" not in html


# --- links ------------------------------------------------------------------------------


def test_relative_links_to_items_use_link_for():
    calls = []

    def recording_link_for(kind, slug):
        calls.append((kind, slug))
        return link_for(kind, slug)

    html = str(
        render_body(
            "[toezicht](../vereisten/aia-09-menselijk-toezicht.md#toelichting), "
            "[bias](5-ver-03-biasanalyse.md) en [IAMA](../hulpmiddelen/iama.md)",
            source_path=MEASURE,
            link_for=recording_link_for,
        )
    )
    assert calls == [
        ("requirement", "aia-09-menselijk-toezicht"),
        ("measure", "5-ver-03-biasanalyse"),
        ("instrument", "iama"),
    ]
    assert parse(html).hrefs == [
        "/catalogus/vereisten/aia-09/#aia-09-menselijk-toezicht-toelichting",
        "/catalogus/maatregelen/ver-03/",
        "/catalogus/hulpmiddelen/iama/",
    ]
    assert "rel=" not in html  # links inside the app are not external


def test_links_in_raw_html_are_rewritten_too():
    html = render(
        '<a href="5-ver-03-biasanalyse.md">bias</a> <a href="../../rollen/jurist.md">jurist</a>'
    )
    assert parse(html).hrefs == ["/catalogus/maatregelen/ver-03/", f"{BASE}rollen/jurist/"]


def test_errors_from_link_for_are_not_swallowed():
    def broken_link_for(kind, slug):
        raise LookupError(slug)

    with pytest.raises(LookupError, match="5-ver-03-biasanalyse"):
        render_body(
            "[bias](5-ver-03-biasanalyse.md)", source_path=MEASURE, link_for=broken_link_for
        )


def test_dangling_item_link_goes_upstream():
    html = render("[typo](../vereisten/aia-09-menselijke-toezicht.md)")
    assert parse(html).hrefs == [
        f"{BASE}voldoen-aan-wetten-en-regels/vereisten/aia-09-menselijke-toezicht/"
    ]
    assert 'rel="noopener noreferrer"' in html


def test_item_links_go_upstream_without_link_for():
    html = str(render_body("[bias](5-ver-03-biasanalyse.md)", source_path=MEASURE))
    assert parse(html).hrefs == [
        f"{BASE}voldoen-aan-wetten-en-regels/maatregelen/5-ver-03-biasanalyse/"
    ]


def test_other_relative_links_go_upstream_like_mkdocs():
    html = render(
        "[ontwerp](../levenscyclus/ontwerp.md) [fase](../levenscyclus/ontwerp.md#pilot) "
        "[lijst](../levenscyclus/index.md) [vereisten](../voldoen-aan-wetten-en-regels/vereisten/) "
        "[root](/Algoritmekader/over/) [proto](//example.org/x) "
        "![schema](../afbeeldingen/schema.png)",
        source_path="docs/rollen/jurist.md",
    )
    assert parse(html).hrefs == [
        f"{BASE}levenscyclus/ontwerp/",
        f"{BASE}levenscyclus/ontwerp/#pilot",
        f"{BASE}levenscyclus/",
        f"{BASE}voldoen-aan-wetten-en-regels/vereisten/",
        "https://minbzk.github.io/Algoritmekader/over/",
        "https://example.org/x",
    ]
    assert f'<img alt="schema" src="{BASE}afbeeldingen/schema.png">' in html


def test_upstream_base_comes_from_settings(settings):
    settings.CONTENT_SITE_URL = "https://mirror.example.nl/ak"
    html = render("[ontwerp](../levenscyclus/ontwerp.md)", source_path="docs/rollen/jurist.md")
    assert parse(html).hrefs == ["https://mirror.example.nl/ak/levenscyclus/ontwerp/"]


def test_absolute_links_stay_and_get_rel():
    html = render(
        "[AP](https://www.autoriteitpersoonsgegevens.nl/a?b=1&c=2#d) [mail](mailto:x@y.nl)"
    )
    assert parse(html).hrefs == [
        "https://www.autoriteitpersoonsgegevens.nl/a?b=1&c=2#d",
        "mailto:x@y.nl",
    ]
    assert html.count('rel="noopener noreferrer"') == 2


def test_same_page_anchors():
    html = render(
        "## Stap 1: Analyseer bias\n\nZie [Stap 1](#stap-1-analyseer-bias), "
        "[elders](#bestaat-niet) en <a href='#' onclick='showModal()'>beslishulp</a>."
    )
    assert f'<h2 id="{PREFIX}stap-1-analyseer-bias">' in html
    assert parse(html).hrefs == [
        f"#{PREFIX}stap-1-analyseer-bias",
        f"{BASE}voldoen-aan-wetten-en-regels/maatregelen/6-imp-01-werkinstructies-gebruikers/"
        "#bestaat-niet",
        reverse("decision_aid:start"),  # the app's own decision aid, never a dead "#"
    ]
