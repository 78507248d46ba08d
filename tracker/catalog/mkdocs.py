"""mkdocs-material syntax in Algoritmekader bodies, as a Python-Markdown extension.

The upstream site is built with mkdocs-material and a few plugins. Bodies therefore
contain syntax plain Markdown does not know: HTML comments that plugins replace with
generated lists, snippet includes, icons, admonitions (`!!!`), collapsible
admonitions (`???`, `???+`) and content tabs (`===`). This module turns them into
plain HTML elements (or drops them); attribute lists, footnotes, abbreviations,
tables and `<div markdown>` are left to the stock extensions (see `extensions()`).

Also here: how mkdocs maps a file under `docs/` to its URL on the upstream site.
"""

from __future__ import annotations

import posixpath
import re
import xml.etree.ElementTree as etree
from dataclasses import dataclass

from markdown import Extension, Markdown
from markdown.blockparser import BlockParser
from markdown.blockprocessors import BlockProcessor
from markdown.extensions.tables import TableExtension
from markdown.preprocessors import Preprocessor
from markdown.treeprocessors import Treeprocessor

ADMONITION = "admonition"
ADMONITION_TITLE = "admonition-title"
TAB = "tabbed-block"
TAB_TITLE = "tabbed-title"

# Admonition types mkdocs-material styles, plus `expander`, the Algoritmekader's own.
ADMONITION_TYPES = frozenset(
    {
        "note",
        "abstract",
        "summary",
        "tldr",
        "info",
        "todo",
        "tip",
        "hint",
        "important",
        "success",
        "check",
        "done",
        "question",
        "help",
        "faq",
        "warning",
        "caution",
        "attention",
        "failure",
        "fail",
        "missing",
        "danger",
        "error",
        "bug",
        "example",
        "quote",
        "cite",
        "expander",
    }
)

# `<!-- ... -->` on lines of their own (the whole lines go), then anywhere, then an
# unterminated `<!--` (v2.0 has one), which loses the rest of its line only.
_COMMENT_LINES = re.compile(r"^[ \t]*<!--.*?-->[ \t]*(?:\n|\Z)", re.MULTILINE | re.DOTALL)
_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)
_UNTERMINATED_COMMENT = re.compile(r"<!--[^\n]*")
# `--8<-- "file"` (one line) and a bare `--8<--` that opens/closes a block of file names.
_SNIPPET_LINE = re.compile(r"""^\s*;?-{1,}8<-{1,}\s*("[^"]*"|'[^']*')\s*$""")
_SNIPPET_FENCE = re.compile(r"^\s*-{1,}8<-{1,}\s*$")
# `:material-arrow-right:` and friends, with an optional attribute list after them.
_ICON = re.compile(r":(?:material|fontawesome|octicons|simple)-[\w-]+:(?:\{[^}\n]*\})?[ \t]*")

# `!!! type "Title"`, `??? type "Title"`, `???+ type`, `=== "Tab"`: the marker line.
_BLOCK_START = re.compile(
    r"^(?P<marker>!!!|\?\?\?\+?|===\+?)(?P<rest>[^\n]*)(?:\n|\Z)", re.MULTILINE
)
_STRICT_REST = re.compile(
    r"^[ ]?(?P<type>[\w\-]+(?:[ ]+[\w\-]+)*)?(?:[ ]*\"(?P<title>.*?)\")?[ ]*$"
)
_WORD = re.compile(r"\"?([\w\-]+)\"?")


@dataclass(frozen=True)
class BlockStart:
    match: re.Match[str]
    marker: str
    types: str  # space-separated, lower case; "" for a tab
    title: str | None  # None: not given; "": explicitly blank


def _parse_start(match: re.Match[str]) -> BlockStart | None:
    marker, rest = match["marker"], match["rest"]
    strict = _STRICT_REST.match(rest)
    if marker.startswith("==="):
        if strict and not strict["type"] and strict["title"] is not None:
            return BlockStart(match, marker, "", strict["title"])
        return None
    if strict and (strict["type"] or (marker != "!!!" and strict["title"] is not None)):
        types = " ".join((strict["type"] or "").lower().split())
        return BlockStart(match, marker, types, strict["title"])
    # Lenient: v2.0 has `!!! "tip" Tip`. First word is the type, the rest the title.
    word = _WORD.search(rest)
    if word is None:
        return None
    title = (rest[: word.start()] + rest[word.end() :]).strip().strip('"').strip()
    return BlockStart(match, marker, word[1].lower(), title or None)


