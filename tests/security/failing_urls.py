"""marm's URLs plus one page that fails, to see what a user is shown when something breaks."""

from django.urls import path

from marm.config.urls import urlpatterns as marm_urlpatterns

SECRET_IN_THE_FAILURE = "zz-local-value-that-must-not-be-shown-zz"


def fails(request):
    secret_value = SECRET_IN_THE_FAILURE  # a local a debug page would print
    raise RuntimeError(f"Something went wrong near {secret_value}")


urlpatterns = [path("failing-page/", fails), *marm_urlpatterns]

handler400 = "marm.core.views.bad_request"
handler403 = "marm.core.views.permission_denied"
handler404 = "marm.core.views.page_not_found"
handler500 = "marm.core.views.server_error"
