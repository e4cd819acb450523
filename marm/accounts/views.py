import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout, update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.db import transaction
from django.http import HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.http import url_has_allowed_host_and_scheme
from django.views import View
from django.views.decorators.http import require_POST
from django_otp import login as otp_login

from marm.accounts import passkeys, sessions, two_factor
from marm.accounts.forms import CodeForm, ConfirmIdentityForm, PasswordChangeForm, SignInForm
from marm.accounts.middleware import authenticated_recently, confirm_identity_redirect, second_factor_not_required
from marm.audit.models import AuditAction
from marm.audit.services import audit_record
from marm.core.middleware import SESSION_RENEWED_KEY, SESSION_STARTED_KEY

# Wrong codes in one half-signed-in session before it is signed out (django-otp also slows each guess).
CODE_ATTEMPTS_KEY = "marm_code_attempts"
CODE_ATTEMPT_LIMIT = 5


def _next_url(request, default=None) -> str:
    url = request.POST.get("next") or request.GET.get("next") or ""
    if url and url_has_allowed_host_and_scheme(url, allowed_hosts={request.get_host()}, require_https=False):
        return url
    return default or reverse(settings.LOGIN_REDIRECT_URL)


def _with_next(name: str, request) -> str:
    from urllib.parse import quote

    return f"{reverse(name)}?next={quote(_next_url(request))}"


@method_decorator(login_not_required, name="dispatch")
class SignInView(auth_views.LoginView):
    """The password: the first of two factors. The code page comes next."""

    template_name = "accounts/sign_in.html"
    form_class = SignInForm
    redirect_authenticated_user = True

    def get_success_url(self):
        return _with_next("accounts:two-factor", self.request)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["expired"] = self.request.GET.get("expired") == "1"
        return context


@method_decorator(second_factor_not_required, name="dispatch")
class SignOutView(auth_views.LogoutView):
    def post(self, request, *args, **kwargs):
        if request.user.is_authenticated:  # the sign-out's audit row: marm.accounts.signals.record_sign_out
            sessions.session_mark_ended(session_key=request.session.session_key)
        return super().post(request, *args, **kwargs)


def _signed_in(request, device, *, how: str) -> None:
    """Both factors given: the session is verified, recorded and audited."""
    otp_login(request, device)
    request.session[two_factor.AUTHENTICATED_AT_KEY] = time.time()
    request.session[SESSION_RENEWED_KEY] = time.time()  # saved now: the idle limit runs from here
    request.session.setdefault(SESSION_STARTED_KEY, time.time())
    request.session.pop(CODE_ATTEMPTS_KEY, None)
    sessions.session_record(request=request)
    audit_record(
        actor=request.user,
        action=AuditAction.SIGN_IN,
        obj=request.user,
        detail={"second_factor": two_factor.factor_name(device), "how": how},
    )


def _wrong_code(request, *, stage: str):
    """Audit a wrong code; after too many, sign the half-signed-in session out."""
    attempts = request.session.get(CODE_ATTEMPTS_KEY, 0) + 1
    request.session[CODE_ATTEMPTS_KEY] = attempts
    audit_record(
        actor=request.user,
        action=AuditAction.SIGN_IN_FAILED,
        obj=request.user,
        detail={"stage": stage, "attempt": attempts},
    )
    if attempts >= CODE_ATTEMPT_LIMIT and not request.user.is_verified():
        request.marm_sign_out_reason = "too many wrong codes"
        logout(request)
        return redirect(f"{reverse('accounts:sign-in')}?expired=1")
    return None


@method_decorator(second_factor_not_required, name="dispatch")
class CodeView(View):
    """The second factor at sign-in: a code from the app, or a recovery code."""

    template_name = "accounts/code.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_verified():
            return HttpResponseRedirect(_next_url(request))
        if not two_factor.has_second_factor(request.user):
            return redirect(_with_next("accounts:two-factor-setup", request))
        return super().dispatch(request, *args, **kwargs)

    def get(self, request):
        return self._page(CodeForm(user=request.user))

    def post(self, request):
        form = CodeForm(request.POST, user=request.user)
        with transaction.atomic():
            if form.is_valid():
                _signed_in(request, form.device, how="sign-in")
                return HttpResponseRedirect(_next_url(request))
            signed_out = _wrong_code(request, stage="second factor")
        return signed_out or self._page(form)

    def _page(self, form):
        return render(
            self.request,
            self.template_name,
            {
                "form": form,
                "next": _next_url(self.request),
                "has_passkey": passkeys.has_passkey(self.request.user),
            },
        )


