"""Open an import SOURCE as a folder on disk, safely.

A source is a folder laid out like an Algoritmekader checkout (or our own content
pack), a ``.zip`` or ``.tar.gz`` release archive, or an http(s) URL of such an
archive. Archives are checked member by member before anything is written (no
absolute names, no ``..``, no links or devices, a total unpacked size under
``settings.CONTENT_ARCHIVE_MAX_BYTES``) and unpacked into a temporary folder that
is removed afterwards. Downloads are limited in size and time.
"""

import tarfile
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import BinaryIO

from django.conf import settings

from tracker.catalog.import_errors import ImportFailure

ARCHIVE_SUFFIXES = (".tar.gz", ".tgz", ".zip")
PACK_MARKER = "tracker-pack.yaml"
CHUNK = 64 * 1024


class SourceError(ImportFailure):
    """The source cannot be opened, or is refused as unsafe."""


@dataclass(frozen=True)
class OpenedSource:
    root: Path  # the folder that holds docs/ (and includes/, tracker-pack.yaml, ...)
    default_label: str  # folder or archive name, e.g. "v2.5.1"
    description: str  # what to record as ContentRelease.source

    @property
    def is_pack(self) -> bool:
        return (self.root / PACK_MARKER).is_file()


@contextmanager
def open_source(source: str | Path) -> Iterator[OpenedSource]:
    """Yield the source as a folder; temporary folders are removed on exit."""
    text = str(source)
    scheme = urllib.parse.urlsplit(text).scheme.lower()
    if scheme in ("http", "https"):
        with tempfile.TemporaryDirectory(prefix="algokader-import-") as tmp:
            name = PurePosixPath(urllib.parse.urlsplit(text).path).name
            archive = Path(tmp) / "download"
            _download(text, archive)
            root = _unpack(archive, Path(tmp) / "unpacked", _archive_kind(name, archive))
            yield _checked(OpenedSource(root, _strip_suffix(name), text))
        return
    if "://" in text:
        raise SourceError(f"{text}: only http and https URLs are supported")
    path = Path(text).expanduser()
    if path.is_dir():
        path = path.resolve()
        yield _checked(OpenedSource(path, path.name, str(path)))
        return
    if not path.exists():
        raise SourceError(f"{text}: no such folder or file")
    if not path.name.lower().endswith(ARCHIVE_SUFFIXES):
        raise SourceError(f"{text}: not a folder, .zip or .tar.gz archive")
    path = path.resolve()
    with tempfile.TemporaryDirectory(prefix="algokader-import-") as tmp:
        root = _unpack(path, Path(tmp), _archive_kind(path.name, path))
        yield _checked(OpenedSource(root, _strip_suffix(path.name), str(path)))


def _checked(opened: OpenedSource) -> OpenedSource:
    if not (opened.root / "docs").is_dir() and not opened.is_pack:
        raise SourceError(
            f"{opened.description}: no docs/ folder (nor {PACK_MARKER}) found; "
            "expected an Algoritmekader checkout or release archive"
        )
    return opened


def _strip_suffix(name: str) -> str:
    lower = name.lower()
    for suffix in ARCHIVE_SUFFIXES:
        if lower.endswith(suffix):
            return name[: -len(suffix)]
    return name


def _archive_kind(name: str, path: Path) -> str:
    lower = name.lower()
    if lower.endswith(".zip"):
        return "zip"
    if lower.endswith((".tar.gz", ".tgz")):
        return "tar"
    if zipfile.is_zipfile(path):
        return "zip"
    if tarfile.is_tarfile(path):
        return "tar"
    raise SourceError(f"{name or path}: not a .zip or .tar.gz archive")


# --- archives -------------------------------------------------------------------


def _unpack(archive: Path, dest: Path, kind: str) -> Path:
    """Check and unpack the archive into dest; return the content root."""
    dest.mkdir(parents=True, exist_ok=True)
    budget = _Budget(archive.name, settings.CONTENT_ARCHIVE_MAX_BYTES)
    try:
        if kind == "zip":
            _unpack_zip(archive, dest, budget)
        else:
            _unpack_tar(archive, dest, budget)
    except (tarfile.TarError, zipfile.BadZipFile, EOFError, OSError) as exc:
        raise SourceError(f"{archive.name}: cannot read the archive ({exc})") from exc
    entries = list(dest.iterdir())
    if len(entries) == 1 and entries[0].is_dir():
        return entries[0]  # the single top folder GitHub puts in its archives
    return dest


class _Budget:
    """Counts unpacked bytes against the archive size limit."""

    def __init__(self, archive_name: str, limit: int) -> None:
        self.archive_name = archive_name
        self.limit = limit
        self.used = 0

    def declare(self, size: int) -> None:
        self.used += max(size, 0)
        if self.used > self.limit:
            raise SourceError(
                f"{self.archive_name}: unpacked size exceeds the limit of {self.limit} bytes "
                "(CONTENT_ARCHIVE_MAX_BYTES); refused"
            )


