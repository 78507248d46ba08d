"""Import a version of the beslishulp AI-verordening (decision tree) from a folder."""

from django.core.management.base import BaseCommand, CommandError

from tracker.decision_aid.importer import import_tree
from tracker.decision_aid.tree import DecisionAidError


class Command(BaseCommand):
    help = "Import a version of the beslishulp AI-verordening from an upstream folder."

    def add_arguments(self, parser) -> None:
        parser.add_argument("source", help="folder with decision-tree.yaml, categories.yaml")
        parser.add_argument("--label", default="", help="version label (default: folder name)")

    def handle(self, *args, **options) -> None:
        try:
            result = import_tree(options["source"], label=options["label"])
        except DecisionAidError as error:
            raise CommandError(str(error)) from error
        tree = result.tree
        if not result.created:
            self.stdout.write(f"{tree.label}: {tree.question_count} vragen (unchanged)")
            return
        self.stdout.write(
            f"{tree.label}: {tree.question_count} vragen, {tree.conclusion_count} conclusies"
        )
        for run in result.flagged:
            self.stdout.write(
                f"classificatie opnieuw bekijken: {run.algorithm} ({run.review_reason})"
            )
