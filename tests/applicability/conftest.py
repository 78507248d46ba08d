"""Fixtures for the applicability tests: the real releases as plain items."""

from pathlib import Path

import pytest

from tracker.applicability.items import ContentItem

from .helpers import load_items


@pytest.fixture
def v251_items(v251: Path) -> tuple[ContentItem, ...]:
    return load_items(v251)


@pytest.fixture
def v20_items(v20: Path) -> tuple[ContentItem, ...]:
    return load_items(v20)
