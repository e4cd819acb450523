from django.contrib import admin

from marm.decisions.models import LegislationReference
from marm.organisations.admin import AdministratorOnly


@admin.register(LegislationReference)
class LegislationReferenceAdmin(AdministratorOnly, admin.ModelAdmin):
    """The maintained list decisions cite. References are retired (not active), never deleted:
    a deleted one would vanish from every decision that relied on it."""

    list_display = ["title", "code", "is_active", "sort_order"]
    list_filter = ["is_active"]
    search_fields = ["title", "code"]
