from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from marm.access.rules import require
from marm.audit import selectors as audit_selectors
from marm.core.locking import StaleEditError
from marm.core.panels import panels_for
from marm.core.throttle import throttle_check
from marm.govuk_forms.forms import add_service_errors, submit_to_service, submitted
from marm.people import emergency, forms, presenters, selectors, services


@require_http_methods(["GET", "POST"])
def search(request):
    form = forms.PersonSearchForm(submitted(request))
    results = None
    if request.method == "POST" and form.is_valid():
        if refused := throttle_check(request, "person-search"):
            return refused
        results = selectors.person_search_for_user(
            user=request.user,
            name=form.cleaned_data["name"],
            date_of_birth=form.cleaned_data["date_of_birth"],
            nhs_number=form.cleaned_data["nhs_number"],
        )
    rows = (
        [(m.person, presenters.date_of_birth(m.person), presenters.match_reasons(m)) for m in results.matches]
        if results
        else []
    )
    return render(request, "people/search.html", {"form": form, "results": results, "rows": rows})


@require_http_methods(["GET", "POST"])
def create(request):
    require(request.user, "people.add_person")
    form = forms.PersonCreateForm(submitted(request))
    matches = []
    if request.method == "POST" and form.is_valid():
        if refused := throttle_check(request, "person-search"):
            return refused
        data = form.cleaned_person_fields()
        # 000 People and identity: look for the person before adding them again. The user
        # decides; nothing is merged. Declining the suggestions is recorded with the new person.
        matches = selectors.person_possible_duplicates_for_user(
            user=request.user,
            given_name=data["given_name"],
            middle_names=data["middle_names"],
            family_name=data["family_name"],
            date_of_birth=(data["date_of_birth"], data["date_of_birth_precision"]),
        )
        if matches and not data["different_person"]:
            form.ask_if_different_person()
        else:
            try:
                person = services.person_create(
                    acting_user=request.user,
                    given_name=data["given_name"],
                    middle_names=data["middle_names"],
                    family_name=data["family_name"],
                    preferred_name=data["preferred_name"],
                    date_of_birth=data["date_of_birth"],
                    date_of_birth_precision=data["date_of_birth_precision"],
                    nhs_number=data["nhs_number"],
                    local_identifier_label="Local reference",
                    local_identifier=data["local_identifier"],
                    address=form.address(),
                    declined_matches=[m.person.pk for m in matches],
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, f"{person.full_name} has been added")
                return redirect("people:detail", pk=person.pk)
    rows = [(m.person, presenters.date_of_birth(m.person), presenters.match_reasons(m)) for m in matches]
    return render(request, "people/create.html", {"form": form, "matches": rows})


def detail(request, pk):
    person = selectors.person_detail_for_user(user=request.user, pk=pk)
    addresses = person.addresses_list
    return render(
        request,
        "people/detail.html",
        {
            "person": person,
            "summary_rows": presenters.summary_rows(person),
            "current_addresses": [a for a in addresses if a.is_current],
            "previous_addresses": [a for a in addresses if not a.is_current],
            "can_change": request.user.has_perm("people.change_person", person),
            "can_see_access_log": request.user.has_perm("audit.view_person_access_log", person),
            "panels": panels_for("person", user=request.user, person=person),
        },
    )


@require_http_methods(["GET", "POST"])
def edit(request, pk):
    person = selectors.person_get_for_user(user=request.user, pk=pk)
    require(request.user, "people.change_person", person)
    form = forms.PersonEditForm(submitted(request), initial=_edit_initial(person))
    if request.method == "POST" and form.is_valid():
        try:
            services.person_update(
                acting_user=request.user,
                person=person,
                expected_version=form.cleaned_data["version"],
                # Only what this user changed: a detail they left alone keeps whatever is saved now.
                **form.changes(),
            )
        except StaleEditError as conflict:
            return _conflict(request, person=conflict.current, form=form)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "The person's details have been changed")
            return redirect("people:detail", pk=person.pk)
    return render(request, "people/edit.html", {"form": form, "person": person})


def _saved_details(person) -> dict[str, str]:
    return presenters.comparable_details(**{name: getattr(person, name) for name in services.EDITABLE_PERSON_FIELDS})


def _edit_initial(person) -> dict:
    """The form as the person's details stand now, with the version and the details it starts from."""
    return {
        "given_name": person.given_name,
        "middle_names": person.middle_names,
        "family_name": person.family_name,
        "preferred_name": person.preferred_name,
        "date_of_birth": (person.date_of_birth, person.date_of_birth_precision),
        "nhs_number": presenters.format_nhs_number(person.nhs_number) if person.nhs_number else "",
        "version": person.version,
        "original": forms.details_json(_saved_details(person)),
    }


def _conflict(request, *, person, form):
    """Someone saved first: show both versions and who changed what. The form to retry starts from
    the version saved now, with this user's changes on top; where both changed a detail, it asks
    which to keep. Details this user did not change keep the saved values, so nothing is lost."""
    saved = _saved_details(person)
    mine = form.submitted_details()
    original = form.original_details()
    changed = form.changed_details()
    both = [n for n in changed if mine[n] != saved[n] and (original is None or saved[n] != original[n])]

    def note(name):
        if saved[name] == mine[name]:
            return ""
        if name in both:
            return "Both changed: choose below" if original is not None else "Different: choose below"
        return "Changed by you" if name in changed else "Changed by someone else"

    rows = [(form.fields[name].label, saved[name], mine[name], note(name)) for name in forms.DETAIL_FIELDS]
    initial = _edit_initial(person)
    initial.update({name: form.cleaned_data[name] for name in changed})
    initial["both_changed"] = ",".join(both)
    retry = forms.PersonEditForm(initial=initial, versions={name: (mine[name], saved[name]) for name in both})
    return render(request, "people/conflict.html", {"person": person, "rows": rows, "form": retry}, status=409)


