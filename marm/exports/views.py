from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET

from marm.assurance.selectors import financial_years
from marm.core.row_security import acting_for
from marm.core.throttle import throttle_check, throttled
from marm.exports import selectors
from marm.exports.forms import ExportRequestForm
from marm.exports.kinds import kinds_for
from marm.exports.models import Export
from marm.exports.services import (
    ExportGone,
    calendar_feed_owner,
    calendar_feed_reset,
    calendar_feed_used,
    export_download,
    export_request,
)
from marm.exports.writers import CONTENT_TYPES
from marm.govuk_forms.forms import submit_to_service, submitted
from marm.meetings.ics import meetings_feed_ics


def index(request):
    """Ask for an export; see the ones asked for, and download those that are ready."""
    kinds = kinds_for(request.user)
    form = ExportRequestForm(submitted(request), kinds=kinds, years=financial_years())
    if request.method == "POST":
        if refused := throttle_check(request, "exports"):
            return refused
        submission = submit_to_service(
            request,
            form,
            lambda data: export_request(acting_user=request.user, **form.service_arguments()),
            success_message="Your export is being made. Download it from this page when it is ready.",
        )
        if submission.succeeded:
            return redirect("exports:index")
    return render(
        request,
        "exports/index.html",
        {"form": form, "kinds": kinds, "exports": selectors.exports_of(user=request.user)},
    )


@require_GET
@throttled("exports")
def download(request, export_id):
    """The file, once. Afterwards (or once it has expired) a page says so and how to get another."""
    try:
        export, content = export_download(acting_user=request.user, export_id=export_id)
    except Export.DoesNotExist:
        raise Http404("No such export") from None
    except ExportGone:
        export = selectors.export_of(user=request.user, export_id=export_id)
        return render(request, "exports/gone.html", {"export": export}, status=410)
    response = HttpResponse(content, content_type=CONTENT_TYPES[export.format])
    response["Content-Disposition"] = f'attachment; filename="{export.filename}"'
    return response


def calendar(request):
    """The user's calendar address: made or reset on a POST and shown then, once."""
    feed_url = None
    if request.method == "POST":
        token = calendar_feed_reset(acting_user=request.user)
        feed_url = f"{settings.MARM_BASE_URL.rstrip('/')}{reverse('exports:feed', kwargs={'token': token})}"
    return render(
        request,
        "exports/calendar.html",
        {"feed": selectors.calendar_feed_of(user=request.user), "feed_url": feed_url},
    )


@login_not_required
@require_GET
def feed(request, token):
    """The meetings feed, for a calendar that cannot sign in: the secret address is the key. An
    unknown (or reset) address is a 404 like any other page that does not exist. The meetings are
    read as the address's owner, with their scope in the app and the database."""
    owner = calendar_feed_owner(token=token)
    if owner is None:
        raise Http404("No such calendar")
    if refused := throttle_check(request, "calendar-feed", user=owner):
        return refused
    with acting_for(owner):
        meetings = selectors.meetings_in_feed(user=owner)
        calendar_feed_used(acting_user=owner, meetings=meetings)
        content = meetings_feed_ics(meetings)
    response = HttpResponse(content, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="marm-meetings.ics"'
    response["Cache-Control"] = "no-store"
    return response
