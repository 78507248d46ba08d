"""Who may do what with an algorithm. Every view calls these helpers; templates only
mirror the outcome (``can``) to show or hide controls.

Capabilities per role (Membership.Role); a portfolio viewer of the algorithm's
organisation may read it:

=============  ======  ==========  ========  =====
capability     viewer  contributor approver  owner
=============  ======  ==========  ========  =====
read           yes     yes         yes       yes
edit (items)   -       yes         yes       yes
approve        -       -           yes       -
manage         -       -           -         yes
=============  ======  ==========  ========  =====

``approve`` (accept risks, go/no-go, gate decisions) is kept apart from ``manage``
(profile, phase, members): the owner who runs the project does not sign off its risks.
"""

from dataclasses import dataclass
from enum import StrEnum

from django.core.exceptions import PermissionDenied
from django.http import Http404

from tracker.algorithms.models import Algorithm, Membership
from tracker.organisations.models import OrganisationMembership

Role = Membership.Role


class Capability(StrEnum):
    READ = "read"
    EDIT = "edit"
    APPROVE = "approve"
    MANAGE = "manage"


ROLE_CAPABILITIES: dict[str, frozenset[Capability]] = {
    Role.VIEWER: frozenset({Capability.READ}),
    Role.CONTRIBUTOR: frozenset({Capability.READ, Capability.EDIT}),
    Role.APPROVER: frozenset({Capability.READ, Capability.EDIT, Capability.APPROVE}),
    Role.OWNER: frozenset({Capability.READ, Capability.EDIT, Capability.MANAGE}),
}
PORTFOLIO_CAPABILITIES = frozenset({Capability.READ})


@dataclass(frozen=True)
class Access:
    """What one user may do with one algorithm."""

    role: str | None
    capabilities: frozenset[Capability]

    @property
    def read(self) -> bool:
        return Capability.READ in self.capabilities

    @property
    def edit(self) -> bool:
        return Capability.EDIT in self.capabilities

    @property
    def approve(self) -> bool:
        return Capability.APPROVE in self.capabilities

    @property
    def manage(self) -> bool:
        return Capability.MANAGE in self.capabilities


NO_ACCESS = Access(role=None, capabilities=frozenset())


def is_portfolio_viewer(user) -> bool:
    """Whether the user is a manager: a portfolio viewer of some organisation."""
    return OrganisationMembership.objects.filter(user=user, is_portfolio_viewer=True).exists()


def access_for(user, algorithm: Algorithm) -> Access:
    if not user.is_authenticated or not user.is_active:
        return NO_ACCESS
    role = (
        Membership.objects.filter(algorithm=algorithm, user=user)
        .values_list("role", flat=True)
        .first()
    )
    capabilities = set(ROLE_CAPABILITIES.get(role, frozenset()))
    if OrganisationMembership.objects.filter(
        organisation_id=algorithm.organisation_id, user=user, is_portfolio_viewer=True
    ).exists():
        capabilities |= PORTFOLIO_CAPABILITIES
    return Access(role=role, capabilities=frozenset(capabilities))


def get_algorithm_for_user(
    user, slug: str, capability: Capability = Capability.READ
) -> tuple[Algorithm, Access]:
    """The algorithm and the user's access to it.

    404 when the user may not even read it (its existence is not revealed);
    403 when they may read it but lack the capability.
    """
    algorithm = (
        Algorithm.objects.select_related("organisation", "release").filter(slug=slug).first()
    )
    if algorithm is None:
        raise Http404("Algoritme niet gevonden")
    access = access_for(user, algorithm)
    if not access.read:
        raise Http404("Algoritme niet gevonden")
    if capability not in access.capabilities:
        raise PermissionDenied(f"Uw rol op dit algoritme staat '{capability}' niet toe")
    return algorithm, access


def organisations_for_registration(user):
    """Organisations in which the user may register a new algorithm."""
    from tracker.organisations.models import Organisation

    if not user.is_authenticated:
        return Organisation.objects.none()
    return Organisation.objects.filter(memberships__user=user).distinct()


def home_organisation(user, organisations):
    """Of ``organisations``, the one the user works in most: where they are a member of
    the most algorithms (then by name); the form's default when registering."""
    from django.db.models import Count, Q

    return (
        organisations.annotate(
            own=Count("algorithms", filter=Q(algorithms__memberships__user=user), distinct=True)
        )
        .order_by("-own", "name")
        .first()
    )
