from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from marm.access.rules import require
from marm.core.throttle import throttle_check
from marm.govuk_forms.forms import add_service_errors, submit_to_service, submitted
from marm.linkage import forms, selectors, services
from marm.linkage.models import LinkSource
from marm.people import presenters
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
