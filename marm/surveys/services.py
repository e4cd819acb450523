"""Writes on practitioner surveys (003 SAB1: measure confidence, then re-measure it).

The board officer creates, edits, opens and closes a survey; each is one
transaction with its audit row. A practitioner's answer is written by
``survey_respond``: the invitation is marked answered and an anonymous
response, which holds no user, no invitation and no time of day, is written
in one transaction. The audit row of an answer says only that the user
responded to the survey, never what they answered.
"""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from marm.access.rules import require
from marm.audit.models import AuditAction
from marm.audit.services import SystemActor, audit_record
from marm.core.locking import save_if_current
from marm.govuk_forms.submission import first_submission, save_once
from marm.notifications.services import notify
from marm.organisations.models import Membership, Role
from marm.surveys.models import Answer, Invitation, Question, Response, Survey
from marm.surveys.selectors import invitees
from marm.surveys.vocab import DEFAULT_QUESTIONS, ConfidenceScore, SurveyPhase, SurveyStatus, unanswered_message

SURVEYS = SystemActor("surveys")
MANAGE = "surveys.manage_survey"


def _long_date(day: datetime.date) -> str:
    return date_format(day, "j F Y")


def _check_details(
    *, title: str, purpose: str, agencies, roles, opens_on, closes_on, phase: str, baseline, survey=None
) -> dict:
    errors = {}
    if not (title or "").strip():
        errors["title"] = "Enter a title for the survey"
    if not (purpose or "").strip():
        errors["purpose"] = "Say why you are asking: practitioners see this above the questions"
    if not list(agencies or []):
        errors["agencies"] = "Select at least one agency"
    if not list(roles or []):
        errors["roles"] = "Select at least one role"
    elif any(role not in Role.values for role in roles):
        errors["roles"] = "Select roles from the list"
    if opens_on is None:
        errors["opens_on"] = "Enter the date the survey opens"
    if closes_on is None:
        errors["closes_on"] = "Enter the date the survey closes"
    elif opens_on is not None and closes_on < opens_on:
        errors["closes_on"] = "The closing date must be on or after the opening date"
    if phase not in SurveyPhase.values:
        errors["phase"] = "Select whether the survey is before or after the change"
    if baseline is not None:
        if phase != SurveyPhase.FOLLOW_UP:
            errors["baseline"] = "Only a survey after the change can be compared with a survey before it"
        elif baseline.phase != SurveyPhase.BASELINE:
            errors["baseline"] = "Choose a survey from before the change"
        elif survey is not None and baseline.pk == survey.pk:
            errors["baseline"] = "A survey cannot be compared with itself"
    return errors


def _roles(roles) -> list[str]:
    return [role for role in Role.values if role in set(roles)]


@transaction.atomic
def survey_create(
    *,
    acting_user,
    title: str,
    purpose: str,
    agencies,
    roles=(Role.PRACTITIONER,),
    opens_on: datetime.date,
    closes_on: datetime.date,
    phase: str = SurveyPhase.BASELINE,
    baseline=None,
    submission_key=None,
) -> Survey:
    """A draft survey with the default questions, which the board officer may change until it opens."""
    require(acting_user, MANAGE)
    earlier = first_submission(Survey.objects.filter(created_by=acting_user), submission_key)
    if earlier is not None:
        return earlier
    agencies = list(agencies or [])
    errors = _check_details(
        title=title,
        purpose=purpose,
        agencies=agencies,
        roles=roles,
        opens_on=opens_on,
        closes_on=closes_on,
        phase=phase,
        baseline=baseline,
    )
    if errors:
        raise ValidationError(errors)
    survey = Survey(
        title=title.strip(),
        purpose=purpose.strip(),
        roles=_roles(roles),
        opens_on=opens_on,
        closes_on=closes_on,
        phase=phase,
        baseline=baseline,
        status=SurveyStatus.DRAFT,
        created_by=acting_user,
        submission_key=submission_key,
    )
    survey.full_clean()
    survey, made = save_once(survey, Survey.objects.filter(created_by=acting_user))
    if not made:
        return survey
    survey.agencies.set(agencies)
    Question.objects.bulk_create(
        Question(survey=survey, text=text, order=order) for order, text in enumerate(DEFAULT_QUESTIONS, start=1)
    )
    audit_record(
        actor=acting_user,
        action=AuditAction.CREATE,
        obj=survey,
        detail={"title": survey.title, "phase": phase, "agencies": sorted(a.pk for a in agencies)},
    )
    return survey


def _check_draft(survey: Survey) -> None:
    if survey.status != SurveyStatus.DRAFT:
        raise ValidationError("This survey has been opened: its details and questions can no longer change")


