import time
import uuid

from django.conf import settings
from django.contrib.auth import logout
from django.shortcuts import redirect, resolve_url

from marm.core import request_context
from marm.core.client import client_ip

SESSION_STARTED_KEY = "marm_session_started"
SESSION_RENEWED_KEY = "marm_session_renewed"


class RequestContextMiddleware:
    """Gives every request an id (echoed in a header) for the audit trail."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request_id = uuid.uuid4().hex
        request.request_id = request_id
        token = request_context.set_current(
            request_context.RequestContext(request_id=request_id, source_ip=client_ip(request))
        )
        try:
            response = self.get_response(request)
        finally:
            request_context.reset(token)
        response["X-Request-ID"] = request_id
        return response


class SessionLimitsMiddleware:
    """The 12-hour absolute session limit, and the renewal behind the 15-minute idle limit.

    The idle limit is the server-side session expiry (``SESSION_COOKIE_AGE`` after the session was
    last saved). Saving on every request would write the session row on every page; instead the
    session is renewed when it was last renewed ``SESSION_RENEW_SECONDS`` or more ago. A user idle
    for the limit is still signed out: at most that much earlier than the limit, never later."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            session = request.session
            started = session.get(SESSION_STARTED_KEY)
            now = time.time()
            if started is None:
                session[SESSION_STARTED_KEY] = now
            elif now - started > settings.SESSION_ABSOLUTE_SECONDS:
                request.marm_sign_out_reason = "12-hour limit"
                logout(request)
                return redirect(f"{resolve_url(settings.LOGIN_URL)}?expired=1")
            renewed = session.get(SESSION_RENEWED_KEY)
            if renewed is None or now - renewed >= settings.SESSION_RENEW_SECONDS:
                session[SESSION_RENEWED_KEY] = now  # saved at the end of the request, with a new expiry
        return self.get_response(request)


class NoStoreMiddleware:
    """Pages for signed-in users hold personal data: browsers and proxies must not keep them."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if getattr(request, "user", None) is not None and request.user.is_authenticated:
            response["Cache-Control"] = "no-store"
        return response


class RefuseTraceMiddleware:
    """TRACE (and its old twin TRACK) echo a request back, headers and all: no marm page answers them.
    Function views would otherwise answer TRACE as if it were GET."""

    REFUSED = frozenset({"TRACE", "TRACK", "CONNECT"})

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method in self.REFUSED:
            from django.http import HttpResponseNotAllowed

            return HttpResponseNotAllowed(["GET", "HEAD", "POST", "OPTIONS"])
        return self.get_response(request)
