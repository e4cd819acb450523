from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from marm.access.rules import require
from marm.cases.lifecycle import MoveNotAllowed
from marm.cases.presenters import form_page
from marm.cases.rules import require_role
from marm.cases.selectors import case_get_for_user
from marm.closure import forms, presenters, selectors, services
from marm.closure.risks import identified_risks
from marm.govuk_forms.forms import submit_to_service, submitted


def _form_page(case, form, heading, button, back_to):
    context = form_page(case, form, heading, button)
    context["back_url"] = reverse(back_to, kwargs={"case_pk": case.pk})
    return context


def engagement(request, case_pk):
    case = case_get_for_user(user=request.user, pk=case_pk, purpose="Reading the engagement log")
    page = selectors.engagement_for_case(user=request.user, case=case)
    return render(
        request,
        "closure/engagement.html",
        {
            "case": case,
            "page": page,
            "can_record": request.user.has_perm("closure.log_engagement", case),
            "can_flag": request.user.has_perm("closure.flag_non_engagement", case),
            "can_lift": request.user.has_perm("closure.lift_flag"),
            "can_reflect": request.user.has_perm("closure.reflect", case),
        },
    )


@require_http_methods(["GET", "POST"])
def attempt_new(request, case_pk):
    case = case_get_for_user(user=request.user, pk=case_pk, purpose="Logging an engagement attempt")
    require_role(request.user, "closure.log_engagement", case)
    form = forms.EngagementAttemptForm(submitted(request))
    submission = submit_to_service(
        request,
        form,
        lambda data: services.engagement_attempt_log(acting_user=request.user, case=case, **data),
        success_message="Engagement attempt logged",
    )
    if submission.succeeded:
        return redirect("closure:engagement", case_pk=case.pk)
    return render(
        request,
        "form_page.html",
        _form_page(case, form, "Log an engagement attempt", "Log the attempt", "closure:engagement"),
    )


@require_http_methods(["GET", "POST"])
def flag_raise(request, case_pk):
    case = case_get_for_user(user=request.user, pk=case_pk, purpose="Flagging non-engagement")
    require_role(request.user, "closure.flag_non_engagement", case)
    form = forms.ReasonForm(submitted(request))
    submission = submit_to_service(
        request,
        form,
        lambda data: services.non_engagement_flag_raise(acting_user=request.user, case=case, **data),
        success_message="The case is flagged as not engaging. Reflect on it before anything else",
    )
    if submission.succeeded:
        return redirect("closure:reflection-new", case_pk=case.pk)
    return render(
        request,
        "closure/flag.html",
        _form_page(case, form, "Flag: the adult or family is not engaging", "Flag the case", "closure:engagement"),
    )


@require_http_methods(["GET", "POST"])
def flag_lift(request, case_pk):
    case = case_get_for_user(user=request.user, pk=case_pk, purpose="Lifting the non-engagement flag")
    require(request.user, "closure.lift_flag")
    form = forms.ReasonForm(submitted(request))
    submission = submit_to_service(
        request,
        form,
        lambda data: services.non_engagement_flag_lift(acting_user=request.user, case=case, **data),
        success_message="The non-engagement flag has been lifted",
    )
    if submission.succeeded:
        return redirect("closure:engagement", case_pk=case.pk)
    return render(
        request,
        "form_page.html",
        _form_page(case, form, "Lift the non-engagement flag", "Lift the flag", "closure:engagement"),
    )


@require_http_methods(["GET", "POST"])
def reflection_new(request, case_pk):
    case = case_get_for_user(user=request.user, pk=case_pk, purpose="Reflecting on non-engagement")
    require_role(request.user, "closure.reflect", case)
    form = forms.ReflectiveReviewForm(submitted(request))
    submission = submit_to_service(
        request,
        form,
        lambda _data: services.reflective_review_write(acting_user=request.user, case=case, **form.service_arguments()),
        success_message="Reflection recorded. Only you and your agency's managers and supervisors see it",
    )
    if submission.succeeded:
        return redirect("closure:reflection", case_pk=case.pk, reflection_id=submission.result.pk)
    return render(
        request,
        "closure/reflection_form.html",
        _form_page(case, form, "Reflect on non-engagement", "Record the reflection", "closure:engagement"),
    )


def reflection(request, case_pk, reflection_id):
    case = case_get_for_user(user=request.user, pk=case_pk, purpose="Reading a reflective review")
    review = selectors.reflection_get_for_user(user=request.user, case=case, reflection_id=reflection_id)
    return render(request, "closure/reflection.html", {"case": case, "review": review, **presenters.reflection(review)})


def closure(request, case_pk):
    case = case_get_for_user(user=request.user, pk=case_pk, purpose="Reading the closure checks")
    page = selectors.closure_for_case(user=request.user, case=case)
    return render(
        request,
        "closure/closure.html",
        {
            "case": case,
            "page": page,
            "can_check": request.user.has_perm("closure.check_agency"),
            "can_close": request.user.has_perm("closure.close_case", case),
        },
    )


