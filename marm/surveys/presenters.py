"""Display formatting for surveys: dates, figures and changes in words."""

from decimal import Decimal

from django.utils.formats import date_format

from marm.organisations.models import Role


def long_date(day) -> str:
    return date_format(day, "j F Y") if day else ""


def role_names(values) -> str:
    labels = dict(Role.choices)
    return ", ".join(str(labels.get(value, value)) for value in values)


def signed(value: Decimal | None, unit: str = "") -> str:
    """A change with its sign: "+0.50", "-1.2 percentage points", "No change"."""
    if value is None:
        return "Not available"
    if value == 0:
        return "No change"
    sign = "+" if value > 0 else "-"
    return f"{sign}{abs(value)}{unit}"


def comparison_rows(before_after) -> list[dict]:
    """The before and after table, one row per question, in words and figures."""
    rows = []
    for row in before_after.rows:
        rows.append(
            {
                "text": row.text,
                "before": row.before,
                "after": row.after,
                "mean_change": signed(row.mean_change),
                "share_change": signed(row.share_change, " percentage points"),
            }
        )
    return rows


def survey_summary(survey) -> list[tuple[str, str]]:
    """The survey's details as (key, value) rows of a summary list."""
    rows = [
        ("Status", survey.get_status_display()),
        ("Before or after the change", survey.get_phase_display()),
        ("Opens", long_date(survey.opens_on)),
        ("Closes", long_date(survey.closes_on)),
    ]
    if survey.closed_on:
        rows.append(("Closed", long_date(survey.closed_on)))
    rows += [
        ("Agencies asked", ", ".join(agency.name for agency in survey.agencies_list) or "None chosen"),
        ("Roles asked", role_names(survey.roles)),
    ]
    if survey.baseline_id:
        rows.append(("Compared with", survey.baseline.title))
    return rows
