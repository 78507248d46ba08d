"""``manage.py bench_upgrade V20 V251``: time comparing two real releases, and the
preview and the confirmation of moving an algorithm with 200 checklist items to a
newer release. Everything is rolled back; nothing is left behind.

Each figure is the best of three runs (wall and CPU seconds), printed with its ratio
to a floor measured in the same run (reading the algorithm's 200 checklist rows with
their catalog items), so that figures from a loaded machine can still be compared.
"""

import hashlib
import time
import uuid

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from tracker.algorithms.models import Algorithm
from tracker.catalog.compare import compare
from tracker.catalog.importer import import_release
from tracker.catalog.models import CatalogItem, ContentRelease, Taxon
from tracker.checklist.models import ChecklistItem
from tracker.checklist.upgrade import apply_upgrade, plan_upgrade
from tracker.evidence.models import Evidence
from tracker.organisations.models import Organisation

RUNS = 3
ITEMS = 200


class _Rollback(Exception):
    """Leaves a transaction without committing."""


def _best(run) -> tuple[float, float]:
    """(wall, CPU) seconds of the fastest of RUNS runs: on a shared, loaded machine the
    CPU time of this process says what the code costs, the wall time what it waited."""
    best = (float("inf"), float("inf"))
    for _ in range(RUNS):
        start, cpu = time.perf_counter(), time.process_time()
        run()
        best = min(best, (time.perf_counter() - start, time.process_time() - cpu))
    return best


def _rolled_back(run) -> None:
    try:
        with transaction.atomic():
            run()
            raise _Rollback
    except _Rollback:
        pass


def _release(label: str) -> ContentRelease:
    return ContentRelease.objects.create(
        label=label, source="bench", content_hash=hashlib.sha256(label.encode()).hexdigest()
    )


def _catalog(release: ContentRelease, changed: set[int], form: set[int]) -> list[CatalogItem]:
    """ITEMS maatregelen in phase implementatie; ``changed`` ones with another sentence,
    ``form`` ones with another link target, and renumbered (6-imp-N -> 6-imp-N+1)."""
    phase = Taxon.objects.create(release=release, kind="phase", slug="implementatie", title="Fase")
    items = []
    for n in range(ITEMS):
        number = n + 1 if n in form else n
        body = f"## Maatregel\n\nDoe stap {n} en leg het vast. Zie [de bron](https://a.nl/{n}).\n"
        if n in changed:
            body += "\nNieuw: leg ook de afweging vast.\n"
        if n in form:
            body = body.replace("https://a.nl/", "https://b.nl/")
        items.append(
            CatalogItem(
                release=release,
                kind=CatalogItem.Kind.MEASURE,
                slug=f"6-imp-{number:03d}-maatregel-{n}",
                urn=f"urn:nl:ak:mtr:imp-{number:03d}",
                code=f"imp-{number:03d}",
                title=f"Maatregel {n}",
                summary=f"Toelichting {n}.",
                body=body,
                path=f"docs/voldoen-aan-wetten-en-regels/maatregelen/6-imp-{number:03d}.md",
                fingerprint=hashlib.sha256(body.encode()).hexdigest(),
            )
        )
    items = CatalogItem.objects.bulk_create(items)
    through = CatalogItem.phases.through
    through.objects.bulk_create(through(catalogitem_id=i.pk, taxon_id=phase.pk) for i in items)
    return items


class Command(BaseCommand):
    help = "Time compare v2.0<->v2.5.1, and preview/apply of a 200-item release upgrade."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("old", help="folder of the older release (v2.0)")
        parser.add_argument("new", help="folder of the newer release (v2.5.1)")

    def handle(self, *args, old: str, new: str, **options) -> None:
        if ContentRelease.objects.exists():
            raise CommandError("run the benchmark on an empty database")
        try:
            with transaction.atomic():
                self._run(old, new)
                raise _Rollback
        except _Rollback:
            pass

    def _run(self, old_source: str, new_source: str) -> None:
        old_real = import_release(old_source).release
        new_real = import_release(new_source).release
        tag = uuid.uuid4().hex[:8]
        user = get_user_model().objects.create_user(username=f"bench-{tag}")
        organisation = Organisation.objects.create(name=f"Bench {tag}", slug=f"bench-{tag}")
        old = _release(f"bench-{tag}-1.0")
        new = _release(f"bench-{tag}-1.1")
        olds = _catalog(old, set(), set())
        _catalog(new, changed=set(range(0, ITEMS, 4)), form=set(range(1, ITEMS, 4)))
        algorithm = Algorithm.objects.create(
            name="Bench",
            slug=f"bench-{tag}",
            organisation=organisation,
            release=old,
            phase="implementatie",
            stage="pilot",
        )
        rows = ChecklistItem.objects.bulk_create(
            ChecklistItem(algorithm=algorithm, catalog_item=item, status="done", owner=user)
            for item in olds
        )
        Evidence.objects.bulk_create(
            Evidence(item=row, added_by=user, kind=Evidence.Kind.NOTE, title="Bewijs", note="x")
            for row in rows
        )

        def floor() -> None:
            list(algorithm.items.select_related("catalog_item"))

        def preview() -> None:
            plan = plan_upgrade(algorithm, new)
            assert len(plan.carried) == ITEMS, plan.summary()

        def apply() -> None:
            def run() -> None:
                current = Algorithm.objects.get(pk=algorithm.pk)
                plan = apply_upgrade(current, new, user, expected_version=current.version)
                assert len(plan.to_review) == ITEMS // 4, plan.summary()

            _rolled_back(run)

        figures = [
            ("floor_read_200_rows", _best(floor), None),
            ("compare_v2.0_v2.5.1", _best(lambda: compare(old_real, new_real)), 1.0),
            ("preview_200_items", _best(preview), 0.5),
            ("apply_200_items", _best(apply), 2.0),
        ]
        base = figures[0][1][0]
        for name, (seconds, cpu), limit in figures:
            bound = f" limit={limit:.1f}s {'ok' if seconds < limit else 'OVER'}" if limit else ""
            self.stdout.write(
                f"{name} seconds={seconds:.3f} cpu={cpu:.3f} ratio={seconds / base:.1f}{bound}"
            )
