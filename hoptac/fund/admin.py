"""The fund's settings in the Django admin: loan products and capital sources (never deleted).

Products are the board's lending rules; a change applies to applications approved after
it, never to a signed loan (the loan keeps the terms copied on approval).
"""

from django.contrib import admin

from hoptac.core.audit import diff, log_action, snapshot

from .models import CapitalSource, LoanProduct

PRODUCT_FIELDS = [
    "code",
    "name",
    "eligible_kinds",
    "max_amount",
    "max_project_share",
    "min_equity_share",
    "max_term_months",
    "annual_rate",
    "principal_every_months",
    "interest_every_months",
    "grace_months",
    "method",
    "day_count",
    "active",
]


class NoDeleteAdmin(admin.ModelAdmin):
    """Records loans point at: switched off, never deleted; who changed them is kept."""

    readonly_fields = ["created_on", "created_by", "modified_on", "modified_by"]

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        obj.modified_by = request.user
        super().save_model(request, obj, form, change)


@admin.register(LoanProduct)
class LoanProductAdmin(NoDeleteAdmin):
    list_display = ["code", "name", "annual_rate", "max_amount", "max_term_months", "active"]
    list_filter = ["active"]
    search_fields = ["code", "name"]

    def save_model(self, request, obj, form, change):
        before = snapshot(LoanProduct.objects.get(pk=obj.pk), PRODUCT_FIELDS) if change else {}
        super().save_model(request, obj, form, change)
        # Read back, so decimals compare as stored ("80.00"), not as typed ("80").
        changes = diff(before, snapshot(LoanProduct.objects.get(pk=obj.pk), PRODUCT_FIELDS))
        # The product's history answers "which rules applied when this loan was approved?".
        log_action(
            "fund.product.changed" if change else "fund.product.created",
            instance=obj,
            user=request.user,
            changes=changes,
        )


@admin.register(CapitalSource)
class CapitalSourceAdmin(NoDeleteAdmin):
    list_display = ["name", "kind"]
    list_filter = ["kind"]
    search_fields = ["name"]
