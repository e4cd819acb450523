#!/usr/bin/env python
"""Start marm as production runs it, use it once through the TLS proxy's headers, and stop.

    .venv/bin/python scripts/production_check.py [--server postgres://postgres@127.0.0.1:5432] [--drill]

On a PostgreSQL server where the URL's role may create databases and roles (CI: the superuser), it
follows docs/deploy/README.md step by step:

1. creates a database and two roles, all with names of their own (nothing shared with other runs);
2. runs ``db_roles`` as the superuser, ``migrate`` as the owner role, ``db_roles`` again;
3. runs ``collectstatic`` into a folder of its own;
4. adds a minimal data set through marm's services, connected as the application role: an agency, a
   team, a practitioner with an authenticator app (TOTP), a person the agency is involved with, and
   one notification whose e-mail is a queued job;
5. starts gunicorn (``marm.config.wsgi``), the worker (``db_worker``) and the sweeps (``run_sweeps
   --every``) under ``marm.config.settings.production``, connected as the application role;
6. as a browser behind the proxy would (``X-Forwarded-Proto: https``, ``X-Forwarded-For``, the site's
   host name): checks plain HTTP is sent to HTTPS, the health URL, signs in with the password and a
   code from the authenticator, opens the person's page and finds their name, fetches a static file,
   checks the worker ran the queued job and the sweeps wrote an audit checkpoint;
7. with ``--drill``, runs ``backup_drill`` on the database (dump, restore into a copy, verify, timed);
8. stops every process it started and drops the database and the roles, on failure too.

Each step is printed with the time it started and how long it took. Exits 1 on any failure, with the
end of each process's log. Uses nothing beyond Python's standard library and marm's own dependencies.
"""

import argparse
import contextlib
import hashlib
import hmac
import html
import http.client
import json
import os
import re
import secrets
import shutil
import signal
import socket
import struct
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlencode, urlsplit

ROOT = Path(__file__).resolve().parent.parent
HOST = "marm.example.org"
CLIENT_ADDRESS = "192.0.2.10"  # TEST-NET-1: the address the proxy says the browser has.
STARTED = time.monotonic()


class CheckFailed(Exception):
    """A step did not do what production needs; the message says what was seen."""


def say(message: str) -> None:
    print(f"[{time.monotonic() - STARTED:6.1f}s] {message}", flush=True)


@contextlib.contextmanager
def step(name: str):
    say(f"{name} ...")
    began = time.monotonic()
    yield
    say(f"{name}: ok ({time.monotonic() - began:.1f}s)")


def check(condition: bool, message: str) -> None:
    if not condition:
        raise CheckFailed(message)


# --- TOTP (RFC 6238), as an authenticator app computes it ---------------------------------------


