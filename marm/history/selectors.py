"""Reads of the history of changes and of rectifications, through the guarded fetch (ADR 0019, 0032).

Those who may see a record see its history: the person's page shows the changes to the person
and the records kept under them that the user may read (a case's records only with full access
to the case; a register entry only for the keeping agency)."""

from django.contrib.auth import get_user_model
from django.db.models import Prefetch, Q

from marm.cases.models import Case
from marm.cases.selectors import case_get_for_user
from marm.history.models import HistoryChange, Rectification, RectificationNotice
from marm.history.triggers import model_for_table
from marm.organisations.models import Agency
from marm.people.selectors import person_get_for_user
from marm.register.models import RegisterEntry

# The newest changes one page shows; older ones are in the database, found by an auditor.
PAGE_SIZE = 200

PERSON_LEVEL_LABELS = (
    "people.Person",
    "people.PersonAlias",
    "people.Address",
    "people.PersonIdentifier",
    "chronology.ChronologyEntry",
)


def _table(label: str) -> str:
    from django.apps import apps

    return apps.get_model(label)._meta.db_table


def _changes(queryset) -> list[HistoryChange]:
    return list(
        queryset.select_related("audit_event__actor_user", "audit_event__actor_agency").order_by("-changed_at", "-pk")[
            :PAGE_SIZE
        ]
    )


def person_history_for_user(*, user, pk) -> tuple:
    """The person and the newest changes to their record that the user may read."""
    person = person_get_for_user(user=user, pk=pk, purpose="Reading the history of changes")
    register_table = _table("register.RegisterEntry")
    kept_here = [
        str(entry_id)
        for entry_id in RegisterEntry.objects.visible_to(user).filter(person=person).values_list("pk", flat=True)
    ]
    person_tables = [_table(label) for label in PERSON_LEVEL_LABELS]
    rows = _changes(
        HistoryChange.objects.filter(person_id=person.pk).filter(
            Q(table_name__in=person_tables)
            | Q(case__in=Case.objects.fully_visible_to(user).filter(person=person).values("pk"))
            & ~Q(table_name=register_table)
            | Q(table_name=register_table, row_id__in=kept_here)
        )
    )
    return person, rows


def case_history_for_user(*, user, case_pk) -> tuple:
    """The case (with full access only) and the newest changes to it and the records under it."""
    case = case_get_for_user(user=user, pk=case_pk, purpose="Reading the history of changes")
    register_table = _table("register.RegisterEntry")
    kept_here = [
        str(entry_id)
        for entry_id in RegisterEntry.objects.visible_to(user).filter(case=case).values_list("pk", flat=True)
    ]
    rows = _changes(
        HistoryChange.objects.filter(case_id=case.pk).filter(
            ~Q(table_name=register_table) | Q(table_name=register_table, row_id__in=kept_here)
        )
    )
    return case, rows


def names_for(rows: list[HistoryChange]) -> dict[str, dict]:
    """Users and agencies named in the values of ``rows``, read in two queries for the whole page."""
    from marm.history.presenters import referenced_ids

    user_ids, agency_ids = referenced_ids(rows)
    users = {str(u.pk): u.get_full_name() or u.email for u in get_user_model().objects.filter(pk__in=user_ids)}
    agencies = {str(a.pk): a.name for a in Agency.objects.filter(pk__in=agency_ids)}
    return {"user": users, "agency": agencies}


def rectifications_for_person(*, person) -> list[Rectification]:
    """The person's rectifications, newest first, with the agencies told (the person is already visible)."""
    return list(
        Rectification.objects.filter(person=person)
        .select_related("author", "agency", "restriction_lifted_by")
        .prefetch_related(
            Prefetch("notices", queryset=RectificationNotice.objects.select_related("agency"), to_attr="notice_list")
        )
    )


def restrictions_for_person(*, person) -> list[Rectification]:
    """The person's details contested and restricted now (the person is already visible)."""
    return list(
        Rectification.objects.filter(person=person, restricted=True, restriction_lifted_at__isnull=True).order_by(
            "recorded_at", "pk"
        )
    )


def rectification_of_person(*, user, person, rectification_pk) -> Rectification:
    """One rectification of a visible person; a 404 for any other id."""
    from django.http import Http404

    rectification = Rectification.objects.filter(person=person, pk=rectification_pk).first()
    if rectification is None:
        raise Http404("No rectification found")
    return rectification


def tracked_model(table: str):
    return model_for_table(table)
