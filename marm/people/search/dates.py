"""Dates of birth as people give them: a full date, a month and year, or a year."""

import datetime
from dataclasses import dataclass

from marm.people.models import DatePrecision


@dataclass(frozen=True)
class PartialDate:
    year: int
    month: int | None = None
    day: int | None = None

    def __post_init__(self):
        if self.day is not None and self.month is None:
            raise ValueError("A day needs a month")
        # Raises ValueError for impossible dates.
        datetime.date(self.year, self.month or 1, self.day or 1)

    @property
    def precision(self) -> str:
        if self.day is not None:
            return DatePrecision.EXACT
        return DatePrecision.MONTH if self.month is not None else DatePrecision.YEAR

    @property
    def first_day(self) -> datetime.date:
        return datetime.date(self.year, self.month or 1, self.day or 1)

    @property
    def last_day(self) -> datetime.date:
        if self.day is not None:
            return self.first_day
        if self.month is None:
            return datetime.date(self.year, 12, 31)
        following = datetime.date(self.year + (self.month == 12), self.month % 12 + 1, 1)
        return following - datetime.timedelta(days=1)

    @classmethod
    def of(cls, value) -> "PartialDate | None":
        """Accept a date, a year, (year, month), (date, precision) as forms give it, or a PartialDate."""
        if value is None or value == "":
            return None
        if isinstance(value, PartialDate):
            return value
        if isinstance(value, datetime.datetime):
            value = value.date()
        if isinstance(value, datetime.date):
            return cls(value.year, value.month, value.day)
        if isinstance(value, int):
            return cls(value)
        if isinstance(value, tuple | list):
            if len(value) == 2 and (value[0] is None or isinstance(value[0], datetime.date)):
                return cls.stored(*value)
            return cls(*value)
        raise TypeError(f"Not a date of birth: {value!r}")

    @classmethod
    def stored(cls, date: datetime.date | None, precision: str) -> "PartialDate | None":
        """A person's recorded date of birth (partial dates are stored as their first day)."""
        if date is None:
            return None
        if precision == DatePrecision.YEAR:
            return cls(date.year)
        if precision == DatePrecision.MONTH:
            return cls(date.year, date.month)
        return cls(date.year, date.month, date.day)


def birth_date_score(query: PartialDate, recorded: PartialDate | None) -> tuple[float, str]:
    """How well a recorded date of birth agrees with the one searched for, and why."""
    if recorded is None:
        return 0.5, "No date of birth recorded"
    if query.year != recorded.year:
        if (
            query.day is not None
            and recorded.day is not None
            and (query.month, query.day) == (recorded.month, recorded.day)
            and abs(query.year - recorded.year) == 1
        ):
            return 0.5, "Same day and month of birth, year one out"
        return 0.0, ""
    if query.month is None or recorded.month is None:
        return 0.8, "Same year of birth"
    if query.month != recorded.month:
        if query.day is not None and (query.day, query.month) == (recorded.month, recorded.day):
            return 0.8, "Day and month of birth swapped"
        return 0.3, "Same year of birth, different month"
    if query.day is None or recorded.day is None:
        return 0.9, "Same month and year of birth"
    if query.day == recorded.day:
        return 1.0, "Same date of birth"
    return 0.6, "Same month and year of birth, different day"
