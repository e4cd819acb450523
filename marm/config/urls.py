from django.contrib import admin
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from django.views.generic import RedirectView

from marm.accounts.views import SignOutView
from marm.core import views as core_views

urlpatterns = [
    path("", include("marm.accounts.urls")),
    # django-otp-webauthn's endpoints (passkeys), through marm's narrowed views.
    path("passkeys/", include("marm.accounts.passkey_urls")),
    path("", include("marm.dashboards.urls")),
    path("people/", include("marm.people.urls")),
    path("people/", include("marm.chronology.urls")),
    path("", include("marm.cases.urls")),
    path("", include("marm.sharing.urls")),
    path("", include("marm.decisions.urls")),
    path("notifications/", include("marm.notifications.urls")),
    path("", include("marm.meetings.urls")),
    path("", include("marm.plans.urls")),
    path("", include("marm.register.urls")),
    path("", include("marm.risk.urls")),
    path("people/", include("marm.linkage.urls")),
    path("", include("marm.history.urls")),
    path("", include("marm.closure.urls")),
    path("", include("marm.rights.urls")),
    path("board/", include("marm.board.urls")),
    path("board/measures/", include("marm.assurance.urls")),
    path("board/reviews/", include("marm.sar.urls")),
    path("surveys/", include("marm.surveys.urls")),
    path("continuity/", include("marm.continuity.urls")),
    path("", include("marm.exports.urls")),
    path("", include("marm.administration.urls")),
    path("", include("marm.retention.urls")),
    path("", include("marm.api.urls")),
    path("health/", core_views.health, name="health"),
    # One way in: the administration site signs in and out through marm's own pages (two factors).
    path(
        "admin/login/",
        login_not_required(RedirectView.as_view(pattern_name="accounts:sign-in", query_string=True)),
        name="admin-sign-in",
    ),
    path("admin/logout/", SignOutView.as_view(), name="admin-sign-out"),
    path("admin/", admin.site.urls),
]

handler400 = "marm.core.views.bad_request"
handler403 = "marm.core.views.permission_denied"
handler404 = "marm.core.views.page_not_found"
handler500 = "marm.core.views.server_error"
