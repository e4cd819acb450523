"""The API's endpoints (ADR 0034): thin views over the selectors and services the pages use.

Every read of a person or case goes through the same guarded selector as its page (a VIEW row,
a 404 and a DENIED row for a record the caller may not see), lists that name people are one
SEARCH row, and the one write goes through the chronology's service, as the form does.
The record a URL names is read before the method is looked at, so whatever the method, a caller
who may not see it gets the same 404.
"""

import datetime

from django.core.exceptions import ValidationError
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import exceptions, status
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from marm.access.rules import require
from marm.api import serializers as s
from marm.api.exceptions import as_api_error
from marm.api.kept import TokenKept
from marm.api.models import ApiToken, Scope
from marm.api.permissions import TokenScope, read_or_write
from marm.assurance import selectors as assurance_selectors
from marm.assurance.registry import financial_year_label
from marm.cases import selectors as case_selectors
from marm.chronology import selectors as chronology_selectors
from marm.chronology import services as chronology_services
from marm.core.throttle import throttle_check
from marm.meetings import selectors as meeting_selectors
from marm.people import selectors as people_selectors
from marm.plans import selectors as plan_selectors
from marm.register import duty_selectors, purpose
from marm.register import selectors as register_selectors

ERRORS = {
    400: OpenApiResponse(description="The request is not valid: the messages say why, by field."),
    401: OpenApiResponse(s.ErrorSerializer, description="No token, or one that is wrong, expired or revoked."),
    403: OpenApiResponse(s.ErrorSerializer, description="Not allowed: the token's scopes or the user's role."),
    404: OpenApiResponse(s.ErrorSerializer, description="Not found, or not visible to the user (audited)."),
    429: OpenApiResponse(s.ErrorSerializer, description="Too many searches in the last minute."),
}


def _errors(*codes):
    return {code: ERRORS[code] for code in (401, 403, 429, *codes)}


class ApiView(APIView):
    permission_classes = [IsAuthenticated, TokenScope]

    def scope_for(self, request) -> str:
        return read_or_write(request)

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        if isinstance(request.auth, ApiToken):
            # A duty officer's purposes are kept by the token, as the pages keep them in the session.
            purpose.keep_purposes_in(TokenKept(request.auth))
        self.load(request, **kwargs)

    def load(self, request, **kwargs) -> None:
        """Read the record the URL names, through its guarded selector."""


def throttle(request, bucket: str) -> None:
    """The pages' per-user limits (marm.core.throttle, ADR 0025): counted and audited the same way."""
    if refused := throttle_check(request, bucket):
        raise exceptions.Throttled(wait=int(refused["Retry-After"]))


def query(serializer_class, request) -> dict:
    serializer = serializer_class(data=request.query_params)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


def _partial_date(text: str | None):
    if not text:
        return None
    parts = [int(part) for part in text.split("-")]
    try:
        if len(parts) == 3:
            return datetime.date(*parts)
        if not 1 <= parts[0] <= 9999 or (len(parts) == 2 and not 1 <= parts[1] <= 12):
            raise ValueError
    except ValueError:
        raise exceptions.ValidationError({"date_of_birth": ["Enter a real date of birth."]}) from None
    return parts[0] if len(parts) == 1 else tuple(parts)


class PersonSearch(ApiView):
    @extend_schema(
        operation_id="people_search",
        parameters=[s.PersonSearchQuerySerializer],
        responses={200: s.PersonSearchSerializer, **_errors(400)},
        summary="Search for people the user's agency is involved with (tolerant of misspellings)",
    )
    def get(self, request):
        chosen = query(s.PersonSearchQuerySerializer, request)
        date_of_birth = _partial_date(chosen.get("date_of_birth"))
        if not (chosen["name"].strip() or chosen["nhs_number"].strip() or date_of_birth):
            raise exceptions.ValidationError({"name": ["Give a name, a date of birth or an NHS number."]})
        throttle(request, "person-search")
        results = people_selectors.person_search_for_user(
            user=request.user, name=chosen["name"], date_of_birth=date_of_birth, nhs_number=chosen["nhs_number"]
        )
        return Response(s.PersonSearchSerializer(results).data)


