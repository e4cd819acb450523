"""Subject access request pages. Only auditors work them: a request about a person the user's agency
cannot see is a 404 (audited), one it can see but the user's role may not work is a 403."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from marm.access.rules import require
from marm.core.throttle import throttled
from marm.govuk_forms.forms import add_service_errors, submit_to_service, submitted
from marm.people.selectors import person_get_for_user, person_view_record
from marm.rights import documents, forms, presenters, selectors, services
from marm.rights.models import DisclosureFormat, RequestStatus
from marm.rights.rules import WORK_SUBJECT_ACCESS


def _request_for_officer(request, sar_id, purpose: str):
    subject_access = selectors.subject_access_get_for_user(
        user=request.user, sar_id=sar_id, purpose=purpose, audit_view=False
    )
    require(request.user, WORK_SUBJECT_ACCESS, subject_access.person)
    selectors.subject_access_view_record(user=request.user, subject_access=subject_access, purpose=purpose)
    return subject_access


def _form_page(request, subject_access, form, heading: str, button: str):
    return render(
        request,
        "form_page.html",
        {
            "form": form,
            "heading": heading,
            "button": button,
            "caption": f"{subject_access.person.full_name}: {subject_access.reference}",
            "back_url": reverse("rights:detail", kwargs={"sar_id": subject_access.pk}),
        },
    )


def request_list(request):
    require(request.user, WORK_SUBJECT_ACCESS)
    today = timezone.localdate()
    rows = [presenters.request_row(sar, today=today) for sar in selectors.open_requests_for_user(user=request.user)]
    return render(request, "rights/list.html", {"rows": rows})


@require_http_methods(["GET", "POST"])
def register(request, pk):
    purpose = "Registering a subject access request"
    person = person_get_for_user(user=request.user, pk=pk, purpose=purpose, audit_view=False)
    require(request.user, WORK_SUBJECT_ACCESS, person)
    person_view_record(user=request.user, person=person, purpose=purpose)
    form = forms.RegisterForm(submitted(request))
    submission = submit_to_service(
        request,
        form,
        lambda data: services.subject_access_register(acting_user=request.user, person=person, **data),
        success_message="Subject access request registered",
    )
    if submission.succeeded:
        return redirect("rights:detail", sar_id=submission.result.pk)
    return render(
        request,
        "form_page.html",
        {
            "form": form,
            "heading": "Register a subject access request",
            "button": "Register the request",
            "caption": person.full_name,
            "back_url": reverse("people:detail", kwargs={"pk": person.pk}),
        },
    )


def detail(request, sar_id):
    subject_access = _request_for_officer(request, sar_id, "Working a subject access request")
    today = timezone.localdate()
    return render(
        request,
        "rights/detail.html",
        {
            "sar": subject_access,
            "row": presenters.request_row(subject_access, today=today),
            "disclosures": selectors.disclosures_of(subject_access=subject_access),
            "can_check_identity": subject_access.status == RequestStatus.REGISTERED,
            "can_gather": subject_access.status == RequestStatus.GATHERING,
            "can_decide": subject_access.status == RequestStatus.REDACTING,
            "can_download": subject_access.status in (RequestStatus.REDACTING, RequestStatus.ANSWERED),
            "can_answer": subject_access.status == RequestStatus.REDACTING,
            "can_extend": subject_access.is_open and subject_access.extension_months < 2,
            "can_withdraw": subject_access.is_open,
        },
    )


def _step_view(purpose, form_class, service, success_message, title, button):
    """The page of one step of a request (identity, extension, answer, withdrawal): its form, its service,
    then back to the request."""

    @require_http_methods(["GET", "POST"])
    def view(request, sar_id):
        return _step(request, sar_id, purpose, form_class, service, success_message, title, button)

    return view


def _step(request, sar_id, purpose, form_class, service, success_message, title, button):
    subject_access = _request_for_officer(request, sar_id, purpose)
    form = form_class(submitted(request))
    submission = submit_to_service(
        request,
        form,
        lambda data: service(acting_user=request.user, subject_access=subject_access, **data),
        success_message=success_message,
    )
    if submission.succeeded:
        return redirect("rights:detail", sar_id=subject_access.pk)
    return _form_page(request, subject_access, form, title, button)


identity = _step_view(
    "Checking the requester's identity",
    forms.IdentityForm,
    services.subject_access_check_identity,
    "Identity check recorded",
    "Check the requester's identity",
    "Record the check",
)


extend = _step_view(
    "Extending a subject access request",
    forms.ExtendForm,
    services.subject_access_extend,
    "Time to answer extended",
    "Extend the time to answer",
    "Extend",
)


def gather(request, sar_id):
    # The request is read first, so a user who may not see it gets 404 (and a DENIED row), not 405.
    subject_access = _request_for_officer(request, sar_id, "Gathering the records for a subject access request")
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    try:
        count = services.subject_access_gather(acting_user=request.user, subject_access=subject_access)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("rights:detail", sar_id=subject_access.pk)
    messages.success(request, f"{count} items gathered from every agency's records")
    return redirect("rights:items", sar_id=subject_access.pk)


@require_http_methods(["GET", "POST"])
def items(request, sar_id):
    subject_access = _request_for_officer(request, sar_id, "Deciding what a subject access response discloses")
    kinds = selectors.items_by_kind(subject_access=subject_access)
    item_ids = [item.pk for kind in kinds for record in kind.records for item in record.items]
    form = forms.DecideForm(submitted(request), item_ids=item_ids)
    if request.method == "POST" and form.is_valid():
        try:
            count = services.subject_access_decide(
                acting_user=request.user,
                subject_access=subject_access,
                item_ids=form.cleaned_data["items"],
                decision=form.cleaned_data["decision"],
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"Decision recorded for {count} item{'s' if count != 1 else ''}")
            return redirect("rights:items", sar_id=subject_access.pk)
    return render(
        request,
        "rights/items.html",
        {
            "sar": subject_access,
            "form": form,
            "kinds": kinds,
            "selected": {str(pk) for pk in (form.data.getlist("items") if form.is_bound else [])},
            "can_decide": subject_access.status == RequestStatus.REDACTING,
        },
    )


def _download(request, sar_id, document_format: str):
    subject_access = _request_for_officer(request, sar_id, "Downloading a subject access response")
    response = documents.response_for(subject_access)
    if document_format == DisclosureFormat.PDF:
        content, content_type = documents.response_pdf(response), "application/pdf"
    else:
        content, content_type = documents.response_json(response), "application/json"
    try:
        services.subject_access_disclose(
            acting_user=request.user,
            subject_access=subject_access,
            document_format=document_format,
            content=content,
            counts=response.counts,
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("rights:detail", sar_id=subject_access.pk)
    http = HttpResponse(content, content_type=content_type)
    http["Content-Disposition"] = f'attachment; filename="{subject_access.reference}.{document_format}"'
    return http


@throttled("documents")
def download_pdf(request, sar_id):
    return _download(request, sar_id, DisclosureFormat.PDF)


@throttled("documents")
def download_json(request, sar_id):
    return _download(request, sar_id, DisclosureFormat.JSON)


answer = _step_view(
    "Recording a subject access response as given",
    forms.AnswerForm,
    services.subject_access_answer,
    "The request is answered",
    "Record that the response was given",
    "Mark as answered",
)


withdraw = _step_view(
    "Withdrawing a subject access request",
    forms.WithdrawForm,
    services.subject_access_withdraw,
    "The request is withdrawn",
    "Withdraw the request",
    "Withdraw",
)
