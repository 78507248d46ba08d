"""Members of an algorithm: add, change role, remove. Every change is audited.

An algorithm always keeps at least one owner: the last owner cannot be removed or
given another role. The owner rows are locked while that is checked, so that two
owners demoting each other at the same time cannot leave the algorithm without one.
"""

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db.models import Q

from tracker.accounts.names import display_name
from tracker.algorithms.models import Algorithm, Membership
from tracker.audit import trail
from tracker.audit.trail import record

OWNER = Membership.Role.OWNER


SEARCH_LIMIT = 20


@dataclass(frozen=True)
class RoleHolders:
    """The names of an algorithm's approvers and owners (one query)."""

    approvers: list[str]
    owners: list[str]


def role_holders(algorithm: Algorithm) -> RoleHolders:
    rows = algorithm.memberships.filter(
        role__in=[Membership.Role.APPROVER, OWNER], user__is_active=True
    ).select_related("user")
    people: dict[str, list[str]] = {Membership.Role.APPROVER: [], OWNER: []}
    for membership in sorted(rows, key=lambda m: display_name(m.user)):
        people[membership.role].append(display_name(membership.user))
    return RoleHolders(people[Membership.Role.APPROVER], people[OWNER])


def candidates(algorithm: Algorithm, query: str):
    """Active colleagues of the algorithm's organisation who are not yet members, whose
    name, e-mail address or username contains every word of ``query`` (at most
    SEARCH_LIMIT, by name)."""
    words = query.split()
    if not words:
        return get_user_model().objects.none()
    users = (
        get_user_model()
        .objects.filter(
            is_active=True, organisation_memberships__organisation_id=algorithm.organisation_id
        )
        .exclude(algorithm_memberships__algorithm=algorithm)
    )
    for word in words[:5]:
        users = users.filter(
            Q(first_name__icontains=word)
            | Q(last_name__icontains=word)
            | Q(email__icontains=word)
            | Q(username__icontains=word)
        )
    return users.distinct().order_by("first_name", "last_name", "username")[:SEARCH_LIMIT]


class LastOwnerError(Exception):
    """Removing or demoting this member would leave the algorithm without an owner."""


def _other_owners(algorithm: Algorithm, membership: Membership) -> int:
    owners = list(
        Membership.objects.select_for_update(no_key=True)
        .filter(algorithm=algorithm, role=OWNER)
        .values_list("pk", flat=True)
    )
    return len([pk for pk in owners if pk != membership.pk])


@trail.atomic
def add_member(algorithm: Algorithm, *, actor, user, role: str) -> Membership:
    membership = Membership.objects.create(algorithm=algorithm, user=user, role=role)
    record(
        actor=actor,
        obj=membership,
        action="member_added",
        changes={"user": [None, display_name(user)], "role": [None, role]},
        algorithm=algorithm,
    )
    return membership


@trail.atomic
def change_role(algorithm: Algorithm, membership: Membership, *, actor, role: str) -> Membership:
    membership = Membership.objects.select_for_update(no_key=True).get(pk=membership.pk)
    if membership.role == role:
        return membership
    if membership.role == OWNER and not _other_owners(algorithm, membership):
        raise LastOwnerError("De laatste eigenaar kan geen andere rol krijgen.")
    old = membership.role
    membership.role = role
    membership.save(update_fields=["role"])
    record(
        actor=actor,
        obj=membership,
        action="member_role_changed",
        changes={"user": [display_name(membership.user)] * 2, "role": [old, role]},
        algorithm=algorithm,
    )
    return membership


@trail.atomic
def remove_member(algorithm: Algorithm, membership: Membership, *, actor) -> None:
    membership = (
        Membership.objects.select_for_update(of=("self",))
        .select_related("user")
        .get(pk=membership.pk)
    )
    if membership.role == OWNER and not _other_owners(algorithm, membership):
        raise LastOwnerError("De laatste eigenaar kan niet worden verwijderd.")
    record(
        actor=actor,
        obj=membership,
        action="member_removed",
        changes={"user": [display_name(membership.user), None], "role": [membership.role, None]},
        algorithm=algorithm,
    )
    membership.delete()
