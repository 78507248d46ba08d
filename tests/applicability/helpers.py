"""Helpers for the applicability tests: real items from front matter, sample profiles."""

from functools import cache
from pathlib import Path

import frontmatter

from tracker.applicability.items import ContentItem, item_from_front_matter
from tracker.applicability.profile import AIProfile
from tracker.applicability.rules import MEASURE, REQUIREMENT

KINDS = {REQUIREMENT: "vereisten", MEASURE: "maatregelen"}


def content_files(release: Path, kind: str) -> list[Path]:
    folder = release / "docs" / "voldoen-aan-wetten-en-regels" / KINDS[kind]
    return sorted(path for path in folder.glob("*.md") if path.name != "index.md")


@cache
def load_items(release: Path) -> tuple[ContentItem, ...]:
    """Every vereiste and maatregel of a release, as plain items (vereisten first)."""
    requirement_files = content_files(release, REQUIREMENT)
    requirement_slugs = {path.stem for path in requirement_files}
    items = [
        item_from_front_matter(REQUIREMENT, path.stem, frontmatter.load(path).metadata)
        for path in requirement_files
    ]
    items += [
        item_from_front_matter(
            MEASURE, path.stem, frontmatter.load(path).metadata, requirement_slugs
        )
        for path in content_files(release, MEASURE)
    ]
    return tuple(items)


@cache
def load_front_matter(release: Path, kind: str) -> dict[str, dict]:
    return {path.stem: frontmatter.load(path).metadata for path in content_files(release, kind)}


def deployer_profile(**changes) -> AIProfile:
    """A high-risk AI system whose organisation is the deployer, not open source."""
    values = {
        "is_ai_system": True,
        "soort_toepassing": "ai-systeem",
        "risicogroep": "hoog-risico-ai-systeem",
        "rol_ai_act": frozenset({"gebruiksverantwoordelijke"}),
        "transparantieverplichting": "geen-transparantieverplichting",
        "systeemrisico": "niet-van-toepassing",
        "open_source": "geen-open-source",
        "impactful": True,
    }
    return AIProfile(**(values | changes))
