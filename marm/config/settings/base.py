"""Settings shared by every environment. Values come from the environment only."""

from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from marm.config.env import env_bool, env_int, env_list, env_secret, env_str

PACKAGE_DIR = Path(__file__).resolve().parent.parent.parent
BASE_DIR = PACKAGE_DIR.parent
DATA_DIR = Path(env_str("MARM_DATA_DIR", str(BASE_DIR / "data")))

SECRET_KEY = env_secret("SECRET_KEY")
DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", [])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.forms",
    "rules.apps.AutodiscoverRulesConfig",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "django_otp_webauthn",
    "csp",
    "django_htmx",
    "django_tasks",
    "rest_framework",
    "drf_spectacular",
    # infrastructure
    "marm.core",
    "marm.audit",
    "marm.accounts",
    "marm.organisations",
    "marm.access",
    "marm.govuk_forms",
    "marm.notifications",
    # After marm.notifications, whose db_worker (the library's, which first puts back in the queue the
    # jobs a stopped worker left running: marm/notifications/jobs.py) takes the name's place.
    "django_tasks_db",
    "marm.administration",
    # domain
    "marm.people",
    "marm.decisions",
    "marm.cases",
    "marm.sharing",
    "marm.chronology",
    "marm.dashboards",
    "marm.plans",
    "marm.meetings",
    "marm.register",
    "marm.risk",
    "marm.linkage",
    "marm.history",
    "marm.closure",
    "marm.assurance",
    "marm.surveys",
    "marm.sar",
    "marm.continuity",
    "marm.retention",
    "marm.rights",
    "marm.exports",
    "marm.board",
    "marm.api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "marm.core.middleware.RefuseTraceMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "marm.core.middleware.RequestContextMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    # PostgreSQL row-level security: the user's agency on the connection (ADR 0028; off by default).
    "marm.core.row_security.RowLevelSecurityMiddleware",
    "marm.core.middleware.SessionLimitsMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    # After the password, the second factor: nothing else is served until it is given (ADR 0022).
    "marm.accounts.middleware.SecondFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "marm.register.purpose.DutyPurposeMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "marm.core.middleware.NoStoreMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "marm.config.urls"
WSGI_APPLICATION = "marm.config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "marm.core.context_processors.service",
                "marm.notifications.context_processors.notifications",
            ],
        },
    },
]
FORM_RENDERER = "marm.govuk_forms.renderers.GovukFormRenderer"