class PersonDetail(ApiView):
    def load(self, request, pk):
        self.person = people_selectors.person_detail_for_user(user=request.user, pk=pk)

    @extend_schema(operation_id="person", responses={200: s.PersonSerializer, **_errors(404)})
    def get(self, request, pk):
        return Response(s.PersonSerializer(self.person).data)


class PersonCases(ApiView):
    def load(self, request, pk):
        self.person = people_selectors.person_get_for_user(user=request.user, pk=pk)

    @extend_schema(
        operation_id="person_cases",
        responses={200: s.CaseSummarySerializer(many=True), **_errors(404)},
        summary="The person's cases that the user's agency takes part in",
    )
    def get(self, request, pk):
        cases = case_selectors.cases_for_person(user=request.user, person=self.person)
        return Response(s.CaseSummarySerializer(cases, many=True).data)


class CaseDetail(ApiView):
    def load(self, request, case_pk):
        self.case, self.access = case_selectors.case_page_for_user(user=request.user, pk=case_pk)

    @extend_schema(operation_id="case", responses={200: s.CaseSerializer, **_errors(404)})
    def get(self, request, case_pk):
        return Response(s.CaseSerializer(self.case, context={"access": self.access}).data)


class Chronology(ApiView):
    def load(self, request, pk):
        purpose = "Adding to the chronology" if request.method == "POST" else "Reading the chronology"
        self.person = chronology_selectors.chronology_person_for_user(user=request.user, pk=pk, purpose=purpose)

    @extend_schema(
        operation_id="chronology",
        responses={200: s.ChronologyEntrySerializer(many=True), **_errors(404)},
        summary="The person's merged chronology, newest first",
    )
    def get(self, request, pk):
        chronology = chronology_selectors.chronology_for_user(user=request.user, person=self.person)
        context = {"visible_case_ids": chronology.visible_case_ids}
        return Response(s.ChronologyEntrySerializer(chronology.entries, many=True, context=context).data)

    @extend_schema(
        operation_id="chronology_add",
        request=s.ChronologyEntryCreateSerializer,
        responses={201: s.ChronologyEntrySerializer, **_errors(400, 404)},
        summary="Add an entry to the person's chronology, for the user's agency",
    )
    def post(self, request, pk):
        require(request.user, "chronology.add_entry")
        serializer = s.ChronologyEntryCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        case_id = data.pop("case_id")
        case = None
        if case_id is not None:
            cases = chronology_selectors.chronology_cases_for_user(user=request.user, person=self.person)
            case = next((c for c in cases if c.pk == case_id), None)
            if case is None:
                raise exceptions.ValidationError(
                    {"case_id": ["Give a case about this person that your agency takes part in fully."]}
                )
        try:
            entry = chronology_services.chronology_entry_add(
                acting_user=request.user, person=self.person, case=case, **data
            )
        except ValidationError as error:
            raise as_api_error(error) from None
        context = {"visible_case_ids": {case.pk} if case else set()}
        return Response(s.ChronologyEntrySerializer(entry, context=context).data, status=status.HTTP_201_CREATED)


class CaseRecords(ApiView):
    """A list of records under a case, for an agency that takes full part in it."""

    def load(self, request, case_pk):
        self.case = case_selectors.case_get_for_user(user=request.user, pk=case_pk, purpose=self.purpose)


class CaseActions(CaseRecords):
    purpose = "Reading the actions"

    @extend_schema(
        operation_id="case_actions",
        responses={200: s.ActionSerializer(many=True), **_errors(404)},
        summary="The actions of a case, soonest due first",
    )
    def get(self, request, case_pk):
        return Response(s.ActionSerializer(plan_selectors.actions_for_case(case=self.case), many=True).data)


class CaseMeetings(CaseRecords):
    purpose = "Reading the meetings"

    @extend_schema(
        operation_id="case_meetings",
        responses={200: s.MeetingSerializer(many=True), **_errors(404)},
        summary="The meetings of a case, latest first",
    )
    def get(self, request, case_pk):
        return Response(s.MeetingSerializer(meeting_selectors.meetings_for_case(case=self.case), many=True).data)


