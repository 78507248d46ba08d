"""Markdown as the node tree the Typst template draws (tracker.exports.markup)."""

from tracker.exports.markup import markdown_nodes


def _nodes(text: str) -> list:
    return markdown_nodes(text, source_path="docs/werkinstructie.md", base_level=4)


def test_blocks_and_inlines_become_plain_nodes() -> None:
    text = (
        "# Kop\n\nTekst met *nadruk*, **vet**, `co#de` en [een link](https://example.nl/a).\n\n"
        "## Sub\n\n- een\n- twee\n    - diep\n\n3. drie\n4. vier\n\n"
        "| a | b |\n|---|---|\n| 1 | 2 |\n\n```\n#let x = 1\n```\n\n> citaat\n"
    )
    assert _nodes(text) == [
        {"t": "h", "l": 4, "c": ["Kop"]},
        {
            "t": "p",
            "c": [
                "Tekst met ",
                {"t": "i", "c": ["nadruk"]},
                ", ",
                {"t": "b", "c": ["vet"]},
                ", ",
                {"t": "code", "text": "co#de"},
                " en ",
                {"t": "a", "href": "https://example.nl/a", "c": ["een link"]},
                ".",
            ],
        },
        {"t": "h", "l": 5, "c": ["Sub"]},
        {
            "t": "ul",
            "start": 1,
            "items": [
                [{"t": "p", "c": ["een"]}],
                [
                    {"t": "p", "c": ["twee"]},
                    {"t": "ul", "start": 1, "items": [[{"t": "p", "c": ["diep"]}]]},
                ],
            ],
        },
        {
            "t": "ol",
            "start": 3,
            "items": [[{"t": "p", "c": ["drie"]}], [{"t": "p", "c": ["vier"]}]],
        },
        {"t": "table", "head": [["a"], ["b"]], "rows": [[["1"], ["2"]]]},
        {"t": "pre", "text": "#let x = 1\n"},
        {"t": "quote", "c": [{"t": "p", "c": ["citaat"]}]},
    ]


def test_scripts_unsafe_links_and_images_do_not_survive() -> None:
    text = (
        '<script>alert(1)</script>\n\nZie <a href="javascript:alert(1)">hier</a> en '
        '<a href="file:///etc/passwd">daar</a> ![geheim](file:///etc/passwd)'
    )
    nodes = _nodes(text)
    assert nodes == [
        {
            "t": "p",
            "c": [
                "Zie ",
                {"t": "span", "c": ["hier"]},
                " en ",
                {"t": "span", "c": ["daar"]},
                " ",
                "[afbeelding: geheim]",
            ],
        }
    ]


def test_empty_text_has_no_nodes() -> None:
    assert _nodes("") == []
    assert _nodes("  \n ") == []
