"""The per-algorithm dashboard: progress per topic and per role, the go-live blockers,
upcoming due dates and recent activity. A fixed number of queries however many items:
progress (2), per topic (1), per role (1), blockers (1, the maintained figures), due dates
(1), open conditions of the go-live decision (1), activity (1) and readiness over
time (1).

The open conditions of the current go-live decision are tracked work like the items:
they join the upcoming due dates, and an overdue one counts as overdue here (the
portfolio keeps counting items only)."""

from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from tracker.access import Access
from tracker.algorithms.models import Algorithm
from tracker.audit.models import AuditEntry
from tracker.checklist.models import ChecklistItem
from tracker.checklist.progress import (
    READY_FIGURES,
    Progress,
    progress_aggregates,
    progress_from,
)
from tracker.dashboards import charts
from tracker.dashboards.figures import figures_for, progress_of, requirements_of, stored_status
from tracker.dashboards.models import AlgorithmFigures, ReadinessSnapshot
from tracker.decisions.models import DecisionCondition
from tracker.gates.readiness import CATEGORIES

UPCOMING = 10  # open items and conditions with a due date shown
ACTIVITY = 15  # audit entries shown
HISTORY_DAYS = 90
NO_TAXON = "Zonder indeling"


def progress_by(algorithm: Algorithm, relation: str, today: date) -> list[tuple[str, Progress]]:
    """(title, progress) per topic or role (``relation``: "topics" or "roles") of the
    current items, in one query; an item with several counts for each."""
    slug, title = f"catalog_item__{relation}__slug", f"catalog_item__{relation}__title"
    rows = (
        algorithm.items.current()
        .order_by()
        .values(slug, title)
        .annotate(**progress_aggregates(today, figures=READY_FIGURES))
    )
    found = [(row[title] or NO_TAXON, progress_from(row)) for row in rows]
    return sorted(found, key=lambda entry: (entry[0] == NO_TAXON, entry[0].lower()))


def upcoming_items(algorithm: Algorithm, today: date) -> list[ChecklistItem]:
    """Open items with a due date, soonest (and overdue) first."""
    return list(
        algorithm.items.current()
        .filter(due_date__isnull=False)
        .exclude(status__in=[ChecklistItem.Status.DONE, ChecklistItem.Status.NOT_APPLICABLE])
        .select_related("catalog_item", "owner")
        .only(
            "status",
            "due_date",
            "algorithm_id",
            "catalog_item__code",
            "catalog_item__title",
            "owner__username",
            "owner__first_name",
            "owner__last_name",
        )
        .order_by("due_date", "pk")[:UPCOMING]
    )


def open_conditions(algorithm: Algorithm) -> list[DecisionCondition]:
    """The open conditions of the current go-live decision, soonest first (one query)."""
    return list(
        DecisionCondition.objects.of_current_go_live(algorithm)
        .open()
        .select_related("owner")
        .order_by("due_date", "pk")
    )


@dataclass(frozen=True)
class Deadline:
    """One row of the upcoming due dates: an open item or an open condition."""

    due_date: date
    label: str
    url: str
    status: str
    owner: object  # a user or None
    kind: str  # "item" or "condition"
    pk: int

    @property
    def owner_name(self) -> str:
        if self.owner is None:
            return ""
        return self.owner.get_full_name() or self.owner.get_username()


def deadlines(
    algorithm: Algorithm,
    items: list[ChecklistItem],
    conditions: list[DecisionCondition],
) -> list[Deadline]:
    """Items and conditions merged by due date, the first UPCOMING of them."""
    rows = [
        Deadline(
            item.due_date,
            f"{item.catalog_item.code}: {item.catalog_item.title}"
            if item.catalog_item.code
            else item.catalog_item.title,
            reverse("checklist:item", args=[algorithm.slug, item.pk]),
            item.get_status_display(),
            item.owner,
            "item",
            item.pk,
        )
        for item in items
    ]
    gate = reverse("gates:go_live", args=[algorithm.slug])
    rows += [
        Deadline(
            condition.due_date,
            f"Voorwaarde go-live: {condition.description}",
            f"{gate}#voorwaarde-{condition.pk}",
            condition.get_status_display(),
            condition.owner,
            "condition",
            condition.pk,
        )
        for condition in conditions
    ]
    # Conditions after items on the same day, as the gate decision came after them.
    rows.sort(key=lambda row: (row.due_date, row.kind == "condition", row.pk))
    return rows[:UPCOMING]


def recent_activity(algorithm: Algorithm) -> list[AuditEntry]:
    return list(AuditEntry.objects.filter(algorithm=algorithm).order_by("-seq")[:ACTIVITY])


def _blockers(algorithm: Algorithm, figures: AlgorithmFigures) -> dict:
    counts = figures.blocker_counts
    gate = reverse("gates:go_live", args=[algorithm.slug])
    return {
        "status": stored_status(figures),
        "blocker_total": figures.go_live_blockers,
        "blocker_groups": [
            (category.key, category.title, counts[category.key], f"{gate}#blokkades-{category.key}")
            for category in CATEGORIES
            if counts.get(category.key)
        ],
        "gate_url": gate,
    }


def dashboard_context(algorithm: Algorithm, access: Access, today: date | None = None) -> dict:
    today = today or timezone.localdate()
    # The maintained figures (recomputed inside every change's transaction): progress,
    # requirements, status and blockers as the portfolio shows them, in one query.
    figures = figures_for(algorithm, today)
    progress = progress_of(figures)
    checklist = reverse("checklist:list", args=[algorithm.slug])
    topics = progress_by(algorithm, "topics", today)
    roles = progress_by(algorithm, "roles", today)
    conditions = open_conditions(algorithm)
    overdue_conditions = sum(condition.due_date < today for condition in conditions)
    history = (
        ReadinessSnapshot.objects.filter(algorithm=algorithm)
        .since(today - timedelta(days=HISTORY_DAYS - 1))
        .filter(~Q(applicable=0))
        .values("date", *ReadinessSnapshot.FIGURES)
    )
    topic_chart = charts.readiness_bars([(t, p, "") for t, p in topics])
    role_chart = charts.readiness_bars([(t, p, "") for t, p in roles])
    over_time = charts.readiness_over_time(list(history))
    return {
        "algorithm": algorithm,
        "access": access,
        "today": today,
        "progress": progress,
        "requirements": requirements_of(figures),
        "topics": topics,
        "topic_chart": topic_chart,
        "roles": roles,
        "role_chart": role_chart,
        # The rendered charts are kept under this (the ``fragments`` cache).
        "charts_key": charts.digest(topic_chart, role_chart, over_time),
        # The go-live blockers per category from the maintained figures (equal to
        # go_live_readiness; the gate page lists each one), and where it stands.
        **_blockers(algorithm, figures),
        "upcoming": deadlines(algorithm, upcoming_items(algorithm, today), conditions),
        "overdue": progress.overdue + overdue_conditions,
        "overdue_conditions": overdue_conditions,
        "activity": recent_activity(algorithm),
        "over_time": over_time,
        "checklist_url": checklist,
        "newer_release": algorithm.release.newer_release(),
    }
