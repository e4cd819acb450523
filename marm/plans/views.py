from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from marm.access.rules import require
from marm.accounts.selectors import users_of_agencies
from marm.cases.presenters import form_page
from marm.cases.selectors import active_roles, case_get_for_user
from marm.core.locking import StaleEditError
from marm.govuk_forms.forms import add_service_errors, submit_to_service, submitted
from marm.plans import forms, presenters, selectors, services
from marm.plans.vocab import ActionSource

TRIGGER_SLOTS = 4


def _plan_url(case) -> str:
    return reverse("plans:case-plan", kwargs={"case_pk": case.pk})


def _meeting_from(request, case):
    """The meeting an action or plan is agreed at (?meeting=<id>), if any."""
    meeting_id = request.GET.get("meeting", "")
    return selectors.meeting_agreed_at(user=request.user, case=case, meeting_id=meeting_id) if meeting_id else None


def _back(case, meeting) -> str:
    if meeting is not None:
        return reverse("meetings:detail", kwargs={"case_pk": case.pk, "meeting_id": meeting.pk})
    return _plan_url(case)


def _people(case):
    full = [role.agency_id for role in active_roles(case=case) if role.access == "full"]
    return users_of_agencies(agency_ids=full).order_by("full_name")


def case_plan(request, case_pk):
    case = case_get_for_user(user=request.user, pk=case_pk, purpose="Reading the plan")
    plans = selectors.contingency_plans(case=case)
    return render(
        request,
        "plans/case_plan.html",
        {
            "case": case,
            "rows": presenters.action_rows(selectors.actions_for_case(case=case), today=timezone.localdate()),
            "contingency": plans[0] if plans else None,
            "earlier_plans": plans[1:],
            "can_add": request.user.has_perm("plans.add_action"),
            "can_agree": request.user.has_perm("plans.agree_contingency"),
        },
    )


@require_http_methods(["GET", "POST"])
def action_add(request, case_pk):
    case = case_get_for_user(user=request.user, pk=case_pk, purpose="Adding an action")
    require(request.user, "plans.add_action")
    meeting = _meeting_from(request, case)
    form = forms.ActionForm(submitted(request), agencies=selectors.agencies_of_case(case=case), users=_people(case))
    submission = submit_to_service(
        request,
        form,
        lambda data: services.action_create(
            acting_user=request.user,
            case=case,
            meeting=meeting,
            source=ActionSource.MEETING if meeting else ActionSource.CASE,
            **data,
        ),
        success_message="Action added to the plan",
    )
    if submission.succeeded:
        return redirect(_back(case, meeting))
    context = form_page(case, form, "Add a SMART action", "Add the action")
    context["back_url"] = _back(case, meeting)
    return render(request, "form_page.html", context)


@require_http_methods(["GET", "POST"])
def action_detail(request, case_pk, action_id):
    case = case_get_for_user(user=request.user, pk=case_pk, purpose="Reading an action")
    action = selectors.action_of_case(user=request.user, case=case, action_id=action_id)
    can_update = request.user.has_perm("plans.update_action", action)
    form = forms.ProgressForm(submitted(request), initial={"status": action.status, "version": action.version})
    if request.method == "POST":
        require(request.user, "plans.update_action", action)
        if form.is_valid():
            try:
                services.action_progress(
                    acting_user=request.user,
                    action=action,
                    expected_version=form.cleaned_data["version"],
                    status=form.cleaned_data["status"],
                    note=form.cleaned_data["note"],
                )
            except StaleEditError:
                messages.warning(request, "Someone else updated this action first. Check it and try again")
                return redirect("plans:action", case_pk=case.pk, action_id=action.pk)
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, "Progress recorded")
                return redirect("plans:action", case_pk=case.pk, action_id=action.pk)
    row = presenters.action_rows([action], today=timezone.localdate())[0]
    return render(
        request,
        "plans/action.html",
        {"case": case, "row": row, "action": action, "form": form, "can_update": can_update and action.is_live},
    )


@require_http_methods(["GET", "POST"])
def action_revise(request, case_pk, action_id):
    case = case_get_for_user(user=request.user, pk=case_pk, purpose="Revising an action")
    action = selectors.action_of_case(user=request.user, case=case, action_id=action_id)
    require(request.user, "plans.update_action", action)
    form = forms.ActionReviseForm(
        submitted(request),
        agencies=selectors.agencies_of_case(case=case),
        users=_people(case),
        initial={
            "what": action.what,
            "agency": action.agency_id,
            "lead_user": action.lead_user_id,
            "lead_name": action.lead_name,
            "due_date": action.due_date,
            "risk_aspects": action.risk_aspects,
            "version": action.version,
        },
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        version = data.pop("version")
        try:
            services.action_revise(acting_user=request.user, action=action, expected_version=version, **data)
        except StaleEditError:
            messages.warning(request, "Someone else changed this action first. It now shows their change: check it")
            return redirect("plans:action-revise", case_pk=case.pk, action_id=action.pk)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Action revised")
            return redirect("plans:action", case_pk=case.pk, action_id=action.pk)
    context = form_page(case, form, "Revise the action", "Save the revision")
    context["back_url"] = reverse("plans:action", kwargs={"case_pk": case.pk, "action_id": action.pk})
    return render(request, "form_page.html", context)


@require_http_methods(["GET", "POST"])
def contingency_new(request, case_pk):
    case = case_get_for_user(user=request.user, pk=case_pk, purpose="Agreeing the contingency plan")
    require(request.user, "plans.agree_contingency")
    meeting = _meeting_from(request, case)
    plans = selectors.contingency_plans(case=case)
    current = plans[0] if plans else None
    # A new version starts from the current one, with a spare row for a new trigger.
    initial = [
        {
            "kind": t.kind,
            "threshold": t.threshold,
            "what_to_do": t.what_to_do,
            "who_to_contact": t.who_to_contact,
            "escalation_route": t.escalation_route,
        }
        for t in (current.triggers_list if current else [])
    ]
    initial += [{}] * max(1, TRIGGER_SLOTS - len(initial))
    form = forms.ContingencyForm(submitted(request), initial={"summary": current.summary if current else ""})
    formset = forms.TriggerFormSet(submitted(request), initial=initial, prefix="trigger")
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        triggers = [f.cleaned_data for f in formset if not f.is_blank()]
        try:
            services.contingency_plan_agree(
                acting_user=request.user,
                case=case,
                summary=form.cleaned_data["summary"],
                triggers=triggers,
                meeting=meeting,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Contingency and escalation plan agreed")
            return redirect(_back(case, meeting))
    context = form_page(case, form, "Agree the contingency and escalation plan", "Agree the plan")
    context.update({"formset": formset, "back_url": _back(case, meeting), "current": current})
    return render(request, "plans/contingency_form.html", context)
