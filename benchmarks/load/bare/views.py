import random

from django.db import connection
from django.http import HttpResponse
from django.shortcuts import render

# One indexed row of a table every migrated marm database has, chosen at random (as the
# single-query test of the TechEmpower benchmarks reads one row by its key).
QUERY = "SELECT id, app, name, applied FROM django_migrations WHERE id = %s"


def page(request):
    with connection.cursor() as cursor:
        cursor.execute(QUERY, [random.randint(1, 100)])
        row = cursor.fetchone()
    return render(request, "bare/page.html", {"row": row})


def health(request):
    return HttpResponse("ok", content_type="text/plain")
