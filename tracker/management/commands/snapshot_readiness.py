"""``manage.py snapshot_readiness``: record today's readiness figures of every algorithm.

Run it daily (cron or a scheduled job); running it again on the same day overwrites
that day's rows, so it is safe to repeat."""

from django.core.management.base import BaseCommand

from tracker.dashboards.snapshots import snapshot_readiness


class Command(BaseCommand):
    help = "Record today's readiness snapshot of every algorithm (idempotent per day)."

    def handle(self, *args, **options) -> None:
        count = snapshot_readiness()
        self.stdout.write(f"readiness snapshot: {count} algorithm(s)")
