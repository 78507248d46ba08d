"""The Django admin, for bootstrapping only.

Editable here: organisations, their members (and portfolio viewers) and the members of
an algorithm (users come from django.contrib.auth's own admin). Membership changes made
here are recorded in the audit trail like those made in the app.

Everything else is read-only: the imported catalog, and the team's work (algorithms,
checklist items, evidence, risks, decisions, comments) which changes only through the
app, where every change is recorded. The audit trail itself can never be changed or
deleted, here or anywhere.
"""

from django import forms
from django.apps import apps
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db import transaction

from tracker.audit.trail import changes_between, record, snapshot
from tracker.models import (
    Algorithm,
    AuditChainHead,
    AuditEntry,
    AuditNorm,
    CatalogItem,
    ChecklistItem,
    Comment,
    ContentRelease,
    Evidence,
    ItemDecision,
    Law,
    Membership,
    Organisation,
    OrganisationMembership,
    ResidualRisk,
    Taxon,
)


class ReadOnlyAdmin(admin.ModelAdmin):
    """View-only: no add, change or delete, and so no bulk delete action either."""

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


# --- Memberships, recorded in the audit trail ------------------------------------------

MEMBERSHIP_FIELDS = ("user", "role")
ORG_MEMBERSHIP_FIELDS = ("user", "is_portfolio_viewer")


def _record_formset(request, formset, fields: tuple[str, ...], algorithm=None) -> None:
    """Save an inline formset and record each added, changed and removed row.

    Runs inside the admin's transaction, so the rows and their entries commit together.
    """
    before = {
        form.instance.pk: snapshot(
            type(form.instance).objects.select_related(*fields[:1]).get(pk=form.instance.pk),
            fields,
        )
        for form in formset.initial_forms
        if form.instance.pk and (form.has_changed() or form in formset.deleted_forms)
    }
    for form in formset.deleted_forms:
        if form.instance.pk:
            record(
                actor=request.user,
                obj=form.instance,
                action="member_removed",
                changes=changes_between(before[form.instance.pk], dict.fromkeys(fields)),
                algorithm=algorithm,
            )
    instances = formset.save()
    for obj in instances:
        if obj.pk in before:
            changes = changes_between(before[obj.pk], snapshot(obj, fields))
            action = "member_role_changed" if algorithm else "updated"
        else:
            changes = changes_between({}, snapshot(obj, fields))
            action = "member_added"
        if changes:
            record(actor=request.user, obj=obj, action=action, changes=changes, algorithm=algorithm)


