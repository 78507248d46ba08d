"""Whether a PDF carries JavaScript (a document-open action, a form or link action, a
name tree of scripts). Such PDFs are refused as evidence, like macro-enabled Office files.

Two looks, either of which refuses:

- the raw bytes, name by name with ``#xx`` escapes decoded (``/J#61vaScript`` is
  ``/JavaScript``), which also sees objects a damaged cross-reference table hides;
- every object as pypdf reads it, which also sees dictionaries inside compressed object
  streams. A file pypdf cannot read is judged by the raw look alone.
"""

import logging
import re
from pathlib import Path

from pypdf import PdfReader
from pypdf.errors import PyPdfError
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, NameObject

logger = logging.getLogger(__name__)

SCRIPT_NAMES = frozenset({b"/JavaScript", b"/JS"})
MAX_OBJECTS = 200_000
_NAME = re.compile(rb"/[^\s/<>\[\]()%{}]*")
_ESCAPE = re.compile(rb"#([0-9A-Fa-f]{2})")
CHUNK = 1024 * 1024


def pdf_has_script(path: Path) -> bool:
    return _raw_names_have_script(path) or _objects_have_script(path)


def _decode_name(name: bytes) -> bytes:
    return _ESCAPE.sub(lambda match: bytes([int(match[1], 16)]), name)


def _raw_names_have_script(path: Path) -> bool:
    tail = b""
    with path.open("rb") as handle:
        while chunk := handle.read(CHUNK):
            window = tail + chunk
            # A name cut at the chunk's end is read again with the next chunk.
            cut = max(window.rfind(b"/"), len(window) - 64)
            for name in _NAME.findall(window, 0, cut if chunk else len(window)):
                if _decode_name(name) in SCRIPT_NAMES:
                    return True
            tail = window[cut:]
    return any(_decode_name(name) in SCRIPT_NAMES for name in _NAME.findall(tail))


def _objects_have_script(path: Path) -> bool:
    try:
        reader = PdfReader(path, strict=False)
        numbers = set()
        for table in reader.xref.values():
            numbers.update(table)
        numbers.update(reader.xref_objStm)
        for count, number in enumerate(sorted(numbers)):
            if count >= MAX_OBJECTS:
                return True  # too many objects to check: refuse rather than guess
            try:
                obj = reader.get_object(number)
            except (PyPdfError, ValueError, KeyError, TypeError, OSError):
                continue
            if _holds_script(obj):
                return True
    except (PyPdfError, ValueError, KeyError, TypeError, OSError, RecursionError) as error:
        logger.info("PDF not readable for the script check (%s); raw check only", error)
    return False


def _holds_script(obj, depth: int = 0) -> bool:
    """A dictionary (or one nested in it, not following references) naming a script."""
    if depth > 20:
        return False
    if isinstance(obj, IndirectObject):
        return False  # every object is visited on its own
    if isinstance(obj, DictionaryObject):
        if any(key.encode() in SCRIPT_NAMES for key in obj):
            return True
        if obj.get("/S") == NameObject("/JavaScript"):
            return True
        return any(_holds_script(value, depth + 1) for value in obj.values())
    if isinstance(obj, ArrayObject):
        return any(_holds_script(value, depth + 1) for value in obj)
    return False
