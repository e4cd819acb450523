from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from marm.access.rules import require
from marm.core.locking import StaleEditError
from marm.govuk_forms.forms import add_service_errors, submit_to_service, submitted
from marm.sar import forms, presenters, selectors, services
from marm.sar.vocab import REPORTED, Rag, ReviewStatus


def _review(request, review_id):
    """The review, for a user who may see it: 403 for anyone else (a review holds no person)."""
    require(request.user, "sar.use_reviews")
    review = selectors.review_get(review_id=review_id)
    require(request.user, "sar.view_review", review)
    return review


def _managed_review(request, review_id):
    require(request.user, "sar.manage_reviews")
    return selectors.review_get(review_id=review_id)


def _review_url(review, anchor: str = "") -> str:
    url = reverse("sar:review", kwargs={"review_id": review.pk})
    return f"{url}#{anchor}" if anchor else url


def _form_page(review, form, heading, button, back_url=None) -> dict:
    return {
        "form": form,
        "heading": heading,
        "button": button,
        "caption": f"{review.reference} ({review.adults})" if review else "Safeguarding Adults Reviews",
        "back_url": back_url or (_review_url(review) if review else reverse("sar:list")),
    }


def reviews_list(request):
    """The board officer's reviews; for a nominated contact, the reviews their organisation takes part in."""
    require(request.user, "sar.use_reviews")
    return render(
        request,
        "sar/list.html",
        {
            "rows": presenters.review_rows(selectors.reviews_for(user=request.user)),
            "can_manage": request.user.has_perm("sar.manage_reviews"),
        },
    )


@require_http_methods(["GET", "POST"])
def review_new(request):
    require(request.user, "sar.manage_reviews")
    form = forms.ReviewForm(submitted(request))
    submission = submit_to_service(
        request,
        form,
        lambda data: services.review_create(acting_user=request.user, **data),
        success_message="Review recorded. Now add the organisations taking part",
    )
    if submission.succeeded:
        return redirect(_review_url(submission.result))
    return render(request, "form_page.html", _form_page(None, form, "Record a Safeguarding Adults Review", "Save"))


def review_detail(request, review_id):
    review = _review(request, review_id)
    user = request.user
    page = presenters.plan_page(
        selectors.review_plan(review=review),
        may_update=lambda progress: user.has_perm("sar.update_progress", progress),
        may_sign_off=user.has_perm("sar.sign_off_action"),
    )
    can_manage = user.has_perm("sar.manage_reviews")
    return render(
        request,
        "sar/review.html",
        {
            "review": review,
            "page": page,
            "status_tag": presenters.status_tag(review),
            "can_manage": can_manage,
            "can_conclude": can_manage and review.status == ReviewStatus.ONGOING,
        },
    )


@require_http_methods(["GET", "POST"])
def review_edit(request, review_id):
    review = _managed_review(request, review_id)
    initial = {name: getattr(review, name) for name in services.REVIEW_FIELDS}
    initial["adult_died"] = "yes" if review.adult_died else "no"
    form = forms.ReviewEditForm(submitted(request), initial=initial)
    submission = submit_to_service(
        request,
        form,
        lambda data: services.review_edit(acting_user=request.user, review=review, **data),
        success_message="Review details saved",
    )
    if submission.succeeded:
        return redirect(_review_url(review))
    return render(request, "form_page.html", _form_page(review, form, "Change the review's details", "Save"))


@require_http_methods(["GET", "POST"])
def review_conclude(request, review_id):
    review = _managed_review(request, review_id)
    form = forms.ConcludeForm(submitted(request))
    submission = submit_to_service(
        request,
        form,
        lambda data: services.review_conclude(acting_user=request.user, review=review, **data),
        success_message="The review is recorded as concluded. Its action plan carries on",
    )
    if submission.succeeded:
        return redirect(_review_url(review))
    return render(request, "form_page.html", _form_page(review, form, "Record that the review has concluded", "Save"))


@require_http_methods(["GET", "POST"])
def organisation_new(request, review_id):
    review = _managed_review(request, review_id)
    form = forms.OrganisationForm(
        submitted(request),
        agencies=selectors.agencies_to_add(review=review),
        contacts=selectors.possible_contacts(),
    )
    submission = submit_to_service(
        request,
        form,
        lambda data: services.review_organisation_add(acting_user=request.user, review=review, **data),
        success_message="Organisation added to the plan",
    )
    if submission.succeeded:
        return redirect(_review_url(review, "organisations"))
    return render(request, "form_page.html", _form_page(review, form, "Add an organisation taking part", "Add"))


@require_http_methods(["GET", "POST"])
def theme_new(request, review_id):
    review = _managed_review(request, review_id)
    form = forms.ThemeForm(submitted(request))
    submission = submit_to_service(
        request,
        form,
        lambda data: services.theme_add(acting_user=request.user, review=review, **data),
        success_message="Theme added",
    )
    if submission.succeeded:
        return redirect(_review_url(review, f"theme-{submission.result.pk}"))
    return render(request, "form_page.html", _form_page(review, form, "Add a theme", "Add"))


@require_http_methods(["GET", "POST"])
def recommendation_new(request, review_id):
    review = _managed_review(request, review_id)
    form = forms.RecommendationForm(submitted(request), themes=selectors.themes_of_review(review=review))
    submission = submit_to_service(
        request,
        form,
        lambda data: services.recommendation_add(acting_user=request.user, review=review, **data),
        success_message="Recommendation added. Record the board's response to it",
    )
    if submission.succeeded:
        return redirect(_review_url(review, f"recommendation-{submission.result.pk}"))
    return render(request, "form_page.html", _form_page(review, form, "Add a recommendation", "Add"))


