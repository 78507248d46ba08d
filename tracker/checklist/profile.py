"""Registering an algorithm and changing its phase, stage or AI profile: the algorithm's
row and its checklist change together, in one transaction that locks the algorithm's
row, refuses a stale version and records every change in the audit trail.

These live above ``tracker.algorithms`` (its row, details and members) because they
fill and sync the checklist (``tracker.checklist.sync``).
"""

from dataclasses import dataclass

from tracker.accounts.names import display_name
from tracker.algorithms.actions import PROFILE_FIELDS, locked, unique_slug
from tracker.algorithms.models import Algorithm, Membership
from tracker.audit import trail
from tracker.audit.trail import changes_between, record, snapshot
from tracker.checklist import sync


@trail.atomic
def create_algorithm(*, actor, values: dict) -> Algorithm:
    """Register an algorithm: the actor becomes owner, and its checklist is filled."""
    algorithm = Algorithm(slug=unique_slug(values["name"]), **values)
    algorithm.full_clean(exclude=["slug"])
    algorithm.save()
    fields = ("name", "slug", "description", "organisation", "release", "version", *PROFILE_FIELDS)
    record(
        actor=actor,
        obj=algorithm,
        action="created",
        changes=changes_between({}, snapshot(algorithm, fields)),
        algorithm=algorithm,
    )
    membership = Membership.objects.create(
        algorithm=algorithm, user=actor, role=Membership.Role.OWNER
    )
    record(
        actor=actor,
        obj=membership,
        action="member_added",
        changes={"user": [None, display_name(actor)], "role": [None, membership.role]},
        algorithm=algorithm,
    )
    sync.sync(algorithm, actor, "Algoritme geregistreerd")
    return algorithm


@dataclass(frozen=True)
class ProfileChange:
    algorithm: Algorithm
    plan: sync.SyncPlan
    changes: dict


def preview_profile(algorithm: Algorithm, values: dict, profile) -> sync.SyncPlan:
    """What changing to these values would do to the checklist (no writes)."""
    return sync.plan(algorithm, phase=values["phase"], stage=values["stage"], profile=profile)


@trail.atomic
def change_profile(
    algorithm: Algorithm, *, actor, version: int, values: dict, profile
) -> ProfileChange:
    """Change phase, stage and AI profile and sync the checklist, in one transaction."""
    algorithm = locked(algorithm, version)
    before = snapshot(algorithm, (*PROFILE_FIELDS, "version"))
    for name in PROFILE_FIELDS:
        setattr(algorithm, name, values[name])
    changes = changes_between(before, snapshot(algorithm, PROFILE_FIELDS))
    planned = sync.plan(algorithm, phase=algorithm.phase, stage=algorithm.stage, profile=profile)
    if not changes and not planned.has_changes:
        return ProfileChange(algorithm, planned, {})
    algorithm.version += 1
    algorithm.full_clean(exclude=["slug", "organisation", "release"], validate_unique=False)
    algorithm.save(update_fields=[*PROFILE_FIELDS, "version", "updated_at"])
    changes["version"] = [before["version"], algorithm.version]
    record(
        actor=actor, obj=algorithm, action="profile_changed", changes=changes, algorithm=algorithm
    )
    sync.apply(algorithm, planned, actor, "Fase of profiel gewijzigd")
    return ProfileChange(algorithm, planned, changes)
