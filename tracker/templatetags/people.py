"""Who holds a role on an algorithm, for the pages that say who takes the next step."""

from django import template

from tracker.algorithms.members import role_holders

register = template.Library()


@register.simple_tag
def holders(algorithm):
    """``{% holders algorithm as people %}``: people.approvers and people.owners (names)."""
    return role_holders(algorithm)
