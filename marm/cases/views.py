from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from marm.access.rules import require
from marm.accounts.selectors import users_of_agencies
from marm.cases import forms, presenters, selectors, services
from marm.cases.lifecycle import MoveNotAllowed
from marm.cases.next_steps import next_steps, stage_of
from marm.cases.rules import require_role
from marm.core.locking import StaleEditError
from marm.core.panels import panels_for
from marm.govuk_forms.forms import add_service_errors, submit_to_service, submitted
from marm.people.selectors import person_get_for_user
from marm.sharing.services import case_agency_end


@require_http_methods(["GET", "POST"])
def raise_concern(request, pk):
    person = person_get_for_user(user=request.user, pk=pk, purpose="Raising a concern")
    require(request.user, "cases.raise_concern")
    form = forms.ConcernForm(submitted(request))
    submission = submit_to_service(
        request, form, lambda data: services.case_raise(acting_user=request.user, person=person, **data)
    )
    if submission.succeeded:
        case = submission.result
        messages.success(request, f"Concern {case.reference} raised. A manager of your agency will screen it")
        return redirect("cases:detail", case_pk=case.pk)
    return render(
        request,
        "cases/raise.html",
        {
            "form": form,
            "person": person,
            "heading": "Raise a concern",
            "caption": person.full_name,
            "button": "Raise concern",
            "back_url": reverse("people:detail", kwargs={"pk": person.pk}),
        },
    )


def detail(request, case_pk):
    case, access = selectors.case_page_for_user(user=request.user, pk=case_pk)
    if access != "full":
        return render(request, "cases/detail_limited.html", {"case": case})
    return render(
        request,
        "cases/detail.html",
        {
            "case": case,
            "at_risk": presenters.at_risk(case),
            "entry": presenters.entry_criteria(case),
            "key_actions": presenters.key_actions(case.key_action_list, stage=1),
            "routed_processes": presenters.routed_processes(case.routed_process_list, user=request.user),
            "risk_categories": presenters.labels(case.risk_categories, forms.vocab.RiskCategory),
            "abuse_types": presenters.labels(case.abuse_types, forms.vocab.AbuseType),
            "daily_life": presenters.labels(case.daily_life_areas, forms.vocab.DailyLifeArea),
            "lead": case.current_leads[0] if case.current_leads else None,
            "can_screen": request.user.has_perm("cases.screen_case", case),
            "can_allocate": request.user.has_perm("cases.allocate_lead_professional", case),
            "can_reopen": request.user.has_perm("cases.reopen_case", case),
            "can_share": request.user.has_perm("sharing.decide"),
            "can_end_roles": request.user.has_perm("cases.end_involvement", case),
            "can_update": request.user.has_perm("cases.update_key_action"),
            "can_tag_themes": request.user.has_perm("cases.tag_themes", case),
            "can_record_wishes": request.user.has_perm("sharing.record_wishes", case),
            "stage": stage_of(case),
            "steps": next_steps(user=request.user, case=case),
            "themes": presenters.labels([row.theme for row in case.theme_list], forms.vocab.ReviewTheme),
            "panels": panels_for("case", user=request.user, case=case),
        },
    )


@require_http_methods(["GET", "POST"])
def screen(request, case_pk):
    case = selectors.case_get_for_user(user=request.user, pk=case_pk, purpose="Screening the concern")
    require_role(request.user, "cases.screen_case", case)
    form = forms.ScreeningForm(submitted(request), initial={"better_process": "none"})
    submission = submit_to_service(
        request,
        form,
        lambda data: services.case_screen(acting_user=request.user, case=case, **data),
        success_message="Screening recorded",
        shown_on_form=(MoveNotAllowed,),
    )
    if submission.succeeded:
        return redirect("cases:detail", case_pk=case.pk)
    return render(
        request, "cases/screen.html", presenters.form_page(case, form, "Screen the concern", "Record screening")
    )


@require_http_methods(["GET", "POST"])
def reopen(request, case_pk):
    case = selectors.case_get_for_user(user=request.user, pk=case_pk, purpose="Reopening the case")
    require_role(request.user, "cases.reopen_case", case)
    running = selectors.running_processes_for_case(case=case)
    form = forms.ReopenForm(submitted(request), running=running)
    submission = submit_to_service(
        request,
        form,
        lambda data: services.case_reopen(acting_user=request.user, case=case, **data),
        success_message="Case reopened: screen it again to accept it into MARM",
        shown_on_form=(MoveNotAllowed,),
    )
    if submission.succeeded:
        return redirect("cases:detail", case_pk=case.pk)
    return render(
        request,
        "cases/reopen.html",
        {**presenters.form_page(case, form, "Reopen the case", "Reopen"), "running": running},
    )


