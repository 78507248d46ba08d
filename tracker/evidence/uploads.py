"""Safe storage of uploaded evidence files.

The rules:

- Size: at most ``settings.UPLOAD_MAX_BYTES`` (default 25 MB), counted while streaming,
  so an oversized file is refused without trusting the declared size.
- Type: decided by the content (magic bytes, the inside of ZIP-based office files, a
  UTF-8 check for text), and the file name's extension must agree with it. HTML, SVG
  and XML are refused always, whatever the extension.
- Text types (CSV, TXT, Markdown, JSON) must decode as UTF-8 and contain no NUL byte,
  and are refused when their first non-blank character is ``<``: that is the trigger of
  the browsers' HTML sniffing (WHATWG MIME sniffing looks at the start of the resource,
  after whitespace), so such a file is treated as markup, not text. Markdown that
  starts with an HTML comment or tag is refused too; that is the price of a simple rule.
- Storage: outside the static files, under ``settings.UPLOAD_ROOT/<2 hex>/<token>``
  where ``token = secrets.token_urlsafe(32)``. The original name is never part of the
  path; a sanitised form of it is kept only for display and Content-Disposition.
- Nothing is left behind on a refusal: the temporary file is removed.
"""

import codecs
import hashlib
import json
import os
import re
import secrets
import tempfile
import unicodedata
import zipfile
import zlib
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

MAX_NAME_LENGTH = 150
HEAD_BYTES = 4096
# Multipart framing and the other form fields, on top of the file itself.
MULTIPART_OVERHEAD = 64 * 1024
MAX_ZIP_ENTRIES = 10_000
MAX_ZIP_MEMBER_READ = 1024 * 1024
TOKEN_RE = re.compile(r"^[A-Za-z0-9_-]{43}$")


class UploadRefused(Exception):
    """An upload that may not be stored. The message is Dutch and meant for the user."""


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


@dataclass(frozen=True)
class StoredFile:
    stored_name: str
    file_name: str
    content_type: str
    size: int
    sha256: str


# -- names and sizes ---------------------------------------------------------------


def sanitise_file_name(name: str) -> str:
    """A safe display name: basename only, NFC, no control characters, only letters,
    digits, space and ``.-_()`` (anything else becomes ``_``), at most 150 characters,
    never empty. The extension is kept, lower-cased."""
    name = unicodedata.normalize("NFC", name or "")
    name = re.split(r"[\\/]", name)[-1]
    kept = []
    for char in name:
        category = unicodedata.category(char)
        if category[0] == "C":  # control, format (e.g. right-to-left override), unassigned
            continue
        if category[0] == "L" or category == "Nd" or char in " .-_()":
            kept.append(char)
        elif char.isspace():
            kept.append(" ")
        else:
            kept.append("_")
    cleaned = re.sub(r"\s+", " ", "".join(kept)).strip()
    stem, dot, extension = cleaned.rpartition(".")
    if not dot or not re.fullmatch(r"[A-Za-z0-9]{1,10}", extension):
        stem, extension = cleaned, ""
    stem = re.sub(r"\.{2,}", ".", stem).strip(" .") or "bestand"
    extension = extension.lower()
    room = MAX_NAME_LENGTH - (len(extension) + 1 if extension else 0)
    stem = stem[:room].rstrip(" .") or "bestand"
    return f"{stem}.{extension}" if extension else stem


def human_size(n: int) -> str:
    """'25 MB', '1,5 MB', '200 kB', '10 bytes' (Dutch decimal comma)."""
    for unit, factor in (("MB", 1024 * 1024), ("kB", 1024)):
        if n >= factor:
            return f"{n / factor:.1f}".rstrip("0").rstrip(".").replace(".", ",") + f" {unit}"
    return f"{n} bytes"


def max_upload_bytes() -> int:
    return int(settings.UPLOAD_MAX_BYTES)


def too_large_message(limit: int | None = None) -> str:
    return f"Bestand is groter dan {human_size(limit or max_upload_bytes())}."


def declared_too_large(content_length: str | None) -> bool:
    """True when a request's Content-Length alone shows its file cannot fit.

    Checked before the body is read; the exact limit is enforced while streaming."""
    try:
        length = int(content_length or 0)
    except ValueError:
        return False
    return length > max_upload_bytes() + MULTIPART_OVERHEAD


def type_for_name(file_name: str) -> FileType:
    _, dot, extension = file_name.rpartition(".")
    if not dot:
        raise UploadRefused(
            f"Het bestand heeft geen extensie. Toegestaan zijn: {ALLOWED_EXTENSIONS_TEXT}."
        )
    file_type = TYPES_BY_EXTENSION.get(extension.lower())
    if file_type is None:
        raise UploadRefused(
            f"Bestanden met de extensie .{extension.lower()} zijn niet toegestaan. "
            f"Toegestaan zijn: {ALLOWED_EXTENSIONS_TEXT}."
        )
    return file_type


