"""What the API shows and takes. Every serializer lists its fields: nothing reaches a caller
because a model gained a column."""

import datetime
import re

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from marm.cases.models import CaseStatus
from marm.chronology.models import EntryType, Significance
from marm.register.forms import OpenRecordForm

# A time of day on the 24-hour clock, as the form takes it: no seconds and no offset (the event's
# local time), so it is a pattern, not the schema's "time" format, which needs an offset.
TIME_OF_DAY = r"^([01]\d|2[0-3]):[0-5]\d$"


@extend_schema_field({"type": "string", "pattern": TIME_OF_DAY, "nullable": True, "example": "14:30"})
class TimeOfDayField(serializers.Field):
    default_error_messages = {"invalid": "Enter the time on the 24-hour clock, like 14:30."}

    def to_representation(self, value):
        return f"{value:%H:%M}"

    def to_internal_value(self, data):
        if not isinstance(data, str) or not re.match(TIME_OF_DAY, data):
            self.fail("invalid")
        hours, minutes = data.split(":")
        return datetime.time(int(hours), int(minutes))


class ErrorSerializer(serializers.Serializer):
    detail = serializers.CharField()


class PersonMatchSerializer(serializers.Serializer):
    id = serializers.UUIDField(source="person.id")
    given_name = serializers.CharField(source="person.given_name")
    family_name = serializers.CharField(source="person.family_name")
    date_of_birth = serializers.DateField(source="person.date_of_birth", allow_null=True)
    score = serializers.FloatField()
    reasons = serializers.ListField(child=serializers.CharField())


class PersonSearchSerializer(serializers.Serializer):
    results = PersonMatchSerializer(many=True, source="matches")
    more = serializers.BooleanField(help_text="More people matched than are listed: narrow the search.")


class PersonSearchQuerySerializer(serializers.Serializer):
    name = serializers.CharField(required=False, allow_blank=True, max_length=200, default="")
    date_of_birth = serializers.RegexField(
        r"^\d{4}(-\d{2}(-\d{2})?)?$",
        required=False,
        max_length=10,
        help_text="A date (1950-03-27), a year and month (1950-03) or a year (1950).",
    )
    nhs_number = serializers.CharField(required=False, allow_blank=True, max_length=20, default="")


class AgencyInvolvedSerializer(serializers.Serializer):
    agency = serializers.CharField(source="agency.name")
    since = serializers.DateTimeField(source="started_at")
    ended = serializers.DateTimeField(source="ended_at", allow_null=True)


class PersonSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    given_name = serializers.CharField()
    middle_names = serializers.CharField()
    family_name = serializers.CharField()
    preferred_name = serializers.CharField()
    date_of_birth = serializers.DateField(allow_null=True)
    date_of_birth_precision = serializers.CharField()
    nhs_number = serializers.CharField()
    agencies = AgencyInvolvedSerializer(many=True, source="involvements_list")


class CaseSummarySerializer(serializers.Serializer):
    id = serializers.UUIDField()
    reference = serializers.CharField()
    status = serializers.ChoiceField(choices=CaseStatus.choices)
    raised_at = serializers.DateTimeField()
    lead_agency = serializers.CharField(source="lead_agency.name")


class CaseAgencySerializer(serializers.Serializer):
    agency = serializers.CharField(source="agency.name")
    access = serializers.CharField()


