"""Progress of a PDF rendering, read from WeasyPrint's progress logger.

WeasyPrint logs "Step N - ..." messages on ``weasyprint.progress`` (7 steps; step 5
once per laid-out page). ``report_progress(callback)`` attaches a handler for the
duration of a rendering and calls ``callback(step, label, page)`` for the messages
of the current thread only, at most every ``interval`` seconds (plus every change
of step), so a status file is not rewritten for every page.
"""

import logging
import re
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from weasyprint import PROGRESS_LOGGER

STEP_LABELS = {
    1: "HTML lezen",
    2: "opmaak lezen",
    3: "opmaak toepassen",
    4: "structuur opbouwen",
    5: "pagina's opmaken",
    6: "PDF maken",
    7: "metadata toevoegen",
}
_STEP = re.compile(r"^Step (\d+) - ")
_PAGE = re.compile(r" - Page (\d+)\b")

Callback = Callable[[int, str, int], None]


class _Handler(logging.Handler):
    def __init__(self, callback: Callback, interval: float) -> None:
        super().__init__(level=logging.INFO)
        self.callback = callback
        self.interval = interval
        self.thread = threading.get_ident()
        self.last_step = 0
        self.last_call = 0.0

    def emit(self, record: logging.LogRecord) -> None:
        if record.thread != self.thread:
            return
        message = record.getMessage()
        match = _STEP.match(message)
        if match is None:
            return
        page_match = _PAGE.search(message)
        step, page = int(match[1]), int(page_match[1]) if page_match else 0
        now = time.monotonic()
        if step == self.last_step and now - self.last_call < self.interval:
            return
        self.last_step, self.last_call = step, now
        self.callback(step, STEP_LABELS.get(step, ""), page)


@contextmanager
def report_progress(callback: Callback, interval: float = 0.5) -> Iterator[None]:
    handler = _Handler(callback, interval)
    level = PROGRESS_LOGGER.level
    if not PROGRESS_LOGGER.isEnabledFor(logging.INFO):
        PROGRESS_LOGGER.setLevel(logging.INFO)
    PROGRESS_LOGGER.addHandler(handler)
    try:
        yield
    finally:
        PROGRESS_LOGGER.removeHandler(handler)
        PROGRESS_LOGGER.setLevel(level)
