"""The upload checks and storage (tracker.evidence.uploads), without HTTP."""

import hashlib
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.evidence import samples
from tracker.evidence import uploads
from tracker.evidence.uploads import UploadRefused, sanitise_file_name, store_upload


def stored_files(root) -> list[Path]:
    return [path for path in Path(root).rglob("*") if path.is_file()]


@pytest.fixture
def root(settings) -> Path:
    return Path(settings.UPLOAD_ROOT)


# -- file names ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("../../etc/passwd.pdf", "passwd.pdf"),
        ("..\\..\\Windows\\evil.PDF", "evil.pdf"),
        ("/absolute/path/rapport.pdf", "rapport.pdf"),
        ("C:\\Users\\jan\\verslag DPIA.docx", "verslag DPIA.docx"),
        ("..", "bestand"),
        ("", "bestand"),
        (".pdf", "bestand.pdf"),
        ("a\x00b\x1fc.txt", "abc.txt"),
        ("factuur\u202efdp.exe", "factuurfdp.exe"),  # right-to-left override dropped
        ("re\u0301sume\u0301.pdf", "résumé.pdf"),  # NFC: one code point per letter
        ('<b>alert("x")<b>.txt', "_b_alert(_x_)_b_.txt"),
        ("  lege   ruimte  .md", "lege ruimte.md"),
        ("..verborgen..pdf", "verborgen.pdf"),
    ],
)
def test_file_names_are_sanitised(raw: str, expected: str) -> None:
    assert sanitise_file_name(raw) == expected


def test_long_names_are_cut_to_150_characters_keeping_the_extension() -> None:
    name = sanitise_file_name("x" * 400 + ".xlsx")
    assert len(name) == 150
    assert name.endswith("x.xlsx")


def test_the_path_of_a_stored_file_only_accepts_our_tokens(root) -> None:
    for bad in ("../../etc/passwd", "", "a/b", "x" * 43 + "/"):
        with pytest.raises(ValueError, match="token"):
            uploads.path_for(bad)
    path = uploads.path_for("A" * 43)
    assert path.parent.parent == root


