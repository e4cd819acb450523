"""When a subject access request falls due (UK GDPR Art. 12(3); the ICO's guidance on time limits).

One calendar month from the day the request is received; when the following month has no such
day, the last day of that month (received 31 January: due on the last day of February, 29 February
in a leap year). A complex request may be extended by up to two further months.
"""

import calendar
import datetime

# Up to two further months (Art. 12(3)).
MAX_EXTENSION_MONTHS = 2


def add_months(day: datetime.date, months: int) -> datetime.date:
    """The same day ``months`` calendar months later, or the last day of that month if it is shorter."""
    years, month_index = divmod(day.month - 1 + months, 12)
    year, month = day.year + years, month_index + 1
    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def due_on(received_on: datetime.date, extension_months: int = 0) -> datetime.date:
    if not 0 <= extension_months <= MAX_EXTENSION_MONTHS:
        raise ValueError(f"An extension is of 0 to {MAX_EXTENSION_MONTHS} months, not {extension_months}")
    return add_months(received_on, 1 + extension_months)
