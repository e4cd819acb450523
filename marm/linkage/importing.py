"""The CSV an agency exports from its own system (Mosaic, Liquidlogic, SystmOne, police records), read
and checked row by row before anything is matched or written (ADR 0037).

Reading writes nothing. Errors name the row (as a spreadsheet numbers it: the header is row 1) and the
column, so the agency can correct its export and upload it again.
"""

import csv
import datetime
import io
import re
from dataclasses import asdict, dataclass

from django.utils import timezone

from marm.people import nhs_number as nhs

# The header, in order. Required columns must be present; their values may be required too (REQUIRED_VALUES).
COLUMNS = (
    "agency_reference",
    "given_name",
    "middle_names",
    "family_name",
    "date_of_birth",
    "nhs_number",
    "address_line_1",
    "address_line_2",
    "town",
    "postcode",
)
REQUIRED_COLUMNS = ("agency_reference", "given_name", "family_name", "date_of_birth")
REQUIRED_VALUES = ("agency_reference", "given_name", "family_name")
# What each column is called in an error message.
COLUMN_NAMES = {
    "agency_reference": "agency reference",
    "given_name": "first name",
    "middle_names": "middle names",
    "family_name": "last name",
    "date_of_birth": "date of birth",
    "nhs_number": "NHS number",
    "address_line_1": "address line 1",
    "address_line_2": "address line 2",
    "town": "town",
    "postcode": "postcode",
}
# The longest value each column may hold: the person record's own limits.
MAX_LENGTHS = {
    "agency_reference": 60,
    "given_name": 100,
    "middle_names": 200,
    "family_name": 100,
    "nhs_number": 13,
    "address_line_1": 200,
    "address_line_2": 200,
    "town": 100,
    "postcode": 10,
}
DATE_FORMATS = ("%d/%m/%Y", "%Y-%m-%d")
# A UK postcode, loosely: outward code, optional space, inward code.
POSTCODE = re.compile(r"^[A-Z]{1,2}[0-9][A-Z0-9]? ?[0-9][A-Z]{2}$")
# Errors listed before the rest are counted: a file with hundreds of mistakes is a wrong file.
MAX_ERRORS_LISTED = 20

TEMPLATE_EXAMPLE = {
    "agency_reference": "MOS-100234",
    "given_name": "Ada",
    "middle_names": "",
    "family_name": "Example",
    "date_of_birth": "17/05/1948",
    "nhs_number": "",
    "address_line_1": "1 Example Street",
    "address_line_2": "",
    "town": "Exampletown",
    "postcode": "ZZ99 3AA",
}


@dataclass(frozen=True)
class ImportRow:
    """One person as the agency's system holds them. ``number`` is the row in the file (header = 1)."""

    number: int
    agency_reference: str
    given_name: str
    middle_names: str
    family_name: str
    date_of_birth: datetime.date | None
    nhs_number: str
    address_line_1: str
    address_line_2: str
    town: str
    postcode: str

    @property
    def full_name(self) -> str:
        return " ".join(part for part in (self.given_name, self.middle_names, self.family_name) if part)

    @property
    def address(self) -> dict | None:
        if not self.address_line_1:
            return None
        return {
            "line_1": self.address_line_1,
            "line_2": self.address_line_2,
            "town": self.town,
            "postcode": self.postcode,
        }

    def to_json(self) -> dict:
        data = asdict(self)
        data["date_of_birth"] = self.date_of_birth.isoformat() if self.date_of_birth else None
        return data

    @classmethod
    def from_json(cls, data: dict) -> "ImportRow":
        dob = data.get("date_of_birth")
        return cls(**{**data, "date_of_birth": datetime.date.fromisoformat(dob) if dob else None})


class FileRefused(Exception):
    """The file as a whole cannot be read: too large, not text, no header, too many rows."""


