"""Retention's panels on the case page and the person page (registered in RetentionConfig.ready):
for managers and auditors, whether a legal hold is in place, and the way to place or lift one."""

from marm.core.panels import register_panel
from marm.retention.selectors import hold_panel


def register() -> None:
    register_panel(
        page="case",
        name="legal-hold",
        template="retention/_case_panel.html",
        context=lambda *, user, case: hold_panel(user=user, case=case),
        order=90,
    )
    register_panel(
        page="person",
        name="legal-hold",
        template="retention/_person_panel.html",
        context=lambda *, user, person: hold_panel(user=user, person=person),
        order=90,
    )
