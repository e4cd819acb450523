from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from marm.access.rules import require
from marm.accounts.selectors import users_of_agencies
from marm.cases.presenters import form_page
from marm.cases.rules import require_role
from marm.cases.selectors import active_roles, case_get_for_user
from marm.core.locking import StaleEditError
from marm.core.throttle import throttled
from marm.govuk_forms.forms import add_service_errors, submit_to_service, submitted
from marm.meetings import forms, presenters, selectors, services
from marm.meetings.ics import ics_method, meeting_ics
from marm.meetings.minutes import minutes_pdf, minutes_record
from marm.meetings.rules import SCHEDULE_MEETING
from marm.meetings.vocab import InviteeKind, MeetingKind
from marm.plans.presenters import action_rows
from marm.plans.selectors import agencies_of_case, contingency_plans
from marm.sharing.selectors import agencies_to_share_with


def _detail_url(meeting) -> str:
    return reverse("meetings:detail", kwargs={"case_pk": meeting.case_id, "meeting_id": meeting.pk})


def _detail(meeting):
    return redirect("meetings:detail", case_pk=meeting.case_id, meeting_id=meeting.pk)


def _full_agency_ids(case):
    return [role.agency_id for role in active_roles(case=case) if role.access == "full"]


@require_http_methods(["GET", "POST"])
def schedule(request, case_pk):
    case = case_get_for_user(user=request.user, pk=case_pk, purpose="Scheduling a meeting")
    require_role(request.user, "meetings.schedule_meeting", case)
    # Reviews follow the planning meeting: offer a planning meeting first while no review can be held.
    may_review = request.user.has_perm(SCHEDULE_MEETING[MeetingKind.REVIEW], case)
    kind = MeetingKind.REVIEW if may_review else MeetingKind.PLANNING
    form = forms.ScheduleForm(
        submitted(request),
        chairs=users_of_agencies(agency_ids=_full_agency_ids(case)).order_by("full_name"),
        initial={"kind": kind},
    )
    submission = submit_to_service(
        request,
        form,
        lambda data: services.meeting_schedule(
            acting_user=request.user, case=case, kind=data["kind"], chair=data["chair"], **form.service_data()
        ),
    )
    if submission.succeeded:
        meeting = submission.result
        messages.success(request, f"{meeting.get_kind_display()} scheduled. Now invite the agencies")
        warning = presenters.chair_warning(meeting)
        if warning:
            messages.warning(request, warning)
        return _detail(meeting)
    return render(request, "form_page.html", form_page(case, form, "Schedule a meeting", "Schedule the meeting"))


def detail(request, case_pk, meeting_id):
    case = case_get_for_user(user=request.user, pk=case_pk, purpose="Reading a meeting")
    meeting = selectors.meeting_page(user=request.user, case=case, meeting_id=meeting_id)
    today = timezone.localdate()
    is_open = not (meeting.is_finished or meeting.is_cancelled)
    problems = selectors.finish_problems(meeting=meeting) if is_open else {}
    return render(
        request,
        "meetings/detail.html",
        {
            "case": case,
            "meeting": meeting,
            "chair_warning": presenters.chair_warning(meeting),
            "attendance": presenters.attendance_summary(meeting),
            "adult": getattr(meeting, "adult", None),
            "action_rows": action_rows(meeting.actions.all(), today=today),
            "contingency": next(
                (plan for plan in contingency_plans(case=case) if plan.agreed_at_meeting_id == meeting.pk), None
            ),
            "finish_problems": problems.values(),
            "can_record": request.user.has_perm("meetings.record_meeting") and is_open,
            "can_change": request.user.has_perm("meetings.change_meeting") and is_open,
            "can_finish": request.user.has_perm("meetings.finish_meeting", meeting) and is_open,
            "can_add_action": request.user.has_perm("plans.add_action") and is_open,
            "can_send": request.user.has_perm("meetings.record_meeting") and meeting.is_finished,
        },
    )


