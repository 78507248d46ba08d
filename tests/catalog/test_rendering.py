"""Rendering of item bodies: sanitised HTML, mkdocs-material syntax, link rewriting."""

import re
import time
from html.parser import HTMLParser
from pathlib import Path

import frontmatter
import pytest
from django.utils.safestring import SafeString

from tracker.catalog.rendering import render_body

BASE = "https://minbzk.github.io/Algoritmekader/"
MEASURE = "docs/voldoen-aan-wetten-en-regels/maatregelen/6-imp-01-werkinstructies-gebruikers.md"
PREFIX = "6-imp-01-werkinstructies-gebruikers-"
KNOWN = {
    ("requirement", "aia-09-menselijk-toezicht"): "/catalogus/vereisten/aia-09/",
    ("measure", "5-ver-03-biasanalyse"): "/catalogus/maatregelen/ver-03/",
    ("instrument", "iama"): "/catalogus/hulpmiddelen/iama/",
}
LEFTOVER_SYNTAX = ("!!!", "???", "{ data-", "<!--", "--8<--", "{ .", ":material-", "*[")


@pytest.fixture(autouse=True)
def _site_url(settings):
    settings.CONTENT_SITE_URL = BASE


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


# --- mkdocs-material constructs ----------------------------------------------------------


def test_admonition_becomes_a_titled_block():
    html = render('!!! example "Gemeente Utrecht: Handleiding"\n\n    Inhoud van het voorbeeld.\n')
    assert html == (
        '<div class="admonition example">\n'
        '<p class="admonition-title">Gemeente Utrecht: Handleiding</p>\n'
        "<p>Inhoud van het voorbeeld.</p>\n"
        "</div>"
    )


def test_admonition_default_and_blank_title():
    assert '<p class="admonition-title">Note</p>' in render("!!! note\n    Tekst\n")
    html = render('!!! warning ""\n    Tekst\n')
    assert '<div class="admonition warning">\n<p>Tekst</p>' in html
    assert "admonition-title" not in html


def test_collapsible_admonition_becomes_details():
    html = render('??? expander "Bekijk alle vereisten"\n    - een\n    - twee\n')
    assert html.startswith('<details class="admonition expander">\n<summary>Bekijk alle vereisten')
    assert "<li>een</li>" in html
    assert html.endswith("</details>")
    assert " open" not in html


def test_open_collapsible_admonition_with_default_title():
    html = render("???+ tip\n    Open bij laden.\n")
    assert html.startswith('<details class="admonition tip" open="open">\n<summary>Tip</summary>')
    assert "<p>Open bij laden.</p>" in html


def test_nested_admonitions_and_tab_indentation():
    html = render(
        '!!! note "Buiten"\n\tEerste alinea.\n\n\tTweede alinea.\n\n'
        '\t??? example "Binnen"\n\t\tDiep genest.\n\nNa het blok.\n'
    )
    assert html == (
        '<div class="admonition note">\n'
        '<p class="admonition-title">Buiten</p>\n'
        "<p>Eerste alinea.</p>\n"
        "<p>Tweede alinea.</p>\n"
        '<details class="admonition example">\n'
        "<summary>Binnen</summary>\n"
        "<p>Diep genest.</p>\n"
        "</details>\n"
        "</div>\n"
        "<p>Na het blok.</p>"
    )


def test_admonition_inside_a_list_item():
    html = render(
        "1. **Stap**.\nUitleg.\n\n"
        '    !!! info "Uitzondering"\n\n        Binnen de stap.\n\n'
        "    Vervolg van de stap.\n"
    )
    assert re.search(
        r"<li>\s*<p><strong>Stap</strong>.\nUitleg.</p>\s*<div class=\"admonition info\">"
        r"\s*<p class=\"admonition-title\">Uitzondering</p>\s*<p>Binnen de stap.</p>\s*</div>"
        r"\s*<p>Vervolg van de stap.</p>\s*</li>",
        html,
    ), html


