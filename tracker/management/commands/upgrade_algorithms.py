"""``manage.py upgrade_algorithms --to LABEL (--algorithm SLUG | --all) [--dry-run]``."""

from django.core.management.base import BaseCommand, CommandError, CommandParser

from tracker.algorithms.models import Algorithm
from tracker.catalog.compare import compare
from tracker.catalog.models import ContentRelease
from tracker.checklist.upgrade import UpgradeRefused, apply_upgrade, plan_upgrade


class Command(BaseCommand):
    help = (
        "Move algorithms to a newer Algoritmekader release, keeping all their work "
        "(see tracker/checklist/upgrade.py); --dry-run prints the preview only."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--to", required=True, dest="label", help="release label, e.g. v2.5.1")
        which = parser.add_mutually_exclusive_group(required=True)
        which.add_argument("--algorithm", help="slug of one algorithm")
        which.add_argument("--all", action="store_true", help="every algorithm on an older release")
        parser.add_argument(
            "--dry-run", action="store_true", help="print the preview, write nothing"
        )

    def handle(self, *args, label: str, algorithm: str | None, all: bool, dry_run: bool, **opts):
        release = ContentRelease.objects.filter(
            label=label, kind=ContentRelease.Source.ALGORITMEKADER
        ).first()
        if release is None:
            raise CommandError(f"no Algoritmekader release {label!r}")
        algorithms = Algorithm.objects.select_related("release").order_by("slug")
        if algorithm:
            algorithms = algorithms.filter(slug=algorithm)
            if not algorithms.exists():
                raise CommandError(f"no algorithm {algorithm!r}")
        comparisons = {}
        for current in algorithms:
            try:
                if current.release_id not in comparisons and current.release_id != release.pk:
                    comparisons[current.release_id] = compare(current.release, release)
                comparison = comparisons.get(current.release_id)
                if dry_run:
                    plan = plan_upgrade(current, release, comparison)
                else:
                    plan = apply_upgrade(current, release, actor=None)
            except UpgradeRefused as exc:
                if algorithm:
                    raise CommandError(str(exc)) from exc
                self.stdout.write(f"{current.slug}: overgeslagen: {exc}")
                continue
            for line in plan.lines():
                self.stdout.write(line)
            if not dry_run and not plan.already_newest:
                self.stdout.write(f"{current.slug}: overgestapt op {release}")