@transaction.atomic
def survey_update(
    *,
    acting_user,
    survey,
    expected_version: int,
    title: str,
    purpose: str,
    agencies,
    roles,
    opens_on: datetime.date,
    closes_on: datetime.date,
    phase: str,
    baseline=None,
) -> Survey:
    """Change a draft survey's details. Raises StaleEditError if someone saved it first."""
    require(acting_user, MANAGE)
    _check_draft(survey)
    agencies = list(agencies or [])
    errors = _check_details(
        title=title,
        purpose=purpose,
        agencies=agencies,
        roles=roles,
        opens_on=opens_on,
        closes_on=closes_on,
        phase=phase,
        baseline=baseline,
        survey=survey,
    )
    if errors:
        raise ValidationError(errors)
    survey.title = title.strip()
    survey.purpose = purpose.strip()
    survey.roles = _roles(roles)
    survey.opens_on = opens_on
    survey.closes_on = closes_on
    survey.phase = phase
    survey.baseline = baseline
    survey.full_clean(exclude=["submission_key"])
    save_if_current(
        survey,
        expected_version=expected_version,
        fields=["title", "purpose", "roles", "opens_on", "closes_on", "phase", "baseline"],
    )
    survey.agencies.set(agencies)
    audit_record(
        actor=acting_user,
        action=AuditAction.UPDATE,
        obj=survey,
        detail={"title": survey.title, "phase": phase, "agencies": sorted(a.pk for a in agencies)},
    )
    return survey


def _check_question_text(text: str) -> str:
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": "Enter the question"})
    if len(text) > Question._meta.get_field("text").max_length:
        raise ValidationError({"text": "The question must be 300 characters or fewer"})
    return text


@transaction.atomic
def survey_question_add(*, acting_user, survey, text: str) -> Question:
    """Add a question at the end of a draft survey."""
    require(acting_user, MANAGE)
    _check_draft(survey)
    text = _check_question_text(text)
    last = Question.objects.filter(survey=survey).aggregate(last=Max("order"))["last"] or 0
    question = Question(survey=survey, text=text, order=last + 1)
    question.full_clean()
    question.save(force_insert=True)
    audit_record(actor=acting_user, action=AuditAction.CREATE, obj=question, detail={"survey": survey.pk})
    return question


@transaction.atomic
def survey_question_update(*, acting_user, question, text: str) -> Question:
    """Change the wording of a question of a draft survey."""
    require(acting_user, MANAGE)
    _check_draft(question.survey)
    before = question.text
    question.text = _check_question_text(text)
    question.full_clean()
    question.save(update_fields=["text"])
    audit_record(
        actor=acting_user,
        action=AuditAction.UPDATE,
        obj=question,
        detail={"survey": question.survey_id, "text": [before, question.text]},
    )
    return question


@transaction.atomic
def survey_question_remove(*, acting_user, question) -> None:
    """Take a question out of a draft survey (nobody has answered a draft)."""
    require(acting_user, MANAGE)
    _check_draft(question.survey)
    audit_record(
        actor=acting_user,
        action=AuditAction.DELETE,
        obj=question,
        detail={"survey": question.survey_id, "text": question.text},
    )
    question.delete()


@transaction.atomic
def survey_open(*, acting_user, survey) -> int:
    """Open a draft survey: invite everyone it asks, and tell each of them. Returns how many were invited."""
    require(acting_user, MANAGE)
    survey = Survey.objects.select_for_update().get(pk=survey.pk)
    _check_draft(survey)
    today = timezone.localdate()
    if not survey.questions.exists():
        raise ValidationError("Add at least one question before opening the survey")
    if survey.opens_on > today:
        raise ValidationError(f"This survey opens on {_long_date(survey.opens_on)}: open it on or after that day")
    if survey.closes_on < today:
        raise ValidationError("The closing date has passed: change it before opening the survey")
    users = invitees(survey)
    if not users:
        raise ValidationError("Nobody in the chosen agencies holds the chosen roles: change who is asked")
    survey.status = SurveyStatus.OPEN
    survey.save(update_fields=["status"])
    Invitation.objects.bulk_create(Invitation(survey=survey, user=user) for user in users)
    link = reverse("surveys:for-you")
    for user in users:
        notify(
            recipient=user,
            kind="survey_invitation",
            key=f"survey-invitation:{survey.pk}:{user.pk}",
            title=f"Please answer the survey: {survey.title}",
            body=(
                f"The Safeguarding Adults Board asks how confident you feel in your safeguarding work. "
                f"It takes a few minutes and your answers are anonymous. "
                f"Answer it from 'Surveys for you' by {_long_date(survey.closes_on)}."
            ),
            link=link,
            actor=acting_user,
        )
    audit_record(
        actor=acting_user,
        action=AuditAction.UPDATE,
        obj=survey,
        detail={"status": [SurveyStatus.DRAFT, SurveyStatus.OPEN], "invited": len(users)},
    )
    return len(users)