@require_http_methods(["GET", "POST"])
def recommendation_respond(request, review_id, recommendation_id):
    review = _managed_review(request, review_id)
    recommendation = selectors.recommendation_of_review(review=review, recommendation_id=recommendation_id)
    form = forms.RespondForm(
        submitted(request),
        initial={"response": recommendation.response, "not_accepted_reason": recommendation.not_accepted_reason},
    )
    submission = submit_to_service(
        request,
        form,
        lambda data: services.recommendation_respond(acting_user=request.user, recommendation=recommendation, **data),
        success_message="Response recorded",
    )
    if submission.succeeded:
        return redirect(_review_url(review, f"recommendation-{recommendation.pk}"))
    context = _form_page(review, form, f"The board's response to recommendation {recommendation.number}", "Save")
    context["recommendation"] = recommendation
    return render(request, "sar/recommendation_form.html", context)


@require_http_methods(["GET", "POST"])
def action_new(request, review_id, recommendation_id):
    review = _managed_review(request, review_id)
    recommendation = selectors.recommendation_of_review(review=review, recommendation_id=recommendation_id)
    form = forms.ActionForm(submitted(request))
    submission = submit_to_service(
        request,
        form,
        lambda data: services.review_action_add(acting_user=request.user, recommendation=recommendation, **data),
        success_message="Action added. Each organisation taking part can now report its progress",
    )
    if submission.succeeded:
        return redirect(_review_url(review, f"action-{submission.result.pk}"))
    context = _form_page(review, form, f"Add an action on recommendation {recommendation.number}", "Add")
    context["recommendation"] = recommendation
    return render(request, "sar/recommendation_form.html", context)


@require_http_methods(["GET", "POST"])
def action_sign_off(request, review_id, action_id):
    require(request.user, "sar.sign_off_action")
    review = selectors.review_get(review_id=review_id)
    action = selectors.action_of_review(review=review, action_id=action_id)
    form = forms.SignOffForm(submitted(request))
    submission = submit_to_service(
        request,
        form,
        lambda data: services.review_action_sign_off(acting_user=request.user, review_action=action, **data),
        success_message="Action signed off",
    )
    if submission.succeeded:
        return redirect(_review_url(review, f"action-{action.pk}"))
    entries = [
        presenters.EntryRow(progress=entry, tag_class=presenters.tag_class(entry.rag), can_update=False)
        for entry in action.progress_list
    ]
    context = _form_page(review, form, "Sign off the action", "Sign off")
    context.update(
        {
            "action": action,
            "entries": entries,
            "ready": bool(entries) and all(entry.is_complete_with_evidence for entry in action.progress_list),
        }
    )
    return render(request, "sar/sign_off.html", context)


def _progress_initial(progress) -> dict:
    return {
        "text": progress.text,
        "evidence": progress.evidence,
        "rag": progress.rag if progress.rag in REPORTED else None,
        "version": progress.version,
    }


def _shown(values: dict) -> dict:
    return {**values, "rag": dict(Rag.choices).get(values.get("rag"), "")}


@require_http_methods(["GET", "POST"])
def progress_update(request, review_id, progress_id):
    """An organisation's progress on an action: its nominated contact (or the board officer) keeps it."""
    review = _review(request, review_id)
    progress = selectors.progress_of_review(review=review, progress_id=progress_id)
    require(request.user, "sar.update_progress", progress)
    form = forms.ProgressForm(submitted(request), initial=_progress_initial(progress))
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        expected = data.pop("version")
        try:
            services.progress_update(acting_user=request.user, progress=progress, expected_version=expected, **data)
        except StaleEditError as conflict:
            return _conflict(request, review=review, progress=progress, current=conflict.current, mine=data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"Progress saved for {progress.review_organisation.agency.name}")
            return redirect(_review_url(review, f"action-{progress.review_action_id}"))
    context = _form_page(review, form, f"Progress: {progress.review_organisation.agency.name}", "Save progress")
    context["back_url"] = _review_url(review, f"action-{progress.review_action_id}")
    context.update({"progress": progress, "review": review, "tag_class": presenters.tag_class(progress.rag)})
    return render(request, "sar/progress_form.html", context)


def _conflict(request, *, review, progress, current, mine):
    """Someone saved first: show what they saved, keep what this user typed in the form, answer 409."""
    labels = {"text": "Progress", "evidence": "Evidence", "rag": "RAG status"}
    saved = _shown({"text": current.text, "evidence": current.evidence, "rag": current.rag})
    yours = _shown(mine)
    rows = [(labels[name], saved[name], yours[name], saved[name] != yours[name]) for name in labels]
    retry = forms.ProgressForm(initial={**mine, "version": current.version})
    return render(
        request,
        "sar/conflict.html",
        {
            "heading": "Someone else saved this progress while you were editing",
            "review": review,
            "progress": progress,
            "saved_by": current.updated_by,
            "saved_at": current.updated_at,
            "rows": rows,
            "form": retry,
            "action": request.path,
            "back_url": _review_url(review, f"action-{progress.review_action_id}"),
        },
        status=409,
    )


@require_http_methods(["GET", "POST"])
def plan_new(request, review_id):
    review = _managed_review(request, review_id)
    form = forms.SingleAgencyPlanForm(
        submitted(request), organisations=selectors.organisations_of_review(review=review)
    )
    submission = submit_to_service(
        request,
        form,
        lambda data: services.single_agency_plan_add(acting_user=request.user, **data),
        success_message="Single-agency action plan linked to the composite plan",
    )
    if submission.succeeded:
        return redirect(_review_url(review, "single-agency-plans"))
    return render(request, "form_page.html", _form_page(review, form, "Link a single-agency action plan", "Add"))