# -- storage -----------------------------------------------------------------------


def upload_root() -> Path:
    return Path(settings.UPLOAD_ROOT)


def path_for(stored_name: str) -> Path:
    """Where a stored file lives. Refuses anything that is not one of our tokens."""
    if not TOKEN_RE.fullmatch(stored_name or ""):
        raise ValueError("not a stored upload token")
    shard = hashlib.sha256(stored_name.encode()).hexdigest()[:2]
    return upload_root() / shard / stored_name


def discard(stored_name: str) -> None:
    """Remove a stored file (used when the database row could not be written)."""
    path_for(stored_name).unlink(missing_ok=True)


class _Scan:
    """Size, sha256, the first bytes and UTF-8 cleanliness, computed while streaming."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.size = 0
        self.sha256 = hashlib.sha256()
        self.head = b""
        self.has_nul = False
        self.is_utf8 = True
        self._decoder = codecs.getincrementaldecoder("utf-8")()

    def feed(self, chunk: bytes) -> None:
        self.size += len(chunk)
        if self.size > self.limit:
            raise UploadRefused(too_large_message(self.limit))
        self.sha256.update(chunk)
        if len(self.head) < HEAD_BYTES:
            self.head += chunk[: HEAD_BYTES - len(self.head)]
        self.has_nul = self.has_nul or b"\x00" in chunk
        self._decode(chunk, final=False)

    def finish(self) -> None:
        self._decode(b"", final=True)

    def _decode(self, data: bytes, *, final: bool) -> None:
        if not self.is_utf8:
            return
        try:
            self._decoder.decode(data, final)
        except UnicodeDecodeError:
            self.is_utf8 = False


def store_upload(upload, *, limit: int | None = None) -> StoredFile:
    """Validate and store an uploaded file (a Django UploadedFile).

    Raises UploadRefused with a Dutch message; then nothing is left on disk."""
    limit = limit or max_upload_bytes()
    file_name = sanitise_file_name(upload.name)
    expected = type_for_name(file_name)
    if upload.size is not None and upload.size > limit:
        raise UploadRefused(too_large_message(limit))
    root = upload_root()
    root.mkdir(parents=True, exist_ok=True)
    fd, temp_name = tempfile.mkstemp(dir=root, prefix=".incoming-")
    temp_path = Path(temp_name)
    try:
        scan = _Scan(limit)
        with os.fdopen(fd, "wb") as out:
            for chunk in _chunks(upload):
                scan.feed(chunk)
                out.write(chunk)
        scan.finish()
        if scan.size == 0:
            raise UploadRefused("Het bestand is leeg.")
        actual = identify(temp_path, scan, expected)
        if actual != expected.key:
            described = OTHER_CONTENT.get(actual) or _type(actual).label
            raise UploadRefused(f"Het bestand is {expected.not_real}: de inhoud is {described}.")
        stored_name = secrets.token_urlsafe(32)
        final_path = path_for(stored_name)
        final_path.parent.mkdir(exist_ok=True)
        os.replace(temp_path, final_path)
    except BaseException:
        temp_path.unlink(missing_ok=True)
        raise
    return StoredFile(
        stored_name=stored_name,
        file_name=file_name,
        content_type=expected.content_type,
        size=scan.size,
        sha256=scan.sha256.hexdigest(),
    )


def _chunks(upload) -> Iterable[bytes]:
    upload.seek(0)
    yield from upload.chunks()


def _type(key: str) -> FileType:
    return next(t for t in ALLOWED_TYPES if t.key == key)


# -- content identification -----------------------------------------------------------


def identify(path: Path, scan: _Scan, expected: FileType) -> str:
    """The key of what the content really is: an ALLOWED_TYPES key or an OTHER_CONTENT key."""
    head = scan.head
    if head.startswith(b"%PDF-"):
        return "pdf"
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
    if not scan.is_utf8:
        return "binary" if expected.key not in TEXT_TYPES else "not-utf8"
    if scan.has_nul:
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


def _read_member(archive: zipfile.ZipFile, name: str) -> bytes:
    """At most MAX_ZIP_MEMBER_READ bytes of one member (a lying header cannot inflate more)."""
    info = archive.getinfo(name)
    if info.file_size > MAX_ZIP_MEMBER_READ:
        return b""
    with archive.open(info) as member:
        return member.read(MAX_ZIP_MEMBER_READ)