def _find_start(block: str) -> BlockStart | None:
    for match in _BLOCK_START.finditer(block):
        start = _parse_start(match)
        if start is not None:
            return start
    return None


def strip_mkdocs_lines(text: str) -> str:
    """Remove HTML comments, snippet includes and icons from Markdown source."""
    text = _COMMENT_LINES.sub("", text)
    text = _COMMENT.sub("", text)
    text = _UNTERMINATED_COMMENT.sub("", text)
    text = _ICON.sub("", text)
    kept: list[str] = []
    in_snippet_block = False
    for line in text.split("\n"):
        if _SNIPPET_FENCE.match(line):
            in_snippet_block = not in_snippet_block
            continue
        if in_snippet_block and line.strip():
            continue
        in_snippet_block = False
        if not _SNIPPET_LINE.match(line):
            kept.append(line)
    return "\n".join(kept)


class MkdocsCleanupPreprocessor(Preprocessor):
    """Runs after fenced code is stashed, so code blocks keep their `<!--` and `-->`."""

    def run(self, lines: list[str]) -> list[str]:
        return strip_mkdocs_lines("\n".join(lines)).split("\n")


def _is_container(element: etree.Element | None) -> bool:
    if element is None or element.tag not in ("div", "details"):
        return False
    classes = element.get("class", "").split()
    return ADMONITION in classes or TAB in classes


class ContainerBlockProcessor(BlockProcessor):
    """Admonitions, collapsible admonitions and content tabs with indented bodies.

    Adapted from Python-Markdown's AdmonitionProcessor (BSD licence): the same
    handling of bodies split by blank lines and of bodies nested under lists, but
    producing `<details>` for `???` and a tab block for `===`.
    """

    def __init__(self, parser: BlockParser) -> None:
        super().__init__(parser)
        self.current_sibling: etree.Element | None = None
        self.content_indent = 0

    def parse_content(
        self, parent: etree.Element, block: str
    ) -> tuple[etree.Element | None, str, str]:
        """Find the open container this indented block continues, if any."""
        old_block = block
        the_rest = ""
        if self.current_sibling is not None:
            sibling = self.current_sibling
            block, the_rest = self.detab(block, self.content_indent)
            self.current_sibling = None
            self.content_indent = 0
            return sibling, block, the_rest

        sibling = self.lastChild(parent)
        if not _is_container(sibling):
            return None, block, the_rest
        indent = 0
        last_child = self.lastChild(sibling)
        while (
            last_child is not None
            and last_child.tag in ("ul", "ol", "dl")
            and block.startswith(" " * self.tab_length * 2)
        ):
            # Content indented under a list inside the container belongs to the list item.
            sibling = self.lastChild(last_child)
            last_child = self.lastChild(sibling) if sibling is not None else None
            block = block[self.tab_length :]
            indent += self.tab_length
        if sibling is None or not block.startswith(" " * self.tab_length):
            return None, old_block, the_rest
        indent += self.tab_length
        block, the_rest = self.detab(old_block, indent)
        self.current_sibling = sibling
        self.content_indent = indent
        return sibling, block, the_rest

    def test(self, parent: etree.Element, block: str) -> bool:
        if _find_start(block):
            return True
        return self.parse_content(parent, block)[0] is not None

    def run(self, parent: etree.Element, blocks: list[str]) -> None:
        block = blocks.pop(0)
        start = _find_start(block)
        if start:
            if start.match.start() > 0:
                self.parser.parseBlocks(parent, [block[: start.match.start()]])
            block, the_rest = self.detab(block[start.match.end() :])
            container = self._open(parent, start)
        else:
            container, block, the_rest = self.parse_content(parent, block)
            if container.tag in ("li", "dd") and container.text:
                paragraph = etree.SubElement(container, "p")
                paragraph.text, container.text = container.text, ""
        self.parser.parseChunk(container, block)
        if the_rest:
            blocks.insert(0, the_rest)

    def _open(self, parent: etree.Element, start: BlockStart) -> etree.Element:
        title = start.title
        if start.marker.startswith("==="):
            element = etree.SubElement(parent, "div", {"class": TAB})
            etree.SubElement(element, "p", {"class": TAB_TITLE}).text = title
            return element
        classes = f"{ADMONITION} {start.types}".strip()
        default_title = start.types.split(" ", 1)[0].capitalize()
        if start.marker == "!!!":
            element = etree.SubElement(parent, "div", {"class": classes})
            if title is None:
                title = default_title
            if title:  # an explicit "" hides the title, as in mkdocs
                etree.SubElement(element, "p", {"class": ADMONITION_TITLE}).text = title
            return element
        element = etree.SubElement(parent, "details", {"class": classes})
        if start.marker.endswith("+"):
            element.set("open", "open")
        etree.SubElement(element, "summary").text = title or default_title
        return element


