from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from marm.access.rules import require
from marm.core.locking import StaleEditError
from marm.govuk_forms.forms import add_service_errors, submit_to_service, submitted
from marm.surveys import forms, presenters, selectors, services
from marm.surveys.vocab import SurveyStatus

MANAGE = "surveys.manage_survey"


def _detail_url(survey) -> str:
    return reverse("surveys:detail", kwargs={"survey_id": survey.pk})


def _form_page(request, form, *, heading, button, back_url, caption="", template="form_page.html", **extra):
    context = {"form": form, "heading": heading, "button": button, "back_url": back_url, "caption": caption}
    return render(request, template, {**context, **extra})


def _managed(request, survey_id):
    """The survey, for a board officer (403 for anyone else, 404 if there is no such survey)."""
    require(request.user, MANAGE)
    return selectors.survey_get(survey_id=survey_id)


def _while_draft(request, survey):
    """Back to the survey page with a message if it is no longer a draft; None if it is."""
    if survey.is_draft:
        return None
    messages.warning(request, "This survey has been opened: its details and questions can no longer change")
    return redirect(_detail_url(survey))


@require_GET
def survey_list(request):
    require(request.user, MANAGE)
    return render(request, "surveys/list.html", {"surveys": selectors.surveys_listed()})


@require_http_methods(["GET", "POST"])
def survey_new(request):
    require(request.user, MANAGE)
    form = forms.SurveyNewForm(submitted(request), baselines=selectors.baseline_choices())
    submission = submit_to_service(
        request,
        form,
        lambda data: services.survey_create(acting_user=request.user, **data),
        success_message="Survey saved as a draft. Check the questions, then open it",
    )
    if submission.succeeded:
        return redirect(_detail_url(submission.result))
    return _form_page(
        request, form, heading="Create a survey", button="Save as a draft", back_url=reverse("surveys:list")
    )


@require_GET
def survey_detail(request, survey_id):
    survey = _managed(request, survey_id)
    return render(
        request,
        "surveys/detail.html",
        {
            "survey": survey,
            "summary": presenters.survey_summary(survey),
            "rate": selectors.response_rate(survey=survey),
        },
    )


