"""Security properties that marm holds and that no other test names (docs/security-properties.md).

Each test is named after the property it proves (``test_S4_...``), so the count of properties held
with a test is read from the suite (tests/checks/test_security_properties.py).
"""

import datetime
import importlib
import json
import logging
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.sessions.models import Session
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from marm.audit.models import AuditAction, AuditEvent
from marm.audit.services import audit_record
from marm.sharing.models import QualityTest
from marm.sharing.services import sharing_decide
from tests.factories import TEST_PASSWORD, PersonFactory
from tests.headers import csp_directives
from tests.twofactor import force_sign_in, next_code

ROOT = Path(__file__).resolve().parents[2]
MARM = ROOT / "marm"


def _production():
    """The production settings module, read as values (the suite itself runs on the test settings)."""
    return importlib.import_module("marm.config.settings.production")


def _sign_in(client, user, **extra):
    """Both factors through the pages, as a user does."""
    response = client.post("/sign-in/", {"username": user.email, "password": TEST_PASSWORD}, **extra)
    assert response.status_code == 302, response.content.decode()[:500]
    response = client.post("/sign-in/code/", {"code": next_code(user), "next": "/"}, **extra)
    assert response.status_code == 302
    assert response["Location"] == "/"
    return response


def _run(*args, env_extra=None, drop=()):
    env = {**os.environ, **(env_extra or {})}
    env.pop("DATABASE_URL", None)
    for name in drop:
        env.pop(name, None)
    return subprocess.run(  # noqa: S603
        [sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True, check=False
    )


def _python_files():
    return [path for path in MARM.rglob("*.py") if "migrations" not in path.parts]


# --- A: authentication -------------------------------------------------------------------------


@pytest.mark.django_db
def test_A8_no_account_exists_until_someone_is_given_one_and_demo_users_are_named_people():
    from marm.demo.seed import PERSONAS

    # A database built by the migrations holds no account at all: no default administrator.
    assert get_user_model().objects.count() == 0
    # Nothing in marm makes a superuser (only Django's own command can, for a named person).
    callers = [str(p) for p in _python_files() if "create_superuser(" in p.read_text() and p.name != "models.py"]
    assert callers == []
    # The demo (never installed in production) has one named person per account.
    emails = [persona.email for persona in PERSONAS]
    assert len(emails) == len(set(emails))
    for persona in PERSONAS:
        assert len(persona.full_name.split()) >= 2, persona
        assert persona.email.split("@")[0] not in {"root", "test", "user", "demo", "guest"}


# --- S: sessions -------------------------------------------------------------------------------


@pytest.mark.django_db
def test_S3_signing_in_gives_a_new_session_and_signing_out_ends_it_on_the_server(practitioner_a):
    client = Client()
    before = client.session.session_key  # a session an attacker could have planted
    assert before
    _sign_in(client, practitioner_a)
    after = client.session.session_key
    assert after != before
    assert not Session.objects.filter(session_key=before).exists()
    assert client.get("/").status_code == 200

    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    assert client.post("/sign-out/").status_code == 302
    assert not Session.objects.filter(session_key=after).exists()
    # The old cookie, replayed from elsewhere, signs no one in.
    replay = Client()
    replay.cookies[settings.SESSION_COOKIE_NAME] = cookie
    response = replay.get("/")
    assert response.status_code == 302
    assert response["Location"].startswith("/sign-in/")


@pytest.mark.django_db
def test_S4_production_cookies_are_host_only_secure_httponly_and_samesite(practitioner_a):
    production = _production()
    assert production.SESSION_COOKIE_NAME.startswith("__Host-")
    assert production.CSRF_COOKIE_NAME.startswith("__Host-")
    assert production.SESSION_COOKIE_SECURE is True
    assert production.CSRF_COOKIE_SECURE is True
    assert production.SESSION_COOKIE_HTTPONLY is True
    assert production.SESSION_COOKIE_SAMESITE in ("Lax", "Strict")

    cookie_settings = {
        name: getattr(production, name)
        for name in (
            "SESSION_COOKIE_NAME",
            "SESSION_COOKIE_SECURE",
            "SESSION_COOKIE_HTTPONLY",
            "SESSION_COOKIE_SAMESITE",
            "CSRF_COOKIE_NAME",
            "CSRF_COOKIE_SECURE",
            "CSRF_COOKIE_HTTPONLY",
        )
    }
    with override_settings(**cookie_settings):
        client = Client()
        client.get("/sign-in/", secure=True)
        _sign_in(client, practitioner_a, secure=True)
        response = client.get("/", secure=True)
        assert response.status_code == 200
        session = client.cookies[production.SESSION_COOKIE_NAME]
        csrf = client.cookies[production.CSRF_COOKIE_NAME]
    for morsel in (session, csrf):
        assert morsel["secure"] is True, morsel.key
        assert morsel["httponly"] is True, morsel.key
        assert morsel["samesite"] in ("Lax", "Strict"), morsel.key
        # The __Host- prefix: path / and no domain, or browsers refuse the cookie.
        assert morsel["path"] == "/", morsel.key
        assert morsel["domain"] == "", morsel.key


# --- Z: access control -------------------------------------------------------------------------


@pytest.mark.django_db
def test_Z4_fields_the_form_does_not_offer_are_ignored(gp_c_client, gp_c, practitioner_a, agency_a):
    from marm.people.models import AgencyInvolvement, Person

    response = gp_c_client.post(
        reverse("people:create"),
        {
            "given_name": "Ada",
            "family_name": "Lovell",
            "date_of_birth_0": "",
            "date_of_birth_1": "3",
            "date_of_birth_2": "1950",
            "line_1": "4 Mill Lane",
            "town": "Northdale",
            "postcode": "ND1 2AB",
            # Not on the form: who made the record and which agency holds it come from the signed-in user.
            "created_by": str(practitioner_a.pk),
            "created_by_id": str(practitioner_a.pk),
            "agency": str(agency_a.pk),
            "agency_id": str(agency_a.pk),
            "version": "99",
            "id": "00000000-0000-0000-0000-000000000001",
        },
    )
    assert response.status_code == 302
    person = Person.objects.get(family_name="Lovell")
    assert person.created_by == gp_c
    assert str(person.pk) != "00000000-0000-0000-0000-000000000001"
    involved = AgencyInvolvement.objects.filter(person=person).values_list("agency_id", flat=True)
    assert list(involved) == [gp_c.agency_id]
    assert not Person.objects.visible_to(practitioner_a).filter(pk=person.pk).exists()


@pytest.mark.django_db
def test_Z6_a_failure_in_the_scope_check_shows_no_record(monkeypatch, practitioner_a, person_a):
    from marm.people.querysets import PersonQuerySet

    def broken(self, user):
        raise RuntimeError("the scope could not be worked out")

    monkeypatch.setattr(PersonQuerySet, "visible_to", broken)
    client = force_sign_in(Client(raise_request_exception=False), practitioner_a)
    response = client.get(reverse("people:detail", kwargs={"pk": person_a.pk}))
    assert response.status_code == 500
    page = response.content.decode()
    assert person_a.family_name not in page
    assert "Traceback" not in page


# --- L: audit and logs -------------------------------------------------------------------------


@pytest.mark.django_db
def test_L1_each_page_about_a_person_writes_an_audit_row_about_them(practitioner_a, person_a, sweep_urls):
    client = force_sign_in(Client(), practitioner_a)
    unaudited = []
    for name, url, declared in sweep_urls:
        if not declared.about_person or declared.expected("practitioner_a") != 200:
            continue
        before = AuditEvent.objects.filter(actor_user=practitioner_a, person_id=str(person_a.pk)).count()
        response = client.get(url)
        assert response.status_code == 200, f"{name} {url} gave {response.status_code}"
        after = AuditEvent.objects.filter(actor_user=practitioner_a, person_id=str(person_a.pk)).count()
        if after == before:
            unaudited.append(f"{name} ({url})")
    assert unaudited == [], "Read but not audited: " + ", ".join(unaudited)
    row = AuditEvent.objects.filter(actor_user=practitioner_a, action=AuditAction.VIEW).last()
    assert row.actor_agency_id == practitioner_a.agency_id
    assert row.request_id and row.source_ip


@pytest.mark.django_db
def test_L1_when_the_audit_row_cannot_be_written_the_record_is_not_shown(monkeypatch, practitioner_a, person_a):
    import marm.access.guard

    def audit_down(**kwargs):
        raise RuntimeError("the audit table cannot be written")

    monkeypatch.setattr(marm.access.guard, "audit_record", audit_down)
    client = force_sign_in(Client(raise_request_exception=False), practitioner_a)
    response = client.get(reverse("people:detail", kwargs={"pk": person_a.pk}))
    assert response.status_code == 500
    assert person_a.family_name not in response.content.decode()


@pytest.mark.django_db
def test_L2_a_share_records_the_agency_it_went_to(accepted_case, practitioner_a, practitioner_a_client, agency_c):
    sharing = sharing_decide(
        acting_user=practitioner_a,
        case=accepted_case,
        agency=agency_c,
        basis="risk_to_others",
        rationale="Fire risk to neighbours; the practice can arrange a home visit.",
        access="full",
        adult_told="no",
        adult_not_told_reason="increases_risk",
        what_is_shared="The concern and the risk assessment",
        quality_tests=list(QualityTest.values),
    )
    row = AuditEvent.objects.get(action=AuditAction.EXPORT, object_id=str(sharing.pk))
    assert row.actor_user == practitioner_a
    assert row.person_id == str(accepted_case.person_id)
    assert row.detail["to_agency"] == agency_c.pk
    page = practitioner_a_client.get(
        reverse("sharing:case-disclosures", kwargs={"case_pk": accepted_case.pk})
    ).content.decode()
    assert agency_c.name in page


SENTINEL_NAME = "Zzsentinelname"
SENTINEL_PASSWORD = "zz-sentinel-password-zz"  # noqa: S105 (a marker, not a credential)


@pytest.mark.django_db
def test_L5_logs_hold_no_names_passwords_or_session_keys(caplog, practitioner_a, gp_c):
    person = PersonFactory(created_by=practitioner_a, given_name="Zzsentinelgiven", family_name=SENTINEL_NAME)
    caplog.set_level(logging.DEBUG)

    client = Client()
    client.post("/sign-in/", {"username": practitioner_a.email, "password": SENTINEL_PASSWORD})
    _sign_in(client, practitioner_a)
    client.get(reverse("people:detail", kwargs={"pk": person.pk}))
    client.post(reverse("people:search"), {"name": f"Zzsentinelgiven {SENTINEL_NAME}"})
    client.get(f"/people/{person.pk}/no-such-page/")
    force_sign_in(Client(), gp_c).get(reverse("people:detail", kwargs={"pk": person.pk}))
    session_key = client.session.session_key

    logged = "\n".join(f"{record.getMessage()} {record.__dict__.get('args')}" for record in caplog.records)
    assert caplog.records, "nothing was logged: the test would prove nothing"
    for secret in ("zzsentinel", SENTINEL_PASSWORD, TEST_PASSWORD, session_key):
        assert secret.lower() not in logged.lower(), secret


@pytest.mark.django_db
def test_L6_a_line_break_in_a_request_cannot_forge_a_log_line(caplog, practitioner_a_client):
    caplog.set_level(logging.INFO)
    practitioner_a_client.get("/no-such-page\nINFO Signed in as the administrator/")
    practitioner_a_client.generic("DELETE", "/people/\r\nFORGED/")
    request_records = [r for r in caplog.records if r.name.startswith("django.")]
    assert request_records
    for record in request_records:
        message = record.getMessage()
        assert "\n" not in message and "\r" not in message, message


@pytest.mark.django_db
def test_L7_audit_times_are_kept_in_utc(practitioner_a):
    assert settings.USE_TZ is True
    with timezone.override("Europe/London"):
        row = audit_record(actor=practitioner_a, action=AuditAction.SIGN_IN, obj=practitioner_a)
    stored = AuditEvent.objects.get(pk=row.pk).occurred_at
    assert stored.utcoffset() == datetime.timedelta(0)
    assert abs(stored - datetime.datetime.now(datetime.UTC)) < datetime.timedelta(minutes=1)


# --- D: data protection ------------------------------------------------------------------------


@pytest.mark.django_db
def test_D4_names_are_searched_by_post_never_in_the_address(practitioner_a_client, practitioner_a, person_a):
    page = practitioner_a_client.get(reverse("people:search")).content.decode()
    assert re.search(r'<form method="post"', page)
    duty_template = (MARM / "register" / "templates" / "register" / "duty_search.html").read_text()
    assert '<form method="post"' in duty_template

    searches = AuditEvent.objects.filter(actor_user=practitioner_a, action=AuditAction.SEARCH)
    before = searches.count()
    response = practitioner_a_client.get(reverse("people:search"), {"name": person_a.family_name})
    assert searches.count() == before
    assert reverse("people:detail", kwargs={"pk": person_a.pk}) not in response.content.decode()
    response = practitioner_a_client.post(reverse("people:search"), {"name": person_a.family_name})
    assert searches.count() == before + 1
    assert reverse("people:detail", kwargs={"pk": person_a.pk}) in response.content.decode()


@pytest.mark.django_db
def test_D5_every_page_for_a_signed_in_user_is_not_stored(practitioner_a, sweep_urls):
    client = Client()
    for name, url, _declared in sweep_urls:
        force_sign_in(client, practitioner_a)  # signing out is one of the URLs
        for method in ("get", "post"):
            response = getattr(client, method)(url)
            directives = [d.strip() for d in response.get("Cache-Control", "").split(",")]
            assert "no-store" in directives, f"{method.upper()} {name} {url}"


@pytest.mark.django_db
def test_D6_search_results_show_a_name_and_date_of_birth_only(practitioner_a_client, person_a, chronology_entry_a):
    response = practitioner_a_client.post(reverse("people:search"), {"name": person_a.full_name})
    page = response.content.decode()
    assert escape(person_a.family_name) in page
    results = page[page.index('id="results"') :]
    assert chronology_entry_a.summary[:30] not in results
    assert person_a.nhs_number not in results.replace(" ", "")
    assert re.findall(r'<th scope="col" class="govuk-table__header">([^<]+)</th>', results) == [
        "Name",
        "Date of birth",
        "How it matches",
    ]


# --- H: input, output and HTTP ----------------------------------------------------------------


def test_H1_no_sql_is_built_from_strings_outside_the_reviewed_search_engines():
    result = _run("-m", "ruff", "check", "--no-cache", "--select", "S608,S611", "marm")
    assert result.returncode == 0, result.stdout + result.stderr
    # The two search engines compose their SQL from fixed fragments (checked file by file, ADR 0013);
    # every value the user typed goes in as a parameter. The history's triggers are built from the
    # models' own table and column names, quoted, with nothing a user typed (ADR 0032), and so are the
    # audit trail's append statements (ADR 0002).
    exempt = sorted(str(p.relative_to(ROOT)) for p in _python_files() if "ruff: noqa: S608" in p.read_text())
    assert exempt == [
        "marm/audit/statements.py",
        "marm/history/triggers.py",
        "marm/people/search/engines/postgresql.py",
        "marm/people/search/engines/sqlite.py",
    ]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "typed", ["Thornbury'; DROP TABLE people_person; --", "%' OR '1'='1", 'Margaret" OR 1=1 --', "_%_%"]
)
def test_H1_sql_in_a_search_is_only_text(practitioner_a_client, person_a, typed):
    from marm.people.models import Person

    response = practitioner_a_client.post(reverse("people:search"), {"name": typed})
    assert response.status_code == 200
    assert Person.objects.filter(pk=person_a.pk).exists()