class EmptyContainerTreeprocessor(Treeprocessor):
    """Drop admonitions left empty, e.g. an expander whose list a plugin generated."""

    def run(self, root: etree.Element) -> None:
        self._prune(root)

    def _prune(self, parent: etree.Element) -> None:
        for child in list(parent):
            self._prune(child)
            if _is_container(child) and _is_empty(child):
                _remove_keeping_tail(parent, child)


HEADINGS = {f"h{level}": level for level in range(1, 7)}


class EmptySectionTreeprocessor(Treeprocessor):
    """Drop a heading with nothing under it, e.g. "Van toepassing op" or "Maatregelen"
    whose list an upstream plugin generates from an HTML comment: a heading followed
    by a heading of its own level or higher, or by nothing at all. Runs after the empty
    containers are gone, from the last heading up, so a section whose subsections
    were all empty goes too."""

    def run(self, root: etree.Element) -> None:
        self._prune(root)

    def _prune(self, parent: etree.Element) -> None:
        children = list(parent)
        for child in children:
            if child.tag not in HEADINGS:
                self._prune(child)
        following: int | None = 0  # the level of the next heading; 0: end of the section
        for child in reversed(children):
            level = HEADINGS.get(child.tag)
            if level is None:
                following = None  # content follows
                continue
            if following is not None and following <= level and not (child.tail or "").strip():
                parent.remove(child)
                continue
            following = level


def _is_empty(container: etree.Element) -> bool:
    body = [
        child
        for child in container
        if child.tag != "summary" and child.get("class") not in (ADMONITION_TITLE, TAB_TITLE)
    ]
    return not body and not (container.text or "").strip()


def _remove_keeping_tail(parent: etree.Element, child: etree.Element) -> None:
    if child.tail and child.tail.strip():
        children = list(parent)
        index = children.index(child)
        if index:
            previous = children[index - 1]
            previous.tail = (previous.tail or "") + child.tail
        else:
            parent.text = (parent.text or "") + child.tail
    parent.remove(child)


class MkdocsMaterialExtension(Extension):
    def extendMarkdown(self, md: Markdown) -> None:
        md.registerExtension(self)
        # After fenced_code (25) stashes code, before html_block (20) stashes raw HTML.
        md.preprocessors.register(MkdocsCleanupPreprocessor(md), "mkdocs_cleanup", 22)
        # Before the code-block processor (80), so indented bodies are not read as code.
        md.parser.blockprocessors.register(ContainerBlockProcessor(md.parser), "mkdocs_blocks", 105)
        md.treeprocessors.register(EmptyContainerTreeprocessor(md), "mkdocs_empty", 30)
        md.treeprocessors.register(EmptySectionTreeprocessor(md), "mkdocs_empty_sections", 29)


def extensions() -> list:
    """All Markdown extensions needed for Algoritmekader bodies."""
    return [
        MkdocsMaterialExtension(),
        "abbr",
        "attr_list",
        "def_list",
        "fenced_code",
        "footnotes",
        "md_in_html",
        "sane_lists",
        TableExtension(use_align_attribute=True),
    ]


def site_url(path: str, base: str) -> str:
    """The upstream URL of a file given by its path in the release (`docs/a/b.md`).

    mkdocs serves `docs/a/b.md` at `<base>a/b/`, `docs/a/index.md` at `<base>a/`,
    and any other file (images, downloads) at its own path.
    """
    path = path.lstrip("/")
    while path.startswith("../"):
        path = path[3:]
    path = path.removeprefix("docs/")
    if path in ("", ".", "index.md"):
        return base
    if path.endswith(".md"):
        stem = path[: -len(".md")]
        if posixpath.basename(stem) == "index":
            stem = posixpath.dirname(stem)
        return f"{base}{stem}/" if stem else base
    return base + path
