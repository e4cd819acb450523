from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from marm.access.rules import require
from marm.cases.presenters import form_page
from marm.cases.rules import require_role
from marm.core.locking import StaleEditError
from marm.core.throttle import throttled
from marm.govuk_forms.forms import add_service_errors, submit_to_service, submitted
from marm.risk import forms, presenters, selectors, services, vocab
from marm.risk.services.assessment import ASPECT_FIELDS, OVERVIEW_FIELDS, missing_for_agreement


def _back(case, name="risk:assessment") -> str:
    return reverse(name, kwargs={"case_pk": case.pk})


def overview(request, case_pk):
    case = selectors.risk_case_for_user(user=request.user, case_pk=case_pk, purpose="Reading the risk assessment")
    versions = selectors.versions_for_case(user=request.user, case=case)
    draft = next((v for v in versions if not v.is_agreed), None)
    agreed = [v for v in versions if v.is_agreed]
    return render(
        request,
        "risk/assessment.html",
        {
            "case": case,
            "versions": versions,
            "draft": draft,
            "draft_cards": presenters.aspect_cards(draft) if draft else [],
            "missing": missing_for_agreement(draft) if draft else {},
            "latest_agreed": agreed[-1] if agreed else None,
            "trajectory": presenters.trajectory(versions),
            "can_contribute": request.user.has_perm("risk.contribute", case),
            "can_agree": request.user.has_perm("risk.agree", case),
            "can_start": request.user.has_perm("risk.start_assessment", case) and draft is None,
        },
    )


@require_http_methods(["GET", "POST"])
def start(request, case_pk):
    case = selectors.risk_case_for_user(user=request.user, case_pk=case_pk, purpose="Starting a risk assessment")
    require_role(request.user, "risk.start_assessment", case)
    form = forms.StartForm(submitted(request))
    submission = submit_to_service(
        request, form, lambda _data: services.risk_assessment_start(acting_user=request.user, case=case)
    )
    if submission.succeeded:
        messages.success(
            request, f"Version {submission.result.number} started as a draft. Every involved agency can add to it"
        )
        return redirect("risk:assessment", case_pk=case.pk)
    context = form_page(case, form, "Start a new version of the risk assessment", "Start the draft")
    return render(request, "risk/start.html", {**context, "back_url": _back(case)})


def version_detail(request, case_pk, number):
    case = selectors.risk_case_for_user(user=request.user, case_pk=case_pk, purpose="Reading the risk assessment")
    version = selectors.version_of_case(user=request.user, case=case, number=number)
    previous = selectors.version_of_case(user=request.user, case=case, number=number - 1) if number > 1 else None
    return render(
        request,
        "risk/version.html",
        {
            "case": case,
            "version": version,
            "previous": previous,
            "cards": presenters.aspect_cards(version),
            "changes": presenters.changes(previous, version),
            "level_tag": presenters.tag_class(version.overall_level),
        },
    )


def _conflict(request, *, case, heading, labels, saved, mine, form, action):
    """Someone saved first: show both versions, keep what this user typed, and let them decide (409)."""
    rows = [(labels[name], saved[name], mine[name], saved[name] != mine[name]) for name in labels]
    return render(
        request,
        "risk/conflict.html",
        {"case": case, "heading": heading, "rows": rows, "form": form, "action": action, "back_url": _back(case)},
        status=409,
    )


def _shown(value, choices=None) -> str:
    if value in (None, ""):
        return ""
    return str(dict(choices).get(value, value)) if choices else str(value)


def _aspect_shown(values: dict) -> dict:
    return {
        "what_is_known": _shown(values["what_is_known"]),
        "likelihood": _shown(values["likelihood"], vocab.Likelihood.choices),
        "impact": _shown(values["impact"], vocab.Impact.choices),
        "adult_view": _shown(values["adult_view"]),
    }