@pytest.mark.django_db
def test_H2_text_typed_as_markup_is_shown_as_text(practitioner_a, practitioner_a_client):
    person = PersonFactory(created_by=practitioner_a, given_name="<script>alert(1)</script>", family_name="<b>Bold")
    page = practitioner_a_client.get(reverse("people:detail", kwargs={"pk": person.pk})).content.decode()
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<b>Bold" not in page
    # Nothing turns escaping off: no |safe, no autoescape off, no mark_safe.
    templates = list(MARM.rglob("*.html"))
    assert templates
    for template in templates:
        text = template.read_text()
        assert not re.search(r"\|\s*safe\b|autoescape\s+off", text), template
    for module in _python_files():
        assert "mark_safe(" not in module.read_text(), module


@pytest.mark.django_db
def test_H3_the_content_security_policy_allows_no_inline_code_plugins_or_framing(practitioner_a_client):
    for url in ("/", "/sign-in/", "/people/"):
        header = practitioner_a_client.get(url)["Content-Security-Policy"]
        directives = csp_directives(header)
        assert directives["default-src"] == ["'self'"]
        assert directives["script-src"] == ["'self'"]
        assert directives["style-src"] == ["'self'"]
        assert directives["object-src"] == ["'none'"]
        assert directives["base-uri"] == ["'none'"]
        assert directives["frame-ancestors"] == ["'none'"]
        assert directives["form-action"] == ["'self'"]
        assert "unsafe-inline" not in header and "unsafe-eval" not in header


