"""The register's alert on the person page (registered in RegisterConfig.ready)."""

from marm.core.panels import register_panel
from marm.register.selectors import register_flags_for_person


def _banner(*, user, person):
    """000 Appendix C: "An Alert must be added on to the client record system file to
    reflect high risk status." Shown to everyone who can see the person; removal
    from the register clears it."""
    return {
        "flags": register_flags_for_person(user=user, person=person),
        "can_add": user.has_perm("register.manage_entry"),
        "can_report": user.has_perm("register.report_support_not_delivered"),
    }


def register() -> None:
    register_panel(
        page="person", name="register-banner", template="register/_banner.html", context=_banner, region="banner"
    )
