"""Open an import SOURCE as a folder on disk, safely.

A source is a folder laid out like an Algoritmekader checkout (or our own content
pack), a ``.zip`` or ``.tar.gz`` release archive, or an http(s) URL of such an
archive. Archives are checked member by member before anything is written (no
absolute names, no ``..``, no devices, no link whose target leaves the archive, a
total unpacked size under ``settings.CONTENT_ARCHIVE_MAX_BYTES``) and unpacked into a
temporary folder that is removed afterwards. A link that stays inside the archive
(every upstream release carries one, ``docs/over-het-algoritmekader/CONTRIBUTING.md
-> ../../CONTRIBUTING.md``) is not unpacked: the importer never reads those files, and
nothing is ever read or written outside the temporary folder. Downloads are limited
in size and time.

Two kinds of failure, so that the messages say what really happened:
``SourceRefused`` (the source was read and is unsafe or too big: "refused because
...") and ``SourceUnreachable`` (it could not be read at all: no such file, a failed
download).
"""

import re
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


class SourceRefused(SourceError):
    """The source was read and refused: unsafe entries, too big, not a release."""


class SourceUnreachable(SourceError):
    """The source cannot be read: no such folder or file, the download failed."""


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
        raise SourceRefused(f"{text}: refused because only http and https URLs are supported")
    path = Path(text).expanduser()
    if path.is_dir():
        path = path.resolve()
        yield _checked(OpenedSource(path, path.name, str(path)))
        return
    if not path.exists():
        raise SourceUnreachable(f"{text}: no such folder or file")
    if not path.name.lower().endswith(ARCHIVE_SUFFIXES):
        raise SourceRefused(f"{text}: refused because it is not a folder, .zip or .tar.gz archive")
    path = path.resolve()
    with tempfile.TemporaryDirectory(prefix="algokader-import-") as tmp:
        root = _unpack(path, Path(tmp), _archive_kind(path.name, path))
        yield _checked(OpenedSource(root, _strip_suffix(path.name), str(path)))


def _checked(opened: OpenedSource) -> OpenedSource:
    if not (opened.root / "docs").is_dir() and not opened.is_pack:
        raise SourceRefused(
            f"{opened.description}: refused because it has no docs/ folder (nor {PACK_MARKER}); "
            "expected an Algoritmekader checkout or release archive"
        )
    return opened


UPSTREAM_ARCHIVE_NAME = re.compile(r"Algoritmekader-v?(\d+(?:\.\d+)*)", re.IGNORECASE)


def _strip_suffix(name: str) -> str:
    """The default label of an archive: its name without suffix, and upstream's
    ``Algoritmekader-2.5.1`` as ``v2.5.1`` (the label of the tag and its folder)."""
    lower = name.lower()
    for suffix in ARCHIVE_SUFFIXES:
        if lower.endswith(suffix):
            name = name[: -len(suffix)]
            break
    upstream = UPSTREAM_ARCHIVE_NAME.fullmatch(name)
    return f"v{upstream.group(1)}" if upstream else name


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
    raise SourceRefused(f"{name or path}: refused because it is not a .zip or .tar.gz archive")


# --- archives -------------------------------------------------------------------


def _unpack(archive: Path, dest: Path, kind: str) -> Path:
    """Check and unpack the archive into dest; return the content root."""
    dest.mkdir(parents=True, exist_ok=True)
    budget = _Budget(
        archive.name, settings.CONTENT_ARCHIVE_MAX_BYTES, settings.CONTENT_ARCHIVE_MAX_MEMBERS
    )
    try:
        if kind == "zip":
            _unpack_zip(archive, dest, budget)
        else:
            _unpack_tar(archive, dest, budget)
    except (tarfile.TarError, zipfile.BadZipFile, EOFError, OSError) as exc:
        raise SourceRefused(
            f"{archive.name}: refused because the archive cannot be read ({exc})"
        ) from exc
    entries = list(dest.iterdir())
    if len(entries) == 1 and entries[0].is_dir():
        return entries[0]  # the single top folder GitHub puts in its archives
    return dest


class _Budget:
    """Counts unpacked bytes and members against the archive's limits."""

    def __init__(self, archive_name: str, limit: int, max_members: int | None = None) -> None:
        self.archive_name = archive_name
        self.limit = limit
        self.used = 0
        self.max_members = max_members
        self.members = 0

    def declare(self, size: int) -> None:
        self.members += 1
        if self.max_members is not None and self.members > self.max_members:
            raise SourceError(
                f"{self.archive_name}: more than {self.max_members} entries "
                "(CONTENT_ARCHIVE_MAX_MEMBERS); refused"
            )
        self.used += max(size, 0)
        if self.used > self.limit:
            raise SourceRefused(
                f"{self.archive_name}: refused because the unpacked size exceeds the limit of "
                f"{self.limit} bytes (CONTENT_ARCHIVE_MAX_BYTES)"
            )


def _safe_parts(archive_name: str, name: str) -> tuple[str, ...]:
    """The path parts of a member name, or SourceRefused when it could escape."""
    if name.startswith(("/", "\\")) or (len(name) > 1 and name[1] == ":"):
        raise SourceRefused(f"{archive_name}: refused because entry {name!r} has an absolute path")
    parts = tuple(p for p in name.replace("\\", "/").split("/") if p not in ("", "."))
    if ".." in parts:
        raise SourceRefused(
            f"{archive_name}: refused because entry {name!r} points outside the archive"
        )
    return parts


