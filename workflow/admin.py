"""The office's calendar overrides (next year's holidays before `chinese_calendar` knows them),
kept by system administrators and process administrators in the Django admin."""

from django.contrib import admin

from people.models import Role
from people.permissions import held_roles, is_system_admin

from .models import CalendarOverride


def _keeps_the_calendar(user) -> bool:
    return is_system_admin(user) or Role.PROCESS_ADMIN in held_roles(user)


@admin.register(CalendarOverride)
class CalendarOverrideAdmin(admin.ModelAdmin):
    list_display = ["day", "is_working_day", "name", "updated_at"]
    list_filter = ["is_working_day"]
    date_hierarchy = "day"
    search_fields = ["name"]

    def has_module_permission(self, request):
        return _keeps_the_calendar(request.user)

    def has_view_permission(self, request, obj=None):
        return _keeps_the_calendar(request.user)

    def has_add_permission(self, request):
        return _keeps_the_calendar(request.user)

    def has_change_permission(self, request, obj=None):
        return _keeps_the_calendar(request.user)

    def has_delete_permission(self, request, obj=None):
        return _keeps_the_calendar(request.user)
