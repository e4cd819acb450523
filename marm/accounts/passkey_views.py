"""Passkeys on "Your account" and at sign-in (ADR 0022).

The browser talks to django-otp-webauthn's JSON endpoints (its script, served from its static
files); marm narrows them: adding a passkey needs both factors and a recent confirmation (else the
password alone could add a second factor), and a passkey completes a sign-in exactly as a code does.
"""

from logging import getLogger

from django.contrib import messages
from django.db import transaction
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views import View
from django.views.decorators.http import require_POST
from django.views.i18n import JavaScriptCatalog
from django_otp_webauthn import exceptions
from django_otp_webauthn import views as webauthn_views
from django_otp_webauthn.utils import rewrite_exceptions

from marm.accounts import passkeys
from marm.accounts.middleware import authenticated_recently, confirm_identity_redirect, second_factor_not_required
from marm.accounts.views import _next_url, _signed_in, _wrong_code

logger = getLogger("django_otp_webauthn")


class ConfirmIdentityFirst(exceptions.OTPWebAuthnApiError):
    status_code = 403
    default_code = "confirm_identity"
    default_detail = "Confirm it is you first: go back to Your account and choose Add a passkey again."


class SignInOnly(exceptions.OTPWebAuthnApiError):
    status_code = 403
    default_code = "sign_in_only"
    default_detail = "Use a passkey on the page that asks for your code, after your password."


# Pages


class PasskeyAddView(View):
    """The page with the button that asks the browser for a new passkey."""

    def dispatch(self, request, *args, **kwargs):
        if not authenticated_recently(request):
            return confirm_identity_redirect(request)
        return super().dispatch(request, *args, **kwargs)

    def get(self, request):
        return render(request, "accounts/passkey_add.html", {"back_url": reverse("accounts:account")})


@require_POST
def passkey_remove(request, passkey_id):
    if not authenticated_recently(request):
        return redirect(f"{reverse('accounts:confirm')}?next={reverse('accounts:account')}")
    name = passkeys.passkey_remove(acting_user=request.user, passkey_id=passkey_id)
    messages.success(request, f"{name} has been removed: it no longer signs you in")
    return redirect("accounts:account")


# django-otp-webauthn's endpoints, narrowed to marm's rules


class _RegistrationGuard:
    def check_can_register(self):
        # Both factors given in this session, and the identity confirmed within MARM_REAUTH_MINUTES:
        # the package on its own lets a user with no device yet register with a password alone.
        if not (self.request.user.is_verified() and authenticated_recently(self.request)):
            raise ConfirmIdentityFirst()


class PasskeyRegistrationBeginView(_RegistrationGuard, webauthn_views.BeginCredentialRegistrationView):
    pass


class PasskeyRegistrationCompleteView(_RegistrationGuard, webauthn_views.CompleteCredentialRegistrationView):
    def post(self, *args, **kwargs):
        state = self.get_state()  # taken from the session first, so it is never used twice
        with rewrite_exceptions(logger=logger):
            passkey = passkeys.passkey_register(
                acting_user=self.request.user, helper=self.get_helper(), state=state, data=self.request.data
            )
        messages.success(self.request, f"{passkey.name} has been added: you can use it instead of a code")
        return JsonResponse({"id": passkey.pk})


class _SignInGuard:
    # A user who has given the password but no second factor yet must reach these.
    second_factor_not_required = True

    def check_can_authenticate(self):
        user = self.request.user
        if not user.is_authenticated:
            raise exceptions.PasswordlessLoginDisabled()
        if user.is_verified():
            raise SignInOnly()


class PasskeySignInBeginView(_SignInGuard, webauthn_views.BeginCredentialAuthenticationView):
    pass


class PasskeySignInCompleteView(_SignInGuard, webauthn_views.CompleteCredentialAuthenticationView):
    def post(self, *args, **kwargs):
        user = self.get_user()
        state = self.get_state()  # taken from the session first, so it is never used twice
        try:
            with transaction.atomic():
                with rewrite_exceptions(logger=logger):
                    passkey = self.get_helper().authenticate_complete(user=user, state=state, data=self.request.data)
                self.check_device_usable(passkey)
                # The same completion as a code: verified, recorded, audited.
                _signed_in(self.request, passkey, how="sign-in")
        except exceptions.OTPWebAuthnApiError:
            _wrong_code(self.request, stage="passkey")
            raise
        return JsonResponse(self.get_success_data(passkey))

    def get_success_url(self):
        return _next_url(self.request)


@second_factor_not_required
def passkey_script_text(request):
    """The words of the package's script (it calls gettext): the code page loads them."""
    return JavaScriptCatalog.as_view(packages=["django_otp_webauthn"])(request)
