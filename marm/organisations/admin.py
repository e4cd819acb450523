"""The administration site: agencies and teams, and a read-only view of users and their roles.

People and everything about them are deliberately absent: administrators manage the partnership,
not the adults in it. Accounts, roles, passwords and second factors change only through marm's own
administration pages, whose services write the hash-chained audit (ADR 0027): here they are
view-only. Agencies and teams are still kept here, and every change to them is audited too.
"""

from django.contrib import admin

from marm.access.rules import is_administrator
from marm.audit.models import AuditAction
from marm.audit.services import audit_record
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


class ViewOnly(AdministratorOnly):
    """Seen here, changed only through marm's administration pages (audited services)."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


def _value(obj, name):
    value = obj._meta.get_field(name).value_from_object(obj)
    return value if value is None or isinstance(value, bool | int | float | str) else str(value)


def _audit_save(request, obj, *, before, changed: list[str], adding: bool) -> None:
    """One audit row for a change made on the administration site, with the fields that changed."""
    fields = [name for name in changed if name in {f.name for f in obj._meta.concrete_fields}]
    if not adding and not fields:
        return
    audit_record(
        actor=request.user,
        action=AuditAction.CREATE if adding else AuditAction.UPDATE,
        obj=obj,
        detail={
            "where": "administration site",
            "before": None if adding else {name: before.get(name) for name in fields},
            "after": {name: _value(obj, name) for name in fields},
        },
    )


def _stored(obj, names) -> dict:
    """The stored values of ``names`` before the change is saved (the admin's own transaction)."""
    if obj.pk is None:
        return {}
    old = type(obj)._default_manager.filter(pk=obj.pk).first()
    return {name: _value(old, name) for name in names} if old is not None else {}


class AuditedAdmin(AdministratorOnly, admin.ModelAdmin):
    """Saves on the administration site (the model and its inlines) write an audit row each, in the
    admin's transaction."""

    def save_model(self, request, obj, form, change):
        before = _stored(obj, form.changed_data) if change else {}
        super().save_model(request, obj, form, change)
        changed = list(form.changed_data) if change else list(form.fields)
        _audit_save(request, obj, before=before, changed=changed, adding=not change)

    def save_formset(self, request, form, formset, change):
        if not formset.model._meta.label_lower.startswith("organisations.team"):
            return super().save_formset(request, form, formset, change)
        changes = []
        for inline_form in formset.forms:
            if inline_form.has_changed() and inline_form.instance is not None:
                adding = inline_form.instance.pk is None
                before = {} if adding else _stored(inline_form.instance, inline_form.changed_data)
                changes.append((inline_form, adding, before))
        super().save_formset(request, form, formset, change)
        for inline_form, adding, before in changes:
            if inline_form.instance.pk is not None:
                _audit_save(
                    request,
                    inline_form.instance,
                    before=before,
                    changed=list(inline_form.changed_data),
                    adding=adding,
                )


class TeamInline(AdministratorOnly, admin.TabularInline):
    model = Team
    extra = 0


@admin.register(Agency)
class AgencyAdmin(AuditedAdmin):
    list_display = ["name", "kind", "ods_code"]
    list_filter = ["kind"]
    search_fields = ["name", "ods_code"]
    inlines = [TeamInline]


class MembershipInline(ViewOnly, admin.TabularInline):
    """Roles are given and removed on marm's administration pages, never here."""

    model = Membership
    extra = 0
    can_delete = False


@admin.register(Team)
class TeamAdmin(AuditedAdmin):
    list_display = ["name", "agency"]
    list_filter = ["agency"]
    inlines = [MembershipInline]
