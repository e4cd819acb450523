from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.models import Group

from marm.accounts.models import User
from marm.organisations.admin import AdministratorOnly, MembershipInline

admin.site.unregister(Group)


@admin.register(User)
class UserAdmin(AdministratorOnly, DjangoUserAdmin):
    ordering = ["full_name"]
    list_display = ["full_name", "email", "agency", "is_active"]
    list_filter = ["agency", "is_active"]
    search_fields = ["full_name", "email"]
    inlines = [MembershipInline]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        ("Person", {"fields": ["full_name", "job_title", "phone", "agency"]}),
        ("Access", {"fields": ["is_active", "is_staff"]}),
    ]
    add_fieldsets = [
        (None, {"classes": ["wide"], "fields": ["email", "full_name", "agency", "password1", "password2"]})
    ]
    filter_horizontal = []
