from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from marm.cases.forms import ShareForm
from marm.cases.presenters import form_page
from marm.cases.selectors import case_get_for_user
from marm.govuk_forms.forms import submit_to_service
from marm.people.selectors import person_get_for_user
from marm.sharing import selectors, services


@require_http_methods(["GET", "POST"])
def share(request, case_pk):
    case = case_get_for_user(user=request.user, pk=case_pk, purpose="Deciding whether to share")
    if not request.user.has_perm("sharing.decide"):
        raise PermissionDenied
    form = ShareForm(
        request.POST if request.method == "POST" else None,
        agencies=selectors.agencies_to_share_with(case=case),
    )
    submission = submit_to_service(
        request, form, lambda data: services.sharing_decide(acting_user=request.user, case=case, **data)
    )
    if submission.succeeded:
        messages.success(request, f"Shared with {submission.result.agency}. Its users can now open the case")
        return redirect("cases:detail", case_pk=case.pk)
    return render(
        request, "sharing/share.html", form_page(case, form, "Share the case with an agency", "Record and share")
    )


def case_disclosures(request, case_pk):
    case = case_get_for_user(user=request.user, pk=case_pk, purpose="Reading the disclosure log")
    return render(
        request,
        "sharing/disclosures.html",
        {"case": case, "person": case.person, "disclosures": selectors.disclosures_for_case(case=case)},
    )


def person_disclosures(request, pk):
    person = person_get_for_user(user=request.user, pk=pk, purpose="Reading the disclosure log")
    return render(
        request,
        "sharing/disclosures.html",
        {
            "case": None,
            "person": person,
            "disclosures": selectors.disclosures_for_person(user=request.user, person=person),
        },
    )
