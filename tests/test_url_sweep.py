"""Every URL pattern, requested as every persona.

An outsider never gets a 200 on anything about a person, and each refused
read of a person is audited. A new URL is swept automatically: if it takes
an argument this file does not know, the sweep fails until it is taught.
"""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from marm.audit.models import AuditAction, AuditEvent

PUBLIC_URLS = {"accounts:sign-in", "health"}
# The administration site has its own staff sign-in and holds no people.
SKIPPED_NAMESPACES = {"admin"}


def _patterns(resolver=None, namespace="", prefix=""):
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            ns = entry.namespace or namespace
            if ns in SKIPPED_NAMESPACES:
                continue
            yield from _patterns(entry, ns, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            name = f"{namespace}:{entry.name}" if namespace else (entry.name or "")
            yield name, prefix + str(entry.pattern), entry


def _build(route: str, person) -> tuple[str, bool]:
    """A concrete URL for the route, and whether it is about a person."""
    about_person = False
    url = "/" + route
    if "<uuid:pk>" in url:
        url = url.replace("<uuid:pk>", str(person.pk))
        about_person = True
    if "<" in url:
        raise AssertionError(f"The URL sweep does not know how to fill {route!r}: teach tests/test_url_sweep.py")
    return url, about_person


def all_urls(person):
    return [(name, *_build(route, person)) for name, route, _ in _patterns()]


@pytest.mark.django_db
def test_anonymous_users_are_sent_to_sign_in_everywhere_but_the_public_pages(client, person_a):
    for name, url, _ in all_urls(person_a):
        response = client.get(url)
        if name in PUBLIC_URLS:
            assert response.status_code == 200, url
        else:
            assert response.status_code == 302, url
            assert response["Location"].startswith("/sign-in/"), url


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["outsider", "gp_c", "administrator", "board_officer"])
def test_users_who_may_not_see_the_person_get_404_and_are_audited(request, client_for, persona, person_a):
    user = request.getfixturevalue(persona)
    client = client_for(user)
    for _name, url, about_person in all_urls(person_a):
        for method in ("get", "post"):
            client.force_login(user)  # sign-out is one of the URLs swept
            before = AuditEvent.objects.filter(action=AuditAction.DENIED, actor_user=user).count()
            response = getattr(client, method)(url)
            if about_person:
                assert response.status_code == 404, f"{method.upper()} {url} gave {response.status_code}"
                assert person_a.family_name not in response.content.decode()
                after = AuditEvent.objects.filter(action=AuditAction.DENIED, actor_user=user).count()
                assert after == before + 1, f"{method.upper()} {url}: refused read not audited"
            else:
                assert response.status_code in (200, 302, 403, 405), f"{method.upper()} {url}"


# What each persona that can see person_a gets on each page about them (GET).
EXPECTED_FOR_VISIBLE = {
    "practitioner_a": {"people:access-log": 403},
    "police_b": {"people:access-log": 403},
    "manager_a": {},
    "auditor_a": {
        "people:edit": 403,
        "people:add-alias": 403,
        "people:add-address": 403,
        "people:add-identifier": 403,
        "people:add-related-person": 403,
    },
}


@pytest.mark.django_db
@pytest.mark.parametrize("persona", sorted(EXPECTED_FOR_VISIBLE))
def test_users_whose_agency_is_involved_can_open_every_page_about_the_person(request, client_for, persona, person_a):
    user = request.getfixturevalue(persona)
    client = client_for(user)
    for name, url, about_person in all_urls(person_a):
        if not about_person:
            continue
        expected = EXPECTED_FOR_VISIBLE[persona].get(name, 200)
        response = client.get(url)
        assert response.status_code == expected, f"{persona} GET {url} gave {response.status_code}"
        assert AuditEvent.objects.filter(actor_user=user, person_id=str(person_a.pk), action=AuditAction.VIEW).exists()