def _close(survey, actor) -> None:
    survey.status = SurveyStatus.CLOSED
    survey.closed_on = timezone.localdate()
    survey.save(update_fields=["status", "closed_on"])
    audit_record(
        actor=actor, action=AuditAction.UPDATE, obj=survey, detail={"status": [SurveyStatus.OPEN, SurveyStatus.CLOSED]}
    )


@transaction.atomic
def survey_close(*, acting_user, survey) -> Survey:
    """Close an open survey: no more answers are taken."""
    require(acting_user, MANAGE)
    survey = Survey.objects.select_for_update().get(pk=survey.pk)
    if survey.status != SurveyStatus.OPEN:
        raise ValidationError("Only an open survey can be closed")
    _close(survey, acting_user)
    return survey


def surveys_close_due(now: datetime.datetime) -> int:
    """The sweep ``surveys-close``: close open surveys past their closing date and tell whoever created each."""
    today = timezone.localdate(now)
    told = 0
    for survey in Survey.objects.filter(status=SurveyStatus.OPEN, closes_on__lt=today).select_related("created_by"):
        with transaction.atomic():
            _close(survey, SURVEYS)
            told += bool(
                notify(
                    recipient=survey.created_by,
                    kind="survey_closed",
                    key=f"survey-closed:{survey.pk}",
                    title=f"The survey has closed: {survey.title}",
                    body="Its closing date has passed. The results are ready to read.",
                    link=reverse("surveys:results", kwargs={"survey_id": survey.pk}),
                    actor=SURVEYS,
                )
            )
    return told


def _scores(survey, answers) -> dict[int, int]:
    """The answers as {question id: score}, one for every question, or a ValidationError naming each gap."""
    questions = list(Question.objects.filter(survey=survey).order_by("order", "pk"))
    answers = {str(key): value for key, value in (answers or {}).items()}
    scores, errors = {}, {}
    for question in questions:
        raw = answers.get(str(question.pk))
        try:
            score = int(raw)
        except (TypeError, ValueError):
            score = None
        if score not in ConfidenceScore.values:
            errors[f"question_{question.pk}"] = unanswered_message(question.text)
        else:
            scores[question.pk] = score
    if errors:
        raise ValidationError(errors)
    return scores


def _role_of(user, survey) -> str:
    held = set(Membership.objects.filter(user=user, team__agency_id=user.agency_id).values_list("role", flat=True))
    for role in survey.roles:
        if role in held:
            return role
    raise ValidationError("You no longer hold a role this survey asks: it cannot take your answers")


@transaction.atomic
def survey_respond(*, acting_user, survey, answers) -> None:
    """Answer a survey once, anonymously.

    ``answers`` maps each question's id to a score from 1 to 5. Only a user
    invited to the survey may answer, once, while it is open. The invitation
    is marked answered; the response records the agency, the role and the day,
    and nothing that leads back to the user.
    """
    invitation = Invitation.objects.select_for_update().filter(survey=survey, user=acting_user).first()
    if invitation is None:
        raise PermissionDenied
    survey = Survey.objects.get(pk=survey.pk)
    today = timezone.localdate()
    if invitation.responded:
        raise ValidationError("You have already answered this survey. Each person answers once")
    if survey.status != SurveyStatus.OPEN or survey.closes_on < today:
        raise ValidationError("This survey has closed: it no longer takes answers")
    scores = _scores(survey, answers)
    role = _role_of(acting_user, survey)
    # Marked answered only if it was not already: a repeated post in a race writes nothing.
    marked = Invitation.objects.filter(pk=invitation.pk, responded=False).update(
        responded=True, responded_at=timezone.now()
    )
    if marked != 1:
        raise ValidationError("You have already answered this survey. Each person answers once")
    response = Response(survey=survey, agency_id=acting_user.agency_id, role=role, submitted_on=today)
    response.full_clean()
    response.save(force_insert=True)
    Answer.objects.bulk_create(
        Answer(response=response, question_id=question_id, score=score) for question_id, score in scores.items()
    )
    # 003 SAB1: the answers are anonymous, so the audit says only that this user responded.
    audit_record(
        actor=acting_user,
        action=AuditAction.UPDATE,
        obj=invitation,
        detail={"event": f"responded to survey {survey.pk}"},
    )
