"""``manage.py compare_releases OLD NEW [--all]``: what changed between two releases."""

from django.core.management.base import BaseCommand, CommandError, CommandParser

from tracker.catalog.compare import PairClass, compare
from tracker.catalog.models import ContentRelease


class Command(BaseCommand):
    help = (
        "Compare two imported Algoritmekader releases: the items matched by file slug "
        "(without number and code) and then by title, and per pair whether it is unchanged, "
        "changed in form only or in substance, added or removed; plus reused URNs."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("old", help="label of the older release, e.g. v2.0")
        parser.add_argument("new", help="label of the newer release, e.g. v2.5.1")
        parser.add_argument(
            "--all", action="store_true", help="also list the unchanged and form-only pairs"
        )

    def handle(self, *args, old: str, new: str, all: bool, **options) -> None:
        releases = {r.label: r for r in ContentRelease.objects.filter(label__in=[old, new])}
        for label in (old, new):
            if label not in releases:
                known = ", ".join(ContentRelease.objects.values_list("label", flat=True))
                raise CommandError(f"no release {label!r}; imported: {known or 'none'}")
        comparison = compare(releases[old], releases[new])
        write = self.stdout.write
        write(comparison.summary())
        for klass, count in comparison.counts().items():
            write(f"  {klass.label}: {count}")
        if comparison.urn_warnings:
            write(f"URN-waarschuwingen ({len(comparison.urn_warnings)}):")
            for warning in comparison.urn_warnings:
                write(f"  warning: {warning}")
        shown = [PairClass.SUBSTANCE, PairClass.ADDED, PairClass.REMOVED]
        if all:
            shown = [PairClass.FORM, *shown, PairClass.UNCHANGED]
        for klass in shown:
            pairs = comparison.of_class(klass)
            if not pairs:
                continue
            write(f"{klass.label.capitalize()} ({len(pairs)}):")
            for pair in pairs:
                by = f" [op {pair.matched_by}]" if pair.matched_by else ""
                write(f"  {pair.item.get_kind_display().lower()} {pair}{by}")
                for difference in pair.differences if klass != PairClass.UNCHANGED else ():
                    write(f"      {difference}")
