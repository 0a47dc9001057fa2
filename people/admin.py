"""Django admin views of people data, read-only: changes go through the intranet's screens,
whose services check permissions and write the audit log."""

from django.contrib import admin

from .models import AuditEntry, OrgUnit, PermissionRequest, RoleAssignment, User


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(OrgUnit)
class OrgUnitAdmin(ReadOnlyAdmin):
    list_display = ["name", "code", "kind", "unit", "is_active"]
    list_select_related = ["unit"]
    search_fields = ["name", "code", "short_name"]
    ordering = ["path"]


@admin.register(User)
class UserAdmin(ReadOnlyAdmin):
    list_display = ["username", "name", "department", "position", "is_active"]
    list_select_related = ["department"]
    list_filter = ["is_active", "is_leader"]
    search_fields = ["username", "name", "employee_no"]
    exclude = ["password"]


@admin.register(RoleAssignment)
class RoleAssignmentAdmin(ReadOnlyAdmin):
    list_display = ["user", "role", "unit", "column", "granted_at", "granted_by"]
    list_select_related = ["user", "unit", "column", "granted_by"]
    list_filter = ["role"]


@admin.register(PermissionRequest)
class PermissionRequestAdmin(ReadOnlyAdmin):
    list_display = ["requester", "role", "unit", "status", "created_at", "decided_by"]
    list_select_related = ["requester", "unit", "decided_by"]
    list_filter = ["status", "role"]


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "actor", "action", "target_user", "unit", "summary"]
    list_select_related = ["actor", "target_user", "unit"]
    list_filter = ["action"]
