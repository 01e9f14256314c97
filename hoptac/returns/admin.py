"""Indicators and forms in the Django admin: administrators change them without code.

A form's versions are listed on the form; a version's fields and cross-field rules are
edited on the version. A version on which returns were filed no longer changes (its returns
keep meaning what they meant): "Copy as a new version" makes an unpublished copy with the
same fields and rules, to edit and then publish from a year on. Nothing here is deleted, and
every change is written to the audit log.
"""

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from hoptac.core.audit import diff, log_action, snapshot

from . import services
from .models import FormField, FormVersion, Indicator, ReturnForm, Rule, Value

INDICATOR_FIELDS = [
    "code",
    "name_vi",
    "name_en",
    "unit",
    "aggregation",
    "choices",
    "min_value",
    "max_value",
    "help_vi",
]
FORM_FIELDS = [
    "code",
    "name_vi",
    "name_en",
    "frequency",
    "respondent",
    "kinds",
    "due_day",
    "due_month",
    "due_days_after",
    "plausibility_factor",
    "active",
]
VERSION_FIELDS = ["number", "valid_from_year", "published", "note"]


class AuditedAdmin(admin.ModelAdmin):
    """Never deletes; records who created and changed a record, and the fields that changed."""

    audit_fields: list[str] = []
    audit_action = ""
    readonly_fields = ["created_on", "created_by", "modified_on", "modified_by"]

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        model = type(obj)
        before = snapshot(model.objects.get(pk=obj.pk), self.audit_fields) if change else {}
        if not change:
            obj.created_by = request.user
        obj.modified_by = request.user
        super().save_model(request, obj, form, change)
        after = snapshot(model.objects.get(pk=obj.pk), self.audit_fields)
        changes = diff(before, after)
        if changes or not change:
            log_action(
                f"{self.audit_action}.{'changed' if change else 'created'}",
                instance=obj,
                user=request.user,
                changes=changes,
            )


@admin.register(Indicator)
class IndicatorAdmin(AuditedAdmin):
    audit_fields = INDICATOR_FIELDS
    audit_action = "returns.indicator"
    list_display = ["code", "name_vi", "name_en", "unit", "aggregation", "min_value", "max_value"]
    list_filter = ["unit", "aggregation"]
    search_fields = ["code", "name_vi", "name_en"]

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        # Values already stored were read by this unit: changing it would change their meaning.
        if obj is not None and Value.objects.filter(indicator=obj).exists():
            fields += ["code", "unit"]
        return fields


class VersionInline(admin.TabularInline):
    model = FormVersion
    fields = VERSION_FIELDS
    extra = 0
    show_change_link = True
    can_delete = False


@admin.register(ReturnForm)
class ReturnFormAdmin(AuditedAdmin):
    audit_fields = FORM_FIELDS
    audit_action = "returns.form"
    list_display = ["code", "name_vi", "frequency", "respondent", "kinds", "due_day", "due_month", "active"]
    list_filter = ["frequency", "respondent", "active"]
    search_fields = ["code", "name_vi", "name_en"]
    inlines = [VersionInline]

    def save_formset(self, request, form, formset, change):
        instances = formset.save(commit=False)
        for version in instances:
            created = version.pk is None
            before = {} if created else snapshot(FormVersion.objects.get(pk=version.pk), VERSION_FIELDS)
            if created:
                version.created_by = request.user
            version.modified_by = request.user
            version.save()
            changes = diff(before, snapshot(version, VERSION_FIELDS))
            log_action(
                "returns.version.created" if created else "returns.version.changed",
                instance=version,
                user=request.user,
                changes=changes,
            )
        formset.save_m2m()


class LockedWhenFiled:
    """Inline rows of a version that has returns cannot be added, changed or deleted."""

    def _filed(self, obj) -> bool:
        return obj is not None and obj.returns.exists()

    def has_add_permission(self, request, obj=None):
        return not self._filed(obj) and super().has_add_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return not self._filed(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return not self._filed(obj) and super().has_delete_permission(request, obj)


class FieldInline(LockedWhenFiled, admin.TabularInline):
    model = FormField
    fields = ["order", "section", "indicator", "required", "min_value", "max_value"]
    autocomplete_fields = ["indicator"]
    extra = 0


class RuleInline(LockedWhenFiled, admin.StackedInline):
    model = Rule
    fields = [("left", "operator", "right", "constant"), "kinds", ("founded_from", "founded_until"), "message_vi"]
    autocomplete_fields = ["left", "right"]
    extra = 0


@admin.register(FormVersion)
class FormVersionAdmin(AuditedAdmin):
    audit_fields = VERSION_FIELDS
    audit_action = "returns.version"
    list_display = ["form", "number", "valid_from_year", "published", "note"]
    list_filter = ["form", "published"]
    inlines = [FieldInline, RuleInline]
    actions = ["copy_as_new_version"]

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if obj is not None:
            fields.append("form")
        if obj is not None and obj.returns.exists():
            fields.append("valid_from_year")
        return fields

    def save_formset(self, request, form, formset, change):
        instances = formset.save(commit=False)
        for obj in formset.deleted_objects:
            obj.delete()
        for obj in instances:
            obj.save()
        formset.save_m2m()
        added = [str(o) for o in formset.new_objects]
        changed = [str(o) for o, _fields in formset.changed_objects]
        deleted = [str(o) for o in formset.deleted_objects]
        if added or changed or deleted:
            log_action(
                "returns.version.changed",
                instance=form.instance,
                user=request.user,
                changes={
                    str(formset.model._meta.verbose_name_plural): {
                        "added": added,
                        "changed": changed,
                        "removed": deleted,
                    }
                },
            )

    @admin.action(description=_("Copy as a new version (unpublished, with the same fields and rules)"))
    def copy_as_new_version(self, request, queryset):
        copies = [services.form_version_copy(version=version, by=request.user) for version in queryset]
        self.message_user(
            request,
            ngettext(
                "%(n)d new version created; edit its fields and rules, then publish it.",
                "%(n)d new versions created; edit their fields and rules, then publish them.",
                len(copies),
            )
            % {"n": len(copies)},
            messages.SUCCESS,
        )
