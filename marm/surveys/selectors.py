"""Reads of practitioner surveys. Surveys hold no person: the board officer's pages read them
after the permission check; a practitioner reads only surveys they were invited to."""

from django.contrib.auth import get_user_model
from django.db.models import Count, Exists, OuterRef, Prefetch, Q, Sum
from django.http import Http404
from django.utils import timezone

from marm.organisations.models import Agency, Membership, Role
from marm.surveys import results as calc
from marm.surveys.models import Answer, Invitation, Question, Response, Survey
from marm.surveys.vocab import CONFIDENT_SCORES, SurveyPhase, SurveyStatus

_CONFIDENT = Q(score__in=[score.value for score in CONFIDENT_SCORES])


def surveys_listed() -> list[Survey]:
    """Every survey, newest first, with how many were asked and how many have answered."""
    return list(
        Survey.objects.select_related("baseline").annotate(
            invited=Count("invitations"),
            answered=Count("invitations", filter=Q(invitations__responded=True)),
        )
    )


def survey_get(*, survey_id) -> Survey:
    """One survey with its agencies and questions (``agencies_list``, ``questions_list``), or a 404."""
    survey = (
        Survey.objects.select_related("baseline", "created_by")
        .prefetch_related(
            Prefetch("agencies", queryset=Agency.objects.order_by("name"), to_attr="agencies_list"),
            Prefetch("questions", queryset=Question.objects.order_by("order", "pk"), to_attr="questions_list"),
        )
        .filter(pk=survey_id)
        .first()
    )
    if survey is None:
        raise Http404("No such survey")
    return survey


def question_of(*, survey, question_id) -> Question:
    question = Question.objects.filter(survey=survey, pk=question_id).select_related("survey").first()
    if question is None:
        raise Http404("No such question")
    return question


def baseline_choices(*, exclude=None):
    """Surveys from before the change, for a follow-up survey to be compared with."""
    surveys = Survey.objects.filter(phase=SurveyPhase.BASELINE)
    if exclude is not None:
        surveys = surveys.exclude(pk=exclude.pk)
    return surveys.order_by("-opens_on", "-pk")


def invitees(survey) -> list:
    """Active users of the survey's agencies who hold one of its roles in their own agency."""
    holds_role = Membership.objects.filter(
        user_id=OuterRef("pk"), team__agency_id=OuterRef("agency_id"), role__in=survey.roles
    )
    return list(
        get_user_model()
        .objects.filter(is_active=True, agency_id__in=survey.agencies.values("pk"))
        .filter(Exists(holds_role))
        .order_by("pk")
    )


# A practitioner's own invitations


def surveys_for_user(*, user) -> list[Invitation]:
    """'Surveys for you': open surveys the user was invited to and has not answered, closing soonest first."""
    return list(
        Invitation.objects.filter(
            user=user,
            responded=False,
            survey__status=SurveyStatus.OPEN,
            survey__closes_on__gte=timezone.localdate(),
        )
        .select_related("survey")
        .order_by("survey__closes_on", "survey__pk")
    )


def invitation_for(*, user, survey_id) -> Invitation:
    """The user's own invitation to a survey, with the survey and its questions, or a 404."""
    invitation = (
        Invitation.objects.filter(user=user, survey_id=survey_id)
        .select_related("survey")
        .prefetch_related(
            Prefetch("survey__questions", queryset=Question.objects.order_by("order", "pk"), to_attr="questions_list")
        )
        .first()
    )
    if invitation is None:
        raise Http404("No such survey")
    return invitation


# Results


def _figures(row) -> calc.Figures:
    return calc.Figures(answers=row["answers"], total=row["total"] or 0, confident=row["confident"])


def _totals(survey, key: str) -> tuple[dict, dict]:
    """({group: responses}, {question id: {group: Figures}}) for one breakdown, in two queries."""
    counts = {
        row[key]: row["n"]
        for row in Response.objects.filter(survey=survey).values(key).annotate(n=Count("pk")).order_by(key)
    }
    per_question: dict = {}
    rows = (
        Answer.objects.filter(response__survey=survey)
        .values("question_id", f"response__{key}")
        .annotate(answers=Count("pk"), total=Sum("score"), confident=Count("pk", filter=_CONFIDENT))
        .order_by("question_id")
    )
    for row in rows:
        per_question.setdefault(row["question_id"], {})[row[f"response__{key}"]] = _figures(row)
    return counts, per_question


