"""The reference for the load benchmark: a bare Django app with no middleware, one template and one
query, on the same database and under the same gunicorn as marm. Never for deployment."""

import os
from pathlib import Path

import dj_database_url

SECRET_KEY = os.environ["SECRET_KEY"]
DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1"]
INSTALLED_APPS = []
MIDDLEWARE = []
ROOT_URLCONF = "benchmarks.load.bare.urls"
WSGI_APPLICATION = "benchmarks.load.bare.wsgi.application"
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [Path(__file__).resolve().parent / "templates"],
        "APP_DIRS": False,
        "OPTIONS": {},
    }
]
# The same database and the same persistent connections as marm (DATABASE_CONN_MAX_AGE, 60 s).
DATABASES = {
    "default": dj_database_url.parse(
        os.environ["DATABASE_URL"], conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE") or 60)
    )
}
USE_TZ = True
TIME_ZONE = "Europe/London"
