"""The Algoritmeregister: imported versions of its publication standard, one register
entry per algorithm, and every export of it (immutable)."""

from functools import cached_property

from django.conf import settings
from django.db import models
from django.utils import timezone

from tracker.algorithms.models import Algorithm
from tracker.register.standard import Standard, parse_standard


class RegisterStandard(models.Model):
    """One imported version of the register's field configuration."""

    label = models.CharField(max_length=100, unique=True)
    version = models.CharField("versie van de standaard", max_length=20)
    source = models.CharField(max_length=500, help_text="File imported from")
    content_hash = models.CharField(max_length=64, help_text="sha256 of the configuration file")
    configuration = models.JSONField(help_text="The register's configuration, as imported")
    # PostgreSQL's jsonb does not keep the order of an object's keys; the fields' order
    # (the order of the form, the preview and the upload file) is kept here.
    field_order = models.JSONField(default=list, help_text="The fields in the standard's order")
    field_count = models.PositiveSmallIntegerField(default=0)
    imported_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-imported_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["content_hash"], name="register_standard_unique_hash")
        ]

    def __str__(self) -> str:
        return f"Publicatiestandaard {self.version} ({self.label})"

    @cached_property
    def standard(self) -> Standard:
        configuration = dict(self.configuration)
        properties = configuration.get("properties")
        if isinstance(properties, dict) and self.field_order:
            order = {name: n for n, name in enumerate(self.field_order)}
            configuration["properties"] = dict(
                sorted(properties.items(), key=lambda item: order.get(item[0], len(order)))
            )
        return parse_standard(configuration, source=self.source)

    @classmethod
    def latest(cls) -> "RegisterStandard | None":
        return cls.objects.first()


class RegisterEntryQuerySet(models.QuerySet):
    def exported(self) -> "RegisterEntryQuerySet":
        return self.filter(last_export__isnull=False)

    def changed_since_export(self) -> "RegisterEntryQuerySet":
        return self.filter(changed_since_export=True)


class RegisterEntry(models.Model):
    """The register entry of one algorithm: the team's own values (``overrides``) on top
    of what the tracker prefills (tracker.register.prefill). The state of the last
    export is kept in columns so the gate and the portfolio can filter on it."""

    algorithm = models.OneToOneField(
        Algorithm, on_delete=models.PROTECT, related_name="register_entry"
    )
    standard = models.ForeignKey(RegisterStandard, on_delete=models.PROTECT, related_name="+")
    overrides = models.JSONField(default=dict, blank=True, help_text="field -> the team's value")
    is_valid = models.BooleanField(default=False, help_text="No value the register refuses")
    is_complete = models.BooleanField(default=False, help_text="Valid and every required field")
    last_export = models.ForeignKey(
        "RegisterExport", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    changed_since_export = models.BooleanField(default=False)
    changed_fields = models.JSONField(default=list, blank=True)
    export_current = models.BooleanField(
        default=False, help_text="A complete, valid export with no change since"
    )
    version = models.PositiveIntegerField(default=1)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    objects = RegisterEntryQuerySet.as_manager()

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(export_current=False)
                | models.Q(last_export__isnull=False, changed_since_export=False),
                name="register_entry_current_needs_export",
            )
        ]
        indexes = [
            models.Index(fields=["changed_since_export"], name="register_entry_changed"),
        ]

    def __str__(self) -> str:
        return f"Registratie Algoritmeregister — {self.algorithm}"


class ExportImmutableError(Exception):
    """Raised on an attempt to change or delete an export."""


class RegisterExport(models.Model):
    """One export of an entry: the upload file as made, never changed."""

    entry = models.ForeignKey(RegisterEntry, on_delete=models.PROTECT, related_name="exports")
    standard = models.ForeignKey(RegisterStandard, on_delete=models.PROTECT, related_name="+")
    document = models.JSONField(help_text="The upload file: a list of one entry")
    sources = models.JSONField(default=dict, help_text="field -> the tracker's value at export")
    sha256 = models.CharField(max_length=64)
    exported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    exported_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-exported_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(sha256__regex=r"^[0-9a-f]{64}$"),
                name="register_export_has_sha256",
            )
        ]

    def __str__(self) -> str:
        return f"Export {self.entry.algorithm} ({timezone.localtime(self.exported_at):%d-%m-%Y})"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise ExportImmutableError("an export is never changed")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ExportImmutableError("an export is never deleted")

    @property
    def entry_values(self) -> dict:
        return self.document[0]

    def ordered_document(self) -> list[dict]:
        """The upload file with the fields in the standard's order (jsonb loses it)."""
        names = self.standard.standard.names
        return [{name: self.entry_values.get(name) for name in names}]

    @property
    def file_name(self) -> str:
        stamp = timezone.localtime(self.exported_at).strftime("%Y%m%d-%H%M")
        return f"algoritmeregister-{self.entry.algorithm.slug}-{stamp}.json"