@require_http_methods(["GET", "POST"])
def change(request, case_pk, meeting_id):
    case = case_get_for_user(user=request.user, pk=case_pk, purpose="Changing a meeting")
    require(request.user, "meetings.change_meeting")
    meeting = selectors.meeting_of_case(user=request.user, case=case, meeting_id=meeting_id)
    local_start, local_end = timezone.localtime(meeting.starts_at), timezone.localtime(meeting.ends_at)
    form = forms.ChangeForm(
        submitted(request),
        initial={
            "date": local_start.date(),
            "start_time": local_start.time(),
            "end_time": local_end.time(),
            "place": meeting.place,
            "virtual_link": meeting.virtual_link,
            "agenda": meeting.agenda,
            "version": meeting.version,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.meeting_change(
                acting_user=request.user,
                meeting=meeting,
                expected_version=form.cleaned_data["version"],
                reason=form.cleaned_data["reason"],
                **form.service_data(),
            )
        except StaleEditError:
            messages.warning(request, "Someone else changed this meeting first. It now shows their change: check it")
            return redirect("meetings:change", case_pk=case.pk, meeting_id=meeting.pk)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Meeting changed. Everyone invited has been told")
            return _detail(meeting)
    return render(
        request, "form_page.html", presenters.meeting_form_page(meeting, form, "Change the meeting", "Save the change")
    )


@require_http_methods(["GET", "POST"])
def cancel(request, case_pk, meeting_id):
    case = case_get_for_user(user=request.user, pk=case_pk, purpose="Cancelling a meeting")
    require(request.user, "meetings.change_meeting")
    meeting = selectors.meeting_of_case(user=request.user, case=case, meeting_id=meeting_id)
    form = forms.CancelForm(submitted(request), initial={"version": meeting.version})
    try:
        submission = submit_to_service(
            request,
            form,
            lambda data: services.meeting_cancel(
                acting_user=request.user, meeting=meeting, expected_version=data["version"], reason=data["reason"]
            ),
            success_message="Meeting cancelled. Everyone invited has been told",
        )
    except StaleEditError:
        messages.warning(request, "Someone else changed this meeting first. Check it before cancelling")
        return _detail(meeting)
    if submission.succeeded:
        return _detail(meeting)
    return render(
        request,
        "form_page.html",
        presenters.meeting_form_page(meeting, form, "Cancel the meeting", "Cancel the meeting", warning=True),
    )


@require_http_methods(["GET", "POST"])
def invite(request, case_pk, meeting_id):
    case = case_get_for_user(user=request.user, pk=case_pk, purpose="Inviting to a meeting")
    require(request.user, "meetings.record_meeting")
    meeting = selectors.meeting_of_case(user=request.user, case=case, meeting_id=meeting_id)
    agencies = agencies_of_case(case=case)
    form = forms.InviteForm(
        submitted(request),
        agencies=agencies,
        users=users_of_agencies(agency_ids=_full_agency_ids(case)).order_by("full_name"),
    )
    submission = submit_to_service(
        request, form, lambda data: services.invitation_add(acting_user=request.user, meeting=meeting, **data)
    )
    if submission.succeeded:
        invitation = submission.result
        messages.success(request, f"{invitation.person_label} ({invitation.organisation_label}) invited")
        if request.POST.get("another"):  # several people, one page each, without going round the meeting page
            return redirect("meetings:invite", case_pk=case.pk, meeting_id=meeting.pk)
        return _detail(meeting)
    # An agency not yet involved joins through the sharing decision, reached from here and back.
    can_share = request.user.has_perm("sharing.decide")
    return render(
        request,
        "meetings/invite.html",
        {
            **presenters.meeting_form_page(meeting, form, "Invite to the meeting", "Invite"),
            "not_involved": list(agencies_to_share_with(case=case)) if can_share else [],
            "invite_url": reverse("meetings:invite", kwargs={"case_pk": case.pk, "meeting_id": meeting.pk}),
        },
    )


@require_http_methods(["GET", "POST"])
def invite_person(request, case_pk, meeting_id):
    """Invite the adult, their advocate, family or carers, or someone from an organisation outside marm."""
    case = case_get_for_user(user=request.user, pk=case_pk, purpose="Inviting to a meeting")
    require(request.user, "meetings.record_meeting")
    meeting = selectors.meeting_of_case(user=request.user, case=case, meeting_id=meeting_id)
    kind = request.GET.get("kind", "")
    form = forms.InvitePersonForm(submitted(request), initial={"kind": kind} if kind in InviteeKind.values else None)
    submission = submit_to_service(
        request, form, lambda data: services.invitation_add_person(acting_user=request.user, meeting=meeting, **data)
    )
    if submission.succeeded:
        invitation = submission.result
        messages.success(request, f"{invitation.person_label} ({invitation.organisation_label}) invited")
        return _detail(meeting)
    return render(
        request,
        "form_page.html",
        presenters.meeting_form_page(meeting, form, "Invite someone who is not an agency in marm", "Invite"),
    )


@require_http_methods(["GET", "POST"])
def attendance(request, case_pk, meeting_id):
    case = case_get_for_user(user=request.user, pk=case_pk, purpose="Recording attendance")
    require(request.user, "meetings.record_meeting")
    meeting = selectors.meeting_page(user=request.user, case=case, meeting_id=meeting_id)
    form = forms.AttendanceForm(submitted(request), invitations=list(meeting.invitations.all()))
    submission = submit_to_service(
        request,
        form,
        lambda _data: services.attendance_record(acting_user=request.user, meeting=meeting, entries=form.entries()),
        success_message="Attendance recorded",
    )
    if submission.succeeded:
        return _detail(meeting)
    return render(
        request, "form_page.html", presenters.meeting_form_page(meeting, form, "Who attended", "Save attendance")
    )


@require_http_methods(["GET", "POST"])
def adult(request, case_pk, meeting_id):
    case = case_get_for_user(user=request.user, pk=case_pk, purpose="Recording the adult's participation")
    require(request.user, "meetings.record_meeting")
    meeting = selectors.meeting_page(user=request.user, case=case, meeting_id=meeting_id)
    current = getattr(meeting, "adult", None)
    initial = {}
    if current is not None:
        initial = {
            field: getattr(current, field)
            for field in forms.AdultForm.base_fields
            if field not in ("attended", "advocate_offered")
        }
        initial["attended"] = "yes" if current.attended else "no"
        initial["advocate_offered"] = "yes" if current.advocate_offered else "no"
    else:
        initial = presenters.participation_from_attendance(meeting.invitations_list)
    form = forms.AdultForm(submitted(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.adult_participation_record(acting_user=request.user, meeting=meeting, **form.cleaned_data)
        except StaleEditError:
            messages.warning(request, "Someone else recorded this first. It now shows their answer: check it")
            return redirect("meetings:adult", case_pk=case.pk, meeting_id=meeting.pk)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "The adult's participation is recorded")
            return _detail(meeting)
    return render(
        request,
        "form_page.html",
        presenters.meeting_form_page(meeting, form, "The adult's participation and views"),
    )


@require_http_methods(["GET", "POST"])
def minutes_item(request, case_pk, meeting_id, minutes_item_id):
    case = case_get_for_user(user=request.user, pk=case_pk, purpose="Recording the minutes")
    require(request.user, "meetings.record_meeting")
    meeting = selectors.meeting_of_case(user=request.user, case=case, meeting_id=meeting_id)
    item = selectors.minutes_item_of_meeting(user=request.user, meeting=meeting, item_id=minutes_item_id)
    form = forms.MinutesItemForm(
        submitted(request),
        initial={
            "status": item.status if item.status != "outstanding" else "",
            "notes": item.notes,
            "reason": item.reason_not_addressed,
            "version": item.version,
        },
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.minutes_item_record(
                acting_user=request.user,
                item=item,
                expected_version=data["version"],
                status=data["status"],
                notes=data["notes"],
                reason=data["reason"],
            )
        except StaleEditError:
            messages.warning(request, "Someone else recorded this item first. It now shows their notes: check them")
            return redirect("meetings:minutes-item", case_pk=case.pk, meeting_id=meeting.pk, minutes_item_id=item.pk)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Minutes recorded")
            return redirect(f"{_detail_url(meeting)}#minutes-{item.code}")
    return render(
        request,
        "meetings/minutes_item.html",
        {
            **presenters.meeting_form_page(meeting, form, "Minutes: a key action"),
            "item": item,
            "still_to_record": selectors.minutes_item_still_to_record(meeting=meeting, item=item),
        },
    )


@require_http_methods(["GET", "POST"])
def decision(request, case_pk, meeting_id):
    case = case_get_for_user(user=request.user, pk=case_pk, purpose="Recording a decision taken in a meeting")
    require(request.user, "meetings.record_meeting")
    meeting = selectors.meeting_of_case(user=request.user, case=case, meeting_id=meeting_id)
    form = forms.MeetingDecisionForm(submitted(request))
    submission = submit_to_service(
        request,
        form,
        lambda data: services.meeting_decision_record(acting_user=request.user, meeting=meeting, **data),
        success_message="The decision is in the decision log",
    )
    if submission.succeeded:
        return _detail(meeting)
    return render(
        request,
        "form_page.html",
        presenters.meeting_form_page(meeting, form, "Record a decision taken in the meeting", "Record the decision"),
    )


@require_http_methods(["GET", "POST"])
def finish(request, case_pk, meeting_id):
    case = case_get_for_user(user=request.user, pk=case_pk, purpose="Finishing a meeting")
    meeting = selectors.meeting_of_case(user=request.user, case=case, meeting_id=meeting_id)
    require_role(request.user, "meetings.finish_meeting", meeting)
    form = forms.FinishForm(submitted(request), initial={"version": meeting.version})
    if request.method == "POST" and form.is_valid():
        try:
            services.meeting_finish(
                acting_user=request.user,
                meeting=meeting,
                expected_version=form.cleaned_data["version"],
                outcome=form.cleaned_data["outcome"],
                next_review_date=form.cleaned_data["next_review_date"],
                rationale=form.cleaned_data["rationale"],
            )
        except StaleEditError:
            messages.warning(request, "Someone else changed this meeting first: check it and finish again")
            return _detail(meeting)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Meeting finished. The minutes are ready")
            return _detail(meeting)
    return render(
        request, "form_page.html", presenters.meeting_form_page(meeting, form, "Finish the meeting", "Finish")
    )


@throttled("exports")
def calendar_file(request, case_pk, meeting_id):
    case = case_get_for_user(user=request.user, pk=case_pk, purpose="Downloading a meeting invitation")
    meeting = selectors.meeting_page(user=request.user, case=case, meeting_id=meeting_id)
    selectors.meeting_exported(user=request.user, meeting=meeting, document="calendar invitation")
    response = HttpResponse(
        meeting_ics(meeting, meeting.invitations.all()),
        content_type=f"text/calendar; charset=utf-8; method={ics_method(meeting)}",
    )
    response["Content-Disposition"] = f'attachment; filename="meeting-{case.reference}.ics"'
    return response


@throttled("documents")
def minutes_download(request, case_pk, meeting_id):
    case = case_get_for_user(user=request.user, pk=case_pk, purpose="Downloading the minutes")
    meeting = selectors.meeting_of_case(user=request.user, case=case, meeting_id=meeting_id)
    selectors.meeting_exported(user=request.user, meeting=meeting, document="minutes")
    response = HttpResponse(minutes_pdf(minutes_record(meeting_id=meeting.pk)), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="minutes-{case.reference}.pdf"'
    return response


def send_minutes(request, case_pk, meeting_id):
    # The case is read first, so a user who may not see it gets 404 (and a DENIED row), not 405.
    case = case_get_for_user(user=request.user, pk=case_pk, purpose="Sending the minutes")
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    require(request.user, "meetings.record_meeting")
    meeting = selectors.meeting_of_case(user=request.user, case=case, meeting_id=meeting_id)
    try:
        recipients = services.minutes_send(acting_user=request.user, meeting=meeting)
    except ValidationError as error:
        messages.warning(request, " ".join(error.messages))
    else:
        messages.success(request, f"Minutes sent to {len(recipients)} attendee(s)")
    return _detail(meeting)