@require_http_methods(["GET", "POST"])
def routed_process_end(request, case_pk, process_id):
    """Record that another process a screening routed the person to has ended."""
    case = selectors.case_get_for_user(user=request.user, pk=case_pk, purpose="Recording that a process ended")
    process = selectors.routed_process_of_case(user=request.user, case=case, process_id=process_id)
    require(request.user, "cases.end_routed_process", process)
    form = forms.RoutedProcessEndForm(submitted(request))
    submission = submit_to_service(
        request,
        form,
        lambda data: services.routed_process_end(acting_user=request.user, routed_process=process, **data),
        success_message=f"{process.name} recorded as ended",
    )
    if submission.succeeded:
        return redirect("cases:detail", case_pk=case.pk)
    return render(
        request,
        "form_page.html",
        presenters.form_page(case, form, f"Record that the {process.name} process ended", "Record the end"),
    )


@require_http_methods(["GET", "POST"])
def allocate(request, case_pk):
    case = selectors.case_get_for_user(user=request.user, pk=case_pk, purpose="Allocating the lead professional")
    require_role(request.user, "cases.allocate_lead_professional", case)
    form = forms.AllocateForm(submitted(request), candidates=users_of_agencies(agency_ids=_full_agency_ids(case)))
    submission = submit_to_service(
        request, form, lambda data: services.lead_professional_allocate(acting_user=request.user, case=case, **data)
    )
    if submission.succeeded:
        messages.success(request, f"{form.cleaned_data['user'].full_name} is the lead professional")
        return redirect("cases:detail", case_pk=case.pk)
    return render(
        request, "cases/allocate.html", presenters.form_page(case, form, "Allocate the lead professional", "Allocate")
    )


def _full_agency_ids(case):
    return [role.agency_id for role in selectors.active_roles(case=case) if role.access == "full"]


@require_http_methods(["GET", "POST"])
def lead_worker(request, case_pk, role_id):
    case = selectors.case_get_for_user(user=request.user, pk=case_pk, purpose="Naming a lead worker")
    require(request.user, "cases.update_key_action")
    role = selectors.role_of_own_agency(user=request.user, case=case, role_id=role_id)
    form = forms.LeadWorkerForm(submitted(request), candidates=users_of_agencies(agency_ids=[role.agency_id]))
    submission = submit_to_service(
        request,
        form,
        lambda data: services.lead_worker_name(acting_user=request.user, case_agency=role, user=data["user"]),
        success_message="Lead worker named",
    )
    if submission.succeeded:
        return redirect("cases:detail", case_pk=case.pk)
    return render(
        request, "cases/lead_worker.html", presenters.form_page(case, form, f"Name the lead worker for {role.agency}")
    )


@require_http_methods(["GET", "POST"])
def key_action(request, case_pk, item_id):
    case = selectors.case_get_for_user(user=request.user, pk=case_pk, purpose="Updating the key actions")
    require(request.user, "cases.update_key_action")
    item = selectors.key_action_of_case(user=request.user, case=case, item_id=item_id)
    form = forms.KeyActionForm(
        submitted(request), initial={"status": item.status, "reason": item.reason, "version": item.version}
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.key_action_update(
                acting_user=request.user,
                key_action=item,
                expected_version=data["version"],
                status=data["status"],
                reason=data["reason"],
            )
        except StaleEditError:
            messages.warning(request, "Someone else updated this item first. It now shows their answer: check it")
            return redirect("cases:key-action", case_pk=case.pk, item_id=item.pk)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Key action updated")
            return redirect("cases:detail", case_pk=case.pk)
    return render(
        request, "cases/key_action.html", {**presenters.form_page(case, form, "Update a key action"), "item": item}
    )


@require_http_methods(["GET", "POST"])
def end_role(request, case_pk, role_id):
    """A manager of the lead agency ends another agency's part in the case; its history stays."""
    case = selectors.case_get_for_user(user=request.user, pk=case_pk, purpose="Ending an agency's involvement")
    require(request.user, "cases.end_involvement", case)
    role = selectors.role_of_case(user=request.user, case=case, role_id=role_id)
    form = forms.EndRoleForm(submitted(request))
    submission = submit_to_service(
        request,
        form,
        lambda data: case_agency_end(acting_user=request.user, case_agency=role, reason=data["reason"]),
        success_message=f"{role.agency}'s involvement has ended. Its users can no longer open the case",
    )
    if submission.succeeded:
        return redirect("cases:detail", case_pk=case.pk)
    return render(
        request,
        "form_page.html",
        presenters.form_page(case, form, f"End {role.agency}'s involvement", "End involvement"),
    )


@require_http_methods(["GET", "POST"])
def themes(request, case_pk):
    case = selectors.case_get_for_user(
        user=request.user, pk=case_pk, purpose="Tagging review themes", queryset=selectors.with_themes()
    )
    require(request.user, "cases.tag_themes", case)
    form = forms.ThemesForm(submitted(request), initial={"themes": [row.theme for row in case.theme_list]})
    submission = submit_to_service(
        request,
        form,
        lambda data: services.case_themes_set(acting_user=request.user, case=case, themes=data["themes"]),
        success_message="Review themes saved",
    )
    if submission.succeeded:
        return redirect("cases:detail", case_pk=case.pk)
    return render(request, "form_page.html", presenters.form_page(case, form, "Review themes"))
