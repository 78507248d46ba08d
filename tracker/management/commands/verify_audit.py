"""Verify the audit trail's hash chain: exit 0 when it holds, 1 naming the first break."""

from django.core.management.base import BaseCommand, CommandError

from tracker.audit.verify import CHUNK_SIZE, verify_chain


class Command(BaseCommand):
    help = (
        "Verify the audit trail: recompute every entry's hash and check the chain. "
        "Exits 0 when it holds, 1 naming the first altered, removed or reordered entry."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--chunk-size",
            type=int,
            default=CHUNK_SIZE,
            help=f"entries fetched per round trip (default {CHUNK_SIZE})",
        )

    def handle(self, *args, chunk_size: int, **options) -> None:
        if chunk_size < 1:
            raise CommandError("--chunk-size must be at least 1")
        result = verify_chain(chunk_size=chunk_size)
        if not result.ok:
            raise CommandError(
                f"audit trail broken: {result.problem} ({result.checked} entries intact before it)"
            )
        self.stdout.write(self.style.SUCCESS(f"audit trail intact: {result.checked} entries"))