class CaseSerializer(serializers.Serializer):
    """A case as the case page shows it: in full for an agency with full access; the reference, the
    person's name and the agencies taking part for limited access (the rest is null)."""

    id = serializers.UUIDField()
    reference = serializers.CharField()
    access = serializers.SerializerMethodField()
    person_id = serializers.UUIDField()
    person_name = serializers.CharField(source="person.full_name")
    agencies = CaseAgencySerializer(many=True, source="active_agencies")
    status = serializers.SerializerMethodField()
    raised_at = serializers.SerializerMethodField()
    lead_agency = serializers.SerializerMethodField()
    what_is_happening = serializers.SerializerMethodField()
    risk_categories = serializers.SerializerMethodField()

    def get_access(self, case) -> str:
        return "full" if self._full(case) else "limited"

    def _full(self, case) -> bool:
        return self.context.get("access") == "full"

    def get_status(self, case) -> str | None:
        return case.status if self._full(case) else None

    def get_raised_at(self, case) -> str | None:
        return serializers.DateTimeField().to_representation(case.raised_at) if self._full(case) else None

    def get_lead_agency(self, case) -> str | None:
        return case.lead_agency.name if self._full(case) else None

    def get_what_is_happening(self, case) -> str | None:
        return case.what_is_happening if self._full(case) else None

    def get_risk_categories(self, case) -> list[str] | None:
        return list(case.risk_categories) if self._full(case) else None


class ChronologyEntrySerializer(serializers.Serializer):
    id = serializers.IntegerField()
    occurred_on = serializers.DateField()
    occurred_at_time = TimeOfDayField(allow_null=True)
    entry_type = serializers.ChoiceField(choices=EntryType.choices)
    significance = serializers.ChoiceField(choices=Significance.choices)
    summary = serializers.CharField()
    agency = serializers.CharField(source="agency.name")
    author = serializers.CharField(source="author.full_name")
    recorded_at = serializers.DateTimeField()
    case_id = serializers.SerializerMethodField(help_text="Only a case the caller's agency takes full part in.")
    supersedes_id = serializers.IntegerField(allow_null=True)
    corrected = serializers.SerializerMethodField(help_text="A later entry corrects this one.")

    def get_case_id(self, entry) -> str | None:
        visible = self.context.get("visible_case_ids", set())
        return str(entry.case_id) if entry.case_id and entry.case_id in visible else None

    def get_corrected(self, entry) -> bool:
        try:
            return entry.correction is not None
        except type(entry).correction.RelatedObjectDoesNotExist:
            return False


class ChronologyEntryCreateSerializer(serializers.Serializer):
    occurred_on = serializers.DateField(help_text="The date of the event.")
    occurred_at_time = TimeOfDayField(required=False, allow_null=True, default=None)
    entry_type = serializers.ChoiceField(choices=EntryType.choices)
    significance = serializers.ChoiceField(choices=Significance.choices)
    summary = serializers.CharField(max_length=5000)
    case_id = serializers.UUIDField(
        required=False,
        allow_null=True,
        default=None,
        help_text="A case about this person that the caller's agency takes full part in.",
    )
    submission_key = serializers.UUIDField(
        required=False,
        allow_null=True,
        default=None,
        help_text="A key of the caller's choosing: sending the same entry again with it adds nothing.",
    )


class ActionSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    what = serializers.CharField()
    lead = serializers.SerializerMethodField()
    agency = serializers.CharField(source="agency.name")
    due_date = serializers.DateField()
    status = serializers.CharField()
    source = serializers.CharField()
    created_at = serializers.DateTimeField()

    def get_lead(self, action) -> str:
        return action.lead_user.full_name if action.lead_user_id else action.lead_name


class MeetingSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    kind = serializers.CharField()
    starts_at = serializers.DateTimeField()
    ends_at = serializers.DateTimeField()
    place = serializers.CharField()
    chair = serializers.CharField(source="chair.full_name")
    outcome = serializers.CharField()
    next_review_date = serializers.DateField(allow_null=True)
    finished_at = serializers.DateTimeField(allow_null=True)
    cancelled_at = serializers.DateTimeField(allow_null=True)


class PersonNameSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    given_name = serializers.CharField()
    family_name = serializers.CharField()


