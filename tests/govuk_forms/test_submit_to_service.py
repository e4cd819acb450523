"""submit_to_service: the "post, validate, call the service, show its errors or redirect" shape of a form view."""

import pytest
from django import forms
from django.contrib import messages
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect

from marm.govuk_forms.forms import GovukForm, submit_to_service, submitted


class ReasonForm(GovukForm):
    reason = forms.CharField(label="Reason", error_messages={"required": "Enter the reason"})


class Refused(Exception):
    """Stands for a domain refusal that is not a ValidationError (a lifecycle move, say)."""


class Service:
    """Records its calls; answers with ``returns`` or raises ``raises``."""

    def __init__(self, *, returns=None, raises=None):
        self.calls = []
        self.returns = returns
        self.raises = raises

    def __call__(self, data):
        self.calls.append(dict(data))
        if self.raises is not None:
            raise self.raises
        return self.returns


def _request(rf, method, data=None):
    request = rf.post("/reason/", data or {}) if method == "POST" else rf.get("/reason/")
    request._messages = CookieStorage(request)
    return request


def _view(request, service, **options):
    """A form view as marm writes them: redirect on success, otherwise the form again with its errors."""
    form = ReasonForm(submitted(request))
    submission = submit_to_service(request, form, service, **options)
    if submission.succeeded:
        return redirect("/done/"), form, submission
    return HttpResponse(status=200), form, submission


def _messages(request):
    return [(message.level, str(message)) for message in messages.get_messages(request)]


def test_a_get_calls_nothing_and_shows_an_empty_form(rf):
    request = _request(rf, "GET")
    service = Service(returns="made")

    response, form, submission = _view(request, service, success_message="Reason recorded")

    assert response.status_code == 200
    assert service.calls == []
    assert not submission.succeeded
    assert submission.result is None
    assert not form.is_bound
    assert form.error_list() == []
    assert _messages(request) == []


def test_an_invalid_post_does_not_call_the_service_and_shows_the_form_errors(rf):
    request = _request(rf, "POST", {"reason": ""})
    service = Service(returns="made")

    response, form, submission = _view(request, service, success_message="Reason recorded")

    assert response.status_code == 200
    assert service.calls == []
    assert not submission.succeeded
    assert form.error_list() == [("id_reason", "Enter the reason")]
    assert _messages(request) == []


@pytest.mark.parametrize(
    ("refusal", "expected"),
    [
        pytest.param(
            ValidationError({"reason": "Say more than one word"}),
            [("id_reason", "Say more than one word")],
            id="on a field of the form: on that field",
        ),
        pytest.param(
            ValidationError({"case": "The case is closed"}),
            [("", "The case is closed")],
            id="on a field the form does not have: on the form as a whole",
        ),
        pytest.param(
            ValidationError("Nothing to lift"),
            [("", "Nothing to lift")],
            id="without a field: on the form as a whole",
        ),
        pytest.param(
            Refused("A closed case cannot move to screening"),
            [("", "A closed case cannot move to screening")],
            id="named as shown on the form: on the form as a whole, by its message",
        ),
    ],
)
def test_a_service_refusal_is_shown_on_the_form_and_nothing_is_redirected(rf, refusal, expected):
    request = _request(rf, "POST", {"reason": "Because"})
    service = Service(raises=refusal)

    response, form, submission = _view(request, service, success_message="Reason recorded", shown_on_form=(Refused,))

    assert response.status_code == 200
    assert service.calls == [{"reason": "Because"}]
    assert not submission.succeeded
    assert submission.result is None
    # The error summary links each message to where it belongs ("" is the form as a whole).
    assert form.error_list() == expected
    assert _messages(request) == []


def test_any_other_exception_from_the_service_is_not_swallowed(rf):
    request = _request(rf, "POST", {"reason": "Because"})
    service = Service(raises=Refused("Someone saved first"))

    with pytest.raises(Refused):
        _view(request, service, success_message="Reason recorded")
    assert _messages(request) == []


def test_a_success_adds_the_message_and_returns_what_the_service_made(rf):
    request = _request(rf, "POST", {"reason": "Because it is needed"})
    made = object()
    service = Service(returns=made)

    response, form, submission = _view(request, service, success_message="Reason recorded")

    assert response.status_code == 302
    assert response.url == "/done/"
    assert service.calls == [{"reason": "Because it is needed"}]
    assert submission.succeeded
    assert submission.result is made
    assert form.error_list() == []
    assert _messages(request) == [(messages.SUCCESS, "Reason recorded")]


def test_a_success_without_a_message_adds_none(rf):
    request = _request(rf, "POST", {"reason": "Because it is needed"})

    response, _form, submission = _view(request, Service(returns=None))

    assert response.status_code == 302
    assert submission.succeeded
    assert _messages(request) == []
