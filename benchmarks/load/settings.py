"""marm's production settings for the load benchmark on one machine: never for deployment.

It imports marm.config.settings.production unchanged except for what plain http on the
loopback address needs: the session and CSRF cookies are sent without the Secure flag, http is
not redirected to https, no HSTS header is sent, no TLS proxy is trusted, and the only host
answered is 127.0.0.1. Everything else (the middleware, the session limits, the audit, the
password hasher, the static files with their manifest, the database from DATABASE_URL) is what
a server runs. benchmarks/load/run.py sets the environment it needs (SECRET_KEY, DATABASE_URL,
MARM_DATA_DIR, STATIC_ROOT).
"""

import os

# The production settings read these; the values below suit a benchmark on loopback only.
os.environ["SECURE_SSL_REDIRECT"] = "false"
os.environ["SECURE_HSTS_SECONDS"] = "0"
os.environ["SECURE_HSTS_PRELOAD"] = "false"
os.environ["BEHIND_TLS_PROXY"] = "false"

from marm.config.settings.production import *  # noqa: E402,F403

SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
# The __Host- prefix promises a Secure cookie, which plain http cannot carry.
SESSION_COOKIE_NAME = "sessionid"
CSRF_COOKIE_NAME = "csrftoken"
SECURE_SSL_REDIRECT = False
SECURE_HSTS_SECONDS = 0
SECURE_PROXY_SSL_HEADER = None
ALLOWED_HOSTS = ["127.0.0.1"]
CSRF_TRUSTED_ORIGINS = []
DEBUG = False
