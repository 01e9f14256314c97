from django.contrib import admin

from .models import Organization


@admin.register(Organization)
class OrganizationAdmin(admin.ModelAdmin):
    """Read-only here, for the user admin's organisation picker; edits go through the registry pages."""

    search_fields = ["name", "code", "search_text"]
    list_display = ["name", "code", "kind", "commune", "founded_on"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