class RegisterEntrySerializer(serializers.Serializer):
    id = serializers.UUIDField()
    person = PersonNameSerializer()
    team = serializers.CharField(source="team.name")
    case_id = serializers.UUIDField(allow_null=True)
    criteria = serializers.ListField(child=serializers.CharField())
    named_professional = serializers.CharField(source="named_professional.full_name")
    reason = serializers.CharField()
    added_at = serializers.DateTimeField()
    last_reviewed_at = serializers.DateTimeField()


class RegisterQuerySerializer(serializers.Serializer):
    team = serializers.IntegerField(required=False, min_value=1, help_text="One of the caller's own teams.")


class DutySearchQuerySerializer(serializers.Serializer):
    name = serializers.CharField(max_length=200)
    date_of_birth = serializers.DateField(required=False)
    year_of_birth = serializers.IntegerField(required=False, min_value=1880, max_value=2200)
    aged_from = serializers.IntegerField(required=False, min_value=0, max_value=130)
    aged_to = serializers.IntegerField(required=False, min_value=0, max_value=130)
    register_only = serializers.BooleanField(required=False, default=False)


class NamedProfessionalSerializer(serializers.Serializer):
    name = serializers.CharField(source="full_name")
    phone = serializers.CharField()
    email = serializers.EmailField()


class CardRegisterSerializer(serializers.Serializer):
    """One of the agency's registers the person is on, and whom to reach about them."""

    team = serializers.CharField(source="team.name")
    named_professional = NamedProfessionalSerializer()


class CardProcessSerializer(serializers.Serializer):
    name = serializers.CharField(help_text='For example "MARM case: Accepted", "MARAC".')
    since = serializers.DateField(allow_null=True, help_text="When it started; none for a MARM case.")


class DutyCardSerializer(serializers.Serializer):
    """The duty desk's minimal card, as the page shows it: enough to tell namesakes apart and to reach
    the named professional, never the full record."""

    person_id = serializers.UUIDField(source="person.id")
    given_name = serializers.CharField(source="person.given_name")
    family_name = serializers.CharField(source="person.family_name")
    year_of_birth = serializers.IntegerField(allow_null=True)
    postcode_district = serializers.CharField()
    nhs_last_three = serializers.CharField()
    other_names = serializers.ListField(child=serializers.CharField())
    on_register = serializers.BooleanField()
    open_cases = serializers.SerializerMethodField()
    registers = CardRegisterSerializer(source="entries", many=True)
    processes = CardProcessSerializer(many=True, help_text="The active processes, as the card lists them.")

    def get_open_cases(self, card) -> int:
        return len(card.open_cases)


# The page's own field: the same length and the same message (marm/register/forms.py).
_OPEN_PURPOSE = OpenRecordForm.base_fields["purpose"]


class DutyOpenSerializer(serializers.Serializer):
    purpose = serializers.CharField(
        max_length=_OPEN_PURPOSE.max_length,
        help_text="Why the full record is needed: written on the audit row of each read of it.",
        error_messages=dict.fromkeys(("required", "blank", "null"), _OPEN_PURPOSE.error_messages["required"]),
    )


class FigureSerializer(serializers.Serializer):
    value = serializers.FloatField(allow_null=True, help_text="A count, a percentage or a median in days.")
    numerator = serializers.FloatField(allow_null=True)
    denominator = serializers.IntegerField(allow_null=True)


class QuarterFigureSerializer(FigureSerializer):
    quarter = serializers.DateField(help_text="The first day of the quarter.")


class MeasureSerializer(serializers.Serializer):
    code = serializers.CharField()
    title = serializers.CharField()
    unit = serializers.CharField()
    quarters = QuarterFigureSerializer(many=True)
    year = FigureSerializer()


class MeasuresSerializer(serializers.Serializer):
    year = serializers.IntegerField(help_text="The financial year, by the calendar year it starts in.")
    year_label = serializers.CharField()
    measures = MeasureSerializer(many=True)


class MeasuresQuerySerializer(serializers.Serializer):
    year = serializers.IntegerField(required=False, min_value=2000, max_value=2200)
