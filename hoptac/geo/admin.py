"""Administrators maintain units here: add a historic unit with its validity and successor."""

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from hoptac.core.audit import log_action

from . import selectors
from .loader import resolve_current
from .models import AdminUnit, UnitChange


class SuccessionInline(admin.TabularInline):
    model = UnitChange
    fk_name = "predecessor"
    extra = 1
    autocomplete_fields = ["successor"]
    verbose_name = _("successor")
    verbose_name_plural = _("successors (what this unit became)")


@admin.register(AdminUnit)
class AdminUnitAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "level", "kind", "parent", "valid_from", "valid_to", "current"]
    list_filter = ["level", "kind", ("valid_to", admin.EmptyFieldListFilter)]
    search_fields = ["name", "code", "match_name"]
    autocomplete_fields = ["parent"]
    readonly_fields = ["current", "source"]
    inlines = [SuccessionInline]
    list_select_related = ["parent", "current"]

    def has_delete_permission(self, request, obj=None):
        return False  # units are history: close them with valid_to instead

    def save_model(self, request, obj, form, change):
        if not change and not obj.source:
            obj.source = f"admin:{request.user.username}"
        super().save_model(request, obj, form, change)
        log_action(
            "geo.unit.changed" if change else "geo.unit.created",
            instance=obj,
            user=request.user,
            changes={k: form.cleaned_data.get(k) for k in form.changed_data},
        )

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        count = resolve_current(AdminUnit, UnitChange)
        selectors.clear_cache()
        if count:
            messages.info(request, _("%(n)d units now resolve to a different unit of today.") % {"n": count})
