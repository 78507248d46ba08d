"""What an uploaded file really is, decided by its content: magic bytes, the inside of
ZIP-based office files (read without extracting), and a UTF-8 check for text.

Active content is refused like a wrong type: OOXML with VBA macros, ODF documents with
Basic or script macros (a ``Basic/`` or ``Scripts/`` folder, or an event bound to a
script), and PDFs with JavaScript (tracker.evidence.pdfscript).

Text types (CSV, TXT, Markdown, JSON) are refused as markup when their first non-blank
character is ``<``: that is what triggers the browsers' HTML sniffing (WHATWG MIME
sniffing looks at the start of the resource, after whitespace). Markdown that starts
with an HTML comment or tag is refused too; that is the price of a simple rule.
"""

import codecs
import json
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path

from tracker.evidence.pdfscript import pdf_has_script

MAX_ZIP_ENTRIES = 10_000
MAX_ZIP_MEMBER_READ = 1024 * 1024
MAX_ODF_PART_READ = 256 * 1024 * 1024  # content.xml of a large spreadsheet, inflated


@dataclass(frozen=True)
class FileType:
    key: str
    label: str  # "een PDF", used after "de inhoud is"
    not_real: str  # "geen echte PDF", used after "Het bestand is"
    content_type: str
    extensions: tuple[str, ...]


ALLOWED_TYPES: tuple[FileType, ...] = (
    FileType("pdf", "een PDF", "geen echte PDF", "application/pdf", ("pdf",)),
    FileType("png", "een PNG-afbeelding", "geen echte PNG-afbeelding", "image/png", ("png",)),
    FileType(
        "jpeg", "een JPEG-afbeelding", "geen echte JPEG-afbeelding", "image/jpeg", ("jpg", "jpeg")
    ),
    FileType(
        "docx",
        "een Word-document",
        "geen echt Word-document",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ("docx",),
    ),
    FileType(
        "xlsx",
        "een Excel-werkmap",
        "geen echte Excel-werkmap",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ("xlsx",),
    ),
    FileType(
        "pptx",
        "een PowerPoint-presentatie",
        "geen echte PowerPoint-presentatie",
        "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        ("pptx",),
    ),
    FileType(
        "odt",
        "een OpenDocument-tekstdocument",
        "geen echt OpenDocument-tekstdocument",
        "application/vnd.oasis.opendocument.text",
        ("odt",),
    ),
    FileType(
        "ods",
        "een OpenDocument-rekenblad",
        "geen echt OpenDocument-rekenblad",
        "application/vnd.oasis.opendocument.spreadsheet",
        ("ods",),
    ),
    FileType("csv", "CSV-tekst", "geen echt CSV-bestand", "text/csv; charset=utf-8", ("csv",)),
    FileType("txt", "tekst", "geen echt tekstbestand", "text/plain; charset=utf-8", ("txt",)),
    FileType(
        "md", "Markdown", "geen echt Markdown-bestand", "text/markdown; charset=utf-8", ("md",)
    ),
    FileType("json", "JSON", "geen echt JSON-bestand", "application/json", ("json",)),
)
TYPES_BY_EXTENSION = {ext: t for t in ALLOWED_TYPES for ext in t.extensions}
TEXT_TYPES = frozenset({"csv", "txt", "md", "json"})
ALLOWED_EXTENSIONS_TEXT = ", ".join(f".{ext}" for ext in TYPES_BY_EXTENSION)

# What a content can be besides an allowed type, as shown after "de inhoud is".
OTHER_CONTENT = {
    "html": "HTML",
    "svg": "SVG",
    "xml": "XML",
    "gif": "een GIF-afbeelding",
    "zip": "een ZIP-archief",
    "macro": "een Office-bestand met macro's",
    "pdf-script": "een PDF met JavaScript",
    "office-other": "een ander soort Office-bestand",
    "broken-zip": "een beschadigd of versleuteld ZIP-archief",
    "binary": "binaire gegevens van een onbekend type",
    "not-utf8": "geen UTF-8-tekst",
    "nul": "tekst met NUL-tekens (binair)",
    "bad-json": "geen geldige JSON",
}
OOXML_MAIN_TYPES = {
    "docx": b"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
    "xlsx": b"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
    "pptx": b"application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml",
}
ODF_MIMETYPES = {
    "odt": b"application/vnd.oasis.opendocument.text",
    "ods": b"application/vnd.oasis.opendocument.spreadsheet",
}
HTML_MARKERS = (b"<!doctype html", b"<html", b"<head", b"<body", b"<script", b"<iframe")


def describe(key: str) -> str:
    """What a content is, in Dutch, as shown after "de inhoud is"."""
    if key in OTHER_CONTENT:
        return OTHER_CONTENT[key]
    return next(t.label for t in ALLOWED_TYPES if t.key == key)