@pytest.mark.django_db
def test_H4_production_sends_hsts_for_a_year_and_the_hardening_headers(practitioner_a):
    production = _production()
    assert production.SECURE_HSTS_SECONDS >= 365 * 24 * 60 * 60
    assert production.SECURE_HSTS_INCLUDE_SUBDOMAINS is True
    assert production.SECURE_SSL_REDIRECT is True
    hsts = {
        "SECURE_HSTS_SECONDS": production.SECURE_HSTS_SECONDS,
        "SECURE_HSTS_INCLUDE_SUBDOMAINS": production.SECURE_HSTS_INCLUDE_SUBDOMAINS,
        "SECURE_HSTS_PRELOAD": production.SECURE_HSTS_PRELOAD,
    }
    with override_settings(**hsts):
        client = force_sign_in(Client(), practitioner_a)
        for response in (client.get("/", secure=True), Client().get("/sign-in/", secure=True)):
            assert response["Strict-Transport-Security"].startswith(f"max-age={production.SECURE_HSTS_SECONDS}")
            assert "includeSubDomains" in response["Strict-Transport-Security"]
            assert response["X-Content-Type-Options"] == "nosniff"
            assert response["Referrer-Policy"] in ("same-origin", "no-referrer", "strict-origin")
            assert response["Cross-Origin-Opener-Policy"] == "same-origin"
            assert response["X-Frame-Options"] == "DENY"
            assert "Server" not in response and "X-Powered-By" not in response