def survey_results(*, survey) -> calc.SurveyResults:
    """Per question, the mean score and the share answering 4 or 5, overall, by agency and by role,
    with small groups folded into "Other" (results.py). A fixed number of queries however many answered."""
    questions = _questions(survey)
    agency_counts, agency_figures = _totals(survey, "agency_id")
    role_counts, role_figures = _totals(survey, "role")
    responses = sum(agency_counts.values())
    agency_labels = dict(Agency.objects.filter(pk__in=list(agency_counts)).values_list("pk", "name"))
    role_labels = dict(Role.choices)
    shown = survey.status == SurveyStatus.CLOSED and responses >= calc.MIN_GROUP_SIZE
    rows = []
    for question in questions:
        by_agency = agency_figures.get(question.pk, {})
        by_role = role_figures.get(question.pk, {})
        if not shown:
            rows.append(calc.QuestionResult(question=question, overall=None, by_agency=[], by_role=[]))
            continue
        rows.append(
            calc.QuestionResult(
                question=question,
                overall=calc.overall(by_agency.values()),
                by_agency=calc.breakdown(
                    counts=agency_counts, figures=by_agency, labels=agency_labels, other_label="Other agencies"
                ),
                by_role=calc.breakdown(
                    counts=role_counts, figures=by_role, labels=role_labels, other_label="Other roles"
                ),
            )
        )
    return calc.SurveyResults(survey=survey, responses=responses, questions=rows)


def _questions(survey) -> list[Question]:
    prefetched = getattr(survey, "questions_list", None)
    if prefetched is not None:
        return prefetched
    return list(Question.objects.filter(survey=survey).order_by("order", "pk"))


def _question_totals(survey) -> tuple[list, int, dict]:
    questions = _questions(survey)
    responses = Response.objects.filter(survey=survey).count()
    figures = {
        row["question_id"]: _figures(row)
        for row in Answer.objects.filter(response__survey=survey)
        .values("question_id")
        .annotate(answers=Count("pk"), total=Sum("score"), confident=Count("pk", filter=_CONFIDENT))
        .order_by("question_id")
    }
    return questions, responses, figures


def before_after(baseline, follow_up) -> calc.BeforeAfter:
    """Per question, the results before and after the change side by side, and the change.
    A survey with fewer than 5 responses shows no figures."""
    before_questions, before_n, before = _question_totals(baseline)
    after_questions, after_n, after = _question_totals(follow_up)
    return calc.BeforeAfter(
        baseline=baseline,
        follow_up=follow_up,
        baseline_responses=before_n,
        follow_up_responses=after_n,
        rows=calc.compare(
            baseline_questions=before_questions,
            follow_up_questions=after_questions,
            before=before,
            after=after,
            before_shown=baseline.status == SurveyStatus.CLOSED and before_n >= calc.MIN_GROUP_SIZE,
            after_shown=follow_up.status == SurveyStatus.CLOSED and after_n >= calc.MIN_GROUP_SIZE,
        ),
    )


def response_rate(*, survey) -> dict:
    """How many were asked and how many have answered, by agency and in all."""
    rows = [
        {
            "agency": row["user__agency__name"] or "No agency",
            "invited": row["invited"],
            "responded": row["responded"],
            "rate": calc.percentage(row["responded"], row["invited"]),
        }
        for row in Invitation.objects.filter(survey=survey)
        .values("user__agency__name")
        .annotate(invited=Count("pk"), responded=Count("pk", filter=Q(responded=True)))
        .order_by("user__agency__name")
    ]
    invited = sum(row["invited"] for row in rows)
    responded = sum(row["responded"] for row in rows)
    return {"rows": rows, "invited": invited, "responded": responded, "rate": calc.percentage(responded, invited)}