def identify(path: Path, *, head: bytes, is_utf8: bool, has_nul: bool, expected: FileType) -> str:
    """The key of what the content really is: an ALLOWED_TYPES key or an OTHER_CONTENT key.

    ``head`` is the first bytes; ``is_utf8`` and ``has_nul`` describe the whole file
    (computed while it was streamed); ``expected`` is the type its extension names."""
    if head.startswith(b"%PDF-"):
        return "pdf-script" if pdf_has_script(path) else "pdf"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if head.startswith((b"GIF87a", b"GIF89a")):
        return "gif"
    if head.startswith(b"PK\x03\x04"):
        return _inspect_zip(path)
    markup = _markup_kind(head)
    if markup:
        return markup
    if not is_utf8:
        return "binary" if expected.key not in TEXT_TYPES else "not-utf8"
    if has_nul:
        return "nul"
    if expected.key == "json" and not _is_json(path):
        return "bad-json"
    return expected.key if expected.key in TEXT_TYPES else "txt"


def _markup_kind(head: bytes) -> str | None:
    """'svg', 'html' or 'xml' when the content starts (after a BOM and blanks) with '<'.

    Also recognises UTF-16 encoded markup, which browsers sniff as well."""
    for bom, encoding in ((codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be")):
        if head.startswith(bom):
            head = head[len(bom) :].decode(encoding, errors="ignore").encode()
            break
    text = head.removeprefix(codecs.BOM_UTF8).lstrip(b" \t\r\n\f").lower()
    if not text.startswith(b"<"):
        return None
    if b"<svg" in text:
        return "svg"
    if text.startswith(b"<?xml") and not any(marker in text for marker in HTML_MARKERS):
        return "xml"
    return "html"


def _is_json(path: Path) -> bool:
    try:
        with path.open(encoding="utf-8-sig") as handle:
            json.load(handle)
    except (ValueError, RecursionError):
        return False
    return True


def _inspect_zip(path: Path) -> str:
    """Which office format a ZIP file is, read from its directory and one small member,
    without extracting anything."""
    try:
        with zipfile.ZipFile(path) as archive:
            infos = archive.infolist()
            if not infos or len(infos) > MAX_ZIP_ENTRIES:
                return "zip"
            names = {info.filename for info in infos}
            if "[Content_Types].xml" in names:
                if any(name.lower().endswith("vbaproject.bin") for name in names):
                    return "macro"
                content_types = _read_member(archive, "[Content_Types].xml")
                for key, main_type in OOXML_MAIN_TYPES.items():
                    if main_type in content_types:
                        return key
                return "macro" if b"macroenabled" in content_types.lower() else "office-other"
            if infos[0].filename == "mimetype":
                if _odf_has_macros(archive, names):
                    return "macro"
                mimetype = _read_member(archive, "mimetype").strip()
                for key, expected in ODF_MIMETYPES.items():
                    if mimetype == expected:
                        return key
                return "office-other"
            return "zip"
    except (
        zipfile.BadZipFile,
        zipfile.LargeZipFile,
        NotImplementedError,  # unsupported compression
        RuntimeError,  # encrypted member
        EOFError,
        zlib.error,
        ValueError,
    ):
        return "broken-zip"


ODF_MACRO_FOLDERS = ("Basic/", "Scripts/")
# An event (document open, a button) bound to a macro, embedded or in the application.
ODF_SCRIPT_MARKERS = (b"vnd.sun.star.script:", b"script:event-listener", b"macro://")
ODF_XML_PARTS = ("content.xml", "styles.xml", "settings.xml")


def _odf_has_macros(archive: zipfile.ZipFile, names: set[str]) -> bool:
    if any(name.startswith(ODF_MACRO_FOLDERS) for name in names):
        return True
    return any(_member_contains(archive, part, ODF_SCRIPT_MARKERS) for part in ODF_XML_PARTS)


def _member_contains(archive: zipfile.ZipFile, name: str, markers: tuple[bytes, ...]) -> bool:
    """Whether a member holds one of the markers, read in chunks. A member that inflates
    past MAX_ODF_PART_READ counts as holding one (it cannot be checked)."""
    try:
        info = archive.getinfo(name)
    except KeyError:
        return False
    overlap = max(len(marker) for marker in markers) - 1
    read, tail = 0, b""
    with archive.open(info) as member:
        while chunk := member.read(1024 * 1024):
            read += len(chunk)
            if read > MAX_ODF_PART_READ:
                return True
            window = tail + chunk
            if any(marker in window for marker in markers):
                return True
            tail = window[-overlap:]
    return False


def _read_member(archive: zipfile.ZipFile, name: str) -> bytes:
    """At most MAX_ZIP_MEMBER_READ bytes of one member (a lying header cannot inflate more)."""
    info = archive.getinfo(name)
    if info.file_size > MAX_ZIP_MEMBER_READ:
        return b""
    with archive.open(info) as member:
        return member.read(MAX_ZIP_MEMBER_READ)
