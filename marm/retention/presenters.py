from django.urls import reverse


def hold_rows(holds) -> list[dict]:
    """Each hold with where it is lifted: a case's hold on the case's page, a person's on theirs."""
    rows = []
    for hold in sorted(holds, key=lambda hold: hold.placed_at, reverse=True):
        if hold.case_id:
            url = reverse("retention:case-hold-lift", kwargs={"case_pk": hold.case_id, "case_hold_id": hold.pk})
            covers = f"Case {hold.case.reference} and every record under it"
        else:
            url = reverse("retention:person-hold-lift", kwargs={"pk": hold.person_id, "person_hold_id": hold.pk})
            covers = "The person and all their cases"
        rows.append({"hold": hold, "covers": covers, "lift_url": url if hold.is_active else ""})
    return rows