class FixedUserForm(forms.ModelForm):
    """A member's user is fixed once added: remove the row and add another instead."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["user"].disabled = True


class MembershipFormSet(forms.BaseInlineFormSet):
    def clean(self) -> None:
        super().clean()
        if any(self.errors) or not self.has_changed():
            return
        roles = [
            form.cleaned_data.get("role")
            for form in self.forms
            if form.cleaned_data and form not in self.deleted_forms
        ]
        if Membership.Role.OWNER not in roles:
            raise ValidationError("Een algoritme moet ten minste één eigenaar houden.")


class MembershipInline(admin.TabularInline):
    model = Membership
    form = FixedUserForm
    formset = MembershipFormSet
    fields = MEMBERSHIP_FIELDS
    autocomplete_fields = ["user"]
    extra = 0


class OrganisationMembershipInline(admin.TabularInline):
    model = OrganisationMembership
    form = FixedUserForm
    fields = ORG_MEMBERSHIP_FIELDS
    autocomplete_fields = ["user"]
    extra = 0


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [OrganisationMembershipInline]

    def save_formset(self, request, form, formset, change) -> None:
        _record_formset(request, formset, ORG_MEMBERSHIP_FIELDS)


@admin.register(OrganisationMembership)
class OrganisationMembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "organisation", "is_portfolio_viewer"]
    list_filter = ["is_portfolio_viewer", "organisation"]
    list_select_related = ["user", "organisation"]
    search_fields = ["user__username", "organisation__name"]
    autocomplete_fields = ["user", "organisation"]
    fields = ["organisation", "user", "is_portfolio_viewer"]

    def get_readonly_fields(self, request, obj=None):
        return ["organisation", "user"] if obj else []

    @transaction.atomic
    def save_model(self, request, obj, form, change) -> None:
        before = {}
        if change:
            stored = OrganisationMembership.objects.select_related("user").get(pk=obj.pk)
            before = snapshot(stored, ORG_MEMBERSHIP_FIELDS)
        super().save_model(request, obj, form, change)
        changes = changes_between(before, snapshot(obj, ORG_MEMBERSHIP_FIELDS))
        if changes:
            action = "updated" if change else "member_added"
            record(actor=request.user, obj=obj, action=action, changes=changes)

    @transaction.atomic
    def delete_model(self, request, obj) -> None:
        changes = changes_between(
            snapshot(obj, ORG_MEMBERSHIP_FIELDS), dict.fromkeys(ORG_MEMBERSHIP_FIELDS)
        )
        record(actor=request.user, obj=obj, action="member_removed", changes=changes)
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset) -> None:
        for obj in queryset:
            self.delete_model(request, obj)


@admin.register(Algorithm)
class AlgorithmAdmin(admin.ModelAdmin):
    """The algorithm itself is read-only (teams edit it in the app); its members are not."""

    list_display = ["name", "organisation", "phase", "stage", "release"]
    list_filter = ["organisation", "phase"]
    list_select_related = ["organisation", "release"]
    search_fields = ["name", "slug"]
    inlines = [MembershipInline]

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in Algorithm._meta.concrete_fields]

    def has_add_permission(self, request) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def save_model(self, request, obj, form, change) -> None:
        """Nothing of the algorithm is editable here: never save it."""

    def save_formset(self, request, form, formset, change) -> None:
        _record_formset(request, formset, MEMBERSHIP_FIELDS, algorithm=form.instance)


# --- Read-only: the catalog, the team's work and the audit trail ------------------------


@admin.register(ContentRelease)
class ContentReleaseAdmin(ReadOnlyAdmin):
    list_display = ["label", "kind", "imported_at"]


@admin.register(Taxon)
class TaxonAdmin(ReadOnlyAdmin):
    list_display = ["slug", "title", "kind", "release"]
    list_filter = ["kind", "release"]
    list_select_related = ["release"]


@admin.register(Law)
class LawAdmin(ReadOnlyAdmin):
    list_display = ["code", "name", "release"]
    list_select_related = ["release"]


@admin.register(CatalogItem)
class CatalogItemAdmin(ReadOnlyAdmin):
    list_display = ["code", "title", "kind", "release"]
    list_filter = ["kind", "release"]
    list_select_related = ["release"]
    search_fields = ["code", "urn", "title"]


@admin.register(AuditNorm)
class AuditNormAdmin(ReadOnlyAdmin):
    pass


@admin.register(ChecklistItem)
class ChecklistItemAdmin(ReadOnlyAdmin):
    list_display = ["__str__", "status", "owner", "due_date", "retired_at"]
    list_filter = ["status"]
    list_select_related = ["algorithm", "catalog_item", "owner"]


@admin.register(Evidence)
class EvidenceAdmin(ReadOnlyAdmin):
    list_display = ["title", "kind", "item", "added_by", "added_at", "withdrawn_at"]
    list_select_related = ["item__algorithm", "item__catalog_item", "added_by"]


@admin.register(ResidualRisk)
class ResidualRiskAdmin(ReadOnlyAdmin):
    list_display = ["__str__", "item", "likelihood", "impact", "accepted_at"]
    list_select_related = ["item__algorithm", "item__catalog_item"]


@admin.register(ItemDecision)
class ItemDecisionAdmin(ReadOnlyAdmin):
    list_display = ["item", "verdict", "decided_by", "decided_at"]
    list_select_related = ["item__algorithm", "item__catalog_item", "decided_by"]


@admin.register(Comment)
class CommentAdmin(ReadOnlyAdmin):
    list_display = ["__str__", "item", "created_at"]
    list_select_related = ["author", "item__algorithm", "item__catalog_item"]


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyAdmin):
    list_display = ["seq", "at", "actor_name", "object_type", "object_repr", "action"]
    list_filter = ["object_type", "action"]
    search_fields = ["object_repr", "actor_name"]
    show_full_result_count = False  # no COUNT(*) over a long trail on every page


@admin.register(AuditChainHead)
class AuditChainHeadAdmin(ReadOnlyAdmin):
    list_display = ["last_seq", "last_hash"]


# Any other model of the app (new concerns included) is read-only by default: making one
# editable here is a deliberate choice, never an accident that bypasses the audit trail.
for _model in apps.get_app_config("tracker").get_models():
    if _model is not Membership and not admin.site.is_registered(_model):
        admin.site.register(_model, ReadOnlyAdmin)
