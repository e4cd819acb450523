"""The minutes: a PDF generated from the record, never typed separately (WeasyPrint, ADR 0016).

The minutes follow the SafeLives MARAC standard: attendance with apologies
and information sent, each key action addressed or not with its reason, and
actions not done coded as "circumstances changed" or "the agency did not act".
"""

import logging
from dataclasses import dataclass

from django.db.models import Prefetch
from django.template.loader import render_to_string
from django.utils import timezone

from marm.meetings.models import Meeting
from marm.meetings.selectors import meeting_page_queryset, with_invitations_list, with_minutes_checked
from marm.plans.models import Action, ContingencyPlan
from marm.plans.presenters import ActionRow, action_rows


@dataclass
class MinutesRecord:
    meeting: Meeting
    action_rows: list[ActionRow]
    contingency: ContingencyPlan | None
    generated_at: object


def minutes_record(*, meeting_id: int) -> MinutesRecord:
    """Everything the minutes show. Callers have checked the reader may see the case in full
    (the view through case_get_for_user; the e-mail job sends only to those who attended)."""
    meeting = with_minutes_checked(
        with_invitations_list(
            meeting_page_queryset().select_related("case__person", "case__lead_agency").get(pk=meeting_id)
        )
    )
    day = timezone.localdate(meeting.starts_at)
    actions = Action.objects.filter(case=meeting.case).select_related("lead_user", "agency")
    contingency = (
        ContingencyPlan.objects.filter(case=meeting.case, agreed_at_meeting=meeting)
        .prefetch_related(Prefetch("triggers", to_attr="triggers_list"))
        .order_by("-number")
        .first()
    )
    return MinutesRecord(
        meeting=meeting,
        action_rows=action_rows(actions, today=day),
        contingency=contingency,
        generated_at=timezone.localtime(),
    )


def minutes_pdf(record: MinutesRecord) -> bytes:
    import weasyprint  # loaded when a PDF is made, not with every page

    # WeasyPrint reports each step at INFO; the minutes need only its warnings.
    logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)
    html = render_to_string("meetings/minutes_pdf.html", {"record": record, "meeting": record.meeting})
    # The template references nothing outside itself: WeasyPrint fetches nothing.
    # PDF/UA-1: tagged, with the language and title, so a screen reader can follow the minutes.
    return weasyprint.HTML(string=html).write_pdf(pdf_variant="pdf/ua-1")