def _safe_parts(archive_name: str, name: str) -> tuple[str, ...]:
    """The path parts of a member name, or SourceError when it could escape."""
    if name.startswith(("/", "\\")) or (len(name) > 1 and name[1] == ":"):
        raise SourceError(f"{archive_name}: entry {name!r} has an absolute path; refused")
    parts = tuple(p for p in name.replace("\\", "/").split("/") if p not in ("", "."))
    if ".." in parts:
        raise SourceError(f"{archive_name}: entry {name!r} points outside the archive; refused")
    return parts


def _unpack_tar(archive: Path, dest: Path, budget: _Budget) -> None:
    with tarfile.open(archive, mode="r:*") as tar:
        members = tar.getmembers()
        planned = []
        for member in members:
            parts = _safe_parts(archive.name, member.name)
            if not (member.isfile() or member.isdir()):
                raise SourceError(
                    f"{archive.name}: entry {member.name!r} is a link or special file; refused"
                )
            budget.declare(member.size if member.isfile() else 0)
            planned.append((member, parts))
        copied = _Budget(archive.name, budget.limit)
        for member, parts in planned:
            if not parts:
                continue
            if member.isdir():
                dest.joinpath(*parts).mkdir(parents=True, exist_ok=True)
                continue
            stream = tar.extractfile(member)
            if stream is None:  # pragma: no cover - isfile() members always have data
                raise SourceError(f"{archive.name}: entry {member.name!r} cannot be read")
            with stream:
                _write(dest.joinpath(*parts), stream, copied)


def _unpack_zip(archive: Path, dest: Path, budget: _Budget) -> None:
    with zipfile.ZipFile(archive) as zf:
        infos = zf.infolist()
        planned = []
        for info in infos:
            parts = _safe_parts(archive.name, info.filename)
            mode = (info.external_attr >> 16) & 0o170000
            if mode and mode not in (0o100000, 0o040000):
                raise SourceError(
                    f"{archive.name}: entry {info.filename!r} is a link or special file; refused"
                )
            budget.declare(0 if info.is_dir() else info.file_size)
            planned.append((info, parts))
        copied = _Budget(archive.name, budget.limit)
        for info, parts in planned:
            if not parts:
                continue
            if info.is_dir():
                dest.joinpath(*parts).mkdir(parents=True, exist_ok=True)
                continue
            with zf.open(info) as stream:
                _write(dest.joinpath(*parts), stream, copied)


def _write(target: Path, stream: BinaryIO, budget: _Budget) -> None:
    """Copy a member, counting the bytes really written (not the declared size)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    with target.open("xb") as out:
        while chunk := stream.read(CHUNK):
            budget.declare(len(chunk))
            out.write(chunk)


# --- downloads ------------------------------------------------------------------


class _HttpOnlyRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, req, fp, code, msg, headers, newurl):
        if urllib.parse.urlsplit(newurl).scheme.lower() not in ("http", "https"):
            raise SourceError(f"{req.full_url}: redirect to {newurl} refused (http/https only)")
        return super().redirect_request(req, fp, code, msg, headers, newurl)


def _download(url: str, target: Path) -> None:
    """Fetch url into target, refusing more than CONTENT_DOWNLOAD_MAX_BYTES or
    longer than CONTENT_DOWNLOAD_TIMEOUT seconds in total."""
    limit = settings.CONTENT_DOWNLOAD_MAX_BYTES
    timeout = settings.CONTENT_DOWNLOAD_TIMEOUT
    deadline = time.monotonic() + timeout
    opener = urllib.request.build_opener(_HttpOnlyRedirects)
    if urllib.parse.urlsplit(url).scheme.lower() not in ("http", "https"):
        raise SourceError(f"{url}: only http and https URLs are supported")
    agent = {"User-Agent": "algokader-tracker-import"}
    request = urllib.request.Request(url, headers=agent)  # noqa: S310 - scheme checked above
    try:
        with opener.open(request, timeout=timeout) as response, target.open("wb") as out:
            declared = response.headers.get("Content-Length")
            if declared and declared.isdigit() and int(declared) > limit:
                raise SourceError(
                    f"{url}: download of {declared} bytes exceeds the limit of {limit} bytes "
                    "(CONTENT_DOWNLOAD_MAX_BYTES); refused"
                )
            received = 0
            while chunk := response.read1(CHUNK):
                received += len(chunk)
                if received > limit:
                    raise SourceError(
                        f"{url}: download exceeds the limit of {limit} bytes "
                        "(CONTENT_DOWNLOAD_MAX_BYTES); stopped"
                    )
                if time.monotonic() > deadline:
                    raise SourceError(
                        f"{url}: download took longer than {timeout} s "
                        "(CONTENT_DOWNLOAD_TIMEOUT); stopped"
                    )
                out.write(chunk)
    except urllib.error.HTTPError as exc:
        raise SourceError(f"{url}: download failed with HTTP {exc.code}") from exc
    except (urllib.error.URLError, TimeoutError, OSError) as exc:
        reason = getattr(exc, "reason", exc)
        raise SourceError(f"{url}: download failed ({reason})") from exc
