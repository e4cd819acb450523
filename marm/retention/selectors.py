"""Reads for the retention pages. Holds are read under the case or person the page already read
through the guarded path (one VIEW row per page); the due list names no one: counts by kind,
and the case references of the cases the reader may see, as one SEARCH row with their ids."""

from collections import Counter

from django.db.models import Q
from django.http import Http404

from marm.audit.models import AuditAction
from marm.audit.services import audit_record
from marm.cases.models import Case
from marm.retention.models import LegalHold, RecordKind, RetentionDue, RetentionRule


def rules_all() -> list[RetentionRule]:
    return list(RetentionRule.objects.select_related("changed_by"))


def rule_get(*, kind: str) -> RetentionRule:
    rule = RetentionRule.objects.filter(kind=kind).first()
    if rule is None:
        raise Http404("No such rule")
    return rule


def case_holds(case) -> list[LegalHold]:
    """The holds on the case and on its person (a person's hold covers every case), newest first."""
    return list(
        LegalHold.objects.filter(Q(person_id=case.person_id, case__isnull=True) | Q(case=case)).select_related(
            "placed_by", "lifted_by", "placed_by_agency", "case"
        )
    )


def person_holds(person) -> list[LegalHold]:
    """The holds on the person and on each of their cases, newest first."""
    return list(
        LegalHold.objects.filter(person=person).select_related("placed_by", "lifted_by", "placed_by_agency", "case")
    )


def hold_under(*, holds, hold_id, on_case=None) -> LegalHold:
    """One of the holds the page already read (so already scoped): on ``on_case`` if given,
    otherwise on the person; anything else is a 404."""
    for hold in holds:
        if str(hold.pk) == str(hold_id) and hold.case_id == (on_case.pk if on_case is not None else None):
            return hold
    raise Http404("No such hold")


def due_overview(*, user) -> dict:
    """What is listed and not yet applied, and what was applied: counts by kind, and the rows with
    the case reference where the user may see the case (auditors of an involved agency)."""
    open_rows = list(RetentionDue.objects.filter(applied_at__isnull=True).order_by("due_on", "pk"))
    applied_rows = list(RetentionDue.objects.filter(applied_at__isnull=False).order_by("-applied_at", "-pk")[:50])
    case_ids = {row.case_id for row in open_rows + applied_rows if row.case_id}
    visible = dict(Case.objects.visible_to(user).filter(pk__in=case_ids).values_list("pk", "reference"))
    for row in open_rows + applied_rows:
        row.case_reference = visible.get(row.case_id)
    shown = sorted(str(pk) for pk in visible)
    if shown:
        audit_record(
            actor=user,
            action=AuditAction.SEARCH,
            object_type="cases.case",
            purpose="Retention: records due",
            detail={"ids": shown},
        )
    counts = Counter(row.kind for row in open_rows)
    return {
        "counts": [(RecordKind(kind).label, counts.get(kind, 0)) for kind in RecordKind.values],
        "open_rows": open_rows,
        "applied_rows": applied_rows,
    }


def hold_panel(*, user, case=None, person=None) -> dict | None:
    """The panel's context for a manager or an auditor (nothing for anyone else): the page has
    already read the case or person through the guarded path."""
    if not user.has_perm("retention.hold", case or person):
        return None
    if case is not None:
        held = LegalHold.objects.active().filter(Q(case=case) | Q(person_id=case.person_id, case__isnull=True))
        return {"hold_case": case, "on_hold": held.exists()}
    held = LegalHold.objects.active().filter(person=person, case__isnull=True)
    return {"hold_person": person, "on_hold": held.exists()}
