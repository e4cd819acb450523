"""SubmissionKeyField: a hidden token per showing of a form; a bad or missing token is no token."""

import uuid

from django import forms

from marm.govuk_forms.forms import GovukForm
from marm.govuk_forms.submission import SubmissionKeyField


class NoteForm(GovukForm):
    note = forms.CharField(label="Note")
    submission_key = SubmissionKeyField()


def test_each_form_shown_gets_a_new_hidden_token():
    first, second = str(NoteForm()), str(NoteForm())
    assert 'type="hidden" name="submission_key"' in first
    assert first != second


def test_the_token_posted_is_the_token_cleaned():
    key = uuid.uuid4()
    form = NoteForm({"note": "x", "submission_key": str(key)})
    assert form.is_valid()
    assert form.cleaned_data["submission_key"] == key


def test_a_missing_or_malformed_token_is_none_and_no_error():
    for data in ({"note": "x"}, {"note": "x", "submission_key": "nonsense"}):
        form = NoteForm(data)
        assert form.is_valid(), form.errors
        assert form.cleaned_data["submission_key"] is None
