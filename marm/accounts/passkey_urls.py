"""django-otp-webauthn's endpoints under its own namespace (its template tags reverse these names),
served by marm's narrowed views (marm/accounts/passkey_views.py)."""

from django.urls import path

from marm.accounts import passkey_views

app_name = "otp_webauthn"

urlpatterns = [
    path(
        "registration/begin/",
        passkey_views.PasskeyRegistrationBeginView.as_view(),
        name="credential-registration-begin",
    ),
    path(
        "registration/complete/",
        passkey_views.PasskeyRegistrationCompleteView.as_view(),
        name="credential-registration-complete",
    ),
    path(
        "authentication/begin/",
        passkey_views.PasskeySignInBeginView.as_view(),
        name="credential-authentication-begin",
    ),
    path(
        "authentication/complete/",
        passkey_views.PasskeySignInCompleteView.as_view(),
        name="credential-authentication-complete",
    ),
    path("jsi18n/", passkey_views.passkey_script_text, name="js-i18n-catalog"),
]
