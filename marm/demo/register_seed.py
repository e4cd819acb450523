"""The demo's high-risk register (000 Appendix C): three adults with accepted cases on
the Adult Safeguarding Hub's register, one with MARAC running, a supervision review,
and a neighbour's call logged at the duty desk waiting for the named professional."""

import datetime

from django.utils import timezone

from marm.cases.models import Case
from marm.register.duty import duty_contact_log
from marm.register.models import RegisterEntry
from marm.register.services import register_entry_add, register_process_add, register_review_record


def seed_register(users, teams) -> int:
    team = teams[("asc", "Adult Safeguarding Hub")]
    if RegisterEntry.objects.filter(team=team).exists():
        return 0  # loaded already
    cases = list(
        Case.objects.filter(lead_agency=team.agency, status="accepted").select_related("person").order_by("reference")
    )[:3]
    for index, case in enumerate(cases):
        entry = register_entry_add(
            acting_user=users["manager"],
            team=team,
            person=case.person,
            case=case,
            criteria=["b", "c"],
            named_professional=users["practitioner"],
            reason="Refusing care with a high fire risk at home; agreed at the planning meeting.",
            missed_visits_threshold=2,
            missed_visits_window_days=7,
        )
        if index == 0:
            register_process_add(
                acting_user=users["practitioner"],
                entry=entry,
                kind="marac",
                started_on=timezone.localdate() - datetime.timedelta(days=20),
                detail="Shire MARAC",
            )
            register_review_record(
                acting_user=users["supervisor"],
                entry=entry,
                outcome="stays",
                notes="Supervision: joint visit with the fire service booked; plan unchanged.",
                with_lead_professional=users["practitioner"],
            )
        if index == 1:
            duty_contact_log(
                acting_user=users["duty"],
                person=case.person,
                caller="Neighbour (synthetic)",
                about="Smoke smell from the flat this morning; no answer at the door.",
            )
    return len(cases)
