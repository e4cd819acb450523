"""Display formatting for "Your work"."""

from marm.cases.lifecycle import CaseStatus

S = CaseStatus
# The stages a manager follows their agency's open cases by, in the order work moves through them.
STAGES = (
    ("screen", "Concerns to screen", (S.CONCERN, S.SCREENING, S.REOPENED)),
    ("accepted", "Accepted, waiting for planning", (S.ACCEPTED,)),
    ("planning", "Planning", (S.PLANNING,)),
    ("review", "Review", (S.REVIEW,)),
    ("escalated", "Escalated to a section 42 enquiry", (S.ESCALATED,)),
)


def stage_groups(cases, counts: dict[str, int]) -> list[dict]:
    """One group per stage: its label, how many cases are at it, and the cases listed."""
    groups = []
    for key, label, statuses in STAGES:
        groups.append(
            {
                "key": key,
                "label": label,
                "total": sum(counts.get(status, 0) for status in statuses),
                "cases": [case for case in cases if case.status in statuses],
            }
        )
    return groups


def supervision_rows(entries, now) -> list[dict]:
    return [{"entry": entry, "due": entry.supervision_due, "overdue": entry.supervision_due < now} for entry in entries]
