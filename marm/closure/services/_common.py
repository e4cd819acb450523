from django.core.exceptions import ValidationError

from marm.cases.models import Case
from marm.cases.rules import require_at_stage


def require_live(user, perm: str, case: Case) -> None:
    """Ask ``perm``, open only while the case is live: a closed or routed case is refused, saying why."""
    require_at_stage(
        user, perm, case, refusal=ValidationError("The case is closed or routed elsewhere: reopen it first")
    )


def check_choices(field: str, values, choices) -> list[str]:
    values = list(dict.fromkeys(values or []))
    unknown = [v for v in values if v not in choices.values]
    if unknown:
        raise ValidationError({field: f"Unknown choice: {', '.join(unknown)}"})
    return values
