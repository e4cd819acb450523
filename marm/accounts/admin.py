from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils.html import format_html
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from marm.accounts.models import User
from marm.organisations.admin import MembershipInline, ViewOnly

admin.site.unregister(Group)

# Second factors are set up by their owner and reset only through the audited service
# (marm.administration): the administration site neither shows their secrets nor edits them.
for _model in (TOTPDevice, StaticDevice):
    if admin.site.is_registered(_model):
        admin.site.unregister(_model)


@admin.register(User)
class UserAdmin(ViewOnly, DjangoUserAdmin):
    """Accounts are view-only here: making, deactivating, roles, password resets and second factors
    go through marm's administration pages, each an audited service (ADR 0027). Without the change
    permission the site's password page is refused too."""

    ordering = ["full_name"]
    list_display = ["full_name", "email", "agency", "is_active"]
    list_filter = ["agency", "is_active"]
    search_fields = ["full_name", "email"]
    inlines = [MembershipInline]
    fieldsets = [
        (None, {"fields": ["administration_page"]}),
        ("Person", {"fields": ["email", "full_name", "job_title", "phone", "agency"]}),
        ("Access", {"fields": ["is_active", "last_login"]}),
    ]
    readonly_fields = ["administration_page"]
    filter_horizontal = []

    @admin.display(description="Change this account")
    def administration_page(self, obj):
        if obj is None or obj.pk is None:
            return ""
        return format_html(
            'Roles, status, password resets and second factors are changed on <a href="{}">marm\'s '
            "administration page for this user</a>, where every change is audited.",
            reverse("administration:user", kwargs={"user_id": obj.pk}),
        )