@require_http_methods(["GET", "POST"])
def provider_new(request, case_pk):
    case = case_get_for_user(user=request.user, pk=case_pk, purpose="Recording care and support")
    require(request.user, "closure.check_agency")
    form = forms.SupportProviderForm(submitted(request))
    submission = submit_to_service(
        request,
        form,
        lambda data: services.support_provider_record(acting_user=request.user, case=case, **data),
        success_message="Care and support recorded",
    )
    if submission.succeeded:
        return redirect("closure:closure", case_pk=case.pk)
    return render(
        request,
        "closure/provider.html",
        _form_page(case, form, "Record an agency providing care and support", "Record", "closure:closure"),
    )


@require_http_methods(["GET", "POST"])
def check_new(request, case_pk):
    case = case_get_for_user(user=request.user, pk=case_pk, purpose="Recording a check with another agency")
    require(request.user, "closure.check_agency")
    form = forms.AgencyCheckForm(
        submitted(request), agencies=selectors.agencies_to_check(case=case), initial=request.GET.dict() or None
    )
    submission = submit_to_service(
        request, form, lambda data: services.agency_check_record(acting_user=request.user, case=case, **data)
    )
    if submission.succeeded:
        messages.success(request, f"Check with {submission.result.agency} recorded")
        return redirect("closure:closure", case_pk=case.pk)
    return render(
        request,
        "form_page.html",
        _form_page(case, form, "Record a check with another agency", "Record the check", "closure:closure"),
    )


@require_http_methods(["GET", "POST"])
def close(request, case_pk):
    case = case_get_for_user(user=request.user, pk=case_pk, purpose="Closing the case")
    require_role(request.user, "closure.close_case", case)
    form = forms.CloseForm(
        submitted(request),
        risks=identified_risks(case),
        agencies=selectors.agencies_for_closure(case=case),
        not_engaged=selectors.not_engaged_for_closure(case=case),
        initial={"legislation": selectors.default_closure_legislation()},
    )
    submission = submit_to_service(
        request,
        form,
        lambda _data: services.case_close(acting_user=request.user, case=case, **form.service_arguments()),
        success_message="The case is closed and the closure signed off",
        shown_on_form=(MoveNotAllowed,),
    )
    if submission.succeeded:
        return redirect("cases:detail", case_pk=case.pk)
    return render(
        request,
        "closure/close.html",
        _form_page(case, form, "Close the case", "Sign off the closure", "closure:closure"),
    )


def s42(request, case_pk):
    case = case_get_for_user(user=request.user, pk=case_pk, purpose="Reading the section 42 escalation")
    return render(
        request,
        "closure/s42.html",
        {
            "case": case,
            "referrals": selectors.referrals_for_case(user=request.user, case=case),
            "can_refer": request.user.has_perm("closure.refer_s42", case) and selectors.pending_referral(case) is None,
            "can_record_outcome": request.user.has_perm("closure.record_s42_outcome", case),
            "can_resume": request.user.has_perm("closure.resume_marm_work", case),
        },
    )


@require_http_methods(["GET", "POST"])
def s42_refer(request, case_pk):
    case = case_get_for_user(user=request.user, pk=case_pk, purpose="Escalating to a section 42 enquiry")
    require_role(request.user, "closure.refer_s42", case)
    form = forms.S42ReferralForm(submitted(request))
    submission = submit_to_service(
        request,
        form,
        lambda data: services.s42_refer(acting_user=request.user, case=case, **data),
        success_message="Escalated to the local authority for a section 42 decision",
        shown_on_form=(MoveNotAllowed,),
    )
    if submission.succeeded:
        return redirect("closure:s42", case_pk=case.pk)
    return render(
        request,
        "closure/s42_refer.html",
        _form_page(case, form, "Escalate to a section 42 enquiry", "Record the referral", "closure:s42"),
    )


@require_http_methods(["GET", "POST"])
def s42_outcome(request, case_pk, referral_id):
    case = case_get_for_user(user=request.user, pk=case_pk, purpose="Recording the section 42 decision")
    require_role(request.user, "closure.record_s42_outcome", case)
    referral = selectors.pending_referral_for_user(user=request.user, case=case, referral_id=referral_id)
    form = forms.S42OutcomeForm(submitted(request))
    submission = submit_to_service(
        request,
        form,
        lambda data: services.s42_outcome_record(acting_user=request.user, referral=referral, **data),
        success_message="The local authority's decision is recorded",
        shown_on_form=(MoveNotAllowed,),
    )
    if submission.succeeded:
        return redirect("closure:s42", case_pk=case.pk)
    return render(
        request,
        "form_page.html",
        _form_page(case, form, "Record the local authority's decision", "Record the decision", "closure:s42"),
    )


@require_http_methods(["GET", "POST"])
def s42_resume(request, case_pk, referral_id):
    case = case_get_for_user(user=request.user, pk=case_pk, purpose="Resuming MARM work after an enquiry")
    require_role(request.user, "closure.resume_marm_work", case)
    referral = selectors.decided_referral_for_user(user=request.user, case=case, referral_id=referral_id)
    form = forms.ReasonForm(submitted(request))
    submission = submit_to_service(
        request,
        form,
        lambda data: services.s42_marm_resume(acting_user=request.user, referral=referral, **data),
        success_message="MARM work resumes",
        shown_on_form=(MoveNotAllowed,),
    )
    if submission.succeeded:
        return redirect("cases:detail", case_pk=case.pk)
    return render(
        request,
        "form_page.html",
        _form_page(case, form, "Resume MARM work after the enquiry", "Resume MARM work", "closure:s42"),
    )
