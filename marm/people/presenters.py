from marm.people import nhs_number as nhs
from marm.people.models import DatePrecision


def format_date_of_birth(date, precision: str) -> str:
    if not date:
        return "Not known"
    if precision == DatePrecision.YEAR:
        return f"{date.year} (year only)"
    if precision == DatePrecision.MONTH:
        return f"{date:%B %Y} (month only)"
    return f"{date.day} {date:%B %Y}"


def format_nhs_number(value: str) -> str:
    return nhs.formatted(value) if value else "Not known"


def date_of_birth(person) -> str:
    return format_date_of_birth(person.date_of_birth, person.date_of_birth_precision)


def match_reasons(match) -> str:
    """Why a search result was offered, in words: 'Same last name; first name sounds the same'."""
    reasons = list(match.reasons)
    if not reasons:
        return ""
    return "; ".join([reasons[0], *(reason[0].lower() + reason[1:] for reason in reasons[1:])])


def summary_rows(person) -> list[tuple[str, str]]:
    return [
        ("Name", person.full_name),
        ("Preferred name", person.preferred_name or "None recorded"),
        ("Date of birth", date_of_birth(person)),
        ("NHS number", format_nhs_number(person.nhs_number)),
    ]


def comparable_details(
    *,
    given_name,
    middle_names,
    family_name,
    preferred_name,
    date_of_birth,
    date_of_birth_precision,
    nhs_number,
    **_ignored,
) -> dict[str, str]:
    """A person's editable details as a reader sees them, to compare two versions."""
    return {
        "given_name": given_name,
        "middle_names": middle_names,
        "family_name": family_name,
        "preferred_name": preferred_name,
        "date_of_birth": format_date_of_birth(date_of_birth, date_of_birth_precision),
        "nhs_number": format_nhs_number(nhs_number),
    }
