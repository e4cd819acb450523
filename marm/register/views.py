"""The register and the duty desk: thin views over the selectors and services."""

from django.conf import settings
from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_http_methods

from marm.access.rules import require
from marm.accounts.selectors import users_of_agencies
from marm.core.panels import panels_for
from marm.core.throttle import throttle_check
from marm.govuk_forms.forms import submit_to_service, submitted
from marm.people.selectors import person_get_for_user
from marm.register import duty, duty_selectors, forms, presenters, purpose, selectors, services
from marm.register.rules import is_supervisor


def _form_page(request, form, *, heading, caption, button, back_url, status=200):
    return render(
        request,
        "form_page.html",
        {"form": form, "heading": heading, "caption": caption, "button": button, "back_url": back_url},
        status=status,
    )


def _entry_url(entry):
    return reverse("register:entry", kwargs={"entry_pk": entry.pk})


@require_GET
def register_list(request):
    teams = list(selectors.teams_of(user=request.user))
    team_id = request.GET.get("team")
    chosen = next((team for team in teams if str(team.pk) == team_id), None)
    entries = selectors.register_for_user(user=request.user, team_id=chosen.pk if chosen else None)
    return render(
        request,
        "register/list.html",
        {
            "rows": presenters.register_rows(entries),
            "teams": teams,
            "chosen": chosen,
            "alerts": selectors.alerts_waiting_for(user=request.user),
        },
    )


@require_http_methods(["GET", "POST"])
def team_settings(request, team_id):
    require(request.user, "register.manage_entry")
    team = selectors.team_of_user(user=request.user, team_id=team_id)
    current = getattr(team, "register_settings", None)
    form = forms.RegisterSettingsForm(
        submitted(request),
        initial={"acknowledge_within_minutes": current.acknowledge_within_minutes if current else None},
        default_minutes=settings.MARM_REGISTER_ACKNOWLEDGE_WITHIN_MINUTES,
    )
    submission = submit_to_service(
        request,
        form,
        lambda data: services.register_settings_update(acting_user=request.user, team=team, **data),
        success_message=f"Register settings of {team.name} saved",
    )
    if submission.succeeded:
        return redirect(f"{reverse('register:list')}?team={team.pk}")
    return _form_page(
        request,
        form,
        heading="Register settings",
        caption=team.name,
        button="Save the settings",
        back_url=f"{reverse('register:list')}?team={team.pk}",
    )


@require_http_methods(["GET", "POST"])
def entry_add(request, pk):
    person = person_get_for_user(user=request.user, pk=pk, purpose="Adding to the high-risk register")
    require(request.user, "register.manage_entry")
    form = forms.EntryAddForm(
        submitted(request),
        initial={"missed_visits_window_days": 7},
        teams=selectors.teams_of(user=request.user),
        professionals=users_of_agencies(agency_ids=[request.user.agency_id]),
        cases=selectors.cases_of_person_for_register(user=request.user, person=person),
    )
    submission = submit_to_service(
        request, form, lambda data: services.register_entry_add(acting_user=request.user, person=person, **data)
    )
    if submission.succeeded:
        entry = submission.result
        messages.success(request, f"{person.full_name} is on the register of {entry.team.name}")
        return redirect(_entry_url(entry))
    return _form_page(
        request,
        form,
        heading="Add to the high-risk register",
        caption=person.full_name,
        button="Add to the register",
        back_url=reverse("people:detail", kwargs={"pk": person.pk}),
    )


def entry_detail(request, entry_pk):
    entry = selectors.entry_page_for_user(user=request.user, pk=entry_pk)
    return render(
        request,
        "register/entry.html",
        {
            "entry": entry,
            "criteria": presenters.criteria_labels(entry),
            "review": presenters.review_due(entry),
            "can_manage": request.user.has_perm("register.manage_entry") and entry.is_active,
            "can_review": request.user.has_perm("register.review_entry") and entry.is_active,
            "can_record_process": request.user.has_perm("register.record_process") and entry.is_active,
        },
    )


