from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from marm.access.rules import require
from marm.chronology import forms, presenters, selectors, services
from marm.govuk_forms.forms import submit_to_service, submitted


def _list_url(person, entry=None) -> str:
    url = reverse("chronology:list", kwargs={"pk": person.pk})
    return f"{url}#entry-{entry.pk}" if entry else url


def chronology_list(request, pk):
    person = selectors.chronology_person_for_user(user=request.user, pk=pk)
    agencies = selectors.chronology_agencies(user=request.user, person=person)
    form = forms.ChronologyFilterForm(request.GET or None, agencies=agencies)
    filters = form.filters()
    chronology = selectors.chronology_for_user(user=request.user, person=person, **filters)
    return render(
        request,
        "chronology/list.html",
        {
            "person": person,
            "form": form,
            "show_filters": bool(agencies),
            "filtered": any(filters.values()),
            "cards": presenters.cards(
                chronology.entries, user=request.user, visible_case_ids=chronology.visible_case_ids
            ),
            "timeline": presenters.timeline(chronology.entries),
            "can_add": request.user.has_perm("chronology.add_entry"),
        },
    )


@require_http_methods(["GET", "POST"])
def add(request, pk):
    person = selectors.chronology_person_for_user(user=request.user, pk=pk, purpose="Adding to the chronology")
    require(request.user, "chronology.add_entry")
    cases = selectors.chronology_cases_for_user(user=request.user, person=person)
    form = forms.ChronologyEntryForm(submitted(request), cases=cases)
    submission = submit_to_service(
        request,
        form,
        lambda data: services.chronology_entry_add(acting_user=request.user, person=person, **data),
        success_message="The entry has been added to the chronology",
    )
    if submission.succeeded:
        return redirect(_list_url(person, submission.result))
    return render(
        request,
        "chronology/entry_form.html",
        {
            "form": form,
            "heading": "Add to the chronology",
            "caption": person.full_name,
            "back_url": _list_url(person),
            "button": "Add the entry",
        },
    )


@require_http_methods(["GET", "POST"])
def correct(request, pk, entry_id):
    person = selectors.chronology_person_for_user(user=request.user, pk=pk, purpose="Correcting the chronology")
    entry = selectors.chronology_entry_of_person(user=request.user, person=person, entry_id=entry_id)
    require(request.user, "chronology.correct_entry", entry)
    correction = presenters.correction_of(entry)
    if correction is not None:
        messages.info(request, "That entry has already been corrected: correct the latest version instead")
        return redirect(_list_url(person, correction))
    cases = selectors.chronology_cases_for_user(user=request.user, person=person)
    visible_case_ids = {case.pk for case in cases}
    if entry.case_id and entry.case_id not in visible_case_ids:
        # The case link stays as it is: the user's agency no longer sees that case in full.
        cases = []
    initial = {
        "occurred_on": entry.occurred_on,
        "occurred_at_time": entry.occurred_at_time,
        "entry_type": entry.entry_type,
        "significance": entry.significance,
        "summary": entry.summary,
        "case": str(entry.case_id) if entry.case_id else "",
    }
    form = forms.ChronologyCorrectionForm(submitted(request), initial=initial, cases=cases)
    submission = submit_to_service(
        request,
        form,
        lambda data: services.chronology_entry_correct(acting_user=request.user, entry=entry, **data),
        success_message="The correction has been added; the original entry is kept, marked corrected",
    )
    if submission.succeeded:
        return redirect(_list_url(person, submission.result))
    return render(
        request,
        "chronology/entry_form.html",
        {
            "form": form,
            "heading": "Correct a chronology entry",
            "caption": person.full_name,
            "back_url": _list_url(person, entry),
            "button": "Save the correction",
            "original": presenters.cards([entry], user=request.user, visible_case_ids=visible_case_ids)[0],
        },
    )
