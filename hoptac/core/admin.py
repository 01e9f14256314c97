from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from .auth.admin import reset_two_factor
from .models import AuditEntry, User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    fieldsets = BaseUserAdmin.fieldsets + (
        (_("Role and scope"), {"fields": ("role", "department", "areas", "organization", "phone")}),
    )
    list_display = ["username", "first_name", "last_name", "role", "department", "organization", "is_active"]
    list_filter = ["role", "department", "is_active"]
    autocomplete_fields = ["areas", "organization"]
    actions = [reset_two_factor]

    def has_delete_permission(self, request, obj=None):
        return False  # deactivate instead: the audit log refers to users


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    list_display = ["at", "user", "action", "object_repr"]
    list_filter = ["action"]
    search_fields = ["object_repr", "action", "user__username"]
    date_hierarchy = "at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
