"""Plain Django forms that render as GOV.UK Design System components.

Write forms as usual, subclassing GovukForm or GovukModelForm; fields get
the component's classes, hint and error ids, and the page shows an error
summary with ``{% include "govuk_forms/error_summary.html" %}``. A field
that sets no error message of its own gets GOV.UK ones from its label
("Enter ...", "Select ...", "... must be 27 or fewer").

A view hands a valid POST to its service with ``submit_to_service``.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.forms.utils import pretty_name
from django.utils import timezone

_INPUT_CLASS = {
    "text": "govuk-input",
    "email": "govuk-input",
    "password": "govuk-input",
    "number": "govuk-input",
    "url": "govuk-input",
    "textarea": "govuk-textarea",
    "select": "govuk-select",
    "radioselect": "govuk-radios__input",
    "checkboxselectmultiple": "govuk-checkboxes__input",
    "checkbox": "govuk-checkboxes__input",
    "file": "govuk-file-upload",
}
_ERROR_CLASS = {
    "govuk-input": "govuk-input--error",
    "govuk-textarea": "govuk-textarea--error",
    "govuk-select": "govuk-select--error",
    "govuk-file-upload": "govuk-file-upload--error",
}


class GovukBoundField(forms.BoundField):
    def build_widget_attrs(self, attrs, widget=None):
        attrs = super().build_widget_attrs(attrs, widget)
        widget = widget or self.field.widget
        css = _INPUT_CLASS.get(self.widget_type)
        # Keep the classes the form set on the widget (widths, for example).
        classes = [c for c in f"{widget.attrs.get('class', '')} {attrs.get('class', '')}".split() if c]
        if css and css not in classes:
            classes.insert(0, css)
        if self.errors and css in _ERROR_CLASS:
            classes.append(_ERROR_CLASS[css])
        if classes:
            attrs["class"] = " ".join(classes)
        if self.widget_type not in ("radioselect", "checkboxselectmultiple", "govukdate"):
            described = []
            if self.help_text:
                described.append(f"{self.auto_id}-hint")
            if self.errors:
                described.append(f"{self.auto_id}-error")
            if described:
                attrs["aria-describedby"] = " ".join(described)
        return attrs

    @property
    def first_input_id(self):
        """Where the error summary's link should land."""
        if self.widget_type == "govukdate":
            return f"{self.auto_id}_0"
        if self.widget_type in ("radioselect", "checkboxselectmultiple"):
            return f"{self.auto_id}_0"
        return self.auto_id


# Fields answered by choosing: "Select ..."; every other field is typed in: "Enter ...".
_CHOSEN = (forms.ChoiceField, forms.BooleanField)
_CHOSEN_WIDGETS = (forms.Select, forms.RadioSelect, forms.CheckboxSelectMultiple, forms.CheckboxInput)
_NUMBERS = (forms.IntegerField, forms.FloatField, forms.DecimalField)


def _django_default(field, code):
    """The message Django gives ``code`` for this kind of field, as Field.__init__ merges them."""
    message = None
    for cls in reversed(type(field).__mro__):
        message = getattr(cls, "default_error_messages", {}).get(code, message)
    return message


def _in_a_sentence(label: str) -> str:
    """The label inside a sentence: "Date of the referral" -> "date of the referral"; "DASH ..." stays."""
    first = label.split(" ", 1)[0]
    if first == "I" or (len(first) > 1 and first.isupper()):
        return label
    return label[:1].lower() + label[1:]


def govuk_error_messages(field, name: str) -> dict[str, str]:
    """GOV.UK Design System error messages for a field, from its label.

    "Enter ..." for what is typed, "Select ..." for what is chosen; limits say what is allowed
    ("must be 27 or fewer", "must be 200 characters or fewer"). A label that is a question cannot
    be the subject of a sentence: set ``error_name`` on the field ("the number of questions
    ticked") to name it, or the messages say "the answer".
    """
    label = str(field.label or pretty_name(name)).strip().rstrip(":.").strip()
    noun = getattr(field, "error_name", "") or ("" if label.endswith("?") else _in_a_sentence(label))
    verb = "Select" if isinstance(field, _CHOSEN) or isinstance(field.widget, _CHOSEN_WIDGETS) else "Enter"
    required = f"{verb} {noun}" if noun else f"{verb} an answer for: {_in_a_sentence(label)}"
    # The limits' messages are filled in with the validator's %(limit_value)s: a % of the label's stays one.
    subject = (noun[:1].upper() + noun[1:]).replace("%", "%%") if noun else "The answer"
    fewer = "fewer" if isinstance(field, forms.IntegerField) else "less"
    messages = {
        "required": required,
        "max_value": f"{subject} must be %(limit_value)s or {fewer}",
        "min_value": f"{subject} must be %(limit_value)s or more",
        "max_length": f"{subject} must be %(limit_value)s characters or fewer",
        "min_length": f"{subject} must be %(limit_value)s characters or more",
    }
    if isinstance(field, forms.EmailField):
        messages["invalid"] = "Enter an e-mail address in the correct format, like name@example.org"
    elif isinstance(field, _NUMBERS):
        messages["invalid"] = f"{subject.replace('%%', '%')} must be a number"
    return messages


def named_in_errors(field, error_name: str):
    """Name the field in its error messages, for a label that is a question: "How many were
    ticked?" becomes "the number of questions ticked" ("The number of questions ticked must be 27
    or fewer")."""
    field.error_name = error_name
    return field


