"""What the go-live gate page shows: readiness, the current decision with its
conditions, and (for approvers) the decision form. Used by the gate page and by the
decision views that re-render it with errors."""

from django.utils import timezone

from tracker.access import Access
from tracker.algorithms.models import Algorithm
from tracker.checklist.filters import members_of
from tracker.decisions.actions import current_decision
from tracker.decisions.forms import (
    ConditionDefaultsForm,
    ConditionFormSet,
    GoLiveDecisionForm,
    error_summary,
)
from tracker.decisions.models import Decision
from tracker.gates.readiness import Readiness, go_live_readiness

CONDITION_PREFIX = "voorwaarde"


def condition_formset(
    readiness: Readiness, members: list, data=None, *, required=False, posted=None
):
    """One condition row per open blocker that a condition may cover. Bound to ``data``
    when given; else filled from ``posted`` (blocker key -> ConditionSpec) where a
    blocker was named before, e.g. after a refused decision."""
    posted = posted or {}
    initial = []
    for blocker in readiness.conditionable:
        row = {"blocker_key": blocker.key}
        spec = posted.get(blocker.key)
        if spec is not None:
            row.update(
                description=spec.description,
                owner=str(spec.owner.pk) if spec.owner else "",
                due_date=spec.due_date,
            )
        elif posted:
            row["chosen"] = False  # not chosen when the decision was refused
        initial.append(row)
    formset = ConditionFormSet(
        data,
        initial=None if data is not None else initial,
        prefix=CONDITION_PREFIX,
        form_kwargs={"members": members, "required": required},
    )
    labels = {blocker.key: blocker for blocker in readiness.blockers}
    for form in formset.forms:
        key = form["blocker_key"].value()
        form.blocker = labels.get(key)
    return formset


def gate_context(
    algorithm: Algorithm,
    access: Access,
    *,
    readiness: Readiness | None = None,
    form: GoLiveDecisionForm | None = None,
    formset=None,
    defaults=None,
    refusal=None,
    stale_decision: Decision | None = None,
    stale_condition=None,
) -> dict:
    """Everything the gate page shows; pass bound forms to show their errors."""
    today = timezone.localdate()
    readiness = readiness or go_live_readiness(algorithm, today)
    current = current_decision(algorithm, Decision.Gate.GO_LIVE)
    conditions = list(current.conditions.select_related("owner")) if current is not None else []
    context = {
        "algorithm": algorithm,
        "access": access,
        "readiness": readiness,
        "current": current,
        "conditions": conditions,
        "today": today,
        "refusal": refusal,
        "stale_decision": stale_decision,
        "stale_condition": stale_condition,
    }
    if access.approve:
        members = members_of(algorithm)
        context["form"] = form or GoLiveDecisionForm(
            initial={"current": current.pk if current else ""}
        )
        context["formset"] = formset or condition_formset(readiness, members)
        context["defaults"] = defaults or ConditionDefaultsForm(members=members)
        if form is not None or refusal is not None:
            conditional = form is not None and form.is_conditional
            context["summary"] = error_summary(
                context["form"],
                context["defaults"] if conditional else None,
                context["formset"] if conditional else None,
                refusal,
            )
    return context
