"""Two factors before anything else (ADR 0022).

A user who has given the right password but not yet a code reaches only the pages that ask for the
code (or set up the app), and signing out. Every other URL, the administration site included, sends
them there first. The administration site also asks for the password and a code again when the last
full sign-in is older than ``MARM_REAUTH_MINUTES``.
"""

import time
from urllib.parse import quote

from django.conf import settings
from django.shortcuts import redirect
from django.urls import reverse

from marm.accounts.two_factor import AUTHENTICATED_AT_KEY, has_second_factor


def second_factor_not_required(view):
    """Mark a view a half-signed-in user may reach (the code page, set-up, sign-out)."""
    view.second_factor_not_required = True
    return view


def authenticated_recently(request) -> bool:
    at = request.session.get(AUTHENTICATED_AT_KEY)
    return at is not None and time.time() - at <= settings.MARM_REAUTH_MINUTES * 60


def confirm_identity_redirect(request):
    return redirect(f"{reverse('accounts:confirm')}?next={quote(request.get_full_path())}")


class SecondFactorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        user = request.user
        if not user.is_authenticated:
            return None  # the sign-in page, or LoginRequiredMiddleware has already sent them there
        if getattr(view_func, "second_factor_not_required", False) or getattr(
            getattr(view_func, "view_class", None), "second_factor_not_required", False
        ):
            return None
        if not user.is_verified():
            name = "accounts:two-factor" if has_second_factor(user) else "accounts:two-factor-setup"
            return redirect(f"{reverse(name)}?next={quote(request.get_full_path())}")
        match = request.resolver_match
        if match is not None and match.namespace == "admin" and not authenticated_recently(request):
            return confirm_identity_redirect(request)
        return None