def _check_link(archive_name: str, name: str, target: str, base: tuple[str, ...]) -> None:
    """Refuse a link whose target is absolute or leaves the archive.

    ``base`` is the folder the target is relative to: the link's own folder for a
    symbolic link, the archive root for a tar hard link. The link itself is never
    unpacked (see the module docstring)."""
    escape = SourceRefused(
        f"{archive_name}: refused because entry {name!r} is a link to {target!r}, "
        "outside the archive"
    )
    if not target or target.startswith(("/", "\\")) or (len(target) > 1 and target[1] == ":"):
        raise escape
    resolved = list(base)
    for part in target.replace("\\", "/").split("/"):
        if part in ("", "."):
            continue
        if part == "..":
            if not resolved:
                raise escape
            resolved.pop()
        else:
            resolved.append(part)
    if not resolved:
        raise escape


def _special(archive_name: str, name: str) -> SourceRefused:
    return SourceRefused(
        f"{archive_name}: refused because entry {name!r} is a device or other special file"
    )


def _unpack_tar(archive: Path, dest: Path, budget: _Budget) -> None:
    with tarfile.open(archive, mode="r:*") as tar:
        planned = []
        for member in tar:  # read entry by entry, so the member limit stops a huge listing
            parts = _safe_parts(archive.name, member.name)
            if member.issym():
                _check_link(archive.name, member.name, member.linkname, parts[:-1])
                continue
            if member.islnk():
                _check_link(archive.name, member.name, member.linkname, ())
                continue
            if not (member.isfile() or member.isdir()):
                raise _special(archive.name, member.name)
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
                raise SourceRefused(
                    f"{archive.name}: refused because {member.name!r} is unreadable"
                )
            with stream:
                _write(dest.joinpath(*parts), stream, copied)


ZIP_FILE, ZIP_DIR, ZIP_LINK = 0o100000, 0o040000, 0o120000
ZIP_LINK_MAX = 4096  # bytes of a link target read to check it


def _unpack_zip(archive: Path, dest: Path, budget: _Budget) -> None:
    with zipfile.ZipFile(archive) as zf:
        infos = zf.infolist()
        planned = []
        for info in infos:
            parts = _safe_parts(archive.name, info.filename)
            mode = (info.external_attr >> 16) & 0o170000
            if mode == ZIP_LINK:
                with zf.open(info) as stream:
                    target = stream.read(ZIP_LINK_MAX).decode("utf-8", "replace")
                _check_link(archive.name, info.filename, target, parts[:-1])
                continue
            if mode and mode not in (ZIP_FILE, ZIP_DIR):
                raise _special(archive.name, info.filename)
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
            raise SourceRefused(
                f"{req.full_url}: redirect to {newurl} refused because only http/https are allowed"
            )
        return super().redirect_request(req, fp, code, msg, headers, newurl)


def _download(url: str, target: Path) -> None:
    """Fetch url into target, refusing more than CONTENT_DOWNLOAD_MAX_BYTES or
    longer than CONTENT_DOWNLOAD_TIMEOUT seconds in total."""
    limit = settings.CONTENT_DOWNLOAD_MAX_BYTES
    timeout = settings.CONTENT_DOWNLOAD_TIMEOUT
    deadline = time.monotonic() + timeout
    opener = urllib.request.build_opener(_HttpOnlyRedirects)
    if urllib.parse.urlsplit(url).scheme.lower() not in ("http", "https"):
        raise SourceRefused(f"{url}: refused because only http and https URLs are supported")
    agent = {"User-Agent": "algokader-tracker-import"}
    request = urllib.request.Request(url, headers=agent)  # noqa: S310 - scheme checked above
    try:
        with opener.open(request, timeout=timeout) as response, target.open("wb") as out:
            declared = response.headers.get("Content-Length")
            if declared and declared.isdigit() and int(declared) > limit:
                raise SourceRefused(
                    f"{url}: refused because the download of {declared} bytes exceeds the limit "
                    f"of {limit} bytes (CONTENT_DOWNLOAD_MAX_BYTES)"
                )
            received = 0
            while chunk := response.read1(CHUNK):
                received += len(chunk)
                if received > limit:
                    raise SourceRefused(
                        f"{url}: refused because the download exceeds the limit of {limit} bytes "
                        "(CONTENT_DOWNLOAD_MAX_BYTES); stopped"
                    )
                if time.monotonic() > deadline:
                    raise SourceUnreachable(
                        f"{url}: download took longer than {timeout} s "
                        "(CONTENT_DOWNLOAD_TIMEOUT); stopped"
                    )
                out.write(chunk)
    except urllib.error.HTTPError as exc:
        raise SourceUnreachable(f"{url}: download failed with HTTP {exc.code}") from exc
    except (urllib.error.URLError, TimeoutError, OSError) as exc:
        reason = getattr(exc, "reason", exc)
        raise SourceUnreachable(f"{url}: download failed ({reason})") from exc
