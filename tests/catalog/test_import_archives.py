"""Archives and downloads: imported when well-formed, refused when hostile or too big."""

import http.server
import tarfile
import threading
import time
import zipfile
from collections.abc import Iterator
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from tests.catalog.conftest import catalog_snapshot, folder_entries, tar_gz, zip_archive
from tracker.catalog.models import CatalogItem, ContentRelease

pytestmark = pytest.mark.django_db

OK = "v9.9: 2 vereisten, 2 maatregelen, 1 hulpmiddelen (added)"


def run(source) -> list[str]:
    out = StringIO()
    call_command("import_content", str(source), stdout=out)
    return out.getvalue().splitlines()


def refuse(source) -> str:
    before = catalog_snapshot()
    with pytest.raises(CommandError) as raised:
        run(source)
    assert catalog_snapshot() == before
    return str(raised.value)


@pytest.fixture
def entries(mini_release) -> list[tuple[str, bytes]]:
    """The mini release as archive entries under one top folder, as GitHub packs it."""
    return folder_entries(mini_release("checkout"), "Algoritmekader-9.9")


def test_tar_gz_with_github_top_folder(entries, tmp_path):
    archive = tar_gz(tmp_path / "v9.9.tar.gz", entries)
    lines = run(archive)
    assert lines[-1] == OK
    release = ContentRelease.objects.get()
    assert release.source == str(archive)
    item = CatalogItem.objects.get(code="aia-09")
    assert item.path == "docs/voldoen-aan-wetten-en-regels/vereisten/aia-09-menselijk-toezicht.md"


def test_zip_and_tar_of_the_same_content_are_one_release(entries, tmp_path):
    run(tar_gz(tmp_path / "v9.9.tgz", entries))
    lines = run(zip_archive(tmp_path / "v9.9.zip", entries))
    assert lines[-1] == OK.replace("added", "unchanged")
    assert ContentRelease.objects.count() == 1


def test_tar_with_dotdot_entry(entries, tmp_path):
    archive = tar_gz(tmp_path / "evil.tar.gz", [*entries, ("Algoritmekader-9.9/../evil", b"x")])
    message = refuse(archive)
    assert (
        "refused because entry 'Algoritmekader-9.9/../evil' points outside the archive" in message
    )
    assert not (tmp_path / "evil").exists()


def test_tar_with_absolute_entry(entries, tmp_path):
    archive = tar_gz(tmp_path / "abs.tar.gz", [*entries, ("/var/evil-absolute", b"x")])
    assert "refused because entry '/var/evil-absolute' has an absolute path" in refuse(archive)


def _tar_link(name: str, target: str, kind: bytes = tarfile.SYMTYPE) -> tarfile.TarInfo:
    link = tarfile.TarInfo(name)
    link.type = kind
    link.linkname = target
    return link


def test_tar_with_a_link_inside_the_archive_is_imported(entries, tmp_path):
    """As in every upstream release: docs/over-het-algoritmekader/CONTRIBUTING.md ->
    ../../CONTRIBUTING.md; the link is ignored, the rest imports."""
    inside = _tar_link(
        "Algoritmekader-9.9/docs/over-het-algoritmekader/CONTRIBUTING.md", "../../CONTRIBUTING.md"
    )
    hard = _tar_link(
        "Algoritmekader-9.9/docs/hard.md", "Algoritmekader-9.9/LICENSE.md", tarfile.LNKTYPE
    )
    extra = ("Algoritmekader-9.9/CONTRIBUTING.md", b"Bijdragen\n")
    archive = tar_gz(tmp_path / "v9.9.tar.gz", [*entries, extra, inside, hard])
    assert run(archive)[-1] == OK


@pytest.mark.parametrize(
    ("name", "target"),
    [
        ("Algoritmekader-9.9/docs/link.md", "/etc/passwd"),
        ("Algoritmekader-9.9/docs/link.md", "../../../etc/passwd"),
        ("Algoritmekader-9.9/docs/sub/link.md", "../../../../outside.md"),
        ("top-link.md", ".."),
    ],
)
def test_tar_with_a_link_out_of_the_archive(entries, tmp_path, name, target):
    archive = tar_gz(tmp_path / "link.tar.gz", [*entries, _tar_link(name, target)])
    message = refuse(archive)
    assert f"refused because entry {name!r} is a link to {target!r}, outside the archive" in message
    assert not list(tmp_path.glob("**/outside.md"))


