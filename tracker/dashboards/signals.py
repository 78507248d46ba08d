"""Keeping the maintained portfolio figures (tracker.dashboards.figures) up to date,
inside the transaction of the change: after every change recorded in the audit trail,
and after the saves of a pilot and its evaluation (whose audit entries may be written
before the rows)."""

from django.db.models.signals import post_save
from django.dispatch import receiver

from tracker.algorithms.models import Algorithm
from tracker.audit.trail import changes_recorded
from tracker.checklist.models import ChecklistItem
from tracker.dashboards.figures import STALE, refresh
from tracker.dashboards.models import AlgorithmFigures
from tracker.decisions.models import Decision
from tracker.evidence.models import Evidence
from tracker.pilots.models import CriterionResult, Pilot, PilotEvaluation, SuccessCriterion
from tracker.register.models import RegisterEntry
from tracker.risks.models import ResidualRisk


@receiver(changes_recorded, dispatch_uid="portfolio-figures-on-audit")
def _after_recorded(sender, algorithm_ids, **kwargs) -> None:
    refresh(algorithm_ids)


@receiver(post_save, sender=Pilot, dispatch_uid="portfolio-figures-on-pilot")
def _after_pilot(sender, instance: Pilot, **kwargs) -> None:
    refresh([instance.algorithm_id])


@receiver(post_save, sender=PilotEvaluation, dispatch_uid="portfolio-figures-on-evaluation")
def _after_evaluation(sender, instance: PilotEvaluation, **kwargs) -> None:
    refresh([instance.pilot.algorithm_id])


@receiver(post_save, sender=SuccessCriterion, dispatch_uid="portfolio-figures-on-criterion")
@receiver(post_save, sender=CriterionResult, dispatch_uid="portfolio-figures-on-result")
def _after_pilot_detail(sender, instance, **kwargs) -> None:
    pilot = instance.pilot if isinstance(instance, SuccessCriterion) else instance.criterion.pilot
    refresh([pilot.algorithm_id])


# A save the audit trail does not see (an unaudited write, e.g. in the admin or a test's
# builder) marks the algorithm's figures stale, so the next read recomputes them
# (tracker.dashboards.figures.ensure_fresh); the audited actions recompute at once.
def _mark_stale(algorithm_id) -> None:
    AlgorithmFigures.objects.filter(pk__in=algorithm_id).update(valid_until=STALE)


@receiver(post_save, sender=Algorithm, dispatch_uid="portfolio-figures-stale-algorithm")
def _after_algorithm(sender, instance: Algorithm, created: bool, **kwargs) -> None:
    if not created:
        _mark_stale([instance.pk])


@receiver(post_save, sender=ChecklistItem, dispatch_uid="portfolio-figures-stale-item")
@receiver(post_save, sender=Decision, dispatch_uid="portfolio-figures-stale-decision")
@receiver(post_save, sender=RegisterEntry, dispatch_uid="portfolio-figures-stale-register")
def _after_own_row(sender, instance, **kwargs) -> None:
    _mark_stale([instance.algorithm_id])


@receiver(post_save, sender=Evidence, dispatch_uid="portfolio-figures-stale-evidence")
@receiver(post_save, sender=ResidualRisk, dispatch_uid="portfolio-figures-stale-risk")
def _after_item_row(sender, instance, **kwargs) -> None:
    _mark_stale(ChecklistItem.objects.filter(pk=instance.item_id).values("algorithm_id"))
