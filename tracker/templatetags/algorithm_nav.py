"""An algorithm's sub-navigation: at most six entries at the top, the rest under "Meer"."""

from dataclasses import dataclass

from django import template
from django.urls import reverse

from tracker.catalog.phases import Phase

register = template.Library()


@dataclass(frozen=True)
class Tab:
    label: str
    url: str
    current: bool


@dataclass(frozen=True)
class Nav:
    top: list[Tab]
    more: list[Tab]

    @property
    def current_more(self) -> Tab | None:
        """The page under "Meer" that is open, if any (named on the closed disclosure)."""
        return next((tab for tab in self.more if tab.current), None)


def tabs(algorithm, access, current: str) -> Nav:
    slug = algorithm.slug

    def tab(label: str, name: str) -> Tab:
        return Tab(label, reverse(name, args=[slug]), current == name)

    top = [tab("Overzicht", "algorithms:detail"), tab("Checklist", "checklist:list")]
    if algorithm.phase == Phase.IMPLEMENTATIE:
        top += [tab("Pilot", "pilots:detail"), tab("Go-live", "gates:go_live")]
    top.append(tab("Dashboard", "algorithm_dashboard:detail"))
    more = [
        tab("Besluiten", "decisions:list"),
        tab("Algoritmeregister", "register:entry"),
        tab("Leden", "algorithms:members"),
        tab("Logboek", "audit:algorithm"),
        tab("Niet van toepassing", "algorithms:not_applicable"),
    ]
    if access.manage:
        more += [
            tab("Gegevens bewerken", "algorithms:edit"),
            tab("Fase en profiel", "algorithms:profile"),
            tab("Beslishulp", "decision_aid:algorithm_start"),
        ]
    return Nav(top, more)


@register.simple_tag(takes_context=True)
def algorithm_nav(context, algorithm, access) -> Nav:
    """``{% algorithm_nav algorithm access as nav %}``: the tabs of the algorithm's pages."""
    match = getattr(context.get("request"), "resolver_match", None)
    return tabs(algorithm, access, match.view_name if match else "")
