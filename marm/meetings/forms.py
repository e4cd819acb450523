import datetime

from django import forms
from django.utils import timezone

from marm.cases.forms import LegislationField
from marm.govuk_forms.forms import GovukDateField, GovukForm
from marm.meetings.vocab import (
    ADULT_SIDE,
    AttendanceStatus,
    CommitResources,
    InviteeKind,
    MeetingKind,
    MeetingOutcome,
    YesNo,
)


def _radios(label, choices, **kwargs):
    kwargs.setdefault("error_messages", {"required": f"Select an answer for: {label.lower()}"})
    return forms.ChoiceField(label=label, choices=choices, widget=forms.RadioSelect, **kwargs)


def _text(label, rows=3, required=False, **kwargs):
    return forms.CharField(label=label, widget=forms.Textarea(attrs={"rows": rows}), required=required, **kwargs)


def _time(label):
    return forms.TimeField(
        label=label,
        help_text="Use the 24-hour clock, for example 14:30",
        input_formats=["%H:%M", "%H.%M", "%H%M"],
        widget=forms.TimeInput(format="%H:%M", attrs={"class": "govuk-input--width-5"}),
        error_messages={"required": f"Enter the {label.lower()}", "invalid": "Enter a time like 14:30"},
    )


def _yes_no(label):
    return forms.TypedChoiceField(
        label=label,
        choices=YesNo.choices,
        coerce=lambda value: value == YesNo.YES,
        widget=forms.RadioSelect(attrs={"inline": True}),
        error_messages={"required": f"Select yes or no: {label.lower()}"},
    )


class WhenWhereForm(GovukForm):
    """Date, times and place, shared by scheduling and changing a meeting (times in Europe/London)."""

    date = GovukDateField(label="Date", allow_future=True, error_messages={"required": "Enter the date of the meeting"})
    start_time = _time("Start time")
    end_time = _time("End time")
    place = forms.CharField(label="Place", max_length=300, required=False, help_text="Where the meeting is held")
    virtual_link = forms.URLField(
        label="Link to join online",
        max_length=500,
        required=False,
        assume_scheme="https",
        help_text="If people can join online",
    )
    agenda = _text("Agenda", rows=4)

    def clean(self):
        data = super().clean()
        day, start, end = data.get("date"), data.get("start_time"), data.get("end_time")
        if day and start and end:
            data["starts_at"] = timezone.make_aware(datetime.datetime.combine(day, start))
            data["ends_at"] = timezone.make_aware(datetime.datetime.combine(day, end))
        return data

    def service_data(self) -> dict:
        data = self.cleaned_data
        return {
            "starts_at": data.get("starts_at"),
            "ends_at": data.get("ends_at"),
            "place": data["place"],
            "virtual_link": data["virtual_link"],
            "agenda": data["agenda"],
        }


