"""Everything marm holds about one person, read from the model registry (ADR 0031).

A model is gathered when its queryset declares ``person_path`` (the guarded path's own record of
how its rows reach the person, ``marm.access.guard``) or when ``PERSON_PATHS`` below gives one;
a model with a foreign key to the person besides its path (a link between two records) is
gathered through every such key. ``EXCLUDED`` lists, with the reason, the models that refer to a
person and are not gathered. tests/rights/test_gathering.py walks every foreign key in the
project and fails, naming the model, on one that reaches a person and is in neither list.

The request is answered by the partnership, not by one agency: the rows are read whatever agency
recorded them, and on PostgreSQL inside ``partnership_wide()`` (ADR 0028), so row-level security
does not narrow the answer to the officer's own agency.
"""

import datetime
import json
from dataclasses import dataclass

from django.apps import apps
from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from marm.core.row_security import partnership_wide

# Models whose queryset declares no person_path, with the path to the person's id.
PERSON_PATHS = {
    "people.agencyinvolvement": "person_id",
    "sharing.sharingdecision": "person_id",
    "plans.actionupdate": "action__case__person_id",
    "plans.contingencytrigger": "plan__case__person_id",
    "meetings.meetingchange": "meeting__case__person_id",
    "meetings.attendance": "meeting__case__person_id",
    "meetings.adultparticipation": "meeting__case__person_id",
    "meetings.meetingdecision": "decision__person_id",
    "risk.refusaleffort": "refusal__case__person_id",
    "closure.closureriskoutcome": "closure__case__person_id",
    # A correction the person asked for, and the agencies told of it (UK GDPR Art 16, 19).
    "history.rectification": "person_id",
    "history.rectificationnotice": "rectification__person_id",
}

# Models that refer to a person and are not gathered, with why.
EXCLUDED = {
    "rights.subjectaccessrequest": "the request itself: the officer's working record of answering it",
    "rights.disclosureitem": "the gathered copy of the other records, made to answer the request",
    "rights.subjectaccessdisclosure": "the log of responses given to the person",
    "linkage.duplicatesuggestion": (
        "an administrator's working list of records that might be the same adult; it holds another"
        " person's details and decides nothing (a decision is a PersonLink, which is gathered)"
    ),
    "linkage.duplicatesdismissal": "an administrator's note that two records are not the same adult; as above",
    "history.historychange": (
        "the values the records above held before each change, kept as their history; the current values"
        " are gathered, and what changed is disclosed on request from the person's history page, as the"
        " access log is"
    ),
    "retention.retentiondue": "the retention job's list of records falling due for deletion; it holds no detail",
    # The audit trail refers to people by id, not by a foreign key; named here so the choice is written down.
    "audit.auditevent": (
        "the access log: who in the partnership read or changed the record; disclosed on request from the"
        " person's access log page, not as part of the record"
    ),
}

# Fields that say nothing to the person: keys, locks, hashes, idempotency tokens.
_SKIPPED_FIELDS = {"id", "version", "submission_key", "content_hash", "row_hash", "prev_hash", "token"}
# Models all of whose details are about someone else (a relative, a carer, a contact).
_ABOUT_SOMEONE_ELSE = {"people.relatedperson"}


@dataclass(frozen=True)
class GatheredField:
    model_label: str
    object_pk: str
    kind: str
    record_label: str
    field_name: str
    field_label: str
    value: str
    names_someone_else: bool


def _label(model) -> str:
    return model._meta.label_lower


def person_paths(model) -> list[str]:
    """How the model's rows reach the person: its declared path, then any other key to a person."""
    person = apps.get_model("people", "Person")
    if model is person:
        return ["pk"]
    declared = getattr(model._default_manager.all(), "person_path", None) or PERSON_PATHS.get(_label(model))
    paths = [declared] if declared else []
    for field in model._meta.concrete_fields:
        if field.is_relation and field.related_model is person and field.attname not in paths:
            paths.append(field.attname)
    return paths if declared else []


def gathered_models() -> list[tuple[type[models.Model], list[str]]]:
    """Every model gathered, in the order of the apps and their models, with its paths to the person."""
    found = []
    for model in apps.get_models():
        if _label(model) in EXCLUDED or model._meta.proxy:
            continue
        paths = person_paths(model)
        if paths:
            found.append((model, paths))
    return found


def _text(value) -> str:
    if value is None or value == "" or value == [] or value == {}:
        return ""
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).strftime("%-d %B %Y %H:%M") if timezone.is_aware(value) else str(value)
    if isinstance(value, datetime.date):
        return value.strftime("%-d %B %Y")
    if isinstance(value, (dict, list)):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    return str(value)


def _verbose(text) -> str:
    text = str(text)
    return text[:1].upper() + text[1:]


def _field_value(row, field, *, person_id) -> tuple[str, bool] | None:
    """The field as the person reads it, and whether it may name someone else; None to leave it out."""
    if field.is_relation:
        if getattr(row, field.attname) is None:
            return None
        if field.related_model is apps.get_model("people", "Person"):
            if getattr(row, field.attname) == person_id:
                return None  # the person themselves
            return getattr(row, field.name).full_name, True
        if field.related_model is apps.get_model(settings.AUTH_USER_MODEL):
            return str(getattr(row, field.name)), True  # a member of staff
        return str(getattr(row, field.name)), False
    value = getattr(row, f"get_{field.name}_display")() if field.choices else getattr(row, field.attname)
    text = _text(value)
    if not text:
        return None
    # A name typed in ("told by", "gathered by", a contact's name) may be someone else's.
    names = field.name.endswith("_by") or "name" in field.name or "contact" in field.name
    return text, names


def _typed_in(field) -> bool:
    """Text typed about someone (a relative's name, phone, notes), not a date or a choice from a list."""
    return isinstance(field, (models.CharField, models.TextField)) and not field.choices


def _rows(model, paths: list[str], person_id):
    query = Q()
    for path in paths:
        query |= Q(**{path: person_id})
    related = [f.name for f in model._meta.concrete_fields if f.is_relation]
    return model._base_manager.filter(query).select_related(*related).order_by("pk")


def gather(person) -> list[GatheredField]:
    """Every field of every record about ``person``, whichever agency recorded it."""
    gathered = []
    with partnership_wide():
        for model, paths in gathered_models():
            kind = _verbose(model._meta.verbose_name_plural)
            about_someone_else = _label(model) in _ABOUT_SOMEONE_ELSE
            # The person's own record: its names are theirs.
            is_the_person = paths == ["pk"]
            for number, row in enumerate(_rows(model, paths, person.pk), start=1):
                # Numbered within its kind: the person reads "Chronology entry 2", not a database key.
                record_label = f"{_verbose(model._meta.verbose_name)} {number}"
                for field in model._meta.concrete_fields:
                    if field.primary_key or field.name in _SKIPPED_FIELDS or field.name.endswith("_hash"):
                        continue
                    shown = _field_value(row, field, person_id=person.pk)
                    if shown is None:
                        continue
                    value, names = shown
                    gathered.append(
                        GatheredField(
                            model_label=_label(model),
                            object_pk=str(row.pk),
                            kind=kind,
                            record_label=record_label,
                            field_name=field.name,
                            field_label=_verbose(field.verbose_name),
                            value=value,
                            names_someone_else=(names and not is_the_person)
                            or (about_someone_else and _typed_in(field)),
                        )
                    )
    return gathered