def test_tar_with_a_hardlink_out_of_the_archive(entries, tmp_path):
    link = _tar_link("Algoritmekader-9.9/docs/hard.md", "../etc/passwd", tarfile.LNKTYPE)
    archive = tar_gz(tmp_path / "hard.tar.gz", [*entries, link])
    assert "is a link to '../etc/passwd', outside the archive" in refuse(archive)


@pytest.mark.parametrize("kind", [tarfile.CHRTYPE, tarfile.BLKTYPE, tarfile.FIFOTYPE])
def test_tar_with_a_device_or_fifo(entries, tmp_path, kind):
    device = tarfile.TarInfo("Algoritmekader-9.9/docs/dev.md")
    device.type = kind
    archive = tar_gz(tmp_path / "dev.tar.gz", [*entries, device])
    assert "refused because entry 'Algoritmekader-9.9/docs/dev.md' is a device" in refuse(archive)


def test_zip_with_dotdot_entry(entries, tmp_path):
    archive = zip_archive(tmp_path / "evil.zip", [*entries, ("../evil.md", b"x")])
    assert "refused because entry '../evil.md' points outside the archive" in refuse(archive)


def _zip_link(name: str) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name)
    info.external_attr = (0o120777 << 16) | 0x20
    return info


def test_zip_with_symlink_out_of_the_archive(entries, tmp_path):
    link = (_zip_link("Algoritmekader-9.9/docs/link.md"), b"/etc/passwd")
    archive = zip_archive(tmp_path / "link.zip", [*entries, link])
    assert "is a link to '/etc/passwd', outside the archive" in refuse(archive)
    link = (_zip_link("Algoritmekader-9.9/docs/link.md"), b"../../../x")
    archive = zip_archive(tmp_path / "link2.zip", [*entries, link])
    assert "is a link to '../../../x', outside the archive" in refuse(archive)


def test_zip_with_symlink_inside_the_archive_is_imported(entries, tmp_path):
    link = (_zip_link("Algoritmekader-9.9/docs/a/CONTRIBUTING.md"), b"../../CONTRIBUTING.md")
    archive = zip_archive(tmp_path / "v9.9.zip", [*entries, link])
    assert run(archive)[-1] == OK


def test_zip_with_a_special_file(entries, tmp_path):
    info = zipfile.ZipInfo("Algoritmekader-9.9/docs/fifo")
    info.external_attr = 0o010644 << 16
    archive = zip_archive(tmp_path / "fifo.zip", [*entries, (info, b"")])
    assert "is a device or other special file" in refuse(archive)


@pytest.mark.parametrize("suffix", [".tar.gz", ".zip"])
def test_archive_over_the_size_limit(entries, tmp_path, settings, suffix):
    total = sum(len(data) for _, data in entries)
    settings.CONTENT_ARCHIVE_MAX_BYTES = total - 1
    path = tmp_path / f"big{suffix}"
    archive = tar_gz(path, entries) if suffix == ".tar.gz" else zip_archive(path, entries)
    message = refuse(archive)
    assert message == (
        f"big{suffix}: refused because the unpacked size exceeds the limit of {total - 1} bytes "
        "(CONTENT_ARCHIVE_MAX_BYTES)"
    )
    settings.CONTENT_ARCHIVE_MAX_BYTES = total
    assert run(archive)[-1].endswith("(added)")


@pytest.mark.parametrize("suffix", [".tar.gz", ".zip"])
def test_archive_with_too_many_members(entries, tmp_path, settings, suffix):
    path = tmp_path / f"many{suffix}"
    archive = tar_gz(path, entries) if suffix == ".tar.gz" else zip_archive(path, entries)
    if suffix == ".zip":
        with zipfile.ZipFile(archive) as opened:
            members = len(opened.infolist())
    else:
        with tarfile.open(archive) as opened:
            members = len(opened.getmembers())
    settings.CONTENT_ARCHIVE_MAX_MEMBERS = members - 1
    assert refuse(archive) == (
        f"many{suffix}: more than {members - 1} entries (CONTENT_ARCHIVE_MAX_MEMBERS); refused"
    )
    settings.CONTENT_ARCHIVE_MAX_MEMBERS = members
    assert run(archive)[-1].endswith("(added)")


