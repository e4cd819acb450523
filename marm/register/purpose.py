"""A duty officer says why before reading a full record (000 Appendix C: the register
is there "to assist in triaging calls"; ADR 0017, amended).

A user whose only role with adults is duty officer reads the minimal card freely; any
full-record read (the person page, a case, an entry, anything under them) goes through
the guarded fetch's read checks, and this one asks for a purpose: the purpose given
on the duty desk's "open the full record" page, kept in the session for that person
for ``MARM_DUTY_PURPOSE_MINUTES``, and written on each VIEW row. Without one the read
raises ``PurposeRequired`` before anything is shown, and ``DutyPurposeMiddleware``
sends the browser to the purpose page, which comes back to the page asked for.

A duty officer who also works as a practitioner, manager, supervisor or auditor of
their agency reads as that role does, as before: the purpose step is for the duty
role alone, whose work with the person is the call in hand.
"""

import contextvars
import time
from urllib.parse import urlencode

from django.conf import settings
from django.shortcuts import redirect
from django.urls import reverse

from marm.access.guard import PurposeRequired, register_read_check
from marm.access.roles import PEOPLE_ROLES, Role, roles_of

SESSION_KEY = "marm_duty_purposes"

_session: contextvars.ContextVar = contextvars.ContextVar("marm_duty_session", default=None)


def needs_purpose(user) -> bool:
    """True for a user whose only role with adults is duty officer."""
    return roles_of(user) & PEOPLE_ROLES == {Role.DUTY_OFFICER}


def keep_purposes_in(store) -> None:
    """Keep this request's purposes in ``store`` rather than the browser's session: a request with an
    API token has no session, and its token keeps them instead (marm/api/kept.py). ``store`` is read and
    written as a session is (``get`` and item assignment), so the rule is the same either way. Set once
    the caller is known; ``DutyPurposeMiddleware`` puts the session back when the request ends."""
    _session.set(store)


def current_store():
    """Where this request's purposes are kept: the session, or what ``keep_purposes_in`` set."""
    return _session.get()


def _valid_for() -> float:
    return settings.MARM_DUTY_PURPOSE_MINUTES * 60


def purpose_given(session, person_id) -> str | None:
    """The purpose given in this session for the person, if it is recent enough."""
    if session is None or person_id is None:
        return None
    given = session.get(SESSION_KEY, {}).get(str(person_id))
    if not given or time.time() - given[1] > _valid_for():
        return None
    return given[0]


def purpose_record(session, person_id, purpose: str) -> None:
    """Keep the purpose for the person in the session; the expired ones are dropped."""
    now = time.time()
    kept = {pk: given for pk, given in session.get(SESSION_KEY, {}).items() if now - given[1] <= _valid_for()}
    kept[str(person_id)] = [purpose, now]
    session[SESSION_KEY] = kept


JUST_RECORDED = "Recorded the person during the call"


def _just_recorded_by(user, person_id) -> bool:
    """The duty officer recorded this person themself within the purpose's time: the call in hand is
    the purpose, and asking for it again would send them round in a circle."""
    from django.utils import timezone

    from marm.people.models import Person

    since = timezone.now() - timezone.timedelta(seconds=_valid_for())
    return Person.objects.filter(pk=person_id, created_by=user, created_at__gte=since).exists()


SHARED_IN_PART = "Case shared in part with the agency: no full record"


def _sees_only_a_part(user, person_id) -> bool:
    """The agency has a limited share of a case but no involvement with the person: the page shows
    the case's outline and the name, no more than the card, and there is no card to ask a purpose
    from (it would be a 404: a dead end)."""
    from marm.people.models import Person

    return not Person.objects.visible_to(user).filter(pk=person_id).exists()


def _purpose(*, user, person_id, purpose: str) -> str:
    given = purpose_given(_session.get(), person_id)
    if given is None and _just_recorded_by(user, person_id):
        given = JUST_RECORDED
    if given is None and _sees_only_a_part(user, person_id):
        return f"{purpose}: {SHARED_IN_PART}" if purpose else SHARED_IN_PART
    if given is None:
        raise PurposeRequired(person_id)
    # The page's own purpose (for example "Adding to the high-risk register") keeps its place.
    return f"{purpose}: {given}" if purpose and purpose != given else given


def register() -> None:
    register_read_check("duty-purpose", applies_to=needs_purpose, purpose=_purpose)


class DutyPurposeMiddleware:
    """Makes the session known to the read check, and turns its ``PurposeRequired`` into the
    duty desk's purpose page, with the page asked for as ``next``."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _session.set(getattr(request, "session", None))
        try:
            return self.get_response(request)
        finally:
            _session.reset(token)

    def process_exception(self, request, exception):
        if not isinstance(exception, PurposeRequired) or request.method not in ("GET", "HEAD"):
            # A form sent without a purpose is refused (403): nothing it carried is lost silently.
            return None
        url = reverse("register:duty-open", kwargs={"pk": exception.person_id})
        return redirect(f"{url}?{urlencode({'next': request.get_full_path()})}")