class Register(ApiView):
    @extend_schema(
        operation_id="register",
        parameters=[s.RegisterQuerySerializer],
        responses={200: s.RegisterEntrySerializer(many=True), **_errors(400, 404)},
        summary="The active entries of the high-risk registers the user's agency keeps, or of one of their teams",
    )
    def get(self, request):
        team_id = query(s.RegisterQuerySerializer, request).get("team")
        if team_id is not None:
            team_id = register_selectors.team_of_user(user=request.user, team_id=team_id).pk
        entries = register_selectors.register_for_user(user=request.user, team_id=team_id)
        return Response(s.RegisterEntrySerializer(entries, many=True).data)


class DutySearch(ApiView):
    @extend_schema(
        operation_id="duty_search",
        parameters=[s.DutySearchQuerySerializer],
        responses={200: s.DutyCardSerializer(many=True), **_errors(400)},
        summary="The duty desk's search: minimal cards, people on a register first",
    )
    def get(self, request):
        require(request.user, "register.use_duty_desk")
        chosen = query(s.DutySearchQuerySerializer, request)
        throttle(request, "duty-search")
        cards = duty_selectors.duty_search(user=request.user, **chosen)
        return Response(s.DutyCardSerializer(cards, many=True).data)


class DutyCard(ApiView):
    def load(self, request, pk):
        self.card = duty_selectors.duty_card_for_user(user=request.user, pk=pk)

    @extend_schema(
        operation_id="duty_card",
        responses={200: s.DutyCardSerializer, **_errors(404)},
        summary="One person's minimal card, for a duty officer of an agency that sees them",
    )
    def get(self, request, pk):
        return Response(s.DutyCardSerializer(self.card).data)


class DutyOpen(ApiView):
    """The duty desk's "open the full record": a duty officer says why, and the purpose is kept for the
    person (by the token, or the browser's session) for the time the page keeps it. Each full-record
    read of the person or their cases through the API then carries it on its audit row; without it such
    a read is 403. The purpose changes no record, so a token's "read" scope is enough."""

    def scope_for(self, request) -> str:
        return Scope.READ

    def load(self, request, pk):
        self.card = duty_selectors.duty_card_for_user(user=request.user, pk=pk)

    @extend_schema(
        operation_id="duty_open",
        request=s.DutyOpenSerializer,
        responses={200: s.PersonSerializer, **_errors(400, 404)},
        summary="A duty officer says why they need a person's full record: the record, its read audited with why",
    )
    def post(self, request, pk):
        serializer = s.DutyOpenSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        given = serializer.validated_data["purpose"]
        purpose.purpose_record(purpose.current_store(), self.card.person.pk, given)
        # As the page: this read's VIEW row names the purpose, and so does each full-record read after it.
        person = people_selectors.person_detail_for_user(user=request.user, pk=self.card.person.pk, purpose=given)
        return Response(s.PersonSerializer(person).data)


def _figure(cell) -> dict:
    return {"value": cell.value, "numerator": cell.numerator, "denominator": cell.denominator}


class BoardMeasures(ApiView):
    def scope_for(self, request) -> str:
        return Scope.BOARD

    @extend_schema(
        operation_id="board_measures",
        parameters=[s.MeasuresQuerySerializer],
        responses={200: s.MeasuresSerializer, **_errors(400)},
        summary="Every measure of the board for a financial year, by quarter: figures only, never a person",
    )
    def get(self, request):
        require(request.user, "assurance.view_measures")
        years = assurance_selectors.financial_years()
        year = query(s.MeasuresQuerySerializer, request).get("year", years[0])
        if year not in years:
            raise exceptions.ValidationError({"year": [f"Choose a year with casework: {', '.join(map(str, years))}."]})
        results = assurance_selectors.every_measure(year=year)
        data = {
            "year": year,
            "year_label": financial_year_label(year),
            "measures": [
                {
                    "code": result.measure.code,
                    "title": result.measure.title,
                    "unit": result.measure.unit,
                    "quarters": [{"quarter": q, **_figure(result.by_quarter[q])} for q in result.quarters],
                    "year": _figure(result.total),
                }
                for result in results
            ],
        }
        return Response(s.MeasuresSerializer(data).data)
