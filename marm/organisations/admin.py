"""The administration site: agencies, teams, users and memberships only.

People and everything about them are deliberately absent: administrators
manage the partnership, not the adults in it.
"""

from django.contrib import admin

from marm.access.rules import is_administrator
from marm.organisations.models import Agency, Membership, Team


class AdministratorOnly:
    def has_module_permission(self, request):
        return is_administrator(request.user)

    def has_view_permission(self, request, obj=None):
        return is_administrator(request.user)

    def has_add_permission(self, request, obj=None):
        return is_administrator(request.user)

    def has_change_permission(self, request, obj=None):
        return is_administrator(request.user)

    def has_delete_permission(self, request, obj=None):
        return False  # agencies, teams and people's accounts are deactivated, never deleted


class TeamInline(AdministratorOnly, admin.TabularInline):
    model = Team
    extra = 0


@admin.register(Agency)
class AgencyAdmin(AdministratorOnly, admin.ModelAdmin):
    list_display = ["name", "kind", "ods_code"]
    list_filter = ["kind"]
    search_fields = ["name", "ods_code"]
    inlines = [TeamInline]


class MembershipInline(AdministratorOnly, admin.TabularInline):
    model = Membership
    extra = 0


@admin.register(Team)
class TeamAdmin(AdministratorOnly, admin.ModelAdmin):
    list_display = ["name", "agency"]
    list_filter = ["agency"]
    inlines = [MembershipInline]
