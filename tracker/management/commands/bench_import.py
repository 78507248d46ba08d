"""``manage.py bench_import SOURCE``: time an import into an empty database and an
unchanged re-import, then roll both back so no trace is left."""

import time

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from tracker.catalog.import_errors import ImportFailure
from tracker.catalog.importer import import_release
from tracker.catalog.models import ContentRelease


class _Rollback(Exception):
    """Raised to leave the benchmark's transaction without committing."""


class Command(BaseCommand):
    help = "Time importing SOURCE into an empty catalog and re-importing it unchanged."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("source", help="folder, .zip/.tar.gz archive, or http(s) URL")

    def handle(self, *args, source: str, **options) -> None:
        if ContentRelease.objects.exists():
            raise CommandError(
                "the database already holds a content release; run the benchmark on an "
                "empty database"
            )
        timings: list[tuple[str, float]] = []
        try:
            with transaction.atomic():
                for name, expect_created in (("import_empty", True), ("reimport_unchanged", False)):
                    start = time.perf_counter()
                    result = import_release(source)
                    timings.append((name, time.perf_counter() - start))
                    if result.created is not expect_created:
                        raise CommandError(f"{name}: unexpected result {result.summary}")
                raise _Rollback
        except _Rollback:
            pass
        except ImportFailure as exc:
            raise CommandError(str(exc)) from exc
        for name, seconds in timings:
            self.stdout.write(f"{name} seconds={seconds:.3f}")
