"""The register's part in emergency ("break-glass") access (ADR 0026): the high-risk register
alert and its named professional, on the minimal record page. Registered in RegisterConfig.ready.

000 Appendix C: the alert is there so that whoever finds the person knows they are at high risk
and who to call; under emergency access it shows that and nothing else of the entry."""

from marm.core.panels import register_panel
from marm.people.emergency import EMERGENCY_PAGE
from marm.people.models import Person
from marm.register.models import RegisterEntry


def _alert(*, user, person):
    """Read only while the user's emergency access lasts (the page has read the person through that scope)."""
    if not Person.objects.visible_in_emergency_to(user).filter(pk=person.pk).exists():
        return None
    entries = list(
        RegisterEntry.objects.active()
        .filter(person=person)
        .select_related("team__agency", "named_professional")
        .order_by("added_at")
    )
    return {"entries": entries} if entries else None


def register() -> None:
    register_panel(
        page=EMERGENCY_PAGE,
        name="register-alert",
        template="register/_emergency_alert.html",
        context=_alert,
        region="banner",
    )
