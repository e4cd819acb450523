from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "marm.accounts"
    label = "accounts"

    def ready(self):
        from django.contrib.auth.signals import user_logged_out, user_login_failed

        from marm.accounts.signals import record_failed_sign_in, record_sign_out, record_throttled

        user_login_failed.connect(record_failed_sign_in, dispatch_uid="marm.accounts.record_failed_sign_in")
        user_logged_out.connect(record_sign_out, dispatch_uid="marm.accounts.record_sign_out")
        # The per-user limits (marm.core.throttle) audit each refusal through the auditor,
        # which sits above core: it is handed in here.
        from marm.core.throttle import set_refusal_recorder

        set_refusal_recorder(record_throttled)