@require_http_methods(["GET", "POST"])
def edit_aspect(request, case_pk, aspect):
    case = selectors.risk_case_for_user(
        user=request.user, case_pk=case_pk, purpose="Contributing to the risk assessment"
    )
    require(request.user, "risk.contribute", case)
    row = selectors.aspect_of_draft(user=request.user, case=case, aspect=aspect)
    initial = {name: getattr(row, name) for name in ASPECT_FIELDS}
    form = forms.AspectForm(submitted(request), initial={**initial, "version": row.version})
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        expected = data.pop("version")
        try:
            services.aspect_update(acting_user=request.user, aspect=row, expected_version=expected, **data)
        except StaleEditError as conflict:
            current = conflict.current
            retry = forms.AspectForm(initial={**data, "version": current.version})
            return _conflict(
                request,
                case=case,
                heading=f"Someone else changed “{row.get_aspect_display()}” while you were editing",
                labels={name: form.fields[name].label for name in ASPECT_FIELDS},
                saved=_aspect_shown({name: getattr(current, name) for name in ASPECT_FIELDS}),
                mine=_aspect_shown(data),
                form=retry,
                action=request.path,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"“{row.get_aspect_display()}” saved for {request.user.agency.name}")
            return redirect(f"{_back(case)}#aspect-{row.aspect}")
    return render(
        request,
        "risk/aspect_form.html",
        {
            **form_page(case, form, row.get_aspect_display(), "Save this aspect"),
            "back_url": _back(case),
            "row": row,
            "version": row.assessment_version,
        },
    )


@require_http_methods(["GET", "POST"])
def edit_overview(request, case_pk):
    case = selectors.risk_case_for_user(
        user=request.user, case_pk=case_pk, purpose="Contributing to the risk assessment"
    )
    require(request.user, "risk.contribute", case)
    draft = selectors.draft_for_case(user=request.user, case=case)
    initial = {name: getattr(draft, name) for name in OVERVIEW_FIELDS}
    form = forms.OverviewForm(submitted(request), initial={**initial, "version": draft.version})
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        expected = data.pop("version")
        try:
            services.risk_assessment_update(acting_user=request.user, version=draft, expected_version=expected, **data)
        except StaleEditError as conflict:
            current = conflict.current
            levels = vocab.RiskLevel.choices
            saved = {n: _shown(getattr(current, n), levels if n == "overall_level" else None) for n in OVERVIEW_FIELDS}
            mine = {n: _shown(data[n], levels if n == "overall_level" else None) for n in OVERVIEW_FIELDS}
            return _conflict(
                request,
                case=case,
                heading="Someone else changed the overview while you were editing",
                labels={name: form.fields[name].label for name in OVERVIEW_FIELDS},
                saved=saved,
                mine=mine,
                form=forms.OverviewForm(initial={**data, "version": current.version}),
                action=request.path,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "The overview and plan summary are saved")
            return redirect("risk:assessment", case_pk=case.pk)
    return render(
        request,
        "form_page.html",
        {
            **form_page(case, form, f"Version {draft.number}: overview and plan", "Save the overview"),
            "back_url": _back(case),
        },
    )


@require_http_methods(["GET", "POST"])
def agree(request, case_pk):
    case = selectors.risk_case_for_user(user=request.user, case_pk=case_pk, purpose="Agreeing the risk assessment")
    require(request.user, "risk.agree", case)
    draft = selectors.draft_for_case(user=request.user, case=case)
    form = forms.AgreeForm(submitted(request), initial={"version": draft.version})
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            services.risk_assessment_agree(
                acting_user=request.user,
                version=draft,
                expected_version=data["version"],
                how=data["how"],
                agreed_on=data["agreed_on"],
                note=data["note"],
            )
        except StaleEditError:
            messages.warning(request, "Someone changed the draft since you opened this page. Check it, then agree it")
            return redirect("risk:agree", case_pk=case.pk)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"Version {draft.number} agreed and locked. It is in the decision log")
            return redirect("risk:version", case_pk=case.pk, number=draft.number)
    return render(
        request,
        "risk/agree.html",
        {
            **form_page(case, form, f"Agree version {draft.number}", "Agree and lock this version"),
            "back_url": _back(case),
            "draft": draft,
            "identified": draft.identified_risks(),
            "missing": missing_for_agreement(draft),
        },
    )