# DATABASE_URL selects PostgreSQL (or any database dj-database-url reads);
# without it marm keeps a SQLite file in the data folder.
_database_url = env_str("DATABASE_URL", f"sqlite:///{DATA_DIR / 'marm.sqlite3'}")
# A kept connection is checked before a request reuses it, so after a database restart the first
# request of each process opens a new one instead of failing on the broken one (ADR 0029).
DATABASES = {
    "default": dj_database_url.parse(
        _database_url,
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60),
        conn_health_checks=env_bool("DATABASE_CONN_HEALTH_CHECKS", True),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    DATABASES["default"]["OPTIONS"] = {
        # WAL lets the worker and the web server share the file; IMMEDIATE
        # transactions make writers queue instead of failing with "locked".
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # No JIT compilation: marm's queries are short, and at a million people the planner's estimate
    # for a page's query passes jit_above_cost, so PostgreSQL spent most of a second compiling a
    # query that then ran in a fraction of that (benchmarks/RESULTS.md, load at scale).
    _options = DATABASES["default"].setdefault("OPTIONS", {})
    _options["options"] = f"{_options.get('options', '')} -c jit=off".strip()
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# The audit store (ADR 0024). On PostgreSQL, `manage.py db_roles` sets up an owner
# role that runs migrations and an application role that cannot erase the audit.
MARM_DB_OWNER = env_str("MARM_DB_OWNER", "marm_owner")
MARM_DB_APP_ROLE = env_str("MARM_DB_APP_ROLE", "marm_app")
# Row-level security on people and cases as a second wall (ADR 0028): sets the user's agency on
# the connection for each request. Takes effect only on PostgreSQL, for a role that does not own
# the tables.
MARM_ROW_LEVEL_SECURITY = env_bool("MARM_ROW_LEVEL_SECURITY", False)
# Signed checkpoints of the audit chain's head, kept outside the database. Without a
# key of its own the signing key is derived from SECRET_KEY.
AUDIT_CHECKPOINT_FILE = Path(env_str("AUDIT_CHECKPOINT_FILE", str(DATA_DIR / "audit" / "checkpoints.jsonl")))
AUDIT_CHECKPOINT_KEY = env_secret("AUDIT_CHECKPOINT_KEY", "")
# A syslog address ("/dev/log" or "host:514") that also receives each checkpoint.
AUDIT_CHECKPOINT_SYSLOG = env_str("AUDIT_CHECKPOINT_SYSLOG", "")

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "rules.permissions.ObjectPermissionBackend",
    "marm.accounts.backends.EmailBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator",
        "OPTIONS": {"user_attributes": ["email", "full_name"]},
    },
    {"NAME": "marm.accounts.validators.NotYourNameValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:sign-in"
# Two factors for everyone (ADR 0022): codes from an authenticator app, or a recovery code.
OTP_TOTP_ISSUER = env_str("MARM_SERVICE_NAME", "marm")
OTP_TOTP_THROTTLE_FACTOR = 1
OTP_STATIC_THROTTLE_FACTOR = 1
# Changing a password or a second factor, and any administration, needs the password and a code
# given again within this many minutes.
MARM_REAUTH_MINUTES = env_int("MARM_REAUTH_MINUTES", 10)
# The board's figures for the quarter still running are counted again once they are this old (the
# sweep keeps them fresh, so a page that shows every measure reads them); 0 counts them on every page.
MARM_BOARD_RUNNING_QUARTER_MINUTES = env_int("MARM_BOARD_RUNNING_QUARTER_MINUTES", 10)
LOGIN_REDIRECT_URL = "dashboards:home"
LOGOUT_REDIRECT_URL = "accounts:sign-in"

# Sessions: 15 minutes idle (renewed by activity), 12 hours absolute.
SESSION_COOKIE_AGE = env_int("SESSION_IDLE_SECONDS", 15 * 60)
# Renewed at most once a minute (SessionLimitsMiddleware), not written on every request.
SESSION_SAVE_EVERY_REQUEST = False
SESSION_RENEW_SECONDS = env_int("SESSION_RENEW_SECONDS", 60)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_ABSOLUTE_SECONDS = env_int("SESSION_ABSOLUTE_SECONDS", 12 * 60 * 60)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", True)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
CSRF_COOKIE_HTTPONLY = True

# Lockout after repeated failures, per account and address, with a cool-off:
# an attacker cannot lock a user out for good.
AXES_FAILURE_LIMIT = env_int("SIGN_IN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("SIGN_IN_COOLOFF_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_FORM_FIELD = "username"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_VERBOSE = False
AXES_CLIENT_IP_CALLABLE = "marm.core.client.client_ip"
AXES_USERNAME_CALLABLE = "marm.core.client.sign_in_username"
# One address failing on many accounts is paused too (ADR 0006): the axes handler also
# counts every failed sign-in from the address, whatever the account, within the cool-off.
AXES_HANDLER = "marm.accounts.lockout.SignInLockoutHandler"
SIGN_IN_ADDRESS_FAILURE_LIMIT = env_int("SIGN_IN_ADDRESS_FAILURE_LIMIT", 30)
# Per-user limits a minute on searching people, the adult's documents and downloads (ADR 0025).
MARM_LIMIT_SEARCH_PER_MINUTE = env_int("MARM_LIMIT_SEARCH_PER_MINUTE", 60)
MARM_LIMIT_DUTY_SEARCH_PER_MINUTE = env_int("MARM_LIMIT_DUTY_SEARCH_PER_MINUTE", 60)
MARM_LIMIT_DOCUMENTS_PER_MINUTE = env_int("MARM_LIMIT_DOCUMENTS_PER_MINUTE", 20)
MARM_LIMIT_EXPORTS_PER_MINUTE = env_int("MARM_LIMIT_EXPORTS_PER_MINUTE", 30)

# The REST API (ADR 0034): personal tokens, each with scopes and an expiry no further away than this.
MARM_API_TOKEN_MAX_DAYS = env_int("MARM_API_TOKEN_MAX_DAYS", 90)
# A token's "last used" time is written at most once in this many seconds.
MARM_API_TOKEN_TOUCH_SECONDS = 60
REST_FRAMEWORK = {
    # A token first, so a request without credentials is answered 401 with "WWW-Authenticate: Bearer".
    # The session of a signed-in browser (both factors given) reads the API too, CSRF checked.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "marm.api.authentication.ApiTokenAuthentication",
        "marm.api.authentication.VerifiedSessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "marm.api.exceptions.exception_handler",
    # The schema names a person "pk" in a URL, as the pages' URLs do.
    "SCHEMA_COERCE_PATH_PK": False,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "marm API",
    "DESCRIPTION": "People, cases, the chronology, actions, the register, the duty search, meetings and the "
    "board's measures, read and written through the same scoping, audit and rules as the pages.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    "COMPONENT_SPLIT_REQUEST": True,
    "SCHEMA_PATH_PREFIX": "/api/",
}
MARM_LIMIT_CALENDAR_FEED_PER_MINUTE = env_int("MARM_LIMIT_CALENDAR_FEED_PER_MINUTE", 6)
# How long a finished export waits for its one download (ADR 0036).
MARM_EXPORT_EXPIRY_HOURS = env_int("MARM_EXPORT_EXPIRY_HOURS", 24)
# How many reverse proxies in front of marm append to X-Forwarded-For (0: none;
# the client address is REMOTE_ADDR).
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)

SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = False
USE_TZ = True
DATE_INPUT_FORMATS = ["%d/%m/%Y", "%Y-%m-%d"]

STATIC_URL = "/static/"
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(BASE_DIR / "build" / "collected")))
STATICFILES_DIRS = [BASE_DIR / "build" / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
# A job still running after this long is taken to be lost with its worker and is queued again
# (the ``jobs-stale`` sweep; marm's jobs are safe to run twice).
MARM_JOB_STALE_MINUTES = env_int("MARM_JOB_STALE_MINUTES", 60)

EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "marm@localhost")

