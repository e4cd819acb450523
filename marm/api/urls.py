from django.contrib.auth.decorators import login_not_required
from django.urls import path
from drf_spectacular.views import SpectacularAPIView

from marm.api.views import endpoints, tokens

app_name = "api"


def api(view_class):
    """An API view: a token authenticates in the view, so the sign-in redirect does not apply (an
    anonymous caller gets 401). A browser half signed in still meets the second-factor page."""
    return login_not_required(view_class.as_view())


urlpatterns = [
    # Your account: the user's tokens.
    path("account/api-tokens/", tokens.token_list, name="tokens"),
    path("account/api-tokens/new/", tokens.token_new, name="token-new"),
    path("account/api-tokens/<int:token_id>/revoke/", tokens.token_revoke, name="token-revoke"),
    # The API.
    path("api/schema/", api(SpectacularAPIView), name="schema"),
    path("api/people/", api(endpoints.PersonSearch), name="people"),
    path("api/people/<uuid:pk>/", api(endpoints.PersonDetail), name="person"),
    path("api/people/<uuid:pk>/cases/", api(endpoints.PersonCases), name="person-cases"),
    path("api/people/<uuid:pk>/chronology/", api(endpoints.Chronology), name="chronology"),
    path("api/cases/<uuid:case_pk>/", api(endpoints.CaseDetail), name="case"),
    path("api/cases/<uuid:case_pk>/actions/", api(endpoints.CaseActions), name="case-actions"),
    path("api/cases/<uuid:case_pk>/meetings/", api(endpoints.CaseMeetings), name="case-meetings"),
    path("api/register/", api(endpoints.Register), name="register"),
    path("api/duty/search/", api(endpoints.DutySearch), name="duty-search"),
    path("api/duty/people/<uuid:pk>/", api(endpoints.DutyCard), name="duty-card"),
    path("api/duty/people/<uuid:pk>/open/", api(endpoints.DutyOpen), name="duty-open"),
    path("api/board/measures/", api(endpoints.BoardMeasures), name="board-measures"),
]
