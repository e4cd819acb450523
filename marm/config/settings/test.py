"""Settings for the test suite: the same code paths, faster hashing."""

import os

os.environ.setdefault("SECRET_KEY", "test-only-not-secret-" + "x" * 40)
os.environ.setdefault("SECURE_COOKIES", "false")
os.environ.setdefault("ALLOWED_HOSTS", "testserver,127.0.0.1,localhost")
os.environ.setdefault("EMAIL_BACKEND", "django.core.mail.backends.locmem.EmailBackend")
# Tests count the board's running quarter on every request unless a test says otherwise (a test
# adds a record and expects to see it at once); the benchmark sets the production default.
os.environ.setdefault("MARM_BOARD_RUNNING_QUARTER_MINUTES", "0")
# Outage snapshots: a cheap key derivation, so each test that seals one stays fast (production: 600,000).
os.environ.setdefault("MARM_SNAPSHOT_PBKDF2_ITERATIONS", "2000")

from marm.config.settings.base import *  # noqa: E402,F403

# Argon2 stays first so hashing is tested; a cheap hasher after it is only
# used for the fixtures' passwords.
PASSWORD_HASHERS = [  # noqa: F405
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.MD5PasswordHasher",
]
STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}  # noqa: F405
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True

# Demo data and scale generation: never installed in production.
INSTALLED_APPS = [*INSTALLED_APPS, "marm.demo"]  # noqa: F405
