from django import forms
from django.contrib.auth import password_validation
from django.contrib.auth.forms import AuthenticationForm
from django.core.validators import MaxLengthValidator
from django_otp import devices_for_user

from marm.accounts.two_factor import check_code
from marm.govuk_forms.forms import GovukForm, GovukFormMixin


class SignInForm(GovukFormMixin, AuthenticationForm):
    error_messages = {
        # The same words whether or not the account exists.
        "invalid_login": "Enter a correct email address and password",
        "inactive": "Enter a correct email address and password",
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].label = "Email address"
        self.fields["username"].widget.attrs.update({"autocomplete": "username", "spellcheck": "false"})
        self.fields["username"].error_messages["required"] = "Enter your email address"
        # AuthenticationForm sets the length after the field is built, so Django checks none: a
        # 200,000-character name would reach the account look-up and the lockout's table.
        self.fields["username"].validators.append(MaxLengthValidator(254))
        self.fields["password"].error_messages["required"] = "Enter your password"


class CodeForm(GovukForm):
    """A code from the authenticator app, or one of the recovery codes."""

    code = forms.CharField(
        label="Code",
        max_length=40,
        help_text="The 6-digit code your authenticator app shows now, or one of your recovery codes",
        error_messages={"required": "Enter the code from your authenticator app"},
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "inputmode": "numeric",
                "spellcheck": "false",
                "class": "govuk-input--width-10",
            }
        ),
    )

    def __init__(self, *args, user, devices=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.devices = devices
        self.device = None
        if devices is not None:
            self.fields["code"].help_text = "The 6-digit code the app shows"

    def clean_code(self):
        code = self.cleaned_data["code"]
        devices = self.devices if self.devices is not None else list(devices_for_user(self.user))
        if any(not device.verify_is_allowed()[0] for device in devices if hasattr(device, "verify_is_allowed")):
            # django-otp waits longer after each wrong code; say so rather than call a right code wrong.
            raise forms.ValidationError("You entered a wrong code just now: wait a few seconds, then enter the code")
        if self.devices is not None:
            # Setting up: only the new app's code proves it is set up right.
            device = next((d for d in self.devices if d.verify_token("".join(code.split()))), None)
        else:
            device = check_code(self.user, code)
        if device is None:
            raise forms.ValidationError(
                "The code is not right: enter the code your authenticator app shows now, or an unused recovery code"
            )
        self.device = device
        return code


class ConfirmIdentityForm(CodeForm):
    """The password and a code again, before a change to credentials or any administration."""

    password = forms.CharField(
        label="Password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        error_messages={"required": "Enter your password"},
    )
    field_order = ["password", "code"]

    def clean_password(self):
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError("Enter your correct password")
        return password


class NewPasswordForm(GovukForm):
    """A new password, typed twice, checked against the password rules for this user (ADR 0006):
    set from a reset link, or changed by its owner."""

    new_password = forms.CharField(
        label="New password",
        strip=False,
        help_text="At least 12 characters. Not a common password, and not your name or email address.",
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        error_messages={"required": "Enter a new password"},
    )
    new_password_again = forms.CharField(
        label="Confirm new password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        error_messages={"required": "Enter the new password again"},
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_new_password(self):
        password = self.cleaned_data["new_password"]
        password_validation.validate_password(password, self.user)
        return password

    def clean(self):
        cleaned = super().clean()
        new, again = cleaned.get("new_password"), cleaned.get("new_password_again")
        if new and again and new != again:
            self.add_error("new_password_again", "The passwords do not match: enter the same new password twice")
        return cleaned


class PasswordChangeForm(NewPasswordForm):
    current_password = forms.CharField(
        label="Current password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        error_messages={"required": "Enter your current password"},
    )
    field_order = ["current_password", "new_password", "new_password_again"]

    def clean_current_password(self):
        password = self.cleaned_data["current_password"]
        if not self.user.check_password(password):
            raise forms.ValidationError("Enter your correct current password")
        return password
