"""Cells a spreadsheet will not run: every cell is text, and text that a spreadsheet would read as a
formula starts with a single quote (OWASP, "CSV injection")."""

import datetime
import re

# A formula starts with one of these; a tab or a line break first can hide one from the eye.
DANGEROUS_FIRST = ("=", "+", "-", "@", "\t", "\r", "\n")
# What XML 1.0 (and so an OpenDocument file) cannot hold, and a CSV file has no business holding.
_NOT_TEXT = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def as_text(value) -> str:
    """One value as the text of its cell."""
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        from django.utils import timezone

        return timezone.localtime(value).strftime("%Y-%m-%d %H:%M")
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value)


def neutralised(value) -> str:
    """The cell's text, prefixed with a single quote if a spreadsheet could take it for a formula.

    Also when the formula hides behind spaces (``"  =1+1"``): some spreadsheets trim them first."""
    text = _NOT_TEXT.sub("", as_text(value))
    if text[:1] in DANGEROUS_FIRST or text.lstrip(" ")[:1] in DANGEROUS_FIRST:
        return "'" + text
    return text
