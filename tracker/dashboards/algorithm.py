"""The per-algorithm dashboard: progress per topic and per role, the go-live blockers,
upcoming due dates and recent activity. A fixed number of queries however many items:
progress (2), per topic (1), per role (1), blockers (2, go_live_readiness), due dates
(1), activity (1) and readiness over time (1)."""

from datetime import date, timedelta

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from tracker.access import Access
from tracker.algorithms.models import Algorithm
from tracker.audit.models import AuditEntry
from tracker.catalog.models import CatalogItem
from tracker.checklist.models import ChecklistItem
from tracker.checklist.progress import (
    READY_FIGURES,
    Progress,
    progress_aggregates,
    progress_for,
    progress_from,
)
from tracker.dashboards import charts
from tracker.dashboards.models import ReadinessSnapshot
from tracker.gates.readiness import go_live_readiness

UPCOMING = 10  # open items with a due date shown
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


def recent_activity(algorithm: Algorithm) -> list[AuditEntry]:
    return list(AuditEntry.objects.filter(algorithm=algorithm).order_by("-seq")[:ACTIVITY])


def dashboard_context(algorithm: Algorithm, access: Access, today: date | None = None) -> dict:
    today = today or timezone.localdate()
    items = algorithm.items.all()
    progress = progress_for(items, today)
    requirements = progress_for(
        items.filter(catalog_item__kind=CatalogItem.Kind.REQUIREMENT), today
    )
    checklist = reverse("checklist:list", args=[algorithm.slug])
    topics = progress_by(algorithm, "topics", today)
    roles = progress_by(algorithm, "roles", today)
    history = (
        ReadinessSnapshot.objects.filter(algorithm=algorithm)
        .since(today - timedelta(days=HISTORY_DAYS - 1))
        .filter(~Q(applicable=0))
        .values("date", *ReadinessSnapshot.FIGURES)
    )
    return {
        "algorithm": algorithm,
        "access": access,
        "today": today,
        "progress": progress,
        "requirements": requirements,
        "topics": topics,
        "topic_chart": charts.readiness_bars([(t, p, "") for t, p in topics]),
        "roles": roles,
        "role_chart": charts.readiness_bars([(t, p, "") for t, p in roles]),
        "readiness": go_live_readiness(algorithm, today),
        "upcoming": upcoming_items(algorithm, today),
        "activity": recent_activity(algorithm),
        "over_time": charts.readiness_over_time(list(history)),
        "checklist_url": checklist,
    }
