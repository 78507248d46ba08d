"""All models of the app, defined per concern in their own module."""

from tracker.catalog.models import AuditNorm, CatalogItem, ContentRelease, Law, Taxon

__all__ = ["AuditNorm", "CatalogItem", "ContentRelease", "Law", "Taxon"]
