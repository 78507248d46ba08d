"""The PDF audit dossier, typeset by Typst (the ``typst`` package from PyPI, which
bundles the compiler) from ``templates/exports/typst/dossier.typ``.

The dossier (tracker.exports.dossier) is turned into plain JSON data
(tracker.exports.pdf_data) and handed to the template as ``sys.inputs.dossier``; the
template reads it with ``json(...)`` and places every string as content. No user or
content text is ever spliced into Typst markup, so a ``#sys.exit()`` or ``#read(...)``
in a work instruction is printed, not run. Markdown arrives as a node tree
(tracker.exports.markup), already sanitised by the catalog's renderer.

The PDF is tagged and conforms to PDF/UA-1 (``pdf_standards="ua-1"`` in the
typesetter): a structure tree, document language ``nl`` (``set text(lang: "nl")``), the
title as metadata shown in the viewer's title bar, and embedded (subset) fonts.
Fonts: DejaVu Sans from the system package ``fonts-dejavu-core`` when it is installed,
else Typst's bundled Libertinus Serif; hashes in Typst's bundled DejaVu Sans Mono.
System fonts are not scanned.

Typst runs in a short-lived child process (tracker/exports/typesetter.py): its layout
cache is never evicted, so compiling inside a long-lived worker would keep 100+ MB per
dossier. Compiling reads nothing but the template folder (Typst's project root): no
network, no packages, no other files.
"""

import io
import json
import re
import subprocess
import sys
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import pypdf
from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.utils import timezone, translation

from tracker.exports.dossier import build_dossier
from tracker.exports.pdf_data import typst_input

TEMPLATE_DIR = Path(settings.BASE_DIR) / "templates" / "exports" / "typst"
TEMPLATE = TEMPLATE_DIR / "dossier.typ"
TYPESETTER = Path(__file__).with_name("typesetter.py")
TIMEOUT = 300  # seconds; a 200-item dossier takes about one
AUDIT_ENTRIES_IN_PDF = 250  # the most recent; the JSON export holds all of them
TIME_ZONE = "Europe/Amsterdam"
# Where Debian's fonts-dejavu-core puts DejaVu Sans (looked up at run time, never copied).
FONT_DIRS = (Path("/usr/share/fonts/truetype/dejavu"), Path("/usr/share/fonts/dejavu"))


@dataclass(frozen=True)
class RenderedPdf:
    content: bytes
    pages: int


def font_paths() -> list[str]:
    return [str(folder) for folder in FONT_DIRS if (folder / "DejaVuSans.ttf").is_file()]


class TypesetError(RuntimeError):
    """Typst refused the document (a bug in the template or its input, never user text)."""


def pdf_input(dossier: dict) -> bytes:
    """The template's JSON input, UTF-8."""
    with translation.override("nl"), timezone.override(TIME_ZONE):
        data = typst_input(dossier)
    return json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False).encode("utf-8")


def typeset(data: bytes, generated_at: datetime) -> bytes:
    """Run the typesetter (tracker/exports/typesetter.py) in a child process."""
    command = [
        sys.executable,
        "-I",  # isolated: no user site, no PYTHON* variables, no current folder on the path
        str(TYPESETTER),
        str(TEMPLATE_DIR),
        str(TEMPLATE),
        str(int(generated_at.timestamp())),
        *font_paths(),
    ]
    done = subprocess.run(command, input=data, capture_output=True, timeout=TIMEOUT, check=False)
    if done.returncode != 0:
        message = done.stderr.decode("utf-8", "replace").strip()
        raise TypesetError(f"typst failed ({done.returncode}): {message}")
    return done.stdout


# Typst writes the page tree as the file's first object: "%PDF-1.7", a binary comment
# line, then "1 0 obj <</Type/Pages/Count 79/Kids[...". Matched at the very start of the
# file, before anything a user typed can appear.
PAGE_TREE = re.compile(rb"%PDF-\d\.\d\n%[^\n]*\n\n1 0 obj\n<</Type/Pages/Count (\d+)/")


def page_count(content: bytes) -> int:
    """The PDF's number of pages: from Typst's page tree at the start of the file (a
    regular expression instead of pypdf reading the cross-reference table of some 6,000
    objects, 0.03 s of a 200-item dossier), else, should a newer Typst write it
    elsewhere, by pypdf."""
    if match := PAGE_TREE.match(content):
        return int(match.group(1))
    return len(pypdf.PdfReader(io.BytesIO(content)).pages)


def render_pdf(dossier: dict) -> RenderedPdf:
    """The dossier as a tagged PDF/UA-1 document."""
    content = typeset(pdf_input(dossier), dossier["generated_at"])
    return RenderedPdf(content=content, pages=page_count(content))


def dossier_pdf(algorithm, *, generated_by: str) -> RenderedPdf:
    """Collect and render: the one call behind the download and the command."""
    dossier = build_dossier(algorithm, generated_by=generated_by, audit_limit=AUDIT_ENTRIES_IN_PDF)
    return render_pdf(dossier)
