"""Shared helpers of the evidence view tests."""

from pathlib import Path

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests.evidence import samples
from tests.world import World
from tracker.evidence import actions

HTMX = {"HTTP_HX_REQUEST": "true"}


def add_url(w: World) -> str:
    return reverse("evidence:add", args=[w.algorithm.slug, w.item.pk])


def item_url(w: World) -> str:
    return reverse("checklist:item", args=[w.algorithm.slug, w.item.pk])


def upload(client, w: World, name: str, content: bytes, **extra):
    data = {"kind": "file", "title": "", "file": SimpleUploadedFile(name, content)}
    return client.post(add_url(w), data, **extra)


def stored_files(settings) -> list[Path]:
    return [p for p in Path(settings.UPLOAD_ROOT).rglob("*") if p.is_file()]


def file_evidence(w: World, content: bytes = samples.PDF, name: str = "rapport.pdf"):
    return actions.add_file(
        w.item, w.contributor, upload=SimpleUploadedFile(name, content), title=""
    )


def download(client, w: World, pk: int):
    """GET the download view; returns the response and the bytes it sent.

    Consuming streaming_content closes the response (and its file) through the test
    client's wrapper; closing it again would fire request_finished a second time,
    which closes the database connection of a PostgreSQL test transaction."""
    response = client.get(reverse("evidence:download", args=[w.algorithm.slug, pk]))
    content = b"".join(response.streaming_content) if response.streaming else response.content
    return response, content
