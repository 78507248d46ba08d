"""The aid's upstream HTML (explanations, obligations), sanitised for display."""

import nh3
from django.utils.safestring import SafeString, mark_safe

TAGS = {"br", "strong", "b", "em", "i", "p", "ul", "ol", "li", "a", "span"}
ATTRIBUTES = {"a": {"href", "title"}}


def clean(html: str) -> SafeString:
    """Allowed tags only; links get rel=noopener noreferrer; text bullets keep their lines."""
    cleaned = nh3.clean(
        (html or "").replace("\n", "<br>") if "<" not in (html or "") else html or "",
        tags=TAGS,
        attributes=ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer",
    )
    return mark_safe(cleaned)  # sanitised by nh3 above
