"""Reads of subject access requests: through the guarded path, audited like any record about a person."""

from dataclasses import dataclass, field

from marm.access.guard import fetch_for_user, view_record
from marm.audit.models import AuditAction
from marm.audit.services import audit_record
from marm.rights.models import DisclosureItem, SubjectAccessRequest


def subject_access_get_for_user(*, user, sar_id, purpose: str, audit_view: bool = True) -> SubjectAccessRequest:
    """The request if the user's agency can see its person; otherwise the same 404 as for none.

    A caller that checks the auditor's permission first passes ``audit_view=False`` and calls
    ``subject_access_view_record`` once it has passed."""
    return fetch_for_user(
        user=user,
        model=SubjectAccessRequest,
        pk=sar_id,
        purpose=purpose,
        queryset=SubjectAccessRequest.objects.select_related("person", "registered_by", "identity_checked_by"),
        audit_view=audit_view,
        not_found="No subject access request found",
    )


def subject_access_view_record(*, user, subject_access, purpose: str) -> None:
    view_record(user=user, obj=subject_access, purpose=purpose)


def requests_for_person(*, person) -> list[SubjectAccessRequest]:
    """The requests about a person the caller has read (and checked the user may work)."""
    return list(SubjectAccessRequest.objects.filter(person=person).order_by("-received_on", "-pk"))


def open_requests_for_user(*, user) -> list[SubjectAccessRequest]:
    """Open requests about people the user's agency can see, soonest due first; one SEARCH row."""
    found = list(SubjectAccessRequest.objects.visible_to(user).open().select_related("person").order_by("due_on", "pk"))
    audit_record(
        actor=user,
        action=AuditAction.SEARCH,
        object_type=SubjectAccessRequest._meta.label_lower,
        purpose="Open subject access requests",
        detail={"person_ids": sorted({str(sar.person_id) for sar in found}), "requests": [sar.pk for sar in found]},
    )
    return found


@dataclass
class GatheredRecord:
    label: str
    items: list[DisclosureItem] = field(default_factory=list)


@dataclass
class GatheredKind:
    kind: str
    records: list[GatheredRecord] = field(default_factory=list)

    @property
    def item_count(self) -> int:
        return sum(len(record.items) for record in self.records)


def items_by_kind(*, subject_access) -> list[GatheredKind]:
    """The gathered items, by kind of record and then by record, in the order gathered."""
    kinds: dict[str, GatheredKind] = {}
    for index, item in enumerate(DisclosureItem.objects.filter(request=subject_access).order_by("position")):
        # Where the error summary's link lands for the first; every checkbox's own id.
        item.input_id = f"id_items_{index}"
        kind = kinds.setdefault(item.kind, GatheredKind(item.kind))
        if not kind.records or kind.records[-1].label != item.record_label:
            kind.records.append(GatheredRecord(item.record_label))
        kind.records[-1].items.append(item)
    return list(kinds.values())


def disclosures_of(*, subject_access) -> list:
    return list(subject_access.disclosures.select_related("made_by"))
