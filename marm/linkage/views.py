from django.conf import settings
from django.contrib import messages
from django.core import signing
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from marm.access.rules import require
from marm.core.throttle import throttle_check
from marm.govuk_forms.forms import add_service_errors, submit_to_service, submitted
from marm.linkage import forms, importing, selectors, services
from marm.linkage import presenters as linkage_presenters
from marm.linkage.models import LinkSource
from marm.people import presenters
from marm.people.models import DatePrecision
from marm.people.selectors import person_get_for_user

PURPOSE = "Looking for records of the same person"


def same_person(request, pk):
    can_link = request.user.has_perm("linkage.link_people")
    # The page searches for the person's namesakes when the user may link records.
    if can_link and (refused := throttle_check(request, "person-search")):
        return refused
    person = person_get_for_user(user=request.user, pk=pk, purpose=PURPOSE)
    links = selectors.links_for_person(user=request.user, person=person)
    matches = selectors.possible_same_person(user=request.user, person=person) if can_link else []
    return render(
        request,
        "linkage/same_person.html",
        {
            "person": person,
            "current": [(link, other, presenters.date_of_birth(other)) for link, other in links if link.is_active],
            "ended": [(link, other) for link, other in links if not link.is_active],
            "matches": [(m, presenters.date_of_birth(m.person), presenters.match_reasons(m)) for m in matches],
            "can_link": can_link,
        },
    )


@require_http_methods(["GET", "POST"])
def link(request, pk, other_pk):
    person = person_get_for_user(user=request.user, pk=pk, purpose=PURPOSE)
    other = person_get_for_user(user=request.user, pk=other_pk, purpose=PURPOSE)
    require(request.user, "linkage.link_people")
    form = forms.LinkForm(submitted(request))
    submission = submit_to_service(
        request,
        form,
        lambda data: services.person_link(acting_user=request.user, person=person, other=other, **data),
        success_message=f"The records of {person.full_name} and {other.full_name} are linked",
    )
    if submission.succeeded:
        return redirect("linkage:same-person", pk=person.pk)
    rows = [
        (p.full_name, presenters.date_of_birth(p), presenters.format_nhs_number(p.nhs_number)) for p in (person, other)
    ]
    return render(request, "linkage/link.html", {"person": person, "other": other, "rows": rows, "form": form})


@require_http_methods(["GET", "POST"])
def end_link(request, pk, link_pk):
    person = person_get_for_user(user=request.user, pk=pk, purpose=PURPOSE)
    link = selectors.link_get_for_user(user=request.user, person=person, pk=link_pk)
    require(request.user, "linkage.link_people")
    form = forms.EndLinkForm(submitted(request))
    submission = submit_to_service(
        request,
        form,
        lambda data: services.person_link_end(acting_user=request.user, link=link, **data),
        success_message="The link has been ended. Both records are kept as they were",
    )
    if submission.succeeded:
        return redirect("linkage:same-person", pk=person.pk)
    return render(
        request,
        "linkage/end_link.html",
        {
            "link": link,
            "person": person,
            "form": form,
            "back": reverse("linkage:same-person", kwargs={"pk": person.pk}),
        },
    )


def duplicates_report(request):
    require(request.user, "linkage.view_duplicates_report")
    rows = selectors.duplicates_report_for_user(user=request.user)
    return render(request, "linkage/duplicates_report.html", {"rows": rows})


@require_http_methods(["GET", "POST"])
def duplicate_decide(request, suggestion_pk):
    require(request.user, "linkage.view_duplicates_report")
    row = selectors.duplicate_suggestion_for_user(user=request.user, pk=suggestion_pk)
    suggestion = row["suggestion"]
    form = forms.SuggestionDecisionForm(submitted(request))
    if request.method == "POST" and form.is_valid():
        try:
            if form.cleaned_data["same_person"] == "yes":
                services.person_link(
                    acting_user=request.user,
                    person=suggestion.person_a,
                    other=suggestion.person_b,
                    reason=form.cleaned_data["reason"],
                    source=LinkSource.DUPLICATES_REPORT,
                    match_probability=suggestion.match_probability,
                )
                messages.success(request, f"Suggestion {suggestion.pk}: the records are linked")
            else:
                services.duplicates_dismiss(
                    acting_user=request.user,
                    person=suggestion.person_a,
                    other=suggestion.person_b,
                    reason=form.cleaned_data["reason"],
                )
                messages.success(request, f"Suggestion {suggestion.pk}: recorded as different people")
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return redirect("linkage:duplicates-report")
    return render(request, "linkage/duplicate_decide.html", {"row": row, "form": form})


# Importing people from an agency's own system (ADR 0037).

IMPORT_SALT = "marm.linkage.import-preview"
# A preview is confirmed within the hour, or the file is uploaded again.
PREVIEW_MAX_AGE = 3600