class ScheduleForm(WhenWhereForm):
    kind = _radios("Kind of meeting", MeetingKind.choices)
    chair = forms.ModelChoiceField(
        label="Chair",
        queryset=None,
        help_text="A manager from the lead coordinating agency",
        error_messages={"required": "Select who will chair the meeting"},
    )
    field_order = ["kind", "date", "start_time", "end_time", "place", "virtual_link", "chair", "agenda"]

    def __init__(self, *args, chairs, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["chair"].queryset = chairs
        self.fields["chair"].label_from_instance = lambda user: f"{user.full_name} ({user.agency})"


class ChangeForm(WhenWhereForm):
    reason = _text(
        "Why is the meeting changing?",
        rows=2,
        required=True,
        error_messages={"required": "Say why the meeting is changing"},
    )
    version = forms.IntegerField(widget=forms.HiddenInput)


class CancelForm(GovukForm):
    reason = _text(
        "Why is the meeting cancelled?",
        rows=3,
        required=True,
        help_text="Everyone invited is told, and sent a cancellation that takes it out of their calendar",
        error_messages={"required": "Say why the meeting is cancelled"},
    )
    version = forms.IntegerField(widget=forms.HiddenInput)


class InviteForm(GovukForm):
    agency = forms.ModelChoiceField(
        label="Agency", queryset=None, error_messages={"required": "Select the agency you are inviting"}
    )
    user = forms.ModelChoiceField(
        label="Person in marm",
        queryset=None,
        required=False,
        help_text="Leave empty to invite someone who does not use marm by name and e-mail",
    )
    name = forms.CharField(label="Or their name", max_length=200, required=False)
    email = forms.EmailField(
        label="Their e-mail address",
        required=False,
        help_text="They are sent the calendar invitation; it names no one, only the case reference",
    )
    role_title = forms.CharField(label="Their role", max_length=200, required=False)

    def __init__(self, *args, agencies, users, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = agencies
        self.fields["user"].queryset = users
        self.fields["user"].label_from_instance = lambda user: f"{user.full_name} ({user.agency})"


class InvitePersonForm(GovukForm):
    """Someone who is not an agency in marm: the adult, their advocate, family or carers, or someone
    from an organisation that does not use marm."""

    kind = _radios(
        "Who are you inviting?",
        [(kind.value, kind.label) for kind in (*ADULT_SIDE, InviteeKind.OUTSIDE)],
        error_messages={"required": "Select who you are inviting"},
    )
    name = forms.CharField(
        label="Their name", max_length=200, error_messages={"required": "Enter the name of the person invited"}
    )
    email = forms.EmailField(
        label="Their e-mail address",
        required=False,
        help_text="They are sent the calendar invitation; it names no one, only the case reference. "
        "Needed for someone from an organisation; optional for the adult, their advocate or family",
    )
    relationship = forms.CharField(
        label="Their relationship to the adult",
        max_length=200,
        required=False,
        help_text="For a family member or carer, for example daughter, neighbour who cares for them; "
        "for an advocate, for example IMCA or Care Act advocate",
    )
    organisation_name = forms.CharField(
        label="Their organisation",
        max_length=200,
        required=False,
        help_text="For someone from an organisation that does not use marm, for example environmental health",
    )
    role_title = forms.CharField(label="Their role in the organisation", max_length=200, required=False)


class AttendanceForm(GovukForm):
    """One status and one 'could commit resources' answer per invitation."""

    def __init__(self, *args, invitations, **kwargs):
        super().__init__(*args, **kwargs)
        self.invitations = invitations
        for invitation in invitations:
            who = f"{invitation.person_label} ({invitation.organisation_label})"
            current = getattr(invitation, "attendance", None)
            self.fields[f"status_{invitation.pk}"] = forms.ChoiceField(
                label=f"{who}: attendance",
                choices=[("", "Select"), *AttendanceStatus.choices],
                initial=current.status if current else "",
                error_messages={"required": f"Select whether {invitation.person_label} attended"},
            )
            self.fields[f"commit_{invitation.pk}"] = forms.ChoiceField(
                label=f"{who}: could they commit their agency's resources?",
                choices=CommitResources.choices,
                initial=current.can_commit_resources if current else CommitResources.NOT_ASKED,
            )

    def entries(self):
        return [
            (invitation, self.cleaned_data[f"status_{invitation.pk}"], self.cleaned_data[f"commit_{invitation.pk}"])
            for invitation in self.invitations
        ]


class AdultForm(GovukForm):
    attended = _yes_no("Did the adult attend?")
    views = _text(
        "The adult's views and wishes",
        rows=4,
        help_text="In their words where you can. If they did not attend, their views as gathered before the meeting",
    )
    views_gathered_by = forms.CharField(
        label="Who gathered their views?", max_length=200, required=False, help_text="Name, role and agency"
    )
    views_not_gathered_reason = _text("If their views could not be gathered, why not?", rows=2)
    advocate_offered = _yes_no("Was an advocate offered?")
    advocate_accepted = forms.BooleanField(label="The adult accepted an advocate", required=False)
    advocate_present = forms.BooleanField(label="The advocate was present", required=False)
    family_or_carers_present = forms.BooleanField(label="Family members or carers were present", required=False)
    family_or_carers_details = forms.CharField(label="Who from the family or carers?", max_length=300, required=False)


class MinutesItemForm(GovukForm):
    status = _radios("Was this addressed?", [("addressed", "Addressed"), ("not_addressed", "Not addressed")])
    notes = _text("Notes", rows=4, help_text="What was said and agreed")
    reason = _text("If not addressed, why not?", rows=2)
    version = forms.IntegerField(widget=forms.HiddenInput)


class MeetingDecisionForm(GovukForm):
    summary = _text("The decision", rows=2, required=True, error_messages={"required": "Enter the decision"})
    rationale = _text(
        "Rationale",
        rows=4,
        required=True,
        help_text="Why, tied to the circumstances",
        error_messages={"required": "Give the rationale"},
    )
    options_considered = _text("Options considered", rows=2)
    legislation = LegislationField()


class FinishForm(GovukForm):
    outcome = _radios("Outcome", MeetingOutcome.choices)
    next_review_date = GovukDateField(
        label="Date of the next review meeting", allow_future=True, required=False, help_text="For example, 27 3 2027"
    )
    rationale = _text("Rationale", rows=3, help_text="Needed if the meeting recommends closure or escalation")
    version = forms.IntegerField(widget=forms.HiddenInput)
