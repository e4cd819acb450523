"""Pages composed from below: the case page and the person page collect their panels
from this registry, which each app fills in its ``AppConfig.ready()``, as sweeps are
registered. The page's own app names no app above it; a new app plugs in here.

A panel is a template and a function that returns the template's context for one
user and one record, read through that app's own selectors (so scoped and audited
as any read). A function that returns None leaves the panel out for that user.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

# Where on a page a panel goes: under the heading, in the main column, or in the side column.
REGIONS = ("banner", "top", "main", "side")


@dataclass(frozen=True)
class Panel:
    page: str
    name: str
    template: str
    context: Callable[..., dict | None]
    region: str = "side"
    order: int = 100


@dataclass
class ShownPanel:
    name: str
    template: str
    context: dict = field(default_factory=dict)


_panels: dict[str, dict[str, Panel]] = {}


def register_panel(
    *, page: str, name: str, template: str, context: Callable[..., dict | None], region: str = "side", order: int = 100
) -> None:
    """Add a panel to a page; registering the same name again replaces it (``ready()`` may run twice)."""
    if region not in REGIONS:
        raise ValueError(f"Unknown region {region!r}: one of {', '.join(REGIONS)}")
    _panels.setdefault(page, {})[name] = Panel(page, name, template, context, region, order)


def registered_panels(page: str) -> list[Panel]:
    return sorted(_panels.get(page, {}).values(), key=lambda panel: (panel.order, panel.name))


def panels_for(page: str, **record) -> dict[str, list[ShownPanel]]:
    """The panels of ``page`` for one user and record (``user=..., case=...``), by region, in order."""
    shown: dict[str, list[ShownPanel]] = {region: [] for region in REGIONS}
    for panel in registered_panels(page):
        context = panel.context(**record)
        if context is not None:
            shown[panel.region].append(ShownPanel(panel.name, panel.template, context))
    return shown
