import re

from django.core.exceptions import ValidationError


class NotYourNameValidator:
    """Refuses a password that contains the user's name or the name part of their email address
    (Django's similarity check lets through "Margaret1952!" for Margaret Thornbury)."""

    min_part = 3

    def _parts(self, user) -> set[str]:
        words = re.split(r"[^a-z0-9]+", (getattr(user, "full_name", "") or "").lower())
        local = (getattr(user, "email", "") or "").lower().split("@")[0]
        words += re.split(r"[^a-z0-9]+", local) + [re.sub(r"[^a-z0-9]", "", local)]
        return {w for w in words if len(w) >= self.min_part}

    def validate(self, password, user=None):
        if user is None:
            return
        folded = re.sub(r"[^a-z0-9]", "", password.lower())
        if any(part in folded for part in self._parts(user)):
            raise ValidationError("Your password must not contain your name or email address", code="password_has_name")

    def get_help_text(self):
        return "Your password must not contain your name or email address."
