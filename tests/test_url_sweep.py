"""Every URL pattern, requested as every persona.

An outsider never gets a 200 on anything about a person, and each refused
read of a person is audited. Each app's tests declare their URLs in a
``sweep`` module (tests/sweep.py says how): the sweep fails on a URL pattern
no app declares, and on a declaration of a URL that no longer exists.
"""

import pytest
from django.urls import URLResolver, get_resolver

from marm.audit.models import AuditAction, AuditEvent
from tests.meetings import sweep as meetings_sweep
from tests.sweep import REFUSED_PERSONAS, VISIBLE_PERSONAS
from tests.sweep_collect import SWEEP_MODULES, declared_urls, url_patterns
from tests.twofactor import force_sign_in


def test_every_url_pattern_is_declared_by_the_app_that_owns_its_namespace():
    swept = declared_urls(url_patterns(), SWEEP_MODULES)
    assert {name for name, *_ in swept} == {name for module in SWEEP_MODULES for name in module.URLS}


def test_an_undeclared_url_or_a_declaration_of_a_removed_one_fails_the_sweep(monkeypatch):
    from django.urls import include, path
    from django.urls.resolvers import RegexPattern

    def view(request):
        raise NotImplementedError

    class Urlconf:
        urlpatterns = [
            path("", include(get_resolver().urlconf_name)),
            path("", include(([path("cases/<uuid:case_pk>/letters/", view, name="letters")], "cases"))),
            path("reports/", include(([path("plans/", view, name="plans")], "reports"))),
        ]

    monkeypatch.setattr(meetings_sweep, "URLS", {**meetings_sweep.URLS, "meetings:agenda": meetings_sweep.RECORD})
    with pytest.raises(AssertionError) as failure:
        declared_urls(url_patterns(URLResolver(RegexPattern(r"^/"), Urlconf)), SWEEP_MODULES)
    assert str(failure.value).splitlines() == [
        "The URL sweep does not know every URL:",
        "cases:letters (/cases/<uuid:case_pk>/letters/) is not declared: add it to URLS in tests/cases/sweep.py",
        "reports:plans (/reports/plans/) is not declared: no sweep module lists the namespace 'reports':"
        " add one (tests/sweep.py says how)",
        "tests/meetings/sweep.py declares meetings:agenda, but no URL pattern has that name: remove it",
    ]


@pytest.mark.django_db
def test_anonymous_users_are_sent_to_sign_in_everywhere_but_the_public_pages(client, sweep_urls):
    for _name, url, declared in sweep_urls:
        response = client.get(url)
        if declared.public:
            assert response.status_code == 200, url
        elif declared.api:
            assert response.status_code == 401, url
            assert response["WWW-Authenticate"] == "Bearer", url
        else:
            assert response.status_code == 302, url
            assert response["Location"].startswith("/sign-in/"), url


@pytest.mark.django_db
@pytest.mark.parametrize("persona", REFUSED_PERSONAS)
def test_Z1_users_who_may_not_see_the_person_get_404_and_are_audited(
    request, client_for, persona, person_a, sweep_urls
):
    user = request.getfixturevalue(persona)
    client = client_for(user)
    for _name, url, declared in sweep_urls:
        for method in ("get", "post"):
            force_sign_in(client, user)  # sign-out is one of the URLs swept
            before = AuditEvent.objects.filter(action=AuditAction.DENIED, actor_user=user).count()
            response = getattr(client, method)(url)
            if declared.about_person:
                assert response.status_code == 404, f"{method.upper()} {url} gave {response.status_code}"
                assert person_a.family_name not in response.content.decode()
                after = AuditEvent.objects.filter(action=AuditAction.DENIED, actor_user=user).count()
                assert after == before + 1, f"{method.upper()} {url}: refused read not audited"
            else:
                # 422: a passkey endpoint given no passkey (the sweep's POST has no body).
                allowed = (200, 302, 403, 404, 405, 422) if declared.own_record else (200, 302, 403, 405, 422)
                if declared.api:
                    # 400: an API search asked without what it searches for.
                    allowed = (*allowed, 400)
                assert response.status_code in allowed, f"{method.upper()} {url}"


@pytest.mark.django_db
@pytest.mark.parametrize("persona", VISIBLE_PERSONAS)
def test_users_whose_agency_is_involved_can_open_every_page_about_the_person(
    request, client_for, persona, person_a, sweep_urls
):
    user = request.getfixturevalue(persona)
    client = client_for(user)
    for _name, url, declared in sweep_urls:
        if not declared.about_person:
            continue
        response = client.get(url)
        expected = declared.expected(persona)
        assert response.status_code == expected, f"{persona} GET {url} gave {response.status_code}"
        assert AuditEvent.objects.filter(actor_user=user, person_id=str(person_a.pk), action=AuditAction.VIEW).exists()


# The pages a user who has given only the password may reach: the code, setting up the app, signing out,
# and a passkey instead of the code (tests/accounts/test_passkeys.py shows they lead nowhere else).
SECOND_FACTOR_PAGES = (
    "accounts:two-factor",
    "accounts:two-factor-setup",
    "accounts:sign-out",
    "admin-sign-out",
    "otp_webauthn:credential-authentication-begin",
    "otp_webauthn:credential-authentication-complete",
    "otp_webauthn:js-i18n-catalog",
)


@pytest.mark.django_db
def test_A1_no_url_reaches_anything_with_a_password_alone(practitioner_a, person_a, sweep_urls):
    """Signed in with the right password but no code yet: every page but the code's own sends the
    user to give the code first, the administration site included."""
    from django.test import Client

    client = Client()
    client.force_login(practitioner_a)
    urls = [(name, url, declared) for name, url, declared in sweep_urls if not declared.public]
    urls += [("admin:index", "/admin/", None), ("admin:user", "/admin/accounts/user/", None)]
    for name, url, _declared in urls:
        if name in SECOND_FACTOR_PAGES:
            continue
        for method in ("get", "post"):
            response = getattr(client, method)(url)
            assert response.status_code == 302, f"{method.upper()} {url} gave {response.status_code}"
            assert response["Location"].startswith("/sign-in/code/"), f"{method.upper()} {url}"
            assert person_a.family_name not in response.content.decode()
