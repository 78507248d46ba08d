"""Prepare a local run: import the content, and create demo data in an empty database.

Used by `make run`. Running it again keeps all existing data: imports are
idempotent and demo data is only created when there are no users at all.
"""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand

from tracker.catalog.import_errors import ImportFailure
from tracker.catalog.importer import import_release
from tracker.catalog.models import ContentRelease
from tracker.catalog.sources import SourceUnreachable
from tracker.demo import demo_logins

DEMO_USERNAME = "demo"
DEMO_PASSWORD = "algokader-demo"  # noqa: S105 - printed for the local demo on purpose
RELEASES_PAGE = "https://github.com/MinBZK/Algoritmekader/releases"
BY_HAND = (
    f"download a release archive (.tar.gz or .zip) by hand from {RELEASES_PAGE} and point "
    "CONTENT_SOURCE at the file or at the folder it unpacks to, e.g. "
    "CONTENT_SOURCE=~/Downloads/Algoritmekader-2.5.1.tar.gz make run"
)


class Command(BaseCommand):
    help = "Import the content pack and the Algoritmekader, create demo data in an empty database."

    def handle(self, *args, **options) -> None:
        import_release(settings.CONTENT_PACK_DIR, stdout=self.stdout)
        self._import_algoritmekader(settings.CONTENT_SOURCE)
        self._import_decision_aid()
        self._import_register_standard()
        self._create_demo_data()
        self.stdout.write("")
        self.stdout.write("Algokader Tracker draait op http://127.0.0.1:8000/")
        self.stdout.write(f"Demo-logins (wachtwoord '{DEMO_PASSWORD}' voor allemaal):")
        for username, name, role in demo_logins():
            self.stdout.write(f"  {username:<40} {name} — {role}")

    def _import_algoritmekader(self, source: str) -> None:
        already = ContentRelease.objects.filter(
            kind=ContentRelease.Source.ALGORITMEKADER, source=str(source)
        ).first()
        if already:
            self.stdout.write(f"{already.label}: already imported from {source}")
            return
        try:
            import_release(source, stdout=self.stdout)
        except SourceUnreachable as exc:
            self.stdout.write(
                f"warning: Algoritmekader not imported, the source cannot be reached: {exc}; "
                f"{BY_HAND}"
            )
        except ImportFailure as exc:  # read, and refused (unsafe, too big) or invalid content
            self.stdout.write(f"warning: Algoritmekader not imported: {exc}; {BY_HAND}")

    def _import_decision_aid(self) -> None:
        """Every version folder of DECISION_AID_SOURCE (or ../shared/beslishulp), oldest
        first; nothing when there is none (the manual profile form still works)."""
        from pathlib import Path

        from tracker.decision_aid.importer import import_tree
        from tracker.decision_aid.tree import TREE_FILE, DecisionAidError

        source = Path(settings.DECISION_AID_SOURCE) if settings.DECISION_AID_SOURCE else None
        if source is None or not source.is_dir():
            self.stdout.write("Beslishulp AI-verordening: no source found (DECISION_AID_SOURCE)")
            return
        folders = (
            [source]
            if (source / TREE_FILE).is_file()
            else sorted(
                (p for p in source.iterdir() if (p / TREE_FILE).is_file()),
                key=lambda p: [int(n) if n.isdigit() else n for n in p.name.lstrip("v").split(".")],
            )
        )
        for folder in folders:
            try:
                result = import_tree(folder)
            except DecisionAidError as exc:
                self.stdout.write(f"warning: beslishulp not imported from {folder}: {exc}")
                continue
            state = "imported" if result.created else "unchanged"
            self.stdout.write(f"Beslishulp {result.tree.label}: {state}")

    def _import_register_standard(self) -> None:
        """The Algoritmeregister's standard from REGISTER_STANDARD_SOURCE, else from the
        copy beside the checkout; without either the run goes on (one warning line)."""
        from pathlib import Path

        from tracker.register.importer import StandardImportError, import_standard

        configured = settings.REGISTER_STANDARD_SOURCE
        source = Path(configured) if configured else Path(settings.REGISTER_STANDARD_FALLBACK)
        if not source.is_file():
            if configured:
                self.stdout.write(
                    f"warning: Algoritmeregister standard not imported, {source} does not exist"
                )
            else:
                self.stdout.write(
                    "Algoritmeregister standard not imported: set REGISTER_STANDARD_SOURCE "
                    "to the register's configuration file (v1_0.json)"
                )
            return
        try:
            import_standard(source, stdout=self.stdout)
        except StandardImportError as exc:
            self.stdout.write(f"warning: Algoritmeregister standard not imported: {exc}")

    def _create_demo_data(self) -> None:
        """Demo users in a database without users; demo algorithms in one without algorithms."""
        from tracker.algorithms.models import Algorithm
        from tracker.demo import create_demo_algorithms, create_demo_users

        if not get_user_model().objects.exists():
            create_demo_users(DEMO_USERNAME, DEMO_PASSWORD)
        if not Algorithm.objects.exists():
            create_demo_algorithms(DEMO_USERNAME, stdout=self.stdout)