@method_decorator(second_factor_not_required, name="dispatch")
class SetUpView(View):
    """Set up the authenticator app: at first sign-in, or to replace it (after confirming identity).
    A user with an app who has not given its code cannot add another: that would make the password
    enough."""

    template_name = "accounts/set_up.html"

    def dispatch(self, request, *args, **kwargs):
        has_one = two_factor.has_second_factor(request.user)
        if has_one and not request.user.is_verified():
            return redirect(_with_next("accounts:two-factor", request))
        if has_one and not authenticated_recently(request):
            return confirm_identity_redirect(request)
        self.replacing = has_one
        return super().dispatch(request, *args, **kwargs)

    def get(self, request):
        device = two_factor.pending_authenticator(request.user)
        return self._page(CodeForm(user=request.user, devices=[device]), device)

    def post(self, request):
        device = two_factor.pending_authenticator(request.user)
        form = CodeForm(request.POST, user=request.user, devices=[device])
        if not form.is_valid():
            return self._page(form, device)
        with transaction.atomic():
            if self.replacing:
                device.user.totpdevice_set.filter(confirmed=True).delete()
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            codes = two_factor.recovery_codes_issue(request.user)
            audit_record(
                actor=request.user,
                action=AuditAction.CREDENTIALS,
                obj=request.user,
                detail={"change": "authenticator app replaced" if self.replacing else "authenticator app set up"},
            )
            if self.replacing:
                otp_login(request, device)
            else:
                _signed_in(request, device, how="set-up")
        return render(
            request, "accounts/recovery_codes.html", {"codes": codes, "next": _next_url(request), "new_app": True}
        )

    def _page(self, form, device):
        return render(
            self.request,
            self.template_name,
            {
                "form": form,
                "qr_code": two_factor.qr_code_data_uri(device),
                "secret": two_factor.secret_in_groups(device),
                "next": _next_url(self.request),
                "replacing": self.replacing,
            },
        )


class ConfirmIdentityView(View):
    """The password and a code again, before changing credentials or administering."""

    template_name = "accounts/confirm.html"

    def get(self, request):
        return self._page(ConfirmIdentityForm(user=request.user))

    def post(self, request):
        form = ConfirmIdentityForm(request.POST, user=request.user)
        if form.is_valid():
            request.session[two_factor.AUTHENTICATED_AT_KEY] = time.time()
            audit_record(
                actor=request.user, action=AuditAction.SIGN_IN, obj=request.user, detail={"how": "identity confirmed"}
            )
            return HttpResponseRedirect(_next_url(request))
        signed_out = _wrong_code(request, stage="confirm identity")
        return signed_out or self._page(form)

    def _page(self, form):
        return render(
            self.request,
            self.template_name,
            {"form": form, "next": _next_url(self.request), "minutes": settings.MARM_REAUTH_MINUTES},
        )


def account(request):
    """Your account: signed-in sessions, the second factors, the password."""
    current = request.session.session_key
    return render(
        request,
        "accounts/account.html",
        {
            "sessions": sessions.sessions_open(request.user),
            "current_key": current,
            "recovery_codes_left": two_factor.recovery_codes_left(request.user),
            "passkeys": passkeys.passkeys_of(request.user),
        },
    )


@require_POST
def session_end(request, session_id):
    row = sessions.session_end(acting_user=request.user, session_id=session_id)
    if row.session_key == request.session.session_key:
        request.marm_sign_out_reason = "ended this session from Your account"
        logout(request)
        return redirect("accounts:sign-in")
    messages.success(request, "The session has ended: that browser is signed out")
    return redirect("accounts:account")


class PasswordChangeView(View):
    template_name = "form_page.html"

    def dispatch(self, request, *args, **kwargs):
        if not authenticated_recently(request):
            return confirm_identity_redirect(request)
        return super().dispatch(request, *args, **kwargs)

    def get(self, request):
        return self._page(PasswordChangeForm(user=request.user))

    def post(self, request):
        form = PasswordChangeForm(request.POST, user=request.user)
        if not form.is_valid():
            return self._page(form)
        user = request.user
        with transaction.atomic():
            user.set_password(form.cleaned_data["new_password"])
            user.save(update_fields=["password"])
            audit_record(actor=user, action=AuditAction.CREDENTIALS, obj=user, detail={"change": "password changed"})
            # Every other browser signed in as this user is signed out.
            ended = sessions.sessions_end_all(
                acting_user=user, user=user, reason="Password changed", keep=request.session.session_key
            )
        update_session_auth_hash(request, user)
        words = f" and {ended} other session{'s' if ended != 1 else ''} ended" if ended else ""
        messages.success(request, f"Your password has been changed{words}")
        return redirect("accounts:account")

    def _page(self, form):
        return render(
            self.request,
            self.template_name,
            {
                "form": form,
                "heading": "Change your password",
                "button": "Change password",
                "back_url": reverse("accounts:account"),
            },
        )


@require_POST
def recovery_codes_new(request):
    if not authenticated_recently(request):
        return redirect(f"{reverse('accounts:confirm')}?next={reverse('accounts:account')}")
    with transaction.atomic():
        codes = two_factor.recovery_codes_issue(request.user)
        audit_record(
            actor=request.user,
            action=AuditAction.CREDENTIALS,
            obj=request.user,
            detail={"change": "new recovery codes"},
        )
    return render(request, "accounts/recovery_codes.html", {"codes": codes, "next": reverse("accounts:account")})