@require_http_methods(["GET", "POST"])
def survey_edit(request, survey_id):
    survey = _managed(request, survey_id)
    if (refused := _while_draft(request, survey)) is not None:
        return refused
    form = forms.SurveyEditForm(
        submitted(request),
        baselines=selectors.baseline_choices(exclude=survey),
        initial={
            "title": survey.title,
            "purpose": survey.purpose,
            "agencies": [agency.pk for agency in survey.agencies_list],
            "roles": survey.roles,
            "opens_on": survey.opens_on,
            "closes_on": survey.closes_on,
            "phase": survey.phase,
            "baseline": survey.baseline_id,
            "version": survey.version,
        },
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        version = data.pop("version")
        try:
            services.survey_update(acting_user=request.user, survey=survey, expected_version=version, **data)
        except StaleEditError:
            messages.warning(request, "Someone else changed this survey first. It now shows their change: check it")
            return redirect("surveys:edit", survey_id=survey.pk)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Survey details saved")
            return redirect(_detail_url(survey))
    return _form_page(
        request, form, heading="Change the survey", button="Save", back_url=_detail_url(survey), caption=survey.title
    )


@require_http_methods(["GET", "POST"])
def question_add(request, survey_id):
    survey = _managed(request, survey_id)
    if (refused := _while_draft(request, survey)) is not None:
        return refused
    form = forms.QuestionForm(submitted(request))
    submission = submit_to_service(
        request,
        form,
        lambda data: services.survey_question_add(acting_user=request.user, survey=survey, **data),
        success_message="Question added",
    )
    if submission.succeeded:
        return redirect(_detail_url(survey))
    return _form_page(
        request,
        form,
        heading="Add a question",
        button="Add the question",
        back_url=_detail_url(survey),
        caption=survey.title,
    )


@require_http_methods(["GET", "POST"])
def question_edit(request, survey_id, question_id):
    survey = _managed(request, survey_id)
    question = selectors.question_of(survey=survey, question_id=question_id)
    if (refused := _while_draft(request, survey)) is not None:
        return refused
    form = forms.QuestionForm(submitted(request), initial={"text": question.text})
    submission = submit_to_service(
        request,
        form,
        lambda data: services.survey_question_update(acting_user=request.user, question=question, **data),
        success_message="Question changed",
    )
    if submission.succeeded:
        return redirect(_detail_url(survey))
    return _form_page(
        request, form, heading="Change the question", button="Save", back_url=_detail_url(survey), caption=survey.title
    )


@require_http_methods(["GET", "POST"])
def question_remove(request, survey_id, question_id):
    survey = _managed(request, survey_id)
    question = selectors.question_of(survey=survey, question_id=question_id)
    if (refused := _while_draft(request, survey)) is not None:
        return refused
    form = forms.ConfirmForm(submitted(request))
    submission = submit_to_service(
        request,
        form,
        lambda _data: services.survey_question_remove(acting_user=request.user, question=question),
        success_message="Question removed",
    )
    if submission.succeeded:
        return redirect(_detail_url(survey))
    return _form_page(
        request,
        form,
        heading="Remove this question?",
        button="Remove the question",
        back_url=_detail_url(survey),
        caption=survey.title,
        template="surveys/confirm.html",
        intro=[question.text],
        warning=True,
    )


@require_http_methods(["GET", "POST"])
def survey_open(request, survey_id):
    survey = _managed(request, survey_id)
    form = forms.ConfirmForm(submitted(request))
    submission = submit_to_service(
        request, form, lambda _data: services.survey_open(acting_user=request.user, survey=survey)
    )
    if submission.succeeded:
        messages.success(request, f"Survey opened: {submission.result} people have been asked to answer it")
        return redirect(_detail_url(survey))
    if survey.is_draft:
        asked = len(selectors.invitees(survey))
        intro = [
            f"{asked} {'person' if asked == 1 else 'people'} in the chosen agencies and roles will be asked to "
            "answer it. Each gets a notification and an e-mail that links to 'Surveys for you'.",
            "Once it is open, its details and questions cannot change.",
        ]
    else:
        intro = [f"This survey is {survey.get_status_display().lower()}."]
    return _form_page(
        request,
        form,
        heading="Open the survey",
        button="Open the survey",
        back_url=_detail_url(survey),
        caption=survey.title,
        template="surveys/confirm.html",
        intro=intro,
    )


@require_http_methods(["GET", "POST"])
def survey_close(request, survey_id):
    survey = _managed(request, survey_id)
    form = forms.ConfirmForm(submitted(request))
    submission = submit_to_service(
        request,
        form,
        lambda _data: services.survey_close(acting_user=request.user, survey=survey),
        success_message="Survey closed: it no longer takes answers",
    )
    if submission.succeeded:
        return redirect(_detail_url(survey))
    return _form_page(
        request,
        form,
        heading="Close the survey",
        button="Close the survey",
        back_url=_detail_url(survey),
        caption=survey.title,
        template="surveys/confirm.html",
        intro=["Nobody will be able to answer it after this, even before its closing date."],
        warning=True,
    )


@require_GET
def survey_results(request, survey_id):
    survey = _managed(request, survey_id)
    comparison = None
    if survey.baseline_id:
        comparison = selectors.before_after(survey.baseline, survey)
    return render(
        request,
        "surveys/results.html",
        {
            "survey": survey,
            "results": selectors.survey_results(survey=survey),
            "rate": selectors.response_rate(survey=survey),
            "comparison": comparison,
            "comparison_rows": presenters.comparison_rows(comparison) if comparison else [],
            "closes_on": presenters.long_date(survey.closes_on),
        },
    )


# For practitioners


@require_GET
def surveys_for_you(request):
    invitations = selectors.surveys_for_user(user=request.user)
    return render(
        request,
        "surveys/for_you.html",
        {"rows": [(inv.survey, presenters.long_date(inv.survey.closes_on)) for inv in invitations]},
    )


@require_http_methods(["GET", "POST"])
def survey_answer(request, survey_id):
    """The answer form: only for a user invited to the survey (404 for anyone else)."""
    invitation = selectors.invitation_for(user=request.user, survey_id=survey_id)
    survey = invitation.survey
    form = forms.AnswerForm(submitted(request), questions=survey.questions_list)
    submission = submit_to_service(
        request,
        form,
        lambda _data: services.survey_respond(acting_user=request.user, survey=survey, answers=form.answers()),
        success_message="Thank you: your answers have been sent",
    )
    if submission.succeeded:
        return redirect("surveys:for-you")
    return render(
        request,
        "surveys/answer.html",
        {
            "survey": survey,
            "form": form,
            "answered": invitation.responded,
            "closed": survey.status != SurveyStatus.OPEN or survey.closes_on < timezone.localdate(),
            "closes_on": presenters.long_date(survey.closes_on),
        },
    )