@require_http_methods(["GET", "POST"])
def review_record(request, entry_pk):
    entry = selectors.entry_get_for_user(user=request.user, pk=entry_pk, purpose="Reviewing the register entry")
    require(request.user, "register.review_entry")
    form = forms.ReviewForm(
        submitted(request),
        professionals=users_of_agencies(agency_ids=[request.user.agency_id]),
        supervisor=is_supervisor(request.user),
    )
    submission = submit_to_service(
        request,
        form,
        lambda data: services.register_review_record(acting_user=request.user, entry=entry, **data),
        success_message="Review recorded",
    )
    if submission.succeeded:
        return redirect(_entry_url(entry))
    return _form_page(
        request,
        form,
        heading="Record a review",
        caption=entry.person.full_name,
        button="Record the review",
        back_url=_entry_url(entry),
    )


@require_http_methods(["GET", "POST"])
def process_add(request, entry_pk):
    entry = selectors.entry_get_for_user(user=request.user, pk=entry_pk, purpose="Recording another process")
    require(request.user, "register.record_process")
    form = forms.ProcessForm(submitted(request))
    submission = submit_to_service(
        request,
        form,
        lambda data: services.register_process_add(acting_user=request.user, entry=entry, **data),
        success_message="Process recorded",
    )
    if submission.succeeded:
        return redirect(_entry_url(entry))
    return _form_page(
        request,
        form,
        heading="Record another active process",
        caption=entry.person.full_name,
        button="Record the process",
        back_url=_entry_url(entry),
    )


@require_http_methods(["GET", "POST"])
def process_end(request, entry_pk, process_id):
    entry = selectors.entry_get_for_user(user=request.user, pk=entry_pk, purpose="Ending another process")
    require(request.user, "register.record_process")
    process = selectors.process_of_entry(user=request.user, entry=entry, process_id=process_id)
    form = forms.ProcessEndForm(submitted(request))
    submission = submit_to_service(
        request,
        form,
        lambda data: services.register_process_end(acting_user=request.user, process=process, **data),
        success_message=f"{process.get_kind_display()} recorded as ended",
    )
    if submission.succeeded:
        return redirect(_entry_url(entry))
    return _form_page(
        request,
        form,
        heading=f"Record the end of the {process.get_kind_display()}",
        caption=entry.person.full_name,
        button="Record the end",
        back_url=_entry_url(entry),
    )


@require_http_methods(["GET", "POST"])
def entry_remove(request, entry_pk):
    entry = selectors.entry_get_for_user(user=request.user, pk=entry_pk, purpose="Removing from the register")
    require(request.user, "register.manage_entry")
    if not entry.is_active:
        raise Http404("Already removed")
    form = forms.EntryRemoveForm(submitted(request))
    submission = submit_to_service(
        request,
        form,
        lambda data: services.register_entry_remove(acting_user=request.user, entry=entry, **data),
        success_message=f"{entry.person.full_name} is off the register; the alert is cleared",
    )
    if submission.succeeded:
        return redirect(_entry_url(entry))
    return _form_page(
        request,
        form,
        heading="Take off the high-risk register",
        caption=entry.person.full_name,
        button="Take off the register",
        back_url=_entry_url(entry),
    )


@require_http_methods(["GET", "POST"])
def named_professional_change(request, entry_pk):
    entry = selectors.entry_get_for_user(
        user=request.user, pk=entry_pk, purpose="Changing the named professional on the register"
    )
    require(request.user, "register.manage_entry")
    if not entry.is_active:
        raise Http404("Taken off the register")
    form = forms.NamedProfessionalForm(
        submitted(request),
        professionals=users_of_agencies(agency_ids=[request.user.agency_id]).exclude(pk=entry.named_professional_id),
    )
    submission = submit_to_service(
        request,
        form,
        lambda data: services.register_named_professional_change(acting_user=request.user, entry=entry, **data),
    )
    if submission.succeeded:
        messages.success(
            request,
            f"{submission.result.named_professional.full_name} is now the named professional; they have been told",
        )
        return redirect(_entry_url(entry))
    return _form_page(
        request,
        form,
        heading="Change the named professional",
        caption=f"{entry.person.full_name}. Named professional now: {entry.named_professional.full_name}",
        button="Change the named professional",
        back_url=_entry_url(entry),
    )