def use_govuk_error_messages(field, name: str) -> None:
    """Give the field GOV.UK messages wherever it still has Django's own; its own messages win."""
    for code, message in govuk_error_messages(field, name).items():
        current = field.error_messages.get(code)
        if current is None or current == _django_default(field, code):
            field.error_messages[code] = message


class GovukFormMixin:
    bound_field_class = GovukBoundField

    def full_clean(self):
        # Here rather than in __init__, so fields a form adds in its own __init__ have them too.
        for name, field in self.fields.items():
            use_govuk_error_messages(field, name)
        super().full_clean()

    def error_list(self):
        """(link target, message) pairs for the error summary, fields in form order."""
        items = [("", error) for error in self.non_field_errors()]
        for bound in self:
            for error in bound.errors:
                items.append((bound.first_input_id, error))
        return items


class GovukForm(GovukFormMixin, forms.Form):
    pass


class GovukModelForm(GovukFormMixin, forms.ModelForm):
    pass


class GovukDateWidget(forms.MultiWidget):
    template_name = "govuk_forms/widgets/date.html"

    def __init__(self, attrs=None):
        number = {"inputmode": "numeric", "class": "govuk-input govuk-date-input__input"}
        widgets = [
            forms.TextInput({**number, "class": number["class"] + " govuk-input--width-2"}),  # day
            forms.TextInput({**number, "class": number["class"] + " govuk-input--width-2"}),  # month
            forms.TextInput({**number, "class": number["class"] + " govuk-input--width-4"}),  # year
        ]
        super().__init__(widgets, attrs)

    def get_context(self, name, value, attrs):
        if isinstance(value, tuple):
            # A (date, precision) pair: MultiWidget takes any tuple for the parts
            # already split (day, month, year), so split it here.
            value = self.decompress(value)
        context = super().get_context(name, value, attrs)
        for sub, label in zip(context["widget"]["subwidgets"], ("Day", "Month", "Year"), strict=True):
            sub["part_label"] = label
        return context

    def decompress(self, value):
        if isinstance(value, datetime.date):
            return [value.day, value.month, value.year]
        if isinstance(value, tuple):  # (date, precision) from PartialDateField
            date, precision = value
            if date is None:
                return [None, None, None]
            return [
                date.day if precision == "exact" else None,
                date.month if precision in ("exact", "month") else None,
                date.year,
            ]
        return [None, None, None]


class GovukDateField(forms.MultiValueField):
    """A GOV.UK date input (day, month, year) that gives a date.

    With ``allow_partial`` it gives ``(date, precision)``: a missing day means
    "month and year only", a missing day and month means "year only".
    """

    widget = GovukDateWidget

    def __init__(self, *, allow_partial=False, allow_future=False, **kwargs):
        self.allow_partial = allow_partial
        self.allow_future = allow_future
        fields = (forms.CharField(required=False), forms.CharField(required=False), forms.CharField(required=False))
        super().__init__(fields=fields, require_all_fields=False, **kwargs)

    def compress(self, data_list):
        day, month, year = ((part or "").strip() for part in (data_list or ["", "", ""]))
        label = (self.label or "Date").capitalize()
        if not (day or month or year):
            return (None, "") if self.allow_partial else None
        if not year:
            raise ValidationError(f"{label} must include a year")
        if not (year.isdigit() and len(year) == 4):
            raise ValidationError("Year must be 4 numbers, like 1950")
        if day and not month:
            raise ValidationError(f"{label} must include a month")
        if not self.allow_partial and not (day and month):
            raise ValidationError(f"{label} must include a day, month and year")
        try:
            date = datetime.date(int(year), int(month or 1), int(day or 1))
        except ValueError:
            raise ValidationError(f"{label} must be a real date") from None
        if date.year < 1900:
            raise ValidationError(f"{label} must be after 1900")
        if not self.allow_future and date > timezone.localdate():
            raise ValidationError(f"{label} must be today or in the past")
        if not self.allow_partial:
            return date
        precision = "exact" if day else "month" if month else "year"
        return (date, precision)


def add_service_errors(form, error: ValidationError) -> None:
    """Show a service's ValidationError on the form: on its field where the form has one."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            target = field if field in form.fields else None
            for item in errors:
                form.add_error(target, item)
    else:
        form.add_error(None, error)


def submitted(request):
    """The form data of a POST (even an empty one, which must still be validated), None otherwise."""
    return request.POST if request.method == "POST" else None


@dataclass(frozen=True)
class Submission:
    """What became of a form handed to its service: whether the service accepted it, and what it returned."""

    succeeded: bool
    result: Any = None


def submit_to_service(
    request,
    form,
    service: Callable[[dict[str, Any]], Any],
    *,
    success_message: str | None = None,
    shown_on_form: tuple[type[Exception], ...] = (),
) -> Submission:
    """On a POST whose form is valid, call ``service(form.cleaned_data)`` and say how it went.

    A ValidationError from the service goes on the form (``add_service_errors``),
    as do the exceptions named in ``shown_on_form``, by their message, on the form
    as a whole. On success the success message is added, if there is one; the view
    then redirects, to ``submission.result`` if it needs what the service made.
    On a GET, or a POST the form rejects, nothing is called.
    """
    if request.method != "POST" or not form.is_valid():
        return Submission(succeeded=False)
    try:
        result = service(form.cleaned_data)
    except (ValidationError, *shown_on_form) as error:
        add_service_errors(form, error if isinstance(error, ValidationError) else ValidationError(str(error)))
        return Submission(succeeded=False)
    if success_message is not None:
        messages.success(request, success_message)
    return Submission(succeeded=True, result=result)
