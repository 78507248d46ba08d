"""Keeping "changed since export" up to date: after every change recorded in the audit
trail (every domain action records one), and after saves whose audit entry is written
before the row (the pilot) or that are not audited at all (an organisation's name,
edited in the admin)."""

from django.db.models.signals import post_save
from django.dispatch import receiver

from tracker.audit.trail import changes_recorded
from tracker.organisations.models import Organisation
from tracker.pilots.models import Pilot


@receiver(changes_recorded, dispatch_uid="register-sync-on-audit")
def _after_recorded(sender, algorithm_ids, **kwargs) -> None:
    from tracker.register.actions import refresh_sync

    refresh_sync(algorithm_ids)


@receiver(post_save, sender=Pilot, dispatch_uid="register-sync-on-pilot")
def _after_pilot(sender, instance: Pilot, **kwargs) -> None:
    from tracker.register.actions import refresh_sync

    refresh_sync({instance.algorithm_id})


@receiver(post_save, sender=Organisation, dispatch_uid="register-sync-on-organisation")
def _after_organisation(sender, instance: Organisation, **kwargs) -> None:
    from tracker.register.actions import refresh_sync

    refresh_sync(instance.algorithms.values_list("pk", flat=True))
