"""Row-level security on PostgreSQL: the database's own wall around people and cases (ADR 0028).

The policies (migrations ``people.0005`` and ``cases.0007``) let a database role that does
not own the tables see a person or a case only while an agency listed in the setting
``marm.agency_ids`` is involved, or everything when ``marm.scope`` is ``all``. This module
sets those two values, on PostgreSQL only; with ``MARM_ROW_LEVEL_SECURITY`` true:

- a request: the signed-in user's agency, from the middleware below until the response is
  built; then the connection is put back to no agency, so a persistent connection that the
  next request reuses carries nothing over;
- a request before the user is known, an anonymous request, a user without an agency: no
  agency, so the policies show no row;
- anything outside a request (a management command, the task worker, a sweep): ``all``,
  set when the connection opens. These are named system jobs; they act for the whole
  partnership and are audited as such;
- code in a request that reads across agencies by design wraps the read in
  ``partnership_wide()``.

With the setting off: ``all`` when a connection opens, and nothing per request, so the
policies stand open and the app's own scoping is the only wall, as before.

The values are session settings (``set_config(..., false)``), not ``SET LOCAL``: Django runs in
autocommit and marm does not wrap requests in a transaction (ADR 0003), so a ``SET LOCAL``
would end with the first statement's own transaction. A session setting made outside a
transaction lasts until it is changed, which is why the middleware changes it back.
"""

import contextlib
from contextvars import ContextVar

from django.conf import settings
from django.db import DatabaseError, connection
from django.db.backends.signals import connection_created

SCOPE_ALL = "all"

# The agencies of the request being served ("" for none), or None outside a request.
_request_agencies: ContextVar[str | None] = ContextVar("marm_row_security_agencies", default=None)


def enabled(conn=None) -> bool:
    conn = conn or connection
    return bool(getattr(settings, "MARM_ROW_LEVEL_SECURITY", False)) and conn.vendor == "postgresql"


def agency_ids_of(user) -> str:
    """The agencies whose people ``user`` may be shown, as the policies read them ("" for none).

    The database wall is the agency's: roles (``may_see_people``) narrow it in the app."""
    if not getattr(user, "is_authenticated", False) or not user.is_active or user.agency_id is None:
        return ""
    return str(user.agency_id)


def apply(conn, *, agency_ids: str = "", scope: str = "") -> None:
    """Set both values on ``conn`` for the rest of its session (one round trip)."""
    with conn.cursor() as cursor:
        cursor.execute(
            "SELECT set_config('marm.agency_ids', %s, false), set_config('marm.scope', %s, false)",
            [agency_ids, scope],
        )


def current(conn=None) -> tuple[str, str]:
    """The values the connection holds now (for tests and the benchmark)."""
    conn = conn or connection
    with conn.cursor() as cursor:
        cursor.execute("SELECT current_setting('marm.agency_ids', true), current_setting('marm.scope', true)")
        agency_ids, scope = cursor.fetchone()
    return agency_ids or "", scope or ""


def _on_connection_created(sender, connection, **kwargs):
    """A new connection starts with the scope of whatever opened it: a request's agencies, or the
    whole partnership for a command or job. A connection that reopens in the middle of a request
    gets the request's agencies, never ``all``.

    With ``MARM_ROW_LEVEL_SECURITY`` off every connection gets ``all``, once, when it opens: the
    policies are in the tables whatever the setting, and an application role that owns nothing
    (ADR 0024) would otherwise see no person at all. Requests then run nothing more."""
    if connection.vendor != "postgresql":
        return
    agencies = _request_agencies.get() if enabled(connection) else None
    if agencies is None:
        apply(connection, scope=SCOPE_ALL)
    else:
        apply(connection, agency_ids=agencies)


connection_created.connect(_on_connection_created, dispatch_uid="marm_row_security")


@contextlib.contextmanager
def partnership_wide():
    """Within a request, read across every agency (``marm.scope = 'all'``) for the block only.

    For reads that cross agencies by design and keep their own rule in the app: counts for the
    board, the check that an NHS number is not already recorded."""
    if not enabled():
        yield
        return
    agencies = _request_agencies.get()
    apply(connection, agency_ids=agencies or "", scope=SCOPE_ALL)
    try:
        yield
    finally:
        if agencies is None:
            _reset(connection, scope=SCOPE_ALL)
        else:
            _reset(connection, agency_ids=agencies)


def _reset(conn, **values) -> None:
    try:
        apply(conn, **values)
    except DatabaseError:
        # The work failed inside a transaction that is now aborted: its rollback undoes every
        # setting made in it. Outside a transaction nothing would undo it, so the error stands.
        if not conn.in_atomic_block:
            raise


class RowLevelSecurityMiddleware:
    """Sets the signed-in user's agency on the connection for the request, and clears it after.

    Placed after authentication. Does nothing unless ``enabled()``."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not enabled():
            return self.get_response(request)
        # No agency until the user is known: a connection opened to look the user up gets none.
        token = _request_agencies.set("")
        try:
            agencies = agency_ids_of(request.user)
            _request_agencies.set(agencies)
            apply(connection, agency_ids=agencies)
            return self.get_response(request)
        finally:
            _request_agencies.reset(token)
            if connection.connection is not None:
                # A persistent connection goes back to no agency before the next request takes it.
                _reset(connection)


def request_user_known(user) -> None:
    """A user known only once the view runs (an API token, ADR 0034): their agency on the connection
    for the rest of the request. The middleware puts the connection back to no agency afterwards."""
    if not enabled() or _request_agencies.get() is None:
        return
    agencies = agency_ids_of(user)
    _request_agencies.set(agencies)
    apply(connection, agency_ids=agencies)


@contextlib.contextmanager
def acting_for(user):
    """Outside a request (a job on the worker) or for a request made without a session (a calendar
    client), read with ``user``'s agency for the block only, as their own request would.

    A job is otherwise ``all`` (a named system job); work done for one user must see no more than
    that user's pages do, so the database wall narrows to their agency too. Afterwards the
    connection goes back to what it held."""
    if not enabled():
        yield
        return
    before = _request_agencies.get()
    agencies = agency_ids_of(user)
    token = _request_agencies.set(agencies)
    apply(connection, agency_ids=agencies)
    try:
        yield
    finally:
        _request_agencies.reset(token)
        if before is None:
            _reset(connection, scope=SCOPE_ALL)
        else:
            _reset(connection, agency_ids=before)