@require_http_methods(["GET", "POST"])
def support_not_delivered(request, pk):
    person = person_get_for_user(user=request.user, pk=pk, purpose="Reporting support not delivered")
    require(request.user, "register.report_support_not_delivered")
    form = forms.SupportNotDeliveredForm(submitted(request))
    submission = submit_to_service(
        request,
        form,
        lambda data: services.support_not_delivered_report(acting_user=request.user, person=person, **data),
        success_message="Support not delivered reported",
    )
    if submission.succeeded:
        return redirect("people:detail", pk=person.pk)
    return _form_page(
        request,
        form,
        heading="Report support not delivered",
        caption=person.full_name,
        button="Send the report",
        back_url=reverse("people:detail", kwargs={"pk": person.pk}),
    )


@require_http_methods(["GET", "POST"])
def alert_detail(request, alert_pk):
    alert = selectors.alert_get_for_user(user=request.user, pk=alert_pk, purpose="Reading a contact alert")
    can_acknowledge = request.user.has_perm("register.acknowledge_alert", alert)
    if request.method == "POST":
        duty.contact_alert_acknowledge(acting_user=request.user, alert=alert)
        messages.success(request, "Alert acknowledged")
        return redirect("register:alert", alert_pk=alert.pk)
    case = selectors.alert_case_for_user(user=request.user, alert=alert)
    return render(
        request,
        "register/alert.html",
        {
            "alert": alert,
            "can_acknowledge": can_acknowledge,
            "case": case,
            # What the case's plan says to do (the plans app's panel), for a user who sees the case.
            "panels": panels_for("contact-alert", user=request.user, case=case) if case else None,
        },
    )


# The duty desk


@require_http_methods(["GET", "POST"])
def duty_search(request):
    require(request.user, "register.use_duty_desk")
    form = forms.DutySearchForm(submitted(request))
    cards = None
    if request.method == "POST" and form.is_valid():
        if refused := throttle_check(request, "duty-search"):
            return refused
        cards = duty_selectors.duty_search(
            user=request.user,
            name=form.cleaned_data["name"],
            date_of_birth=form.cleaned_data["date_of_birth"],
            year_of_birth=form.cleaned_data["year_of_birth"],
            aged_from=form.cleaned_data["aged_from"],
            aged_to=form.cleaned_data["aged_to"],
            register_only=form.cleaned_data["register_only"],
        )
    return render(request, "register/duty_search.html", {"form": form, "cards": cards})


def duty_card(request, pk):
    card = duty_selectors.duty_card_for_user(user=request.user, pk=pk)
    return render(request, "register/duty_card.html", {"card": card})


@require_http_methods(["GET", "POST"])
def duty_contact(request, pk):
    card = duty_selectors.duty_card_for_user(user=request.user, pk=pk)
    form = forms.ContactForm(submitted(request))
    submission = submit_to_service(
        request, form, lambda data: duty.duty_contact_log(acting_user=request.user, person=card.person, **data)
    )
    if submission.succeeded:
        told = submission.result.alerts.count()
        if told:
            who = "The named professional has" if told == 1 else f"{told} named professionals have"
            messages.success(request, f"Contact logged. {who} been alerted.")
        else:
            messages.success(request, "Contact logged")
        return redirect("register:duty-card", pk=card.person.pk)
    return _form_page(
        request,
        form,
        heading="Log a contact",
        caption=card.person.full_name,
        button="Log the contact",
        back_url=reverse("register:duty-card", kwargs={"pk": card.person.pk}),
    )


@require_http_methods(["GET", "POST"])
def duty_open(request, pk):
    card = duty_selectors.duty_card_for_user(user=request.user, pk=pk)
    form = forms.OpenRecordForm(submitted(request))
    if request.method == "POST" and form.is_valid():
        given = form.cleaned_data["purpose"]
        # Kept for the person's full-record pages for a while (purpose.py); each read's audit row carries it.
        purpose.purpose_record(request.session, card.person.pk, given)
        # The purpose goes into the audit row of this read (people.person VIEW).
        person_get_for_user(user=request.user, pk=card.person.pk, purpose=given)
        next_url = request.GET.get("next", "")
        if url_has_allowed_host_and_scheme(
            next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        ):
            return redirect(next_url)
        return redirect("people:detail", pk=card.person.pk)
    return _form_page(
        request,
        form,
        heading="Open the full record",
        caption=card.person.full_name,
        button="Open the record",
        back_url=reverse("register:duty-card", kwargs={"pk": card.person.pk}),
    )
