"""Demo data for a local run: Gemeente Voorbeeldstad with the demo user's algorithms,
and three more organisations with a manager and a team each.

Only called on an empty database (see the `prepare_local` command). Everything is
made through the same domain actions as the app's buttons (tracker.demo.story), each at
its moment in the past (tracker.demo.clock), so no seeded state is one the app would
refuse and every date agrees with the others; tests/test_demo_data.py checks the gate's
and the decisions' rules over all of it.
"""

from functools import partial

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from tracker.accounts.names import display_name
from tracker.algorithms.models import Membership
from tracker.catalog.models import ContentRelease
from tracker.dashboards.snapshots import snapshot_readiness
from tracker.demo.scenarios import ORGANISATIONS, OWN, PORTFOLIO
from tracker.demo.story import Story, Team, Timeline
from tracker.organisations.models import Organisation, OrganisationMembership

APPROVER_USERNAME = "akkoord"
ORGANISATION_SLUG = "voorbeeldstad"
PASSWORD = "algokader-demo"  # noqa: S105 - the demo users' password, printed on purpose
PORTFOLIO_SIZE = sum(len(stories) for stories in PORTFOLIO.values())


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


def create_demo_algorithms(username: str, stdout=None, password: str = PASSWORD) -> None:
    """The demo algorithms with their past, each step through the app's own actions
    (tracker.demo.story), then today's readiness snapshot. All or nothing."""
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
    with transaction.atomic():
        today = timezone.localdate()
        timeline = Timeline(today)
        own = Team(owner=demo, approver=approver)
        for script in OWN:
            _tell(timeline, Story(values=script["values"], team=own), organisation, script)
        for organisation_row, team in _portfolio_people(demo, password):
            for script in PORTFOLIO[organisation_row.slug]:
                story = Story(values=script["values"], team=team)
                _tell(timeline, story, organisation_row, script)
        for weeks in range(HISTORY_WEEKS, 0, -1):
            timeline.add(7 * weeks, snapshot_readiness, hour=23)
        timeline.run()
        snapshot_readiness(today=today)
    if stdout:
        stdout.write(
            f"demo: {len(OWN)} algorithms in {organisation.name}, {PORTFOLIO_SIZE} in "
            f"{len(ORGANISATIONS)} more organisations, each step through the app's actions"
        )


HISTORY_WEEKS = 13  # weekly readiness snapshots for the "readiness over time" chart


def _tell(timeline: Timeline, story: Story, organisation, script: dict) -> None:
    for days_ago, hour, method, arguments in script["steps"]:
        if method == "register":
            arguments = {"organisation": organisation}
        timeline.add(days_ago, partial(getattr(story, method), **arguments), hour=hour)


def _portfolio_people(demo, password: str) -> list[tuple[Organisation, Team]]:
    """The demo organisations, each with a manager (portfolio viewer) and a team; the
    demo user may read every one of them."""
    users = get_user_model().objects
    hashed = make_password(password)  # one hash for all of them (it is slow on purpose)
    teams = []
    for name, slug, manager, members in ORGANISATIONS:
        organisation = Organisation.objects.create(name=name, slug=slug)
        OrganisationMembership.objects.create(
            organisation=organisation, user=demo, is_portfolio_viewer=True
        )
        people = []
        for first, last in [manager, *members]:
            user = users.create(
                username=f"{slugify(first)}.{slugify(last)}" if people else f"manager-{slug}",
                password=hashed,
                first_name=first,
                last_name=last,
            )
            OrganisationMembership.objects.create(
                organisation=organisation, user=user, is_portfolio_viewer=not people
            )
            people.append(user)
        team = Team(
            owner=people[1], approver=people[2], contributors=people[3:4], viewers=people[4:]
        )
        teams.append((organisation, team))
    return teams


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
