"""``manage.py import_register_standard SOURCE [--label LABEL]``: import a version of the
Algoritmeregister's publication standard (its field configuration, a JSON file)."""

from django.core.management.base import BaseCommand, CommandError, CommandParser

from tracker.register.importer import StandardImportError, import_standard


class Command(BaseCommand):
    help = "Import the Algoritmeregister's publication standard from its configuration file."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("source", help="the register's configuration, e.g. v1_0.json")
        parser.add_argument("--label", help="label of this version (default: its version)")

    def handle(self, *args, source: str, label: str | None, **options) -> None:
        try:
            import_standard(source, label=label, stdout=self.stdout)
        except StandardImportError as exc:
            raise CommandError(str(exc)) from exc
