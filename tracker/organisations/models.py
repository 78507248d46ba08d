"""Organisations and who belongs to them."""

from django.conf import settings
from django.db import models


class Organisation(models.Model):
    name = models.CharField(max_length=200, unique=True)
    slug = models.SlugField(max_length=100, unique=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class OrganisationMembership(models.Model):
    """A user of an organisation; portfolio viewers (managers) read all its algorithms."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="memberships"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="organisation_memberships"
    )
    is_portfolio_viewer = models.BooleanField(
        "portfoliokijker", default=False, help_text="May read every algorithm of the organisation"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organisation", "user"], name="org_membership_unique")
        ]

    def __str__(self) -> str:
        return f"{self.user} @ {self.organisation}"
