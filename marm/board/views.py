from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from marm.access.rules import require
from marm.assurance.forms import PublicationForm
from marm.assurance.selectors import financial_years
from marm.audit.models import AuditAction
from marm.audit.services import audit_record
from marm.board import forms, presenters, selectors, services
from marm.board.annual_report import annual_report, annual_report_pdf
from marm.core.locking import StaleEditError
from marm.core.throttle import throttled
from marm.govuk_forms.forms import add_service_errors, submit_to_service, submitted

VIEW = "board.view_board"
MANAGE = "board.manage_board"
# Shown only when the plan page's filter asks for them.
ATTENTION = "attention"


def _form_page(request, form, *, heading, button, back_url, caption="", status=200):
    return render(
        request,
        "form_page.html",
        {"form": form, "heading": heading, "button": button, "back_url": back_url, "caption": caption},
        status=status,
    )


def _plan_url(plan_id) -> str:
    return reverse("board:plan", kwargs={"plan_id": plan_id})


def _action_url(action) -> str:
    return reverse("board:action", kwargs={"action_id": action.pk})


def home(request):
    """The board's home: its business plans, with what is overdue or waiting for sign-off."""
    require(request.user, VIEW)
    return render(
        request,
        "board/home.html",
        {
            "plans": selectors.plans_with_counts(today=timezone.localdate()),
            "can_manage": request.user.has_perm(MANAGE),
        },
    )


@require_http_methods(["GET", "POST"])
def plan_new(request):
    require(request.user, MANAGE)
    form = forms.BusinessPlanForm(submitted(request))
    submission = submit_to_service(
        request,
        form,
        lambda data: services.business_plan_create(acting_user=request.user, **data),
        success_message="Business plan started",
    )
    if submission.succeeded:
        return redirect(_plan_url(submission.result.pk))
    return _form_page(
        request, form, heading="Start a business plan", button="Start the plan", back_url=reverse("board:home")
    )


def plan_detail(request, plan_id):
    require(request.user, VIEW)
    plan = selectors.plan_in_full(plan_id=plan_id)
    today = timezone.localdate()
    attention_only = request.GET.get("show") == ATTENTION
    figures = selectors.live_figures(codes=presenters.measure_codes(plan), year=plan.year)
    empty = [code for code, result in figures.items() if not result.groups]
    current = selectors.latest_figures(codes=empty, year=plan.year, today=today) if empty else {}
    priorities = presenters.plan_view(
        plan,
        today=today,
        figures=figures,
        attention_only=attention_only,
        comparisons=selectors.survey_comparisons(plan),
        current_figures=current,
    )
    return render(
        request,
        "board/plan.html",
        {
            "plan": plan,
            "priorities": priorities,
            "totals": presenters.plan_totals(priorities),
            "attention_only": attention_only,
            "attention": ATTENTION,
            "can_manage": request.user.has_perm(MANAGE),
        },
    )


@require_http_methods(["GET", "POST"])
def plan_edit(request, plan_id):
    require(request.user, MANAGE)
    plan = selectors.plan_get(plan_id=plan_id)
    form = forms.BusinessPlanForm(submitted(request), initial={"title": plan.title, "year": plan.year})
    submission = submit_to_service(
        request,
        form,
        lambda data: services.business_plan_edit(acting_user=request.user, plan=plan, **data),
        success_message="Plan saved",
    )
    if submission.succeeded:
        return redirect(_plan_url(plan.pk))
    return _form_page(request, form, heading="Change the plan", button="Save", back_url=_plan_url(plan.pk))


@require_http_methods(["GET", "POST"])
def priority_new(request, plan_id):
    require(request.user, MANAGE)
    plan = selectors.plan_get(plan_id=plan_id)
    form = forms.PriorityForm(submitted(request), subgroups=selectors.subgroups())
    submission = submit_to_service(
        request,
        form,
        lambda data: services.priority_create(acting_user=request.user, plan=plan, **data),
        success_message="Priority added",
    )
    if submission.succeeded:
        return redirect(f"{_plan_url(plan.pk)}#priority-{submission.result.pk}")
    return _form_page(
        request, form, heading="Add a priority", button="Add the priority", back_url=_plan_url(plan.pk), caption=plan
    )


