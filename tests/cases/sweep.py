"""The case layer's URLs in the URL sweep (tests/sweep.py): cases, sharing and decisions."""

from tests.sweep import person

NAMESPACES = ("cases", "sharing", "decisions")

# Auditors read; they record nothing.
RECORD = person(auditor_a=403)
# Screening, reopening, allocating and ending an agency's part are for managers.
MANAGER_ONLY = person(practitioner_a=403, police_b=403, auditor_a=403)

URLS = {
    "cases:raise": RECORD,
    "cases:detail": person(),
    "cases:screen": MANAGER_ONLY,
    "cases:reopen": MANAGER_ONLY,
    "cases:allocate": MANAGER_ONLY,
    # The lead-worker page is for the user's own agency's part in the case: agency A's is swept.
    "cases:lead-worker": person(police_b=404, auditor_a=403),
    "cases:end-role": MANAGER_ONLY,
    "cases:key-action": RECORD,
    # The lead agency tags the review themes; a partner agency and auditors read them.
    "cases:themes": person(police_b=403, auditor_a=403),
    # The lead agency's manager records when a process the case was routed to ended.
    "cases:routed-process-end": MANAGER_ONLY,
    "sharing:share": RECORD,
    # Several agencies at once, reached from a meeting's invitations.
    "sharing:share-several": RECORD,
    # The lead agency records the adult's wishes about sharing; a partner agency and auditors may not.
    "sharing:wishes": person(police_b=403, auditor_a=403),
    "sharing:case-disclosures": person(),
    "sharing:person-disclosures": person(),
    "decisions:case-log": person(),
    "decisions:record": RECORD,
    "decisions:amend": RECORD,
}


def objects(shared):
    """Agency A's part in the case, its first key action and the latest decision on it."""
    import datetime

    from marm.cases.models import CaseAgency, KeyAction, RoutedProcess
    from marm.decisions.models import Decision

    case = shared["accepted_case"]
    # A process the case was routed to (the sweep needs one; the accepted case's screening stands in).
    routed = RoutedProcess.objects.create(
        person=case.person,
        case=case,
        screening=case.screenings.first(),
        process="marac",
        started_on=datetime.date(2025, 3, 3),
        started_by=shared["manager_a"],
    )
    return {
        "process_id": routed.pk,
        "role_id": CaseAgency.objects.get(case=case, agency=shared["practitioner_a"].agency).pk,
        "item_id": KeyAction.objects.filter(case=case).first().pk,
        "decision_id": Decision.objects.filter(case=case).first().pk,
    }
