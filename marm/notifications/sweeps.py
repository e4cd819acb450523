"""Reminder sweeps: named functions the scheduler runs again and again.

A domain app registers a sweep in its ``AppConfig.ready``::

    from marm.notifications.sweeps import register_sweep
    register_sweep("actions-due", plans.reminders.sweep_actions_due)

A sweep takes ``now`` and returns how many notifications it created. It must
be idempotent: it derives each notification's key from the event, so running
it twice (or again after a crash half-way) notifies once.
"""

import datetime
from collections.abc import Callable

from django.utils import timezone

Sweep = Callable[[datetime.datetime], int]

_SWEEPS: dict[str, Sweep] = {}


def register_sweep(name: str, sweep: Sweep) -> None:
    _SWEEPS[name] = sweep


def registered_sweeps() -> dict[str, Sweep]:
    return dict(_SWEEPS)


def run_sweeps(now: datetime.datetime | None = None, names: list[str] | None = None) -> dict[str, int]:
    """Run every registered sweep (or those named), in name order; returns notifications created per sweep."""
    now = now or timezone.now()
    chosen = sorted(names if names is not None else _SWEEPS)
    return {name: _SWEEPS[name](now) for name in chosen}
