"""``{{ statuses|options:row.values.status }}``: the options of a select, with the one
selected marked (tracker.pages.options.Options, rendered once per value and page)."""

from django import template
from django.utils.safestring import SafeString

from tracker.pages.options import Options

register = template.Library()


@register.filter
def options(choices: Options, selected) -> SafeString:
    """``{{ statuses|options:row.values.status }}``"""
    return choices.html(selected)
