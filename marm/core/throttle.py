"""Per-user limits on searching people, the adult's documents and downloads (ADR 0025).

A person's records can be copied out one search or one download at a time: no person
needs more than a few a minute, a script wants thousands. A view asks before it reads
anything about a person:

    if refused := throttle_check(request, "person-search"):
        return refused

or, for a view that only downloads, is decorated ``@throttled("exports")``.

Each allowed request is one ``ThrottleHit`` row, so every web worker process shares the
count: two queries a request (the last minute's rows, then the new one). Older rows are
deleted when the user's last minute in the bucket is empty, and on each refusal. Over the
limit the user gets the "too many requests" page (429, with ``Retry-After``) and the
refusal is one audit row (``THROTTLED``). The auditor lives in a higher layer, so it is
handed in at start-up with ``set_refusal_recorder`` (marm.accounts.apps); without one
the check refuses to run rather than refuse unaudited.
"""

import math
from collections.abc import Callable
from datetime import timedelta
from functools import wraps

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.shortcuts import render
from django.utils import timezone

from marm.core.models import ThrottleHit

WINDOW = timedelta(minutes=1)

# Each bucket and the setting that holds its limit per minute (docs/configuration.md).
BUCKETS = {
    # The person search, the duplicate check when adding a person, other records of the same person.
    "person-search": "MARM_LIMIT_SEARCH_PER_MINUTE",
    # The duty desk's search.
    "duty-search": "MARM_LIMIT_DUTY_SEARCH_PER_MINUTE",
    # PDF documents about an adult: the adult's copies of the risk assessment, meeting minutes.
    "documents": "MARM_LIMIT_DOCUMENTS_PER_MINUTE",
    # Other downloads: CSV files, calendar invitations, the board's annual report; asking for an export.
    "exports": "MARM_LIMIT_EXPORTS_PER_MINUTE",
    # A calendar fetching a user's meetings feed (no session: counted against the feed's owner).
    "calendar-feed": "MARM_LIMIT_CALENDAR_FEED_PER_MINUTE",
}

_recorder: Callable | None = None


def set_refusal_recorder(recorder: Callable) -> None:
    """``recorder(user=, bucket=, limit=, window_seconds=)`` writes the audit row for a refusal."""
    global _recorder  # noqa: PLW0603 - set once, from AppConfig.ready()
    _recorder = recorder


def limit_for(bucket: str) -> int:
    try:
        return getattr(settings, BUCKETS[bucket])
    except KeyError:
        raise ImproperlyConfigured(f"No limit is set for requests of the kind {bucket!r}.") from None


def throttle_check(request, bucket: str, *, user=None):
    """None if the user may go on (and the request is counted), else the 429 page to return.

    ``user``: whom to count a request made without a session against (a calendar feed's owner)."""
    limit = limit_for(bucket)
    if _recorder is None:
        raise ImproperlyConfigured("Refused requests must be audited: no refusal recorder is set.")
    user = user or request.user
    now = timezone.now()
    hits = ThrottleHit.objects.filter(user=user, bucket=bucket)
    recent = list(
        hits.filter(occurred_at__gt=now - WINDOW).order_by("occurred_at").values_list("occurred_at", flat=True)
    )
    if len(recent) < limit:
        if not recent:
            # Nothing counted in the last minute: forget the older requests now, while it is cheap.
            hits.delete()
        ThrottleHit.objects.create(user=user, bucket=bucket, occurred_at=now)
        return None
    # A place is free again when enough of the counted requests have left the window
    # (with a limit of 0, never: a window from now is as good an answer as any).
    frees_at = recent[len(recent) - limit] + WINDOW if limit > 0 else now + WINDOW
    hits.filter(occurred_at__lte=now - WINDOW).delete()
    _recorder(user=user, bucket=bucket, limit=limit, window_seconds=int(WINDOW.total_seconds()))
    retry_after = max(1, math.ceil((frees_at - now).total_seconds()))
    response = render(request, "429.html", {"retry_after": retry_after}, status=429)
    response["Retry-After"] = str(retry_after)
    return response


def throttled(bucket: str):
    """For views that only download: check the limit before the view runs."""

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if refused := throttle_check(request, bucket):
                return refused
            return view(request, *args, **kwargs)

        return wrapper

    return decorator
