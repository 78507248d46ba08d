"""``manage.py import_content SOURCE [--label LABEL]``: import one content release."""

from django.core.management.base import BaseCommand, CommandError, CommandParser

from tracker.catalog.import_errors import ImportFailure
from tracker.catalog.importer import import_release


class Command(BaseCommand):
    help = (
        "Import an Algoritmekader release (or the project's content pack) from a folder, "
        "a .zip/.tar.gz archive or an http(s) URL of one."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("source", help="folder, .zip/.tar.gz archive, or http(s) URL")
        parser.add_argument("--label", help="release label (default: folder or archive name)")

    def handle(self, *args, source: str, label: str | None, **options) -> None:
        try:
            import_release(source, label=label, stdout=self.stdout)
        except ImportFailure as exc:
            raise CommandError(str(exc)) from exc