def totp_code(key_hex: str, *, step_seconds: int = 30, digits: int = 6, at: float | None = None) -> str:
    counter = int((time.time() if at is None else at) // step_seconds)
    digest = hmac.new(bytes.fromhex(key_hex), struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    value = struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF
    return f"{value % 10**digits:0{digits}d}"


# --- A browser behind the TLS proxy -------------------------------------------------------------


class Browser:
    """Plain HTTP to gunicorn, with the headers nginx adds. Keeps the cookies itself: they are
    ``Secure`` and ``__Host-`` cookies, which a cookie jar would not send over plain HTTP."""

    def __init__(self, port: int):
        self.port = port
        self.cookies: dict[str, str] = {}
        self.set_cookie_headers: list[str] = []

    def request(self, method: str, path: str, *, form: dict | None = None, proxied: bool = True, referer: str = ""):
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        headers = {"Host": HOST, "User-Agent": "marm-production-check"}
        if proxied:
            headers["X-Forwarded-Proto"] = "https"
            headers["X-Forwarded-For"] = CLIENT_ADDRESS
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{name}={value}" for name, value in self.cookies.items())
        body = None
        if form is not None:
            body = urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Origin"] = f"https://{HOST}"
            headers["Referer"] = referer or f"https://{HOST}{path}"
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        content = response.read()
        connection.close()
        for header in response.headers.get_all("Set-Cookie") or []:
            self.set_cookie_headers.append(header)
            name, _, rest = header.partition("=")
            value = rest.split(";", 1)[0]
            if value in ("", '""'):
                self.cookies.pop(name.strip(), None)
            else:
                self.cookies[name.strip()] = value
        return response, content.decode("utf-8", errors="replace")


def csrf_token(page: str) -> str:
    found = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    check(found is not None, "the page has no CSRF token in its form")
    return found.group(1)


def location_path(response) -> str:
    location = response.headers.get("Location", "")
    parts = urlsplit(location)
    return parts.path + (f"?{parts.query}" if parts.query else "")


def journey(port: int, data: dict) -> None:
    """What a user's browser does through the proxy, checking each answer."""
    browser = Browser(port)
    with step("Plain HTTP (no proxy header) is sent to HTTPS"):
        response, _ = browser.request("GET", "/health/", proxied=False)
        check(response.status == 301, f"expected 301 without X-Forwarded-Proto, got {response.status}")
        check(
            response.headers.get("Location", "").startswith(f"https://{HOST}/"),
            f"redirected to {response.headers.get('Location')!r}, not https://{HOST}/",
        )
    with step("Health URL through the proxy"):
        response, body = browser.request("GET", "/health/")
        check(response.status == 200 and body == "ok", f"health answered {response.status} {body[:80]!r}")
        hsts = response.headers.get("Strict-Transport-Security", "")
        check("max-age=" in hsts, f"no HSTS header on an HTTPS response (got {hsts!r})")
    with step("Sign-in page"):
        response, page = browser.request("GET", "/sign-in/")
        check(response.status == 200, f"the sign-in page answered {response.status}")
        check("__Host-csrftoken" in browser.cookies, "no __Host-csrftoken cookie was set")
        cookie = next(h for h in browser.set_cookie_headers if h.startswith("__Host-csrftoken="))
        check("Secure" in cookie, f"the CSRF cookie is not Secure: {cookie!r}")
        token = csrf_token(page)
    with step("Password"):
        response, page = browser.request(
            "POST",
            "/sign-in/",
            form={"csrfmiddlewaretoken": token, "username": data["email"], "password": data["password"]},
        )
        check(response.status == 302, f"the password was not accepted: {response.status}\n{page[:400]}")
        check(
            location_path(response).startswith("/sign-in/code/"),
            f"sent to {location_path(response)!r}, not the code page",
        )
        check("__Host-sessionid" in browser.cookies, "no __Host-sessionid cookie after the password")
    with step("Second factor (a code from the authenticator app)"):
        code_path = location_path(response)
        response, page = browser.request("GET", code_path)
        check(response.status == 200, f"the code page answered {response.status}")
        code = totp_code(data["totp_key"], step_seconds=data["totp_step"], digits=data["totp_digits"])
        response, page = browser.request(
            "POST", code_path, form={"csrfmiddlewaretoken": csrf_token(page), "code": code}
        )
        check(response.status == 302, f"the code was not accepted: {response.status}\n{page[:400]}")
        check(
            not location_path(response).startswith("/sign-in/"),
            f"still signing in after the code: sent to {location_path(response)!r}",
        )
    with step("Home page, signed in"):
        response, page = browser.request("GET", location_path(response) or "/")
        check(response.status == 200, f"the home page answered {response.status}")
        check(data["user_name"] in page, "the home page does not show the signed-in user's name")
    with step("The person's page"):
        response, page = browser.request("GET", f"/people/{data['person_id']}/")
        check(response.status == 200, f"the person's page answered {response.status}")
        check(
            html.escape(data["person_name"]) in page,
            f"the person's page does not show {data['person_name']!r}",
        )
    with step("A static file, served by WhiteNoise"):
        found = re.search(r'href="(/static/[^"]+\.css)"', page)
        check(found is not None, "the page links no stylesheet under /static/")
        response, body = browser.request("GET", found.group(1))
        check(response.status == 200 and len(body) > 100, f"{found.group(1)} answered {response.status}")
        check("immutable" in response.headers.get("Cache-Control", ""), "hashed static files are not cached for good")


# --- Processes ----------------------------------------------------------------------------------


class Processes:
    def __init__(self, folder: Path):
        self.folder = folder
        self.running: list[tuple[str, subprocess.Popen, Path]] = []
        self.stopped = False

    def start(self, name: str, command: list[str], env: dict) -> subprocess.Popen:
        log = self.folder / f"{name}.log"
        handle = log.open("wb")
        process = subprocess.Popen(  # noqa: S603 (marm's own commands, fixed arguments)
            command, cwd=ROOT, env=env, stdout=handle, stderr=subprocess.STDOUT, start_new_session=True
        )
        handle.close()
        self.running.append((name, process, log))
        say(f"started {name} (process {process.pid})")
        return process

    def log_of(self, name: str) -> str:
        for known, _process, log in self.running:
            if known == name:
                return log.read_text(errors="replace")
        return ""

    def check_alive(self) -> None:
        for name, process, _log in self.running:
            check(process.poll() is None, f"{name} stopped by itself with exit code {process.returncode}")

    def stop_all(self) -> None:
        if self.stopped:
            return
        self.stopped = True
        for _name, process, _log in reversed(self.running):
            if process.poll() is None:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(process.pid, signal.SIGTERM)
        deadline = time.monotonic() + 15
        for name, process, _log in reversed(self.running):
            try:
                process.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(process.pid, signal.SIGKILL)
                process.wait()
                say(f"{name} did not stop within 15 s and was killed")
            else:
                say(f"stopped {name} (exit code {process.returncode})")

    def print_logs(self, lines: int = 40) -> None:
        for name, _process, log in self.running:
            text = log.read_text(errors="replace").splitlines() if log.exists() else []
            print(f"\n--- the last {lines} lines of {name}'s log ---", flush=True)
            print("\n".join(text[-lines:]), flush=True)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def manage(*args: str, env: dict, timeout: int = 300) -> str:
    result = subprocess.run(  # noqa: S603 (manage.py, fixed arguments)
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    if result.returncode != 0:
        raise CheckFailed(f"manage.py {' '.join(args)} failed ({result.returncode}):\n{result.stdout}{result.stderr}")
    return result.stdout


def wait_for(what: str, test, *, seconds: float, processes: Processes | None = None) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if processes is not None:
            processes.check_alive()
        with contextlib.suppress(OSError, http.client.HTTPException):
            if test():
                return
        time.sleep(0.25)
    raise CheckFailed(f"{what}: not within {seconds:.0f} s")


class Server:
    """The PostgreSQL server, through its superuser (or a role that may create databases and roles)."""

    def __init__(self, url: str):
        import psycopg

        self.psycopg = psycopg
        self.url = url.rstrip("/")
        parts = urlsplit(self.url)
        self.netloc_host = parts.hostname or "127.0.0.1"
        self.port = parts.port or 5432
        self.admin_db = parts.path.lstrip("/") or "postgres"

    def url_for(self, database: str, role: str | None = None) -> str:
        parts = urlsplit(self.url)
        netloc = parts.netloc if role is None else f"{role}@{self.netloc_host}:{self.port}"
        return f"postgres://{netloc}/{database}"

    def execute(self, sql: str, params=None, *, database: str | None = None):
        url = self.url_for(database or self.admin_db)
        with self.psycopg.connect(url, autocommit=True) as connection:
            cursor = connection.execute(sql, params)
            return cursor.fetchall() if cursor.description else None


# --- The minimal data set, run inside marm (``--seed``) ---------------------------------------


def seed() -> dict:
    """An agency, a team, a practitioner with an authenticator app, a person the agency is involved
    with, and a notification whose e-mail is a queued job. Synthetic; run as the application role."""
    import django

    sys.path.insert(0, str(ROOT))
    django.setup()
    from django.contrib.auth import get_user_model
    from django.db import transaction

    from marm.accounts.two_factor import authenticator_create
    from marm.notifications.services import notify
    from marm.organisations.models import Agency, AgencyKind, Membership, Role, Team
    from marm.people.services import person_create

    given = secrets.choice(["Maeve", "Idris", "Rosalind", "Tobias", "Ffion", "Callum"])
    family = secrets.choice(["Ashworth", "Penhallow", "Kilbride", "Thistlewood", "Garside", "Oakes"])
    run = secrets.token_hex(3)
    password = secrets.token_urlsafe(18)
    with transaction.atomic():
        agency = Agency(name=f"Production Check Adult Social Care {run}", kind=AgencyKind.ADULT_SOCIAL_CARE)
        agency.full_clean()
        agency.save()
        team = Team(agency=agency, name="Safeguarding Hub")
        team.full_clean()
        team.save()
        user = get_user_model().objects.create_user(
            f"practitioner-{run}@check.example.org",
            password,
            full_name="Nadia Whitcombe",
            agency=agency,
            job_title="Social worker",
        )
        membership = Membership(user=user, team=team, role=Role.PRACTITIONER)
        membership.full_clean()
        membership.save()
        device = authenticator_create(user=user)
        person = person_create(acting_user=user, given_name=given, family_name=family)
        notification = notify(
            recipient=user,
            kind="production_check",
            key=f"production-check:{run}",
            title="marm is running in production",
            body="This message was sent by the worker.",
        )
    return {
        "email": user.email,
        "password": password,
        "user_name": user.full_name,
        "totp_key": device.key,
        "totp_step": device.step,
        "totp_digits": device.digits,
        "person_id": str(person.pk),
        "person_name": f"{person.given_name} {person.family_name}",
        "notification_id": str(notification.pk),
    }


# --- The run ------------------------------------------------------------------------------------


def production_env(base: dict, *, database_url: str, folder: Path, owner: str, app_role: str) -> dict:
    env = {key: value for key, value in base.items() if not key.startswith(("DJANGO_", "MARM_", "DATABASE_"))}
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "marm.config.settings.production",
            "SECRET_KEY": secrets.token_urlsafe(50),
            "AUDIT_CHECKPOINT_KEY": secrets.token_urlsafe(32),
            "ALLOWED_HOSTS": HOST,
            "DATABASE_URL": database_url,
            "MARM_DB_OWNER": owner,
            "MARM_DB_APP_ROLE": app_role,
            "MARM_DATA_DIR": str(folder / "data"),
            "AUDIT_CHECKPOINT_FILE": str(folder / "data" / "audit" / "checkpoints.jsonl"),
            "STATIC_ROOT": str(folder / "static"),
            "MARM_BASE_URL": f"https://{HOST}",
            "TRUSTED_PROXY_COUNT": "1",
            # The worker's e-mails go to its log: there is no mail server here.
            "EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend",
            "PYTHONUNBUFFERED": "1",
        }
    )
    return env


def run(args) -> None:
    server = Server(args.server)
    run_id = secrets.token_hex(4)
    database = f"marm_prodcheck_{run_id}"
    owner, app_role = f"marm_owner_{run_id}", f"marm_app_{run_id}"
    folder = Path(tempfile.mkdtemp(prefix="marm-production-check-"))
    processes = Processes(folder)
    created_database = False
    say(f"database {database}, roles {owner} and {app_role}, files in {folder}")
    as_superuser = production_env(
        os.environ, database_url=server.url_for(database), folder=folder, owner=owner, app_role=app_role
    )
    as_owner = {**as_superuser, "DATABASE_URL": server.url_for(database, owner)}
    as_app = {**as_superuser, "DATABASE_URL": server.url_for(database, app_role)}
    try:
        with step("Create the database"):
            server.execute(f'CREATE DATABASE "{database}"')
            created_database = True
        with step("Database roles (db_roles, as the superuser)"):
            manage("db_roles", env=as_superuser)
        with step("Migrate (as the owner role)"):
            manage("migrate", "--no-input", env=as_owner, timeout=600)
        with step("Database roles again, after migrate"):
            out = manage("db_roles", env=as_superuser)
            check("Append-only tables" in out, f"db_roles did not restrict the audit tables:\n{out}")
        with step("The application role cannot erase the audit"):
            check(
                not server.execute(
                    "SELECT has_table_privilege(%s, 'audit_auditevent', 'DELETE') "
                    "OR has_table_privilege(%s, 'audit_auditevent', 'TRUNCATE')",
                    [app_role, app_role],
                    database=database,
                )[0][0],
                f"{app_role} may delete or truncate audit rows",
            )
        with step("Collect static files"):
            manage("collectstatic", "--no-input", env=as_app)
        with step("Deployment checks (check --deploy, as the application role)"):
            manage("check", "--deploy", "--fail-level", "WARNING", env=as_app)
        with step("Minimal data set (as the application role)"):
            result = subprocess.run(  # noqa: S603 (this script)
                [sys.executable, __file__, "--seed"], cwd=ROOT, env=as_app, capture_output=True, text=True, timeout=120
            )
            if result.returncode != 0:
                raise CheckFailed(f"the data set could not be added:\n{result.stdout}{result.stderr}")
            data = json.loads(result.stdout.strip().splitlines()[-1])
            check(
                server.execute(
                    "SELECT 1 FROM django_tasks_database_dbtaskresult "
                    "WHERE status = 'READY' AND args_kwargs::text LIKE %s",
                    [f"%{data['notification_id']}%"],
                    database=database,
                ),
                "the notification's e-mail was not queued",
            )
        port = free_port()
        with step(f"Start gunicorn on 127.0.0.1:{port}, the worker and the sweeps"):
            processes.start(
                "gunicorn",
                [
                    sys.executable, "-m", "gunicorn", "marm.config.wsgi:application",
                    "--bind", f"127.0.0.1:{port}", "--workers", "2", "--timeout", "60",
                    "--access-logfile", "-", "--no-control-socket",
                    # gunicorn itself trusts no proxy: Django's SECURE_PROXY_SSL_HEADER (BEHIND_TLS_PROXY)
                    # alone decides, so this check proves marm's setting, not gunicorn's default.
                    "--forwarded-allow-ips", "",
                ],
                as_app,
            )  # fmt: skip
            processes.start("worker", [sys.executable, "manage.py", "db_worker", "--interval", "0.5"], as_app)
            processes.start("sweeps", [sys.executable, "manage.py", "run_sweeps", "--every", "2"], as_app)
            wait_for(
                "gunicorn answering",
                # Any answer: whether it is the right one is the journey's first checks.
                lambda: Browser(port).request("GET", "/health/")[0].status < 500,
                seconds=60,
                processes=processes,
            )
        journey(port, data)
        with step("The worker ran the queued job"):
            wait_for(
                "the e-mail job done by the worker",
                lambda: server.execute(
                    "SELECT 1 FROM django_tasks_database_dbtaskresult "
                    "WHERE status = 'SUCCESSFUL' AND args_kwargs::text LIKE %s",
                    [f"%{data['notification_id']}%"],
                    database=database,
                ),
                seconds=60,
                processes=processes,
            )
            check(
                "marm is running in production" in processes.log_of("worker"),
                "the worker's log does not show the e-mail it sent",
            )
        with step("The sweeps ran and wrote an audit checkpoint"):
            checkpoints = Path(as_app["AUDIT_CHECKPOINT_FILE"])
            wait_for(
                "a reminder sweep round and a checkpoint",
                lambda: (
                    "Reminder sweeps:" in processes.log_of("sweeps")
                    and checkpoints.exists()
                    and checkpoints.stat().st_size > 0
                ),
                seconds=60,
                processes=processes,
            )
        with step("Stop gunicorn, the worker and the sweeps"):
            processes.stop_all()
        with step("The audit trail is intact (audit_verify)"):
            say("  " + manage("audit_verify", env=as_app).strip())
        if args.drill:
            with step("Backup and restore drill (backup_drill, as the superuser)"):
                out = manage("backup_drill", env=as_superuser, timeout=600)
                for line in out.strip().splitlines():
                    say(f"  {line}")
    except BaseException:
        processes.stop_all()
        processes.print_logs()
        raise
    finally:
        processes.stop_all()
        with step("Drop the database and the roles"):
            if created_database:
                server.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
            for role in (app_role, owner):
                server.execute(f'DROP ROLE IF EXISTS "{role}"')
            shutil.rmtree(folder, ignore_errors=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--server",
        default=os.environ.get("MARM_CHECK_DATABASE_SERVER", "postgres://postgres@127.0.0.1:5432/postgres"),
        help="A PostgreSQL URL for a role that may create databases and roles (default: the local superuser).",
    )
    parser.add_argument("--drill", action="store_true", help="Run backup_drill on the database before it is dropped.")
    parser.add_argument("--seed", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.seed:
        print(json.dumps(seed()))
        return 0

    def interrupted(signum, _frame):
        raise KeyboardInterrupt(f"signal {signum}")

    signal.signal(signal.SIGTERM, interrupted)
    try:
        run(args)
    except CheckFailed as failure:
        say(f"FAILED: {failure}")
        return 1
    except KeyboardInterrupt:
        say("Interrupted: stopped and cleaned up")
        return 1
    say("Production check passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