@require_http_methods(["GET", "POST"])
def priority_edit(request, priority_id):
    require(request.user, MANAGE)
    priority = selectors.priority_get(priority_id=priority_id)
    initial = {name: getattr(priority, name) for name in services.PRIORITY_FIELDS}
    initial["delivery_mechanism"] = priority.delivery_mechanism_id
    form = forms.PriorityForm(submitted(request), subgroups=selectors.subgroups(), initial=initial)
    submission = submit_to_service(
        request,
        form,
        lambda data: services.priority_edit(acting_user=request.user, priority=priority, **data),
        success_message="Priority saved",
    )
    back = f"{_plan_url(priority.plan_id)}#priority-{priority.pk}"
    if submission.succeeded:
        return redirect(back)
    return _form_page(
        request, form, heading=f"Change {priority.code}", button="Save", back_url=back, caption=priority.plan
    )


@require_http_methods(["GET", "POST"])
def objective_new(request, priority_id):
    require(request.user, MANAGE)
    priority = selectors.priority_get(priority_id=priority_id)
    form = forms.ObjectiveForm(submitted(request), surveys=selectors.surveys())
    submission = submit_to_service(
        request,
        form,
        lambda data: services.objective_create(acting_user=request.user, priority=priority, **data),
        success_message="Objective added",
    )
    back = f"{_plan_url(priority.plan_id)}#priority-{priority.pk}"
    if submission.succeeded:
        return redirect(back)
    return _form_page(
        request, form, heading=f"Add an objective to {priority.code}", button="Add the objective", back_url=back
    )


@require_http_methods(["GET", "POST"])
def objective_edit(request, objective_id):
    require(request.user, MANAGE)
    objective = selectors.objective_get(objective_id=objective_id)
    form = forms.ObjectiveForm(
        submitted(request),
        surveys=selectors.surveys(),
        initial={
            "text": objective.text,
            "baseline_survey": objective.baseline_survey_id,
            "follow_up_survey": objective.follow_up_survey_id,
        },
    )
    submission = submit_to_service(
        request,
        form,
        lambda data: services.objective_edit(acting_user=request.user, objective=objective, **data),
        success_message="Objective saved",
    )
    back = f"{_plan_url(objective.priority.plan_id)}#objective-{objective.pk}"
    if submission.succeeded:
        return redirect(back)
    return _form_page(request, form, heading="Change the objective", button="Save", back_url=back)


@require_http_methods(["GET", "POST"])
def action_new(request, objective_id):
    require(request.user, MANAGE)
    objective = selectors.objective_get(objective_id=objective_id)
    form = forms.ActionForm(submitted(request), subgroups=selectors.subgroups(), agencies=selectors.agencies())
    submission = submit_to_service(
        request,
        form,
        lambda data: services.action_create(acting_user=request.user, objective=objective, **data),
        success_message="Action added",
    )
    if submission.succeeded:
        return redirect(_action_url(submission.result))
    return _form_page(
        request,
        form,
        heading="Add an action",
        button="Add the action",
        back_url=f"{_plan_url(objective.priority.plan_id)}#objective-{objective.pk}",
        caption=objective.priority,
    )


def _action_page(request, action, progress_form, *, status=200):
    figures = selectors.live_figures(
        codes=[action.measure_code] if action.measure_code else [], year=action.objective.priority.plan.year
    )
    row = presenters.action_row(action, today=timezone.localdate(), figures=figures)
    return render(
        request,
        "board/action.html",
        {
            "action": action,
            "row": row,
            "trail": presenters.progress_rows(action.progress_list),
            "priority": action.objective.priority,
            "plan": action.objective.priority.plan,
            "form": progress_form,
            "can_manage": request.user.has_perm(MANAGE),
        },
        status=status,
    )


@require_http_methods(["GET", "POST"])
def action_detail(request, action_id):
    """The action, its progress trail (newest first), and the form to report progress."""
    require(request.user, VIEW)
    action = selectors.action_get(action_id=action_id)
    form = forms.ProgressForm(submitted(request))
    if request.method == "POST":
        require(request.user, MANAGE)
    submission = submit_to_service(
        request,
        form,
        lambda data: services.action_progress_add(acting_user=request.user, action=action, **data),
        success_message="Progress added",
    )
    if submission.succeeded:
        return redirect(_action_url(action))
    return _action_page(request, action, form)


ACTION_LABELS = {
    "what": "What are we going to do?",
    "due_date": "Date it is due by",
    "due_text": "When",
    "responsible": "Who is responsible",
    "how_measured": "How will we measure progress and impact?",
    "measure_code": "Measure",
}


