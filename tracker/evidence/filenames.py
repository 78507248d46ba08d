"""Refuse uploads whose client-supplied file name carries a path.

Django's multipart parser silently cuts a name like ``../../evil.pdf`` down to
``evil.pdf`` before any view sees it. Browsers never send a path, so a name with one
is a crafted request: we refuse it with a clear message instead of guessing. To see
the name as sent, the request's multipart parsing is done by a parser that records
the raw names before Django sanitises them.
"""

from django.http import HttpRequest
from django.http.multipartparser import MultiPartParser
from django.utils.datastructures import ImmutableList


class _RecordingParser(MultiPartParser):
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.raw_file_names: list[str] = []

    def sanitize_file_name(self, file_name: str) -> str | None:
        self.raw_file_names.append(file_name)
        return super().sanitize_file_name(file_name)


def record_raw_file_names(request: HttpRequest) -> None:
    """Make the request remember the file names as the client sent them.

    Call before request.POST / request.FILES is first read.
    """
    request.raw_file_names = []

    def parse_file_upload(META, post_data):
        request.upload_handlers = ImmutableList(
            request.upload_handlers,
            warning="You cannot alter upload handlers after the upload has been processed.",
        )
        parser = _RecordingParser(META, post_data, request.upload_handlers, request.encoding)
        try:
            return parser.parse()
        finally:
            request.raw_file_names = parser.raw_file_names

    request.parse_file_upload = parse_file_upload


def path_like(name: str) -> bool:
    return "/" in name or "\\" in name or name.strip() in {".", ".."} or "\x00" in name


def path_refusal(request: HttpRequest) -> str | None:
    """The refusal message for a path in an uploaded file's name, if any."""
    for name in getattr(request, "raw_file_names", []):
        if path_like(name):
            return (
                f"De bestandsnaam {name!r} bevat een pad of verwijst naar een map. "
                "Dat is niet toegestaan: upload een bestand met een gewone naam."
            )
    return None
