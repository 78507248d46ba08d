"""``manage.py seed_demo --algorithms N [--seed S]``: realistic demo data on the real
content, for demos and the dashboard benchmark. Needs an imported Algoritmekader
release (and, for the go-live criteria, the content pack) in an otherwise unseeded
database."""

import time

from django.core.management.base import BaseCommand, CommandError, CommandParser

from tracker.dashboards.seeding import SeedError, seed_demo
from tracker.dashboards.seeding_data import ORGANISATIONS, PASSWORD


class Command(BaseCommand):
    help = "Seed N demo algorithms with checklists, evidence, risks, pilots and decisions."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--algorithms", type=int, default=50, help="how many (default 50)")
        parser.add_argument("--seed", type=int, default=1, help="random seed (default 1)")

    def handle(self, *args, algorithms: int, seed: int, **options) -> None:
        if algorithms < 1:
            raise CommandError("--algorithms must be at least 1")
        start = time.perf_counter()
        try:
            seeded = seed_demo(algorithms, seed=seed)
        except SeedError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"seeded in {time.perf_counter() - start:.1f} s: {seeded.summary()}")
        managers = ", ".join(f"manager-{slug}" for _, slug, _ in ORGANISATIONS)
        self.stdout.write(f"log in as a manager ({managers}) with password '{PASSWORD}'")
