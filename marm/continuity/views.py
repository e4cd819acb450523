"""The outage snapshot pages: a team's latest snapshot to download, its age and the signing key's
fingerprint; the team's passphrase for its manager."""

from django.conf import settings
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from marm.access.rules import require
from marm.continuity import crypto, forms, selectors, services
from marm.core.throttle import throttled
from marm.govuk_forms.forms import submit_to_service, submitted


@require_GET
def snapshot_list(request):
    teams = selectors.snapshot_teams_of(user=request.user)
    latest = selectors.latest_snapshots(team_ids=[team.pk for team in teams])
    now = timezone.now()
    rows = []
    for team in teams:
        snapshot = latest.get(team.pk)
        age_hours = int((now - snapshot.made_at).total_seconds() // 3600) if snapshot else None
        rows.append(
            {
                "team": team,
                "snapshot": snapshot,
                "age_hours": age_hours,
                "stale": snapshot is not None and now - snapshot.made_at > services.period(),
                "can_see_passphrase": request.user.has_perm("continuity.see_passphrase", team),
            }
        )
    return render(
        request,
        "continuity/list.html",
        {
            "rows": rows,
            "fingerprint": crypto.fingerprint(),
            "period_hours": settings.MARM_SNAPSHOT_PERIOD_HOURS,
        },
    )


@require_GET
@throttled("exports")
def snapshot_file(request, team_id):
    team = selectors.snapshot_team_of_user(user=request.user, team_id=team_id)
    snapshot = services.snapshot_download(acting_user=request.user, team=team)
    response = HttpResponse(bytes(snapshot.content), content_type="text/html; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="marm-snapshot-team-{team.pk}-{snapshot.made_at:%Y%m%d-%H%M}.html"'
    )
    return response


@require_http_methods(["GET", "POST"])
def passphrase(request, team_id):
    team = selectors.snapshot_team_of_user(user=request.user, team_id=team_id)
    require(request.user, "continuity.see_passphrase", team)
    form = forms.PassphraseChangeForm(submitted(request))
    submission = submit_to_service(
        request,
        form,
        lambda data: services.snapshot_passphrase_change(acting_user=request.user, team=team, **data),
        success_message=f"The snapshot passphrase of {team.name} has changed. The next snapshot uses it.",
    )
    if submission.succeeded:
        return redirect(reverse("continuity:passphrase", kwargs={"team_id": team.pk}))
    return render(
        request,
        "continuity/passphrase.html",
        {
            "team": team,
            "form": form,
            "passphrase": selectors.team_passphrase_for_user(user=request.user, team=team),
            "version": selectors.passphrase_version(team_id=team.pk),
        },
    )