@require_http_methods(["GET", "POST"])
def copies(request, case_pk):
    case = selectors.risk_case_for_user(user=request.user, case_pk=case_pk, purpose="The adult's copies")
    agreed = selectors.agreed_version_for_case(case)
    can_give = request.user.has_perm("risk.give_copy", case)
    form = forms.CopyForm(submitted(request)) if can_give and agreed else None
    if request.method == "POST":
        require(request.user, "risk.give_copy", case)
    if form is not None:
        submission = submit_to_service(
            request, form, lambda data: services.adult_copy_give(acting_user=request.user, version=agreed, **data)
        )
        if submission.succeeded:
            copy = submission.result
            messages.success(request, f"Recorded: {copy.get_format_display().lower()} of version {agreed.number} given")
            return redirect("risk:copies", case_pk=case.pk)
    return render(
        request,
        "risk/copies.html",
        {
            "case": case,
            "agreed": agreed,
            "form": form,
            "copies": selectors.copies_for_case(user=request.user, case=case),
            "can_give": can_give,
        },
    )


@throttled("documents")
def copy_pdf(request, case_pk, copy_id):
    case = selectors.risk_case_for_user(user=request.user, case_pk=case_pk, purpose="Printing the adult's copy")
    require(request.user, "risk.give_copy", case)
    copy = selectors.copy_of_case(user=request.user, case=case, copy_id=copy_id)
    pdf = services.adult_copy_render(acting_user=request.user, copy=copy)
    response = HttpResponse(pdf, content_type="application/pdf")
    kind = "easy-read" if copy.format == vocab.CopyFormat.EASY_READ else "risk-assessment"
    response["Content-Disposition"] = f'attachment; filename="{case.reference}-v{copy.version.number}-{kind}.pdf"'
    return response


def capacity_list(request, case_pk):
    case = selectors.risk_case_for_user(user=request.user, case_pk=case_pk, purpose="Reading mental capacity")
    summary = selectors.case_risk_summary(user=request.user, case=case)
    return render(
        request,
        "risk/capacity_list.html",
        {
            "case": case,
            "summary": summary,
            "assessments": selectors.capacity_assessments_for_case(user=request.user, case=case),
            "refusals": selectors.refusals_for_case(user=request.user, case=case),
            "can_assess": request.user.has_perm("risk.assess_capacity", case),
            "can_record_refusal": request.user.has_perm("risk.record_refusal", case),
        },
    )


@require_http_methods(["GET", "POST"])
def capacity_add(request, case_pk):
    case = selectors.risk_case_for_user(user=request.user, case_pk=case_pk, purpose="Assessing mental capacity")
    require(request.user, "risk.assess_capacity", case)
    form = forms.CapacityForm(submitted(request))
    submission = submit_to_service(
        request,
        form,
        lambda data: services.capacity_assessment_record(acting_user=request.user, case=case, **data),
        success_message="Capacity assessment recorded",
    )
    if submission.succeeded:
        return redirect("risk:capacity-detail", case_pk=case.pk, assessment_id=submission.result.pk)
    return render(
        request,
        "risk/capacity_form.html",
        {
            **form_page(case, form, "Record a mental capacity assessment", "Record the assessment"),
            "back_url": _back(case, "risk:capacity"),
        },
    )


def capacity_detail(request, case_pk, assessment_id):
    case = selectors.risk_case_for_user(user=request.user, case_pk=case_pk, purpose="Reading mental capacity")
    assessment = selectors.capacity_assessment_of_case(user=request.user, case=case, assessment_id=assessment_id)
    return render(
        request,
        "risk/capacity_detail.html",
        {
            "case": case,
            "assessment": assessment,
            "can_decide": request.user.has_perm("risk.decide_best_interests", case)
            and assessment.outcome == vocab.CapacityFinding.LACKS,
        },
    )


