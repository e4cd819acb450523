"""The production check's steps are real (ADR 0035): each fails when what it checks is missing.

The script's browser journey runs here against a small stand-in server that answers as marm does behind
the proxy; each test takes one thing away and expects the journey to stop at that step. The whole
script, against gunicorn and PostgreSQL, runs in CI (.ci/run).
"""

import importlib.util
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs

import pytest

from marm.accounts.two_factor import code_now

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "production_check.py"
spec = importlib.util.spec_from_file_location("production_check", SCRIPT)
production_check = importlib.util.module_from_spec(spec)
spec.loader.exec_module(production_check)

KEY = "3132333435363738393031323334353637383930"  # RFC 6238's test key
DATA = {
    "email": "practitioner@check.example.org",
    "password": "a-long-synthetic-password",
    "user_name": "Nadia Whitcombe",
    "totp_key": KEY,
    "totp_step": 30,
    "totp_digits": 6,
    "person_id": "4de2f625-705b-4806-9359-8e1233028f81",
    "person_name": "Maeve Ashworth",
}


def _stand_in(faults: set[str]):
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args):
            pass

        def _send(self, status, body="", headers=()):
            self.send_response(status)
            for name, value in headers:
                self.send_header(name, value)
            data = body.encode()
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def _secure(self):
            return self.headers.get("X-Forwarded-Proto") == "https" and "no-proxy-header" not in faults

        def _form(self):
            length = int(self.headers.get("Content-Length", 0))
            return {k: v[0] for k, v in parse_qs(self.rfile.read(length).decode()).items()}

        def do_GET(self):
            if not self._secure():
                return self._send(301, headers=[("Location", f"https://{self.headers['Host']}{self.path}")])
            signed_in = "__Host-sessionid=verified" in self.headers.get("Cookie", "")
            form = '<input type="hidden" name="csrfmiddlewaretoken" value="tok">'
            if self.path == "/health/":
                return self._send(200, "ok", [("Strict-Transport-Security", "max-age=31536000")])
            if self.path == "/sign-in/":
                return self._send(200, form, [("Set-Cookie", "__Host-csrftoken=abc; Path=/; Secure")])
            if self.path.startswith("/sign-in/code/"):
                return self._send(200, form)
            if not signed_in:
                return self._send(302, headers=[("Location", "/sign-in/?next=/")])
            if self.path == "/":
                return self._send(200, f"<p>{DATA['user_name']}</p>")
            if self.path == f"/people/{DATA['person_id']}/":
                if "no-person" in faults:
                    return self._send(404, "Page not found")
                name = "Someone Else" if "wrong-name" in faults else DATA["person_name"]
                return self._send(200, f'<link href="/static/marm/marm.abc.css" rel="stylesheet"><h1>{name}</h1>')
            if self.path == "/static/marm/marm.abc.css":
                return self._send(200, "body{}" * 50, [("Cache-Control", "max-age=315360000, public, immutable")])
            return self._send(404)

        def do_POST(self):
            form = self._form()
            if form.get("csrfmiddlewaretoken") != "tok" or self.headers.get("Origin") != "https://marm.example.org":
                return self._send(403)
            if self.path == "/sign-in/":
                if form.get("password") != DATA["password"]:
                    return self._send(200, "Enter a correct email address and password")
                return self._send(
                    302, headers=[("Location", "/sign-in/code/?next=/"), ("Set-Cookie", "__Host-sessionid=half")]
                )
            if self.path.startswith("/sign-in/code/"):
                if "wrong-code" in faults or form.get("code") != code_now(KEY):
                    return self._send(200, "Enter the code from your authenticator app")
                return self._send(302, headers=[("Location", "/"), ("Set-Cookie", "__Host-sessionid=verified")])
            return self._send(404)

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


@pytest.fixture
def journey_with(monkeypatch):
    servers = []
    monkeypatch.setattr(production_check, "HOST", "marm.example.org")

    def run(*faults):
        server = _stand_in(set(faults))
        servers.append(server)
        production_check.journey(server.server_address[1], DATA)

    yield run
    for server in servers:
        server.shutdown()


def test_the_journey_passes_when_every_step_answers_as_marm_does(journey_with):
    journey_with()


@pytest.mark.parametrize(
    ("fault", "message"),
    [
        ("no-person", "the person's page answered 404"),
        ("wrong-name", "the person's page does not show 'Maeve Ashworth'"),
        ("wrong-code", "the code was not accepted"),
        ("no-proxy-header", "health answered 301"),
    ],
)
def test_the_journey_stops_at_the_step_that_is_broken(journey_with, fault, message):
    with pytest.raises(production_check.CheckFailed, match=message):
        journey_with(fault)


def test_the_code_is_the_one_marm_accepts():
    at = time.time()
    assert production_check.totp_code(KEY, at=at) == code_now(KEY, at=at)
    assert production_check.totp_code(KEY, at=59) == "287082"  # RFC 6238, appendix B, SHA-1 at 59 s
