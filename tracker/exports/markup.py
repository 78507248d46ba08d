"""Markdown for the PDF: user and content Markdown as a small tree of plain data.

The Typst template never parses text as markup: work instructions (and any other
Markdown) are rendered here with the catalog's sanitising renderer
(tracker.catalog.rendering.render_body: script, ``javascript:`` and ``file:`` URLs
removed), and that HTML is read into nodes that ``templates/exports/typst/dossier.typ``
draws with its own functions. Text stays text: a ``#``, ``$`` or ``[`` in it reaches the
PDF as that character.

Blocks: ``{"t": "p", "c": inlines}``, ``{"t": "h", "l": level, "c": inlines}``,
``{"t": "ul" | "ol", "start": n, "items": [blocks, ...]}``, ``{"t": "quote", "c": blocks}``,
``{"t": "pre", "text": str}``, ``{"t": "hr"}``,
``{"t": "table", "head": [cells], "rows": [[cells]]}`` (a cell is a list of inlines).
Inlines: a string, or ``{"t": "b" | "i" | "s" | "sub" | "sup", "c": inlines}``,
``{"t": "code", "text": str}``, ``{"t": "a", "href": url, "c": inlines}`` (http, https,
mailto only), ``{"t": "br"}``.
"""

import posixpath
import re
from html.parser import HTMLParser
from urllib.parse import urlsplit

from tracker.catalog.rendering import render_body

LINK_SCHEMES = ("http", "https", "mailto")
_SPACE = re.compile(r"\s+")
_INLINE = {
    "b": "b",
    "strong": "b",
    "i": "i",
    "em": "i",
    "s": "s",
    "del": "s",
    "sub": "sub",
    "sup": "sup",
}
_HEADINGS = {f"h{n}": n for n in range(1, 7)}
_BLOCK_CONTAINERS = {"div", "details", "blockquote", "dl", "dd", "dt", "summary"}
_IGNORED = {"thead", "tbody", "tfoot"}
_VOID = {"br", "hr", "img"}


def safe_href(url: str) -> str:
    """The URL when the PDF may link to it (http, https, mailto), else ""."""
    return url if urlsplit(url).scheme in LINK_SCHEMES else ""


