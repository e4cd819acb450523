"""A measure's figures as the page, the table and the CSV show them."""

import csv
import io

from marm.assurance.publication import publish
from marm.assurance.registry import Cell, Measure, Result, quarter_label, quarter_short_label


def figure(measure: Measure, cell: Cell) -> str:
    """One figure in words: "57.1% (4 of 7)", "7 days (2 cases)", "6"."""
    if measure.is_median:
        if cell.numerator is None:
            return "No data"
        count = cell.denominator or 0
        return f"{cell.numerator:g} days ({count} {'record' if count == 1 else 'records'})"
    if measure.is_percent:
        if not cell.denominator:
            return "No data"
        return f"{cell.value:g}% ({cell.numerator:g} of {cell.denominator})"
    return f"{cell.numerator or 0:g}"


def table(result: Result) -> dict:
    """The data table: a row per group, a column per quarter and the year, and the total row."""
    measure = result.measure
    rows = [
        {
            "group": group,
            "cells": [figure(measure, result.cell(q, group)) for q in result.quarters],
            "year": figure(measure, result.by_group[group]),
        }
        for group in result.groups
    ]
    return {
        "headings": [quarter_short_label(q) for q in result.quarters],
        "rows": rows,
        "total": {
            "cells": [figure(measure, result.by_quarter[q]) for q in result.quarters],
            "year": figure(measure, result.total),
        },
        "quarter_rows": [(quarter_short_label(q), figure(measure, result.by_quarter[q])) for q in result.quarters],
    }


def _safe(value) -> str:
    """A cell a spreadsheet will not run as a formula."""
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def _write(rows) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    for row in rows:
        writer.writerow([_safe(value) for value in row])
    return out.getvalue()


def _number(value) -> str:
    return "" if value is None else f"{value:g}"


def result_csv(result: Result) -> str:
    measure = result.measure
    rows = [["measure", "title", "financial year", "quarter", "group", "numerator", "denominator", "value", "unit"]]
    for quarter in result.quarters:
        for group in [*result.groups, "All"]:
            cell = result.by_quarter[quarter] if group == "All" else result.cell(quarter, group)
            rows.append(
                [
                    measure.code,
                    measure.title,
                    result.year_label,
                    quarter_label(quarter),
                    group,
                    _number(cell.numerator),
                    _number(cell.denominator),
                    _number(cell.value),
                    measure.unit,
                ]
            )
    return _write(rows)


def publication_rows(results: list[Result]) -> list[dict]:
    rows = []
    for result in results:
        measure = result.measure
        total = publish(measure, result.total)
        rows.append(
            {
                "measure": measure,
                "quarters": [publish(measure, result.by_quarter[q]).value for q in result.quarters],
                "year": total,
            }
        )
    return rows


def publication_csv(results: list[Result]) -> str:
    rows = [["measure", "title", "financial year", "period", "numerator", "denominator", "value"]]
    for result in results:
        measure = result.measure
        for quarter in result.quarters:
            shown = publish(measure, result.by_quarter[quarter])
            rows.append(
                [
                    measure.code,
                    measure.title,
                    result.year_label,
                    quarter_label(quarter),
                    shown.numerator,
                    shown.denominator,
                    shown.value,
                ]
            )
        shown = publish(measure, result.total)
        rows.append(
            [
                measure.code,
                measure.title,
                result.year_label,
                "The year",
                shown.numerator,
                shown.denominator,
                shown.value,
            ]
        )
    return _write(rows)
