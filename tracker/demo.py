"""Demo data for a local run: one organisation, a few users and algorithms.

Only called on an empty database (see the `prepare_local` command). Algorithms are
registered through the same domain actions as in the app, so their checklists and
audit trails are real.
"""

from django.contrib.auth import get_user_model
from django.db import transaction

from tracker.accounts.names import display_name
from tracker.algorithms.members import add_member
from tracker.algorithms.models import Algorithm, Membership
from tracker.catalog.models import ContentRelease
from tracker.catalog.phases import Phase
from tracker.checklist.profile import create_algorithm
from tracker.organisations.models import Organisation, OrganisationMembership

DEMO_ALGORITHMS = [
    {
        "name": "Risicoscan bijstandsaanvragen",
        "description": "Een AI-model dat aanvragen voor bijstand met een verhoogd risico "
        "op onjuiste gegevens markeert voor een extra controle door een medewerker.",
        "phase": Phase.IMPLEMENTATIE,
        "stage": Algorithm.Stage.PILOT,
        "is_ai_system": True,
        "soort_toepassing": "ai-systeem",
        "risicogroep": "hoog-risico-ai-systeem",
        "rol_ai_act": ["gebruiksverantwoordelijke"],
        "transparantieverplichting": "geen-transparantieverplichting",
        "systeemrisico": "niet-van-toepassing",
        "open_source": "geen-open-source",
        "impactful": True,
    },
    {
        "name": "Beslisregels parkeervergunningen",
        "description": "Regelgebaseerde toekenning van bewonersvergunningen op basis van "
        "adres, kenteken en wachtlijst.",
        "phase": Phase.IMPLEMENTATIE,
        "stage": Algorithm.Stage.PRODUCTION,
        "is_ai_system": False,
        "impactful": True,
    },
    {
        "name": "Chatbot Burgerzaken",
        "description": "Een taalmodel dat veelgestelde vragen over paspoorten en "
        "verhuizingen beantwoordt en doorverwijst naar een medewerker.",
        "phase": Phase.ONTWIKKELEN,
        "stage": Algorithm.Stage.NONE,
        "is_ai_system": True,
        "soort_toepassing": "ai-systeem",
        "risicogroep": "geen-hoog-risico-ai-systeem",
        "rol_ai_act": ["gebruiksverantwoordelijke"],
        "transparantieverplichting": "transparantieverplichting",
        "systeemrisico": "niet-van-toepassing",
        "open_source": "open-source",
        "impactful": False,
    },
]


APPROVER_USERNAME = "akkoord"
ORGANISATION_SLUG = "voorbeeldstad"


@transaction.atomic
def create_demo_users(username: str, password: str) -> None:
    """The demo user (portfolio viewer, owner of the demo algorithms) and an approver."""
    users = get_user_model().objects
    demo = users.create_user(username, password=password, first_name="Demo", last_name="Gebruiker")
    approver = users.create_user(
        APPROVER_USERNAME, password=password, first_name="Anna", last_name="Akkoord"
    )
    organisation = Organisation.objects.create(
        name="Gemeente Voorbeeldstad", slug=ORGANISATION_SLUG
    )
    OrganisationMembership.objects.create(
        organisation=organisation, user=demo, is_portfolio_viewer=True
    )
    OrganisationMembership.objects.create(organisation=organisation, user=approver)


@transaction.atomic
def create_demo_algorithms(username: str, stdout=None) -> None:
    """The demo algorithms, registered through the app's own domain actions."""
    users = get_user_model().objects
    demo = users.filter(username=username).first()
    approver = users.filter(username=APPROVER_USERNAME).first()
    organisation = Organisation.objects.filter(slug=ORGANISATION_SLUG).first()
    release = ContentRelease.latest()
    if None in (demo, approver, organisation, release):
        if stdout:
            stdout.write(
                "demo: no demo algorithms (needs the demo users and an Algoritmekader release)"
            )
        return
    for values in DEMO_ALGORITHMS:
        algorithm = create_algorithm(
            actor=demo, values={**values, "organisation": organisation, "release": release}
        )
        add_member(algorithm, actor=demo, user=approver, role=Membership.Role.APPROVER)
    if stdout:
        stdout.write(f"demo: {len(DEMO_ALGORITHMS)} algorithms in {organisation.name}")
    seed_portfolio(demo, stdout=stdout)


PORTFOLIO_SIZE = 30


def seed_portfolio(demo, stdout=None) -> None:
    """A synthetic portfolio (seed_demo) that the demo user may read as portfolio viewer,
    so the dashboards have something to show."""
    from tracker.dashboards.seeding import SeedError, seed_demo

    try:
        seeded = seed_demo(PORTFOLIO_SIZE, seed=1)
    except SeedError as exc:
        if stdout:
            stdout.write(f"demo: no demo portfolio ({exc})")
        return
    for organisation in Organisation.objects.filter(slug__startswith="demo-"):
        OrganisationMembership.objects.get_or_create(
            organisation=organisation, user=demo, defaults={"is_portfolio_viewer": True}
        )
    if stdout:
        stdout.write(f"demo: portfolio of {seeded.summary()}")


def demo_logins() -> list[tuple[str, str, str]]:
    """(username, name, what they see) for every demo login worth trying: the demo user,
    the approver, each seeded organisation's manager and one team member per role of the
    first seeded organisation. All share the demo password."""
    users = get_user_model().objects
    logins: list[tuple[str, str, str]] = []
    demo = users.filter(username="demo").first()
    if demo is not None:
        logins.append(
            ("demo", display_name(demo), "eigenaar van de demo-algoritmes, portfoliokijker")
        )
    approver = users.filter(username=APPROVER_USERNAME).first()
    if approver is not None:
        logins.append(
            (APPROVER_USERNAME, display_name(approver), "accordeerder van de demo-algoritmes")
        )
    managers = OrganisationMembership.objects.filter(
        is_portfolio_viewer=True, organisation__slug__startswith="demo-"
    ).exclude(user__username="demo")
    for row in managers.select_related("user", "organisation").order_by("organisation__name"):
        logins.append(
            (
                row.user.get_username(),
                display_name(row.user),
                f"manager: portfoliokijker van {row.organisation.name}",
            )
        )
    first = Membership.objects.filter(algorithm__organisation__slug__startswith="demo-")
    for role, label in Membership.Role.choices:
        member = first.filter(role=role).select_related("user", "algorithm").order_by("pk").first()
        if member is not None:
            logins.append(
                (
                    member.user.get_username(),
                    display_name(member.user),
                    f"{label.lower()} van {member.algorithm.name}",
                )
            )
    return logins
