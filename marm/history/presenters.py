"""The history of changes as a person reads it: who, when, which detail, old and new value,
with the fields' verbose names and the choices' labels."""

import datetime
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import capfirst

from marm.history.models import ChangeOperation, HistoryChange
from marm.history.triggers import model_for_table

# Bookkeeping columns that change with every save and say nothing to a reader.
HIDDEN = frozenset({"id", "version", "updated_at", "created_at", "recorded_at", "submission_key"})


@dataclass
class FieldChange:
    label: str
    old: str
    new: str


@dataclass
class ChangeView:
    when: datetime.datetime
    who: str
    agency: str
    outside_marm: bool
    what: str
    operation: str
    fields: list[FieldChange] = field(default_factory=list)


def _columns(model) -> dict[str, models.Field]:
    return {f.column: f for f in model._meta.concrete_fields}


def referenced_ids(rows: list[HistoryChange]) -> tuple[set[str], set[str]]:
    """The user and agency ids that the values of ``rows`` name."""
    from marm.organisations.models import Agency

    users, agencies = set(), set()
    for row in rows:
        model = model_for_table(row.table_name)
        if model is None:
            continue
        for column, f in _columns(model).items():
            if not f.is_relation:
                continue
            for values in (row.old or {}, row.new or {}):
                value = values.get(column)
                if value in (None, ""):
                    continue
                if f.related_model._meta.label == settings.AUTH_USER_MODEL:
                    users.add(str(value))
                elif f.related_model is Agency:
                    agencies.add(str(value))
    return users, agencies


def _display(f: models.Field, value, names: dict) -> str:
    if value is None or value == "":
        return "(blank)"
    if f.is_relation:
        kind = "user" if f.related_model._meta.label == settings.AUTH_USER_MODEL else "agency"
        return names.get(kind, {}).get(str(value)) or f"{capfirst(f.related_model._meta.verbose_name)} {value}"
    if f.choices:
        return str(dict(f.flatchoices).get(value, value))
    try:
        parsed = f.to_python(value)
    except (ValidationError, TypeError, ValueError):
        return str(value)
    if isinstance(parsed, bool):
        return "Yes" if parsed else "No"
    if isinstance(parsed, datetime.datetime):
        if timezone.is_naive(parsed):
            parsed = timezone.make_aware(parsed, datetime.UTC)
        return date_format(timezone.localtime(parsed), "j F Y H:i")
    if isinstance(parsed, datetime.date):
        return date_format(parsed, "j F Y")
    return str(parsed)


def _same(f: models.Field, old, new) -> bool:
    if old == new:
        return True
    try:
        return f.to_python(old) == f.to_python(new)
    except (ValidationError, TypeError, ValueError):
        return False


def change_view(row: HistoryChange, names: dict) -> ChangeView:
    model = model_for_table(row.table_name)
    event = row.audit_event
    if event is not None:
        user = event.actor_user
        who = (user.get_full_name() or user.email) if user else event.system_actor
        agency = event.actor_agency.name if event.actor_agency else ""
    else:
        who = f"Outside marm (database user {row.database_user})" if row.database_user else "Outside marm"
        agency = ""
    what = capfirst(model._meta.verbose_name) if model else row.table_name
    view = ChangeView(
        when=row.changed_at,
        who=who,
        agency=agency,
        outside_marm=event is None,
        what=what,
        operation=ChangeOperation(row.operation).label,
    )
    if model is None:
        return view
    old, new = row.old or {}, row.new or {}
    for column, f in _columns(model).items():
        if column in HIDDEN:
            continue
        before, after = old.get(column), new.get(column)
        if row.operation == ChangeOperation.UPDATE and _same(f, before, after):
            continue
        if row.operation != ChangeOperation.UPDATE and (before if row.operation == "delete" else after) in (None, ""):
            continue
        view.fields.append(
            FieldChange(
                label=capfirst(f.verbose_name),
                old=_display(f, before, names) if row.operation != ChangeOperation.INSERT else "",
                new=_display(f, after, names) if row.operation != ChangeOperation.DELETE else "",
            )
        )
    return view


def change_views(rows: list[HistoryChange], names: dict) -> list[ChangeView]:
    return [change_view(row, names) for row in rows]


def person_field_label(field_name: str) -> str:
    from marm.people.models import Person

    try:
        return capfirst(Person._meta.get_field(field_name).verbose_name)
    except Exception:  # noqa: BLE001 (a detail no longer on the model is shown by its name)
        return field_name
