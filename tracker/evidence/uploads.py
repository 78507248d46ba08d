"""Safe storage of uploaded evidence files.

The rules:

- Size: at most ``settings.UPLOAD_MAX_BYTES`` (default 25 MB), counted while streaming,
  so an oversized file is refused without trusting the declared size.
- Type: decided by the content (tracker.evidence.sniffing: magic bytes, the inside of
  ZIP-based office files, a UTF-8 check for text), and the file name's extension must
  agree with it. HTML, SVG and XML are refused always, whatever the extension. Text
  types (CSV, TXT, Markdown, JSON) must decode as UTF-8, contain no NUL byte and not
  start with ``<``.
- Storage: outside the static files, under ``settings.UPLOAD_ROOT/<2 hex>/<token>``
  where ``token = secrets.token_urlsafe(32)``. The original name is never part of the
  path; a sanitised form of it is kept only for display and Content-Disposition.
- Nothing is left behind on a refusal: the temporary file is removed.
- Storage that fails (``UPLOAD_ROOT`` full, read-only or not writable) is an
  ``UploadStorageError`` with a Dutch message for the user and the cause in the log;
  the temporary file is removed and no database row is written.
"""

import codecs
import contextlib
import hashlib
import logging
import os
import re
import secrets
import tempfile
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

from tracker.evidence import sniffing
from tracker.evidence.sniffing import ALLOWED_EXTENSIONS_TEXT, TYPES_BY_EXTENSION, FileType

logger = logging.getLogger(__name__)

MAX_NAME_LENGTH = 150
HEAD_BYTES = 4096
# Multipart framing and the other form fields, on top of the file itself.
MULTIPART_OVERHEAD = 64 * 1024
TOKEN_RE = re.compile(r"^[A-Za-z0-9_-]{43}$")


class UploadRefused(Exception):
    """An upload that may not be stored. The message is Dutch and meant for the user."""


class UploadStorageError(UploadRefused):
    """The file was fine, but the server could not store it (disk full, not writable)."""


STORAGE_FAILED = (
    "Het bestand kon niet worden opgeslagen: de opslag van de server is vol of niet "
    "beschikbaar. Er is niets bewaard. Probeer het later opnieuw, of meld het bij de beheerder."
)


def _storage_failed(error: OSError) -> UploadStorageError:
    logger.error("evidence upload not stored in %s: %s", upload_root(), error)
    return UploadStorageError(STORAGE_FAILED)


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
    try:
        root.mkdir(parents=True, exist_ok=True)
        fd, temp_name = tempfile.mkstemp(dir=root, prefix=".incoming-")
    except OSError as error:
        raise _storage_failed(error) from error
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
        actual = sniffing.identify(
            temp_path,
            head=scan.head,
            is_utf8=scan.is_utf8,
            has_nul=scan.has_nul,
            expected=expected,
        )
        if actual != expected.key:
            described = sniffing.describe(actual)
            raise UploadRefused(f"Het bestand is {expected.not_real}: de inhoud is {described}.")
        stored_name = secrets.token_urlsafe(32)
        final_path = path_for(stored_name)
        final_path.parent.mkdir(exist_ok=True)
        os.replace(temp_path, final_path)
    except OSError as error:
        _remove(temp_path)
        raise _storage_failed(error) from error
    except BaseException:
        _remove(temp_path)
        raise
    return StoredFile(
        stored_name=stored_name,
        file_name=file_name,
        content_type=expected.content_type,
        size=scan.size,
        sha256=scan.sha256.hexdigest(),
    )


def _remove(path: Path) -> None:
    with contextlib.suppress(OSError):  # a folder that broke may refuse this too
        path.unlink(missing_ok=True)


def _chunks(upload) -> Iterable[bytes]:
    upload.seek(0)
    yield from upload.chunks()
