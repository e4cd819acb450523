from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods

from marm.access.rules import require
from marm.cases.forms import ShareForm, SharingWishesForm
from marm.cases.presenters import form_page
from marm.cases.selectors import case_get_for_user
from marm.core.locking import StaleEditError
from marm.govuk_forms.forms import submit_to_service, submitted
from marm.people.selectors import person_get_for_user
from marm.sharing import selectors, services
from marm.sharing.forms import ShareSeveralForm


@require_http_methods(["GET", "POST"])
def share(request, case_pk):
    case = case_get_for_user(user=request.user, pk=case_pk, purpose="Deciding whether to share")
    if not request.user.has_perm("sharing.decide"):
        raise PermissionDenied
    agencies = selectors.agencies_to_share_with(case=case)
    agreed = selectors.agencies_the_adult_agreed_to(case=case)
    # The agency being shared with: the one chosen on the form, or named in the link to the page.
    chosen = selectors.agency_offered(
        agencies=agencies, pk=(request.POST if request.method == "POST" else request.GET).get("agency")
    )
    form = ShareForm(
        submitted(request),
        agencies=agencies,
        agreed=agreed,
        initial={"agency": chosen.pk} if chosen else None,
    )
    submission = submit_to_service(
        request, form, lambda data: services.sharing_decide(acting_user=request.user, case=case, **data)
    )
    if submission.succeeded:
        messages.success(request, f"Shared with {submission.result.agency}. Its users can now open the case")
        return redirect("cases:detail", case_pk=case.pk)
    return render(
        request,
        "sharing/share.html",
        {
            **form_page(case, form, "Share the case with an agency", "Record and share"),
            "agreed": agreed,
            "chosen": chosen,
            "chosen_agreed": chosen is not None and chosen in agreed,
            "asked": case.asked_about_sharing == "yes",
            "can_record_wishes": request.user.has_perm("sharing.record_wishes", case),
        },
    )


def _back_to_case_page(request, case, url) -> str:
    """``url`` if it is a page of this case on this site (the invitations of a meeting, say), else ''."""
    if not url or not url.startswith(f"/cases/{case.pk}/"):
        return ""
    if not url_has_allowed_host_and_scheme(url, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return ""
    return url


@require_http_methods(["GET", "POST"])
def share_several(request, case_pk):
    """The sharing decision for several agencies at once, reached from a page that needs them (the
    invitations to a meeting), pre-filled with the agencies chosen there, and back to it once shared."""
    case = case_get_for_user(user=request.user, pk=case_pk, purpose="Deciding whether to share")
    if not request.user.has_perm("sharing.decide"):
        raise PermissionDenied
    agencies = selectors.agencies_to_share_with(case=case)
    agreed = selectors.agencies_the_adult_agreed_to(case=case)
    source = request.POST if request.method == "POST" else request.GET
    back = _back_to_case_page(request, case, source.get("next", ""))
    offered = (selectors.agency_offered(agencies=agencies, pk=pk) for pk in request.GET.getlist("agency"))
    chosen = [agency for agency in offered if agency is not None]
    form = ShareSeveralForm(
        submitted(request),
        agencies=agencies,
        agreed=agreed,
        initial={"agencies": [agency.pk for agency in chosen], "next": back},
    )
    submission = submit_to_service(
        request,
        form,
        lambda data: services.sharing_decide_several(
            acting_user=request.user,
            case=case,
            **{field: value for field, value in data.items() if field != "next"},
        ),
    )
    if submission.succeeded:
        names = ", ".join(str(sharing.agency) for sharing in submission.result)
        messages.success(request, f"Shared with {names}. Their users can now open the case")
        return redirect(back or reverse("cases:detail", kwargs={"case_pk": case.pk}))
    return render(
        request,
        "sharing/share.html",
        {
            **form_page(case, form, "Share the case with agencies", "Record and share"),
            "back_url": back or reverse("cases:detail", kwargs={"case_pk": case.pk}),
            "agreed": agreed,
            # No one agency is chosen here: the page warns about the adult's wishes for any agency.
            "chosen": None,
            "asked": case.asked_about_sharing == "yes",
            "can_record_wishes": request.user.has_perm("sharing.record_wishes", case),
        },
    )


@require_http_methods(["GET", "POST"])
def wishes(request, case_pk):
    """The adult's wishes about sharing: whom they agreed to, their words, when and by whom they were asked."""
    case = case_get_for_user(user=request.user, pk=case_pk, purpose="Recording the adult's wishes about sharing")
    require(request.user, "sharing.record_wishes", case)
    form = SharingWishesForm(
        submitted(request),
        initial={
            "asked_about_sharing": case.asked_about_sharing,
            "asked_on": case.sharing_asked_on,
            "asked_by": case.sharing_asked_by,
            "agreed_agencies": selectors.agencies_the_adult_agreed_to(case=case),
            "views_on_sharing": case.views_on_sharing,
            "version": case.version,
        },
    )
    try:
        submission = submit_to_service(
            request,
            form,
            lambda data: services.sharing_wishes_record(
                acting_user=request.user,
                case=case,
                expected_version=data["version"],
                asked_about_sharing=data["asked_about_sharing"],
                agreed_agencies=data["agreed_agencies"],
                views_on_sharing=data["views_on_sharing"],
                asked_on=data["asked_on"],
                asked_by=data["asked_by"],
            ),
            success_message="The adult's wishes about sharing are saved",
        )
    except StaleEditError:
        messages.warning(request, "Someone else changed this case first. The page now shows their answers: check them")
        return redirect("sharing:wishes", case_pk=case.pk)
    if submission.succeeded:
        return redirect("cases:detail", case_pk=case.pk)
    return render(
        request,
        "sharing/wishes.html",
        {
            **form_page(case, form, "The adult's wishes about sharing"),
            "share_url": reverse("sharing:share", kwargs={"case_pk": case.pk}),
        },
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