def _add_record(request, pk, *, form_class, service, title, heading, template="people/add_record.html"):
    person = selectors.person_get_for_user(user=request.user, pk=pk)
    require(request.user, "people.change_person", person)
    form = form_class(submitted(request))
    submission = submit_to_service(
        request,
        form,
        lambda data: service(acting_user=request.user, person=person, **data),
        success_message=f"{title} added",
    )
    if submission.succeeded:
        return redirect("people:detail", pk=person.pk)
    return render(request, template, {"form": form, "person": person, "title": title, "heading": heading})


@require_http_methods(["GET", "POST"])
def add_alias(request, pk):
    return _add_record(
        request,
        pk,
        form_class=forms.AliasForm,
        service=services.alias_add,
        title="Other name",
        heading="Add another name",
    )


@require_http_methods(["GET", "POST"])
def add_address(request, pk):
    return _add_record(
        request,
        pk,
        form_class=forms.AddressForm,
        service=services.address_add,
        title="Address",
        heading="Add an address",
    )


@require_http_methods(["GET", "POST"])
def add_identifier(request, pk):
    return _add_record(
        request,
        pk,
        form_class=forms.IdentifierForm,
        service=services.identifier_add,
        title="Agency reference",
        heading="Add your agency's reference",
    )


@require_http_methods(["GET", "POST"])
def add_related_person(request, pk):
    return _add_record(
        request,
        pk,
        form_class=forms.RelatedPersonForm,
        service=services.related_person_add,
        title="Related person",
        heading="Add a related person",
    )


def access_log(request, pk):
    purpose = "Reviewing who accessed the record"
    person = selectors.person_get_for_user(user=request.user, pk=pk, purpose=purpose, audit_view=False)
    require(request.user, "audit.view_person_access_log", person)
    selectors.person_view_record(user=request.user, person=person, purpose=purpose)
    page = Paginator(audit_selectors.events_for_person(person_id=person.pk), 50).get_page(request.GET.get("page"))
    return render(
        request,
        "people/access_log.html",
        {
            "person": person,
            "page": page,
            "entries": [presenters.access_log_entry(event) for event in page],
            "back": reverse("people:detail", kwargs={"pk": person.pk}),
        },
    )


# Emergency ("break-glass") access: ADR 0026.


@require_http_methods(["GET", "POST"])
def emergency_start(request):
    require(request.user, "people.open_emergency_access")
    form = forms.EmergencyAccessForm(submitted(request))
    # An exact look-up by identifiers is still a search: the same per-user limit.
    if request.method == "POST" and (refused := throttle_check(request, "person-search")):
        return refused
    try:
        submission = submit_to_service(
            request,
            form,
            lambda data: services.emergency_access_open(
                acting_user=request.user,
                reason=data["reason"],
                nhs_number=data["nhs_number"],
                given_name=data["given_name"],
                family_name=data["family_name"],
                date_of_birth=data["date_of_birth"],
            ),
        )
    except services.AlreadyInvolved as involved:
        messages.info(request, "Your agency already works with this person: their record is open to you")
        return redirect("people:detail", pk=involved.person_pk)
    if submission.succeeded:
        access = submission.result
        until = timezone.localtime(access.expires_at)
        messages.success(request, f"Emergency access lasts until {until:%H:%M} and will be reviewed")
        return redirect("people:emergency-record", pk=access.person_id)
    return render(request, "people/emergency_start.html", {"form": form, "hours": settings.MARM_BREAK_GLASS_HOURS})


def emergency_record(request, pk):
    if selectors.person_already_visible(user=request.user, pk=pk):
        return redirect("people:detail", pk=pk)
    record = selectors.emergency_record_for_user(user=request.user, pk=pk)
    return render(
        request,
        "people/emergency_record.html",
        {
            "record": record,
            "person": record.person,
            "date_of_birth": presenters.date_of_birth(record.person),
            "panels": panels_for(emergency.EMERGENCY_PAGE, user=request.user, person=record.person),
        },
    )


def emergency_list(request):
    require(request.user, "people.review_emergency_access")
    accesses = selectors.emergency_accesses_for_agency(user=request.user)
    return render(
        request,
        "people/emergency_list.html",
        {"rows": [presenters.emergency_access_row(access) for access in accesses]},
    )


@require_http_methods(["GET", "POST"])
def emergency_review(request, access_pk):
    access = selectors.emergency_access_get_for_user(user=request.user, pk=access_pk)
    sides = services.emergency_review_sides(user=request.user, access=access)
    form = forms.EmergencyReviewForm(submitted(request))
    if request.method == "POST":
        submission = submit_to_service(
            request,
            form,
            lambda data: services.emergency_access_review(acting_user=request.user, access=access, **data),
            success_message="Your review has been recorded",
        )
        if submission.succeeded:
            return redirect("people:emergency-review", access_pk=access.pk)
    return render(
        request,
        "people/emergency_review.html",
        {
            "access": access,
            "row": presenters.emergency_access_row(access),
            "views": [presenters.access_log_entry(event) for event in selectors.emergency_access_views(access=access)],
            # A second review of a side already reviewed is refused on the form, which then stays shown.
            "form": form if sides or form.errors else None,
            "own_access": access.user_id == request.user.pk,
        },
    )