def test_admonition_left_empty_by_a_plugin_comment_is_dropped():
    html = render(
        "## Bijbehorende vereiste(n) { data-search-exclude }\n"
        '??? expander "Bekijk alle vereisten"\n'
        "\t<!-- list_vereisten_on_maatregelen_page -->\n\n"
        "## Bronnen\n"
    )
    assert "details" not in html
    assert "Bekijk alle vereisten" not in html
    assert [text for _, text in parse(html).headings] == ["Bijbehorende vereiste(n)", "Bronnen"]


def test_malformed_admonition_from_v20_still_renders_as_block():
    html = render('!!! "tip" Tip\n\n    Leg de keuzes uit.\n')
    assert html.startswith('<div class="admonition tip">\n<p class="admonition-title">Tip</p>')
    assert "!!!" not in visible_text(html)


def test_content_tabs():
    html = render('=== "Eerste"\n    Inhoud een.\n\n=== "Tweede"\n    Inhoud twee.\n')
    assert html == (
        '<div class="tabbed-block">\n<p class="tabbed-title">Eerste</p>\n<p>Inhoud een.</p>\n'
        '</div>\n<div class="tabbed-block">\n<p class="tabbed-title">Tweede</p>\n'
        "<p>Inhoud twee.</p>\n</div>"
    )


def test_setext_heading_is_not_a_tab():
    assert parse(render("Titel\n===\n\nTekst")).headings == [("h1", "Titel")]


def test_html_comments_single_multiline_and_unterminated_are_removed():
    html = render(
        "<!-- tags -->\n## Risico\n<!-- vul hier het risico in -->\n\n"
        "Tekst <!-- inline --> loopt door.\n\n"
        "<!-- Eventueel.\nOver meerdere regels.\n-->\nNa het commentaar.\n\n"
        "## Maatregelen\n\n<!-- list_maatregelen vereiste/aia-38-testen --\n"
    )
    text = visible_text(html)
    for gone in ("tags", "vul hier", "inline", "Eventueel", "meerdere", "list_maatregelen", "--"):
        assert gone not in text, gone
    assert "Tekst  loopt door." in text
    assert "Na het commentaar." in text
    assert [t for _, t in parse(html).headings] == ["Risico", "Maatregelen"]


def test_comment_markers_inside_fenced_code_are_kept():
    html = render("```mermaid\nflowchart TD\n  A --> B\n  C <!-- D\n```\n")
    assert "<pre><code>" in html
    assert "A --&gt; B" in html
    assert "C &lt;!-- D" in html


def test_attribute_lists_are_consumed():
    html = render(
        "## Bijbehorende vereiste(n) { data-search-exclude }\n\n"
        "[Direct naar de DPIA](https://example.org/dpia){ .button .md-button--secondary }\n\n"
        "[Schrijf ons](mailto:a@example.org){.email}\n"
    )
    assert parse(html).headings == [("h2", "Bijbehorende vereiste(n)")]
    assert "data-search-exclude" not in html
    assert "button" not in html.replace("Direct naar", "")
    assert "{" not in visible_text(html)
    assert (
        '<a href="https://example.org/dpia" rel="noopener noreferrer">Direct naar de DPIA</a>'
        in (html)
    )


def test_snippet_includes_are_dropped():
    html = render(
        'Voor.\n\n--8<-- "includes/begrippenlijst.md"\n\n--8<--\nincludes/a.md\nincludes/b.md\n'
        "--8<--\n\nNa.\n"
    )
    assert visible_text(html).split() == ["Voor.", "Na."]


def test_abbreviations():
    html = render("De AVG geldt.\n\n*[AVG]: Algemene verordening gegevensbescherming\n")
    assert '<abbr title="Algemene verordening gegevensbescherming">AVG</abbr>' in html
    assert "*[" not in visible_text(html)