def _action_shown(values: dict) -> dict:
    subgroup, agency = values.get("responsible_subgroup"), values.get("responsible_agency")
    return {
        "what": values.get("what") or "",
        "due_date": presenters.long_date(values.get("due_date")),
        "due_text": values.get("due_text") or "",
        "responsible": str(subgroup or agency or ""),
        "how_measured": values.get("how_measured") or "",
        "measure_code": values.get("measure_code") or "",
    }


@require_http_methods(["GET", "POST"])
def action_edit(request, action_id):
    require(request.user, MANAGE)
    action = selectors.action_get(action_id=action_id)
    initial = {name: getattr(action, name) for name in services.ACTION_FIELDS}
    initial.update(
        responsible_subgroup=action.responsible_subgroup_id,
        responsible_agency=action.responsible_agency_id,
        version=action.version,
    )
    form_kwargs = {"subgroups": selectors.subgroups(), "agencies": selectors.agencies()}
    form = forms.ActionEditForm(submitted(request), initial=initial, **form_kwargs)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        version = data.pop("version")
        try:
            services.action_edit(acting_user=request.user, action=action, expected_version=version, **data)
        except StaleEditError as conflict:
            # Someone saved first: show both versions and keep what this user typed (409).
            current = conflict.current
            saved = _action_shown({name: getattr(current, name) for name in services.ACTION_FIELDS})
            mine = _action_shown(data)
            retry = forms.ActionEditForm(initial={**data, "version": current.version}, **form_kwargs)
            rows = [
                (label, saved[name], mine[name], saved[name] != mine[name]) for name, label in ACTION_LABELS.items()
            ]
            return render(
                request,
                "board/conflict.html",
                {
                    "heading": "Someone else changed this action while you were editing",
                    "rows": rows,
                    "form": retry,
                    "action": reverse("board:action-edit", kwargs={"action_id": action.pk}),
                    "back_url": _action_url(action),
                },
                status=409,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Action saved")
            return redirect(_action_url(action))
    return _form_page(
        request,
        form,
        heading="Change the action",
        button="Save",
        back_url=_action_url(action),
        caption=action.objective.priority,
    )


@require_http_methods(["GET", "POST"])
def action_sign_off(request, action_id):
    """Confirm, then sign the action off: the board is assured by its evidence."""
    require(request.user, MANAGE)
    action = selectors.action_get(action_id=action_id)
    form = forms.SignOffForm(submitted(request), initial={"version": action.version})
    if request.method == "POST" and form.is_valid():
        try:
            services.action_sign_off(
                acting_user=request.user, action=action, expected_version=form.cleaned_data["version"]
            )
        except StaleEditError:
            messages.warning(request, "Someone else changed this action first. Check it before you sign it off")
            return redirect(_action_url(action))
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Action signed off")
            return redirect(_action_url(action))
    return render(
        request,
        "board/sign_off.html",
        {"action": action, "form": form, "row": presenters.action_row(action, today=timezone.localdate(), figures={})},
    )


@require_http_methods(["GET", "POST"])
def subgroups(request):
    """The board's subgroups and task and finish groups, and a form to add one."""
    require(request.user, VIEW)
    form = forms.SubgroupForm(submitted(request))
    if request.method == "POST":
        require(request.user, MANAGE)
    submission = submit_to_service(
        request,
        form,
        lambda data: services.subgroup_create(acting_user=request.user, **data),
        success_message="Subgroup added",
    )
    if submission.succeeded:
        return redirect("board:subgroups")
    return render(
        request,
        "board/subgroups.html",
        {"subgroups": selectors.subgroups_in_use(), "form": form, "can_manage": request.user.has_perm(MANAGE)},
    )


def _report_year(request):
    years = financial_years()
    form = PublicationForm(request.GET or None, years=years)
    return form, form.chosen_year(years)


def annual_report_draft(request):
    """The annual report drafted from the year's plans, reviews and figures (Care Act 2014, Sch. 2 para 4)."""
    require(request.user, VIEW)
    form, year = _report_year(request)
    return render(request, "board/annual_report.html", {"form": form, "report": annual_report(year=year)})


@throttled("exports")
def annual_report_download(request, year):
    require(request.user, VIEW)
    report = annual_report(year=year)
    board_name = request.user.agency.name if request.user.agency_id else "Safeguarding Adults Board"
    pdf = annual_report_pdf(report, board_name=board_name)
    audit_record(
        actor=request.user, action=AuditAction.EXPORT, object_type="annual_report", object_id=str(year), detail={}
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="annual-report-{year}-draft.pdf"'
    return response