def _preview_token(*, user, reference_label, rows, matches) -> str:
    """Everything the confirmation needs, signed: the file's rows, the label and the candidates
    offered. Nothing is stored on upload; a token altered or older than an hour is refused."""
    import uuid

    return signing.dumps(
        {
            "user": user.pk,
            "key": str(uuid.uuid4()),
            "label": reference_label,
            "rows": [row.to_json() for row in rows],
            "candidates": {str(m.row.number): m.candidate_ids for m in matches},
        },
        salt=IMPORT_SALT,
        compress=True,
    )


def _preview_payload(request) -> dict | None:
    try:
        payload = signing.loads(request.POST.get("preview", ""), salt=IMPORT_SALT, max_age=PREVIEW_MAX_AGE)
    except signing.BadSignature:
        return None
    return payload if payload.get("user") == request.user.pk else None


@require_http_methods(["GET", "POST"])
def import_upload(request):
    require(request.user, "linkage.import_people")
    form = forms.ImportUploadForm(submitted(request), request.FILES if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        if refused := throttle_check(request, "person-search"):
            return refused
        upload = form.cleaned_data["file"]
        rows, errors = [], []
        try:
            if upload.size > settings.MARM_IMPORT_MAX_BYTES:
                raise importing.FileRefused(
                    f"The selected file must be smaller than {importing._size(settings.MARM_IMPORT_MAX_BYTES)}"
                )
            rows, errors = importing.read_rows(
                upload.read(settings.MARM_IMPORT_MAX_BYTES + 1),
                max_rows=settings.MARM_IMPORT_MAX_ROWS,
                max_bytes=settings.MARM_IMPORT_MAX_BYTES,
            )
        except importing.FileRefused as refusal:
            errors = [str(refusal)]
        for error in errors:
            form.add_error("file", error)
        if not errors:
            label = form.cleaned_data["reference_label"].strip()
            model = selectors.linkage_model_for_import()
            matches = selectors.import_preview_for_user(
                user=request.user, rows=rows, reference_label=label, model=model
            )
            token = _preview_token(user=request.user, reference_label=label, rows=rows, matches=matches)
            return _render_preview(request, forms.ImportConfirmForm(matches=matches, preview_token=token), label, model)
    return render(
        request,
        "linkage/import_upload.html",
        {"form": form, "max_rows": settings.MARM_IMPORT_MAX_ROWS, "columns": importing.COLUMNS},
    )


def import_template(request):
    require(request.user, "linkage.import_people")
    response = HttpResponse(importing.template_csv(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="marm-people-import-template.csv"'
    return response


@require_http_methods(["POST"])
def import_confirm(request):
    require(request.user, "linkage.import_people")
    payload = _preview_payload(request)
    if payload is None:
        messages.error(request, "The preview has expired or was changed. Upload the file again")
        return redirect("linkage:import")
    # A second confirmation of the same preview (a double click) shows what the first one did.
    earlier = selectors.person_import_confirmed(user=request.user, submission_key=payload["key"])
    if earlier is not None:
        return redirect("linkage:import-done", import_pk=earlier.pk)
    rows = [importing.ImportRow.from_json(row) for row in payload["rows"]]
    # The candidates are read again through the user's scope, as the preview read them.
    model = selectors.linkage_model_for_import()
    matches = selectors.import_preview_for_user(
        user=request.user, rows=rows, reference_label=payload["label"], model=model
    )
    form = forms.ImportConfirmForm(request.POST, matches=matches, preview_token=request.POST["preview"])
    if form.is_valid():
        try:
            record = services.people_import(
                acting_user=request.user,
                reference_label=payload["label"],
                rows=rows,
                choices=form.choices(),
                candidates={int(number): ids for number, ids in payload["candidates"].items()},
                submission_key=payload["key"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                f"{record.created_count} created, {record.linked_count} created and linked, "
                f"{record.skipped_count} skipped",
            )
            return redirect("linkage:import-done", import_pk=record.pk)
    return _render_preview(request, form, payload["label"], model)


def _render_preview(request, form, label, model):
    counts = dict.fromkeys(("exact", "likely", "possible", "none"), 0)
    for match in form.matches:
        counts[match.classification] += 1
    rows = [
        (
            match,
            field,
            presenters.format_date_of_birth(match.row.date_of_birth, DatePrecision.EXACT)
            if match.row.date_of_birth
            else "Not given",
            [
                (
                    person,
                    presenters.date_of_birth(person),
                    reasons,
                    linkage_presenters.splink_words(match.probabilities.get(str(person.pk))),
                )
                for person, _, reasons in match.candidates
            ],
        )
        for match, field in form.rows_with_fields()
    ]
    return render(
        request,
        "linkage/import_preview.html",
        {"form": form, "rows": rows, "counts": counts, "label": label, "model": model},
    )


def import_done(request, import_pk):
    require(request.user, "linkage.import_people")
    record, people = selectors.person_import_get_for_user(user=request.user, pk=import_pk)
    rows = [
        (outcome, people.get(outcome.get("person")), people.get(outcome.get("linked_to")))
        for outcome in record.outcomes
    ]
    return render(request, "linkage/import_done.html", {"record": record, "rows": rows})