def test_markdown_inside_div_and_icons():
    html = render(
        '<div style="margin-top:32px;" class="grid cards" markdown>\n\n'
        "- :material-arrow-right:{ .lg } **Vet** item\n\n</div>\n\n"
        ":material-arrow-right: Volgende stap.\n"
    )
    assert "<div>" in html
    assert "<strong>Vet</strong> item" in html
    assert "material" not in html
    assert "style" not in html
    assert "<p>Volgende stap.</p>" in html


def test_tables_footnotes_and_definition_lists():
    html = render(
        "| Kolom | Waarde |\n|:--|--:|\n| a | 1 |\n\n"
        "Een bewering[^1].\n\n[^1]: De bron.\n\n"
        "Term\n:   Definitie\n"
    )
    assert '<th align="left">Kolom</th>' in html
    assert '<td align="right">1</td>' in html
    assert "<dl>\n<dt>Term</dt>\n<dd>Definitie</dd>\n</dl>" in html
    assert f'<sup id="{PREFIX}fnref:1"><a href="#{PREFIX}fn:1">1</a></sup>' in html
    assert f'<li id="{PREFIX}fn:1">' in html
    assert f'href="#{PREFIX}fnref:1"' in html
    assert '<div class="footnote">' in html


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
        None,
    ]


# --- the real content -------------------------------------------------------------------

_HEADING_LINE = re.compile(r"^## (?P<text>.+?)(?:\s*\{[^}]*\})?\s*$", re.MULTILINE)
_FENCE = re.compile(r"^```.*?^```", re.MULTILINE | re.DOTALL)


def _render_release(root: Path) -> dict[str, tuple[str, str]]:
    """path -> (source body, rendered html) for every page of a release."""
    bodies = {
        path.relative_to(root).as_posix(): frontmatter.load(path).content
        for path in sorted((root / "docs").rglob("*.md"))
    }
    started = time.perf_counter()
    rendered = {
        path: (body, str(render_body(body, source_path=path, link_for=lambda k, s: f"/i/{s}/")))
        for path, body in bodies.items()
    }
    elapsed = time.perf_counter() - started
    assert elapsed < 5, f"rendering {len(bodies)} pages took {elapsed:.1f}s"
    return rendered


def _assert_clean_render(rendered: dict[str, tuple[str, str]]) -> None:
    problems = []
    for path, (body, html) in rendered.items():
        page = parse(html)
        text = "".join(page.text)
        if path.endswith("over-de-levenscyclus.md"):
            text = _FENCE.sub("", text)  # its mermaid diagram is shown as code
        problems += [f"{path}: {token!r} visible" for token in LEFTOVER_SYNTAX if token in text]
        h2 = {heading.strip() for tag, heading in page.headings if tag == "h2"}
        wanted = {m["text"].strip() for m in _HEADING_LINE.finditer(_FENCE.sub("", body))}
        problems += [f"{path}: heading {missing!r} not an h2" for missing in wanted - h2]
    assert not problems, "\n".join(problems)


@pytest.mark.realdata
def test_every_page_of_v251_renders_cleanly(v251):
    rendered = _render_release(v251)
    assert len(rendered) > 200
    _assert_clean_render(rendered)
    html = rendered[MEASURE][1]
    headings = [text for tag, text in parse(html).headings if tag == "h2"]
    assert headings[:3] == ["Maatregel", "Toelichting", "Risico"]
    assert '<a href="/i/7-mon-06-meten-milieu-impact/">energieverbruik</a>' in html
    assert '<div class="admonition example">' in html
    for path, (_, html) in rendered.items():
        if re.search(r"/(vereisten|maatregelen)/(?!index\.md)", path):
            h2 = [text for tag, text in parse(html).headings if tag == "h2"]
            assert "Toelichting" in h2, path
            assert "Vereiste" in h2 or "Maatregel" in h2, path


@pytest.mark.realdata
def test_every_page_of_v20_renders_cleanly(v20):
    _assert_clean_render(_render_release(v20))