# The address people reach marm at, for links in e-mails.
MARM_BASE_URL = env_str("MARM_BASE_URL", "http://127.0.0.1:8000")
MARM_SERVICE_NAME = env_str("MARM_SERVICE_NAME", "marm")
MARM_PARTNERSHIP_NAME = env_str("MARM_PARTNERSHIP_NAME", "Multi-agency risk management")
# 000 Appendix C: a contact alert the named professional has not acknowledged in this
# many minutes goes to the supervisors of the team that keeps the register.
MARM_REGISTER_ACKNOWLEDGE_WITHIN_MINUTES = env_int("MARM_REGISTER_ACKNOWLEDGE_WITHIN_MINUTES", 60)
MARM_DUTY_PURPOSE_MINUTES = env_int("MARM_DUTY_PURPOSE_MINUTES", 30)
# Hours an emergency ("break-glass") access to a person's minimal record lasts (ADR 0026).
MARM_BREAK_GLASS_HOURS = env_int("MARM_BREAK_GLASS_HOURS", 4)
# Importing people from an agency's own system (ADR 0037): the largest file, in people and in bytes.
MARM_IMPORT_MAX_ROWS = env_int("MARM_IMPORT_MAX_ROWS", 200)
MARM_IMPORT_MAX_BYTES = env_int("MARM_IMPORT_MAX_BYTES", 1024 * 1024)

# Outage snapshots of each team's register (ADR 0030, docs/continuity.md).
MARM_SNAPSHOT_PERIOD_HOURS = env_int("MARM_SNAPSHOT_PERIOD_HOURS", 6)
MARM_SNAPSHOT_KEEP = env_int("MARM_SNAPSHOT_KEEP", 3)
# OWASP's figure for PBKDF2-HMAC-SHA256 (2023).
MARM_SNAPSHOT_PBKDF2_ITERATIONS = env_int("MARM_SNAPSHOT_PBKDF2_ITERATIONS", 600_000)
MARM_SNAPSHOT_SIGNING_KEY = env_secret("MARM_SNAPSHOT_SIGNING_KEY", "")
MARM_SNAPSHOT_PASSPHRASE_KEY = env_secret("MARM_SNAPSHOT_PASSPHRASE_KEY", "")
if MARM_SNAPSHOT_PERIOD_HOURS < 1 or MARM_SNAPSHOT_KEEP < 1 or MARM_SNAPSHOT_PBKDF2_ITERATIONS < 1000:
    raise ImproperlyConfigured(
        "MARM_SNAPSHOT_PERIOD_HOURS and MARM_SNAPSHOT_KEEP must be at least 1, "
        "MARM_SNAPSHOT_PBKDF2_ITERATIONS at least 1000."
    )

# Passkeys, a second factor beside the authenticator app (ADR 0022). A passkey belongs to one site
# name (the relying party id): changing it later makes every passkey stop working.
# Browsers refuse an IP address as the site name, and allow plain http only on localhost: a local
# marm at 127.0.0.1 offers passkeys at localhost.
_BASE = urlsplit(MARM_BASE_URL)
_HOST = "localhost" if _BASE.hostname in (None, "127.0.0.1", "::1") else _BASE.hostname
_ORIGIN = f"{_BASE.scheme}://{_HOST}" + (f":{_BASE.port}" if _BASE.port else "")
OTP_WEBAUTHN_RP_ID = env_str("MARM_PASSKEY_RP_ID", _HOST)
OTP_WEBAUTHN_RP_NAME = env_str("MARM_PASSKEY_RP_NAME", MARM_SERVICE_NAME)
OTP_WEBAUTHN_ALLOWED_ORIGINS = env_list("MARM_PASSKEY_ORIGINS", [_ORIGIN])
# A passkey is a second factor only: the password comes first.
OTP_WEBAUTHN_ALLOW_PASSWORDLESS_LOGIN = False

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
}