def test_not_an_archive(tmp_path):
    bogus = tmp_path / "bogus.tar.gz"
    bogus.write_bytes(b"this is not gzip")
    assert refuse(bogus).startswith("bogus.tar.gz: refused because the archive cannot be read")


def test_file_of_unknown_type(tmp_path):
    other = tmp_path / "release.rar"
    other.write_bytes(b"x")
    assert "not a folder, .zip or .tar.gz archive" in refuse(other)


# --- downloads from a local server ------------------------------------------------


class _Handler(http.server.BaseHTTPRequestHandler):
    files: dict[str, bytes] = {}
    slow: set[str] = set()

    def do_GET(self) -> None:
        if self.path.startswith("/redirect-to-"):
            scheme = self.path.removeprefix("/redirect-to-")
            self.send_response(302)
            self.send_header("Location", f"{scheme}://127.0.0.1/etc/passwd")
            self.end_headers()
            return
        data = self.files.get(self.path)
        if data is None:
            self.send_error(404)
            return
        self.send_response(200)
        if self.path not in self.slow:
            self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        if self.path in self.slow:
            try:
                for start in range(0, len(data), 1000):
                    self.wfile.write(data[start : start + 1000])
                    self.wfile.flush()
                    time.sleep(0.3)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the importer stopped reading, as it should
            return
        self.wfile.write(data)

    def log_message(self, format: str, *args: object) -> None:
        """Keep the test output quiet."""


@pytest.fixture
def server() -> Iterator[tuple[str, type[_Handler]]]:
    class Handler(_Handler):
        files: dict[str, bytes] = {}
        slow: set[str] = set()

    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}", Handler
    finally:
        httpd.shutdown()
        httpd.server_close()


def _serve(handler: type[_Handler], tmp_path: Path, name: str, entries) -> bytes:
    data = tar_gz(tmp_path / "served.tar.gz", entries).read_bytes()
    handler.files[name] = data
    return data


def test_download_of_an_archive(server, entries, tmp_path):
    base, handler = server
    _serve(handler, tmp_path, "/archive/refs/tags/v9.9.tar.gz", entries)
    lines = run(f"{base}/archive/refs/tags/v9.9.tar.gz")
    assert lines[-1] == OK
    assert ContentRelease.objects.get().source == f"{base}/archive/refs/tags/v9.9.tar.gz"


def test_download_over_the_declared_size_limit(server, entries, tmp_path, settings):
    base, handler = server
    data = _serve(handler, tmp_path, "/big.tar.gz", entries)
    settings.CONTENT_DOWNLOAD_MAX_BYTES = len(data) - 1
    message = refuse(f"{base}/big.tar.gz")
    assert f"exceeds the limit of {len(data) - 1} bytes (CONTENT_DOWNLOAD_MAX_BYTES)" in message


def test_download_without_length_stops_past_the_limit(server, settings):
    base, handler = server
    handler.files["/stream.tar.gz"] = b"x" * 4000
    handler.slow.add("/stream.tar.gz")
    settings.CONTENT_DOWNLOAD_MAX_BYTES = 1500
    settings.CONTENT_DOWNLOAD_TIMEOUT = 30
    assert "download exceeds the limit of 1500 bytes" in refuse(f"{base}/stream.tar.gz")


def test_download_slower_than_the_time_limit(server, settings):
    base, handler = server
    handler.files["/slow.tar.gz"] = b"x" * 8000  # at 1000 bytes per 0.3 s: 2.4 s
    handler.slow.add("/slow.tar.gz")
    settings.CONTENT_DOWNLOAD_TIMEOUT = 1
    assert "download took longer than 1 s (CONTENT_DOWNLOAD_TIMEOUT)" in refuse(
        f"{base}/slow.tar.gz"
    )


def test_download_errors_and_bad_redirects(server):
    base, _handler = server
    assert "download failed with HTTP 404" in refuse(f"{base}/missing.tar.gz")
    assert "download failed with HTTP 302" in refuse(f"{base}/redirect-to-file")  # urllib's own
    assert "redirect to ftp://127.0.0.1/etc/passwd refused because" in refuse(
        f"{base}/redirect-to-ftp"
    )
