from django.urls import path

from marm.accounts import passkey_views, views

app_name = "accounts"

urlpatterns = [
    path("sign-in/", views.SignInView.as_view(), name="sign-in"),
    path("sign-in/code/", views.CodeView.as_view(), name="two-factor"),
    path("sign-in/set-up/", views.SetUpView.as_view(), name="two-factor-setup"),
    path("sign-out/", views.SignOutView.as_view(), name="sign-out"),
    path("account/", views.account, name="account"),
    path("account/confirm/", views.ConfirmIdentityView.as_view(), name="confirm"),
    path("account/password/", views.PasswordChangeView.as_view(), name="password-change"),
    path("account/recovery-codes/", views.recovery_codes_new, name="recovery-codes"),
    path("account/sessions/<int:session_id>/end/", views.session_end, name="session-end"),
    path("account/passkeys/add/", passkey_views.PasskeyAddView.as_view(), name="passkey-add"),
    path("account/passkeys/<int:passkey_id>/remove/", passkey_views.passkey_remove, name="passkey-remove"),
]