def template_csv() -> str:
    """The header and one example row, to download and fill in."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=COLUMNS, lineterminator="\r\n")
    writer.writeheader()
    writer.writerow(TEMPLATE_EXAMPLE)
    return out.getvalue()


def read_rows(data: bytes, *, max_rows: int, max_bytes: int) -> tuple[list[ImportRow], list[str]]:
    """The rows of the file and, if any, the errors found in it (each naming its row and column).

    Raises FileRefused when the file cannot be read at all. Rows are returned only when there are
    no errors: an import is all of a file or none of it.
    """
    if len(data) > max_bytes:
        raise FileRefused(f"The selected file must be smaller than {_size(max_bytes)}")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise FileRefused("The selected file must be a CSV file saved as UTF-8") from None
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader)
    except (StopIteration, csv.Error):
        raise FileRefused("The selected file is empty") from None
    header = [name.strip().lower() for name in header]
    missing = [name for name in REQUIRED_COLUMNS if name not in header]
    if missing:
        raise FileRefused(
            "The file has no "
            + ", ".join(f"‘{name}’" for name in missing)
            + (" column" if len(missing) == 1 else " columns")
            + ": download the template to see the header"
        )
    unknown = [name for name in header if name and name not in COLUMNS]
    if unknown:
        raise FileRefused("The file has columns marm does not know: " + ", ".join(f"‘{name}’" for name in unknown))
    try:
        records = [(number, values) for number, values in enumerate(reader, start=2) if any(v.strip() for v in values)]
    except csv.Error as error:
        raise FileRefused(f"The file could not be read as CSV: {error}") from None
    if not records:
        raise FileRefused("The file has a header but no people")
    if len(records) > max_rows:
        raise FileRefused(f"The file must have {max_rows} people or fewer: split it into smaller files")
    rows: list[ImportRow] = []
    errors: list[str] = []
    seen: dict[str, int] = {}
    for number, values in records:
        row, row_errors = _read_row(number, dict(zip(header, values, strict=False)), len(values), len(header))
        reference = (row or {}).get("agency_reference", "")
        if reference in seen:
            row_errors.append(
                f"Row {number}, agency reference: {reference} is also in row {seen[reference]}; "
                "each person must be in the file once"
            )
        elif reference:
            seen[reference] = number
        if row_errors:
            errors.extend(row_errors)
        else:
            rows.append(ImportRow(number=number, **row))
    if errors:
        listed = errors[:MAX_ERRORS_LISTED]
        if len(errors) > MAX_ERRORS_LISTED:
            listed.append(f"And {len(errors) - MAX_ERRORS_LISTED} more errors: correct the file and upload it again")
        return [], listed
    return rows, []


def _read_row(number: int, raw: dict[str, str], width: int, expected: int) -> tuple[dict | None, list[str]]:
    errors = []
    if width > expected:
        return None, [f"Row {number}: has more values than the header has columns"]
    values = {name: (raw.get(name) or "").strip() for name in COLUMNS}
    for name in REQUIRED_VALUES:
        if not values[name]:
            errors.append(f"Row {number}, {COLUMN_NAMES[name]}: enter the {COLUMN_NAMES[name]}")
    for name, limit in MAX_LENGTHS.items():
        if len(values[name]) > limit:
            errors.append(f"Row {number}, {COLUMN_NAMES[name]}: must be {limit} characters or fewer")
    date_of_birth = None
    if values["date_of_birth"]:
        date_of_birth = _date(values["date_of_birth"])
        if date_of_birth is None:
            errors.append(
                f"Row {number}, date of birth: ‘{values['date_of_birth']}’ is not a real date; "
                "use day/month/year, like 17/05/1948"
            )
        elif date_of_birth > timezone.localdate():
            errors.append(f"Row {number}, date of birth: must be in the past")
    nhs_digits = nhs.normalise(values["nhs_number"])
    if nhs_digits and (message := nhs.error_for(nhs_digits)):
        errors.append(f"Row {number}, NHS number: {message[0].lower()}{message[1:]}")
    postcode = " ".join(values["postcode"].upper().split())
    if postcode and not POSTCODE.match(postcode):
        errors.append(f"Row {number}, postcode: enter a real postcode, like ZZ99 3AA")
    if values["address_line_1"] and not values["town"]:
        errors.append(f"Row {number}, town: enter the town when the address is given")
    if (values["town"] or values["address_line_2"]) and not values["address_line_1"]:
        errors.append(f"Row {number}, address line 1: enter the first line when the address is given")
    if errors:
        return None if not values["agency_reference"] else {"agency_reference": values["agency_reference"]}, errors
    values.update(date_of_birth=date_of_birth, nhs_number=nhs_digits, postcode=postcode)
    return values, []


def _date(value: str) -> datetime.date | None:
    for pattern in DATE_FORMATS:
        try:
            return datetime.datetime.strptime(value, pattern).date()  # noqa: DTZ007 (a date, no time)
        except ValueError:
            continue
    return None


def _size(limit: int) -> str:
    return f"{limit // 1024 // 1024} MB" if limit >= 1024 * 1024 else f"{max(limit // 1024, 1)} KB"
