"""Settings for running marm on one's own machine (the Quick start demo)."""

import os

os.environ.setdefault("SECRET_KEY", "local-only-not-secret-" + "x" * 40)
os.environ.setdefault("DEBUG", "false")
os.environ.setdefault("SECURE_COOKIES", "false")
os.environ.setdefault("ALLOWED_HOSTS", "127.0.0.1,localhost")
os.environ.setdefault("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")

from marm.config.settings.base import *  # noqa: E402,F403

STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}  # noqa: F405

# The demo serves its own static files (no separate web server needed).
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True

# Demo data and scale generation: never installed in production.
INSTALLED_APPS = [*INSTALLED_APPS, "marm.demo"]  # noqa: F405