@require_http_methods(["GET", "POST"])
def best_interests_add(request, case_pk, assessment_id):
    case = selectors.risk_case_for_user(user=request.user, case_pk=case_pk, purpose="A best-interests decision")
    require(request.user, "risk.decide_best_interests", case)
    assessment = selectors.capacity_assessment_of_case(user=request.user, case=case, assessment_id=assessment_id)
    form = forms.BestInterestsForm(submitted(request))
    submission = submit_to_service(
        request,
        form,
        lambda data: services.best_interests_decide(acting_user=request.user, capacity_assessment=assessment, **data),
        success_message="Best-interests decision recorded in the decision log",
    )
    if submission.succeeded:
        return redirect("risk:capacity-detail", case_pk=case.pk, assessment_id=assessment.pk)
    return render(
        request,
        "risk/best_interests_form.html",
        {
            **form_page(case, form, "Record a best-interests decision", "Record the decision"),
            "back_url": reverse("risk:capacity-detail", kwargs={"case_pk": case.pk, "assessment_id": assessment.pk}),
            "assessment": assessment,
        },
    )


@require_http_methods(["GET", "POST"])
def refusal_add(request, case_pk):
    case = selectors.risk_case_for_user(user=request.user, case_pk=case_pk, purpose="Recording a refusal")
    require(request.user, "risk.record_refusal", case)
    agencies = selectors.agencies_of_case(case=case)
    has_capacity = [
        a
        for a in selectors.capacity_assessments_for_case(user=request.user, case=case)
        if a.outcome == vocab.CapacityFinding.HAS
    ]
    form = forms.RefusalForm(submitted(request), agencies=agencies, assessments=has_capacity)
    submission = submit_to_service(
        request,
        form,
        lambda _data: services.refusal_record(acting_user=request.user, case=case, **form.service_arguments()),
        success_message="Refusal recorded, with each agency's efforts",
    )
    if submission.succeeded:
        return redirect("risk:capacity", case_pk=case.pk)
    return render(
        request,
        "form_page.html",
        {
            **form_page(case, form, "Record a refusal of support by an adult with capacity", "Record the refusal"),
            "back_url": _back(case, "risk:capacity"),
        },
    )


@require_http_methods(["GET", "POST"])
def advocacy_add(request, case_pk):
    case = selectors.risk_case_for_user(user=request.user, case_pk=case_pk, purpose="Referring for advocacy")
    require(request.user, "risk.refer_for_advocacy", case)
    form = forms.AdvocacyReferralForm(submitted(request))
    submission = submit_to_service(
        request,
        form,
        lambda data: services.advocacy_referral_create(acting_user=request.user, case=case, **data),
        success_message="Advocacy referral recorded",
    )
    if submission.succeeded:
        return redirect("cases:detail", case_pk=case.pk)
    return render(
        request,
        "form_page.html",
        {
            **form_page(case, form, "Refer for independent advocacy", "Record the referral"),
            "back_url": reverse("cases:detail", kwargs={"case_pk": case.pk}),
        },
    )


@require_http_methods(["GET", "POST"])
def advocacy_update(request, case_pk, referral_id):
    case = selectors.risk_case_for_user(user=request.user, case_pk=case_pk, purpose="Updating an advocacy referral")
    require(request.user, "risk.refer_for_advocacy", case)
    referral = selectors.advocacy_referral_of_case(user=request.user, case=case, referral_id=referral_id)
    form = forms.AdvocacyOutcomeForm(
        submitted(request),
        initial={
            "outcome": referral.outcome,
            "outcome_on": referral.outcome_on,
            "advocate_name": referral.advocate_name,
            "note": referral.note,
            "expected_version": referral.version,
        },
    )
    try:
        submission = submit_to_service(
            request,
            form,
            lambda data: services.advocacy_referral_update(acting_user=request.user, referral=referral, **data),
            success_message="Advocacy referral updated",
        )
    except StaleEditError:
        messages.warning(request, "Someone else updated this referral while you were editing it. Check it again")
        return redirect("risk:advocacy-update", case_pk=case.pk, referral_id=referral.pk)
    if submission.succeeded:
        return redirect("cases:detail", case_pk=case.pk)
    return render(
        request,
        "form_page.html",
        {
            **form_page(case, form, f"Update the referral: {referral.get_kind_display().lower()}", "Save the outcome"),
            "back_url": reverse("cases:detail", kwargs={"case_pk": case.pk}),
        },
    )
