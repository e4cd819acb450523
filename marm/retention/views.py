"""Retention pages: the list of what is due (auditors and administrators), the rules (an
administrator changes them), and the legal holds on a case or a person (managers and auditors
who can see the record; anyone else gets the same 404 as for a record that does not exist)."""

import functools

from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from marm.access.rules import require
from marm.accounts.middleware import authenticated_recently, confirm_identity_redirect
from marm.cases.selectors import case_get_for_user
from marm.govuk_forms.forms import submit_to_service, submitted
from marm.people.selectors import person_get_for_user
from marm.retention import forms, presenters, selectors, services
from marm.retention.models import RecordKind


def _recently_signed_in(view):
    """Changing the schedule asks for the password and a code again if not given lately (ADR 0027)."""

    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        require(request.user, "retention.change_rule")
        if not authenticated_recently(request):
            return confirm_identity_redirect(request)
        return view(request, *args, **kwargs)

    return wrapped


@require_GET
def due(request):
    require(request.user, "retention.view_due")
    return render(request, "retention/due.html", selectors.due_overview(user=request.user))


@require_GET
def rules(request):
    require(request.user, "retention.view_due")
    return render(
        request,
        "retention/rules.html",
        {"rules": selectors.rules_all(), "can_change": request.user.has_perm("retention.change_rule")},
    )


@require_http_methods(["GET", "POST"])
@_recently_signed_in
def rule_change(request, kind):
    rule = selectors.rule_get(kind=kind)
    form = forms.RuleForm(submitted(request), initial={"period_months": rule.period_months, "basis": rule.basis})
    submission = submit_to_service(
        request,
        form,
        lambda data: services.retention_rule_change(acting_user=request.user, rule=rule, **data),
        success_message="The retention rule has been changed",
    )
    if submission.succeeded:
        return redirect("retention:rules")
    return render(
        request,
        "form_page.html",
        {
            "form": form,
            "heading": "Change a retention rule",
            "caption": RecordKind(rule.kind).label,
            "button": "Change the rule",
            "back_url": reverse("retention:rules"),
        },
    )


@require_http_methods(["GET", "POST"])
def case_holds(request, case_pk):
    case = case_get_for_user(user=request.user, pk=case_pk, purpose="Legal holds on the case")
    require(request.user, "retention.hold", case)
    form = forms.HoldForm(submitted(request))
    submission = submit_to_service(
        request,
        form,
        lambda data: services.legal_hold_place(acting_user=request.user, person=case.person, case=case, **data),
        success_message="The case is on legal hold: none of its records will be removed until the hold is lifted",
    )
    if submission.succeeded:
        return redirect("retention:case-holds", case_pk=case.pk)
    return render(
        request,
        "retention/holds.html",
        {
            "form": form,
            "rows": presenters.hold_rows(selectors.case_holds(case)),
            "caption": f"{case.person.full_name}: {case.reference}",
            "subject": "this case",
            "back_url": reverse("cases:detail", kwargs={"case_pk": case.pk}),
            "case": case,
        },
    )


@require_http_methods(["GET", "POST"])
def case_hold_lift(request, case_pk, case_hold_id):
    case = case_get_for_user(user=request.user, pk=case_pk, purpose="Lifting a legal hold on the case")
    require(request.user, "retention.hold", case)
    hold = selectors.hold_under(holds=selectors.case_holds(case), hold_id=case_hold_id, on_case=case)
    back = reverse("retention:case-holds", kwargs={"case_pk": case.pk})
    return _lift(request, hold, back=back, caption=f"{case.person.full_name}: {case.reference}")


@require_http_methods(["GET", "POST"])
def person_holds(request, pk):
    person = person_get_for_user(user=request.user, pk=pk, purpose="Legal holds on the person")
    require(request.user, "retention.hold", person)
    form = forms.HoldForm(submitted(request))
    submission = submit_to_service(
        request,
        form,
        lambda data: services.legal_hold_place(acting_user=request.user, person=person, **data),
        success_message="The person's records are on legal hold: none will be removed until the hold is lifted",
    )
    if submission.succeeded:
        return redirect("retention:person-holds", pk=person.pk)
    return render(
        request,
        "retention/holds.html",
        {
            "form": form,
            "rows": presenters.hold_rows(selectors.person_holds(person)),
            "caption": person.full_name,
            "subject": "this person and all their cases",
            "back_url": reverse("people:detail", kwargs={"pk": person.pk}),
            "person": person,
        },
    )


@require_http_methods(["GET", "POST"])
def person_hold_lift(request, pk, person_hold_id):
    person = person_get_for_user(user=request.user, pk=pk, purpose="Lifting a legal hold on the person")
    require(request.user, "retention.hold", person)
    hold = selectors.hold_under(holds=selectors.person_holds(person), hold_id=person_hold_id)
    return _lift(
        request, hold, back=reverse("retention:person-holds", kwargs={"pk": person.pk}), caption=person.full_name
    )


def _lift(request, hold, *, back, caption):
    form = forms.LiftForm(submitted(request))
    submission = submit_to_service(
        request,
        form,
        lambda data: services.legal_hold_lift(acting_user=request.user, hold=hold, **data),
        success_message="The legal hold has been lifted",
    )
    if submission.succeeded:
        return redirect(back)
    return render(
        request,
        "retention/lift.html",
        {
            "form": form,
            "hold": hold,
            "heading": "Lift the legal hold",
            "button": "Lift the hold",
            "caption": caption,
            "back_url": back,
        },
    )