@pytest.mark.django_db
def test_H5_a_post_without_the_csrf_token_is_refused(practitioner_a, person_a):
    anonymous = Client(enforce_csrf_checks=True)
    assert anonymous.post("/sign-in/", {"username": practitioner_a.email, "password": TEST_PASSWORD}).status_code == 403
    client = force_sign_in(Client(enforce_csrf_checks=True), practitioner_a)
    for url in (
        "/sign-out/",
        reverse("people:create"),
        reverse("people:edit", kwargs={"pk": person_a.pk}),
        reverse("people:search"),
    ):
        assert client.post(url, {"name": "Thornbury"}).status_code == 403, url
    assert client.get("/").status_code == 200  # still signed in: the refused sign-out did nothing
    for module in _python_files():
        assert "csrf_exempt" not in module.read_text(), module


@pytest.mark.django_db
@pytest.mark.urls("tests.security.failing_urls")
def test_H6_a_failure_shows_the_service_error_page_and_nothing_of_the_code(practitioner_a):
    from tests.security.failing_urls import SECRET_IN_THE_FAILURE

    assert settings.DEBUG is False
    client = force_sign_in(Client(raise_request_exception=False), practitioner_a)
    response = client.get("/failing-page/")
    page = response.content.decode()
    assert response.status_code == 500
    assert "Sorry, there is a problem with the service" in page
    for leak in ("Traceback", "RuntimeError", SECRET_IN_THE_FAILURE, "failing_urls", settings.SECRET_KEY, "SELECT "):
        assert leak not in page, leak
    assert _production().DEBUG is False