class _TreeBuilder(HTMLParser):
    """Sanitised HTML (render_body's output) to blocks and inlines."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root: list = []
        # A stack of (kind, node, list receiving content).
        self.stack: list[tuple[str, dict | None, list]] = [("root", None, self.root)]
        self.pre: dict | None = None

    @property
    def children(self) -> list:
        return self.stack[-1][2]

    def _inline_context(self) -> bool:
        return self.stack[-1][0] in {"p", "implicit", "h", "inline", "cell"}

    def _ensure_paragraph(self) -> None:
        """Loose text or inline markup in a block context gets a paragraph of its own."""
        if not self._inline_context():
            node = {"t": "p", "c": []}
            self.children.append(node)
            self.stack.append(("implicit", node, node["c"]))

    def _close_implicit(self) -> None:
        while self.stack[-1][0] in {"implicit", "inline", "code"}:
            self.stack.pop()

    def _push_block(self, kind: str, node: dict, content: list) -> None:
        self._close_implicit()
        self.children.append(node)
        self.stack.append((kind, node, content))

    def _pop_to(self, kinds: set[str]) -> None:
        for depth in range(len(self.stack) - 1, 0, -1):
            if self.stack[depth][0] in kinds:
                del self.stack[depth:]
                return

    def _nearest(self, kind: str) -> dict | None:
        for name, node, _ in reversed(self.stack):
            if name == kind:
                return node
        return None

    def handle_starttag(self, tag: str, attrs: list) -> None:
        attributes = dict(attrs)
        if self.pre is not None:
            return
        if tag == "p":
            node = {"t": "p", "c": []}
            self._push_block("p", node, node["c"])
        elif tag in _HEADINGS:
            node = {"t": "h", "l": _HEADINGS[tag], "c": []}
            self._push_block("h", node, node["c"])
        elif tag in ("ul", "ol"):
            start = attributes.get("start") or "1"
            node = {"t": tag, "start": int(start) if start.isdigit() else 1, "items": []}
            self._push_block("list", node, node["items"])
        elif tag == "li":
            self._pop_to_list()
            item: list = []
            self.children.append(item)
            self.stack.append(("li", None, item))
        elif tag in _BLOCK_CONTAINERS:
            node = {"t": "quote", "c": []}
            self._push_block("quote", node, node["c"])
        elif tag == "pre":
            self.pre = {"t": "pre", "text": ""}
            self._close_implicit()
            self.children.append(self.pre)
        elif tag == "hr":
            self._close_implicit()
            self.children.append({"t": "hr"})
        elif tag == "table":
            node = {"t": "table", "head": [], "rows": []}
            self._push_block("table", node, node["rows"])
        elif tag == "tr":
            row: list = []
            table = self._nearest("table")
            if table is not None:
                table["rows"].append(row)
            self.stack.append(("tr", None, row))
        elif tag in ("td", "th"):
            cell = {"th": tag == "th", "c": []}
            self.children.append(cell)
            self.stack.append(("cell", cell, cell["c"]))
        elif tag == "br":
            self._ensure_paragraph()
            self.children.append({"t": "br"})
        elif tag == "img":
            # Never fetched: the PDF names an image by its alternative text.
            self._ensure_paragraph()
            alt = (attributes.get("alt") or "").strip()
            self.children.append(f"[afbeelding{': ' + alt if alt else ''}]")
        elif tag == "code":
            self._ensure_paragraph()
            node = {"t": "code", "text": ""}
            self.children.append(node)
            self.stack.append(("code", node, []))
        elif tag not in _IGNORED:
            self._ensure_paragraph()
            href = safe_href(attributes.get("href") or "") if tag == "a" else ""
            if href:
                node = {"t": "a", "href": href, "c": []}
            else:  # span, abbr, mark, kbd, small, u, ins, a link we drop: their text
                node = {"t": _INLINE.get(tag, "span"), "c": []}
            self.children.append(node)
            self.stack.append(("inline", node, node["c"]))

    def handle_startendtag(self, tag: str, attrs: list) -> None:
        self.handle_starttag(tag, attrs)
        if tag not in _VOID:
            self.handle_endtag(tag)

    def handle_endtag(self, tag: str) -> None:
        if self.pre is not None:
            if tag == "pre":
                self.pre = None
            return
        if tag in _VOID or tag in _IGNORED:
            return
        if tag == "p":
            self._pop_to({"p", "implicit"})
        elif tag in _HEADINGS:
            self._pop_to({"h"})
        elif tag in ("ul", "ol"):
            self._pop_to({"list"})
        elif tag == "li":
            self._pop_to({"li"})
        elif tag in _BLOCK_CONTAINERS:
            self._pop_to({"quote"})
        elif tag == "table":
            self._pop_to({"table"})
        elif tag == "tr":
            self._pop_to({"tr"})
        elif tag in ("td", "th"):
            self._pop_to({"cell"})
        elif tag == "code":
            self._pop_to({"code"})
        else:
            self._pop_to({"inline"})

    def handle_data(self, data: str) -> None:
        if self.pre is not None:
            self.pre["text"] += data
            return
        kind, node, _ = self.stack[-1]
        if kind == "code":
            node["text"] += data
            return
        if not data.strip() and not self._inline_context():
            return
        self._ensure_paragraph()
        self.children.append(data)

    def _pop_to_list(self) -> None:
        for depth in range(len(self.stack) - 1, 0, -1):
            if self.stack[depth][0] == "list":
                del self.stack[depth + 1 :]
                return


def _normalise(nodes: list, *, strip: bool = True) -> list:
    """Collapse whitespace in text runs and drop empty strings and helper keys."""
    result: list = []
    for node in nodes:
        if isinstance(node, str):
            text = _SPACE.sub(" ", node)
            if text:
                result.append(text)
        elif isinstance(node, list):
            result.append(_normalise(node))
        else:
            if "c" in node:
                node["c"] = _normalise(node["c"])
            if "items" in node:
                node["items"] = [_normalise(item) for item in node["items"]]
            if "rows" in node:
                rows = [[_normalise(cell["c"]) for cell in row] for row in node["rows"]]
                header = node["rows"][:1] and all(cell["th"] for cell in node["rows"][0])
                node["head"], node["rows"] = (rows[0], rows[1:]) if header else ([], rows)
            if node.get("t") == "code":
                node["text"] = _SPACE.sub(" ", node["text"])
            result.append(node)
    if strip and result and isinstance(result[0], str):
        result[0] = result[0].lstrip()
    if strip and result and isinstance(result[-1], str):
        result[-1] = result[-1].rstrip()
    return [node for node in result if node != ""]


def html_nodes(html: str) -> list:
    builder = _TreeBuilder()
    builder.feed(html)
    builder.close()
    return _drop_empty(_normalise(builder.root))


def _drop_empty(blocks: list) -> list:
    return [
        block
        for block in blocks
        if not (isinstance(block, dict) and block.get("t") in ("p", "h") and not block["c"])
    ]


def markdown_nodes(text: str, *, source_path: str, base_level: int) -> list:
    """Markdown as blocks; its headings start at ``base_level`` (below the heading
    of what the text belongs to) and keep their relative depth, capped at 6."""
    if not (text or "").strip():
        return []
    blocks = html_nodes(str(render_body(text, source_path=source_path, link_for=None)))
    levels = sorted({block["l"] for block in _walk(blocks) if block.get("t") == "h"})
    ranks = {level: rank for rank, level in enumerate(levels)}
    for block in _walk(blocks):
        if block.get("t") == "h":
            block["l"] = min(6, base_level + ranks[block["l"]])
    return blocks


def _walk(blocks: list):
    for block in blocks:
        if not isinstance(block, dict):
            continue
        yield block
        if block.get("t") == "quote":
            yield from _walk(block["c"])
        for item in block.get("items", []):
            yield from _walk(item)


def instruction_nodes(item: dict, base_level: int) -> list:
    """An item's work instruction (Markdown) as blocks below the item's heading."""
    folder = posixpath.dirname(item.get("path") or "")
    source = posixpath.join(folder, f"werkinstructie-{item['id']}.md")
    return markdown_nodes(
        item.get("work_instruction") or "", source_path=source, base_level=base_level
    )
