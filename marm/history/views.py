from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from marm.access.rules import require
from marm.govuk_forms.forms import submit_to_service, submitted
from marm.history import forms, presenters, selectors, services
from marm.people.selectors import person_get_for_user


def person_history(request, pk):
    person, rows = selectors.person_history_for_user(user=request.user, pk=pk)
    return render(
        request,
        "history/person_history.html",
        {
            "person": person,
            "changes": presenters.change_views(rows, selectors.names_for(rows)),
            "page_size": selectors.PAGE_SIZE,
            "rectifications": selectors.rectifications_for_person(person=person),
            "can_rectify": request.user.has_perm("history.rectify_person", person),
            "back": reverse("people:detail", kwargs={"pk": person.pk}),
        },
    )


def case_history(request, case_pk):
    case, rows = selectors.case_history_for_user(user=request.user, case_pk=case_pk)
    return render(
        request,
        "history/case_history.html",
        {
            "case": case,
            "changes": presenters.change_views(rows, selectors.names_for(rows)),
            "page_size": selectors.PAGE_SIZE,
            "back": reverse("cases:detail", kwargs={"case_pk": case.pk}),
        },
    )


@require_http_methods(["GET", "POST"])
def rectify(request, pk):
    person = person_get_for_user(user=request.user, pk=pk, purpose="Rectifying the person's details")
    require(request.user, "history.rectify_person", person)
    form = forms.RectifyForm(submitted(request))
    submission = submit_to_service(
        request,
        form,
        lambda data: services.person_rectify(acting_user=request.user, person=person, **data),
        success_message="The correction has been recorded and the agencies it was shared with have been told",
    )
    if submission.succeeded:
        return redirect("history:person", pk=person.pk)
    return render(
        request,
        "history/rectify.html",
        {
            "person": person,
            "form": form,
            "told": services.disclosed_to(person=person, exclude_agency_id=request.user.agency_id),
            "back": reverse("history:person", kwargs={"pk": person.pk}),
        },
    )


@require_http_methods(["GET", "POST"])
def lift_restriction(request, pk, rectification_pk):
    person = person_get_for_user(user=request.user, pk=pk, purpose="Lifting a restriction")
    rectification = selectors.rectification_of_person(
        user=request.user, person=person, rectification_pk=rectification_pk
    )
    require(request.user, "history.rectify_person", person)
    form = forms.LiftRestrictionForm(submitted(request))
    submission = submit_to_service(
        request,
        form,
        lambda data: services.restriction_lift(
            acting_user=request.user, person=person, rectification_pk=rectification.pk, **data
        ),
        success_message="The restriction has been lifted and the agencies it was shared with have been told",
    )
    if submission.succeeded:
        return redirect("history:person", pk=person.pk)
    return render(
        request,
        "history/lift_restriction.html",
        {
            "person": person,
            "rectification": rectification,
            "field_label": presenters.person_field_label(rectification.field_name),
            "form": form,
            "back": reverse("history:person", kwargs={"pk": person.pk}),
        },
    )
