"""The ``<option>`` elements of a select repeated on every row of a list (the
checklist's status and owner): rendered once per selected value and page, not once per
row and option (the template tag ``options`` shows them)."""

from django.utils.html import format_html_join
from django.utils.safestring import SafeString, mark_safe

SELECTED = mark_safe(" selected")


class Options:
    """The choices of a select, ``(value, label)``; ``html(selected)`` gives their
    ``<option>`` elements with the one whose value equals ``selected`` (as text) marked,
    each variant rendered once."""

    def __init__(self, choices) -> None:
        self.choices = [(str(value), label) for value, label in choices]
        self._rendered: dict[str, SafeString] = {}

    def html(self, selected) -> SafeString:
        key = "" if selected is None else str(selected)
        found = self._rendered.get(key)
        if found is None:
            found = self._rendered[key] = format_html_join(
                "",
                '<option value="{}"{}>{}</option>',
                ((value, SELECTED if value == key else "", label) for value, label in self.choices),
            )
        return found
