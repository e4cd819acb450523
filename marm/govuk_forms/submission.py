"""One form, one record: a token minted when a form is shown, so a repeated post makes nothing new.

A form that creates a record declares ``submission_key = SubmissionKeyField()``.
The page renders it as a hidden field holding a fresh UUID; a second post of
the same page (a double click, a resubmitted tab) carries the same token. The
service stores the token on the row it creates, in a nullable unique column,
and hands back the row an earlier post made instead of making another:

    earlier = first_submission(Model.objects.filter(author=user), submission_key)
    if earlier is not None:
        return earlier
    record, made = save_once(record, Model.objects.filter(author=user))
    if not made:
        return record  # a concurrent post with the same token got there first

A post without a token (an older page, a caller that is not a form) creates
a record as before.
"""

import uuid

from django import forms
from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction


class SubmissionKeyField(forms.UUIDField):
    """A hidden field with a new token each time its form is shown, kept when the form is shown again.

    A missing or malformed token cleans to ``None``: the post is handled as one
    without a token, never refused for it.
    """

    widget = forms.HiddenInput

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        # A callable initial is called for each form, so each page gets its own token.
        kwargs.setdefault("initial", uuid.uuid4)
        super().__init__(**kwargs)

    def to_python(self, value):
        try:
            return super().to_python(value)
        except ValidationError:
            return None


def first_submission(queryset: models.QuerySet, submission_key) -> models.Model | None:
    """The record an earlier post with this token made, among ``queryset``; None without a token."""
    if submission_key is None:
        return None
    return queryset.filter(submission_key=submission_key).first()


def already_submitted() -> ValidationError:
    return ValidationError("This form has already been sent. Go back and open the page again to start a new one")


def save_once(instance: models.Model, queryset: models.QuerySet) -> tuple[models.Model, bool]:
    """Insert ``instance``; if a concurrent post with its token got there first, give that record.

    Answers ``(record, made)``. The insert runs in a savepoint, so a clash leaves
    the caller's transaction usable. A clash on the token with a record outside
    ``queryset`` (another user's, say) is refused with a ValidationError; any
    other IntegrityError is raised as it is.
    """
    try:
        with transaction.atomic():
            instance.save(force_insert=True)
    except IntegrityError:
        key = getattr(instance, "submission_key", None)
        if key is None:
            raise
        earlier = first_submission(queryset, key)
        if earlier is not None:
            return earlier, False
        if type(instance)._default_manager.filter(submission_key=key).exists():
            raise already_submitted() from None
        raise
    return instance, True