# -- accepted files ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "content", "content_type"),
    [
        ("rapport.pdf", samples.PDF, "application/pdf"),
        ("grafiek.png", samples.PNG, "image/png"),
        ("foto.JPG", samples.JPEG, "image/jpeg"),
        (
            "dpia.docx",
            samples.ooxml("docx"),
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
        (
            "risico's.xlsx",
            samples.ooxml("xlsx"),
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ),
        (
            "uitleg.pptx",
            samples.ooxml("pptx"),
            "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        ),
        ("notulen.odt", samples.odf("odt"), "application/vnd.oasis.opendocument.text"),
        ("cijfers.ods", samples.odf("ods"), "application/vnd.oasis.opendocument.spreadsheet"),
        ("data.csv", samples.CSV, "text/csv; charset=utf-8"),
        ("uitleg.txt", samples.TEXT, "text/plain; charset=utf-8"),
        ("README.md", b"# Kop\n\nTekst met *nadruk*.\n", "text/markdown; charset=utf-8"),
        ("besluit.json", samples.JSON, "application/json"),
    ],
)
def test_allowed_files_are_stored_byte_identical(root, name, content, content_type) -> None:
    stored = store_upload(SimpleUploadedFile(name, content))
    path = uploads.path_for(stored.stored_name)
    assert path.read_bytes() == content
    assert stored.sha256 == hashlib.sha256(content).hexdigest()
    assert stored.size == len(content)
    assert stored.content_type == content_type
    assert path.is_relative_to(root)
    assert name.lower().split(".")[0][:3] in stored.file_name.lower()
    assert stored_files(root) == [path]  # no temporary file left next to it


def test_stored_names_are_unguessable_and_unique(root) -> None:
    first = store_upload(SimpleUploadedFile("a.pdf", samples.PDF))
    second = store_upload(SimpleUploadedFile("a.pdf", samples.PDF))
    assert first.stored_name != second.stored_name
    for stored in (first, second):
        assert len(stored.stored_name) == 43
        assert "a.pdf" not in str(uploads.path_for(stored.stored_name))


# -- refused files: a clear message, nothing left behind -----------------------------


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("rapport.pdf", samples.HTML, "Het bestand is geen echte PDF: de inhoud is HTML."),
        ("rapport.pdf", samples.SVG, "Het bestand is geen echte PDF: de inhoud is SVG."),
        ("logo.png", samples.SVG, "Het bestand is geen echte PNG-afbeelding: de inhoud is SVG."),
        ("notitie.txt", b"\xef\xbb\xbf  \n<html><body>hoi</body></html>", "de inhoud is HTML."),
        ("data.csv", b"<?xml version='1.0'?><data/>", "geen echt CSV-bestand: de inhoud is XML."),
        ("leesmij.md", b"\n\n<svg onload=alert(1)>", "de inhoud is SVG."),
        ("uitleg.txt", "<!-- utf-16 -->".encode("utf-16"), "de inhoud is HTML."),
        ("rapport.pdf", samples.PNG, "geen echte PDF: de inhoud is een PNG-afbeelding."),
        ("foto.jpg", samples.GIF, "de inhoud is een GIF-afbeelding."),
        ("rapport.pdf", b"gewoon wat tekst", "geen echte PDF: de inhoud is tekst."),
        (
            "dpia.docx",
            samples.plain_zip(),
            "geen echt Word-document: de inhoud is een ZIP-archief.",
        ),
        ("dpia.docx", samples.ooxml("xlsx"), "de inhoud is een Excel-werkmap."),
        ("dpia.docx", samples.ooxml("docx", macro=True), "Office-bestand met macro's"),
        ("dpia.docx", b"PK\x03\x04 kapot", "beschadigd of versleuteld ZIP-archief"),
        ("notulen.odt", samples.odf_with_macro("odt"), "Office-bestand met macro's"),
        ("cijfers.ods", samples.odf_with_macro("ods", where="scripts"), "met macro's"),
        ("notulen.odt", samples.odf_with_macro("odt", where="event"), "met macro's"),
        (
            "rapport.pdf",
            samples.pdf_with_open_action(),
            "Het bestand is geen echte PDF: de inhoud is een PDF met JavaScript.",
        ),
        (
            "rapport.pdf",
            samples.pdf_with_open_action("<< /S /J#61vaScript /J#53 (app.alert(1)) >>"),
            "een PDF met JavaScript",
        ),
        ("rapport.pdf", samples.pdf_with_compressed_script(), "een PDF met JavaScript"),
        ("notulen.odt", samples.odf("ods"), "de inhoud is een OpenDocument-rekenblad."),
        ("uitleg.txt", "één".encode("latin-1"), "de inhoud is geen UTF-8-tekst."),
        ("uitleg.txt", b"tekst\x00met nul", "NUL-tekens"),
        (
            "besluit.json",
            b"{'geen': json}",
            "geen echt JSON-bestand: de inhoud is geen geldige JSON.",
        ),
        ("besluit.json", b"[" * 100_000, "geen geldige JSON"),
        ("pagina.html", b"<p>hoi</p>", "Bestanden met de extensie .html zijn niet toegestaan."),
        ("tekening.svg", samples.SVG, "Bestanden met de extensie .svg zijn niet toegestaan."),
        ("setup.exe", b"MZ\x90\x00", "Bestanden met de extensie .exe zijn niet toegestaan."),
        ("passwd", b"root:x:0:0", "Het bestand heeft geen extensie."),
        ("leeg.pdf", b"", "Het bestand is leeg."),
    ],
)
def test_refused_files(root, name, content, message) -> None:
    with pytest.raises(UploadRefused) as refused:
        store_upload(SimpleUploadedFile(name, content))
    assert message in str(refused.value)
    assert stored_files(root) == []


def test_an_oversized_file_is_refused(root, settings) -> None:
    settings.UPLOAD_MAX_BYTES = 25 * 1024 * 1024
    content = samples.PDF + b"0" * (25 * 1024 * 1024)
    with pytest.raises(UploadRefused, match=r"^Bestand is groter dan 25 MB\.$"):
        store_upload(SimpleUploadedFile("groot.pdf", content))
    assert stored_files(root) == []


def test_the_size_is_counted_while_streaming_not_taken_from_the_upload(root, settings) -> None:
    settings.UPLOAD_MAX_BYTES = 2048
    upload = SimpleUploadedFile("groot.pdf", samples.PDF + b"0" * 4096)
    upload.size = 10  # a declared size that lies
    with pytest.raises(UploadRefused, match="Bestand is groter dan 2 kB"):
        store_upload(upload)
    assert stored_files(root) == []


def test_a_file_of_exactly_the_limit_is_accepted(settings) -> None:
    content = samples.PDF + b"0" * 100
    settings.UPLOAD_MAX_BYTES = len(content)
    assert store_upload(SimpleUploadedFile("precies.pdf", content)).size == len(content)


def test_the_declared_content_length_is_checked_before_reading(settings) -> None:
    settings.UPLOAD_MAX_BYTES = 1000
    assert not uploads.declared_too_large(None)
    assert not uploads.declared_too_large("not a number")
    assert not uploads.declared_too_large(str(1000 + uploads.MULTIPART_OVERHEAD))
    assert uploads.declared_too_large(str(1001 + uploads.MULTIPART_OVERHEAD))


@pytest.mark.parametrize(
    ("size", "text"),
    [(25 * 1024 * 1024, "25 MB"), (1536 * 1024, "1,5 MB"), (2048, "2 kB"), (10, "10 bytes")],
)
def test_human_size(size: int, text: str) -> None:
    assert uploads.human_size(size) == text
