"""Candidate finders, one per database. Each returns the ids of people worth
scoring, best first, never outside the caller's queryset."""

from django.db import connections


def for_queryset(queryset):
    vendor = connections[queryset.db].vendor
    if vendor == "postgresql":
        from marm.people.search.engines import postgresql

        return postgresql
    if vendor == "sqlite":
        from marm.people.search.engines import sqlite

        return sqlite
    raise NotImplementedError(f"No person search engine for {vendor}")


def scope_sql(queryset) -> tuple[str, tuple]:
    """The caller's queryset as a subquery of person ids, so scoping happens in the database."""
    sql, params = queryset.order_by().values("pk").query.sql_with_params()
    return sql, tuple(params)


def dob_block(dob, *, year_only_records: bool = True) -> tuple[str, list]:
    """Recorded dates of birth that agree with the one typed, as SQL on people_person p.

    Partial dates are stored as their first day with their precision, so
    each coarser precision is one equality the date index answers.
    """
    clauses = ["p.date_of_birth BETWEEN %s AND %s"]
    params = [dob.first_day, dob.last_day]
    if dob.day is not None:
        clauses.append("(p.date_of_birth = %s AND p.date_of_birth_precision = 'month')")
        params.append(dob.first_day.replace(day=1))
        if dob.day <= 12 and dob.day != dob.month:
            # Day and month typed the wrong way round.
            clauses.append("(p.date_of_birth = %s AND p.date_of_birth_precision = 'exact')")
            params.append(dob.first_day.replace(month=dob.day, day=dob.month))
    if dob.month is not None and year_only_records:
        clauses.append("(p.date_of_birth = %s AND p.date_of_birth_precision = 'year')")
        params.append(dob.first_day.replace(month=1, day=1))
    return "(" + " OR ".join(clauses) + ")", params


def year_only_records(dob) -> tuple[str, list]:
    """People recorded with only the year of birth typed: agreeing with any date in that year."""
    return "(p.date_of_birth = %s AND p.date_of_birth_precision = 'year')", [dob.first_day.replace(month=1, day=1)]
