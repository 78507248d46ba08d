"""Small helpers for the browser tests: logging in through the real form, URLs of
pages that later issues build, and a small real PDF to upload."""

import re
from typing import TYPE_CHECKING

import pytest
from django.urls import NoReverseMatch, reverse

from tests.world import PASSWORD

if TYPE_CHECKING:
    from playwright.sync_api import Page

# Pages that other issues build (issue 4: pilot; issue 5: dashboards; issue 6: the
# dossier), by URL name. Their tests skip until the name resolves, then run.
LATER_PAGES = {
    "pilot": "pilots:detail",
    "portfolio": "dashboards:portfolio",
    "heatmap": "dashboards:risks",
    "algorithm_dashboard": "algorithm_dashboard:detail",
    "dossier": "exports:pdf",
}


def login(page: "Page", user, password: str = PASSWORD) -> None:
    """Log in through the login form, as a user would, and wait for the next page."""
    page.goto("/inloggen/")
    page.get_by_label("Gebruikersnaam").fill(user.get_username())
    page.get_by_label("Wachtwoord").fill(password)
    with page.expect_navigation():
        page.get_by_role("button", name="Inloggen").click()
    if "/inloggen/" in page.url:
        raise AssertionError(f"login as {user.get_username()} failed: still on {page.url}")


def resolve_later_page(page_name: str, *args) -> str | None:
    """The URL of a page another issue builds, or None while its URL name is missing.

    A name that exists but does not take ``args`` is an error, not None, so a changed
    URL cannot silently switch a test off.
    """
    try:
        return reverse(LATER_PAGES[page_name], args=args)
    except NoReverseMatch as error:
        tried = re.search(r"(\d+) pattern\(s\) tried", str(error))
        if tried and int(tried.group(1)) > 0:
            raise
    return None


def later_page_url(page_name: str, *args) -> str:
    """The URL of a page another issue builds, or skip: "<page> not built yet"."""
    url = resolve_later_page(page_name, *args)
    if url is None:
        pytest.skip(f"{page_name} page not built yet: no URL named {LATER_PAGES[page_name]!r}")
    return url


def small_pdf(text: str = "Werkinstructie behandelaars") -> bytes:
    """A small but complete one-page PDF (catalog, page tree, page, font, content
    stream and a correct cross-reference table) that says ``text``."""
    stream = f"BT /F1 18 Tf 72 720 Td ({text}) Tj ET".encode("latin-1")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
        b"/Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(stream), stream),
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)