# --- P: configuration --------------------------------------------------------------------------


STRONG_KEY = "a-production-secret-key-that-is-long-and-random-0123456789-abcdefghijkl"  # noqa: S105 (placeholder)
PRODUCTION = {"DJANGO_SETTINGS_MODULE": "marm.config.settings.production", "ALLOWED_HOSTS": "marm.example.org"}


def test_P2_production_needs_a_secret_key_from_outside_the_code_and_a_strong_one():
    missing = _run("manage.py", "check", env_extra=PRODUCTION, drop=("SECRET_KEY", "SECRET_KEY_FILE"))
    assert missing.returncode != 0
    assert "SECRET_KEY must be set" in missing.stderr
    weak = _run(
        "manage.py", "check", "--deploy", "--fail-level", "WARNING", env_extra={**PRODUCTION, "SECRET_KEY": "short"}
    )
    assert weak.returncode != 0
    assert "security.W009" in weak.stdout + weak.stderr
    # The settings that production uses carry no key of their own.
    for name in ("base.py", "production.py"):
        text = (MARM / "config" / "settings" / name).read_text()
        assert re.findall(r"^SECRET_KEY\s*=\s*(.+)$", text, re.M) in ([], ['env_secret("SECRET_KEY")']), name


def test_P3_production_installs_no_demo_or_debugging_tools():
    script = (
        "import json, django; django.setup();"
        "from django.conf import settings; from django.urls import get_resolver;"
        "print(json.dumps({'apps': settings.INSTALLED_APPS, 'debug': settings.DEBUG,"
        "'urls': [str(p.pattern) for p in get_resolver().url_patterns]}))"
    )
    result = _run(
        "-c",
        script,
        env_extra={**PRODUCTION, "SECRET_KEY": STRONG_KEY},
    )
    assert result.returncode == 0, result.stderr
    found = json.loads(result.stdout.strip().splitlines()[-1])
    assert found["debug"] is False
    for app in found["apps"]:
        assert app not in ("marm.demo", "debug_toolbar", "django_extensions", "silk"), app
    for pattern in found["urls"]:
        assert "__debug__" not in pattern and "silk" not in pattern, pattern


def test_H4_trace_is_refused_everywhere(practitioner_a, person_a):
    """TRACE echoes the request back: refused on every page, signed in or not, before any view runs."""
    client = force_sign_in(Client(), practitioner_a)
    for url in ("/", "/sign-in/", f"/people/{person_a.pk}/", "/health/"):
        for who in (client, Client()):
            response = who.generic("TRACE", url)
            assert response.status_code == 405, url
            assert person_a.family_name not in response.content.decode()
