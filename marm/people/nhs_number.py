"""NHS numbers: ten digits, the last a modulus-11 check digit."""

import re

_SEPARATORS = re.compile(r"[\s-]")
WEIGHTS = (10, 9, 8, 7, 6, 5, 4, 3, 2)


def normalise(value: str) -> str:
    return _SEPARATORS.sub("", value or "")


def check_digit(first_nine: str) -> int | None:
    """The check digit for nine digits, or None where no valid number can end them."""
    total = sum(int(digit) * weight for digit, weight in zip(first_nine, WEIGHTS, strict=True))
    check = 11 - (total % 11)
    if check == 11:
        return 0
    if check == 10:
        return None
    return check


def is_valid(value: str) -> bool:
    digits = normalise(value)
    if len(digits) != 10 or not digits.isdigit():
        return False
    return check_digit(digits[:9]) == int(digits[9])


def error_for(value: str) -> str | None:
    """A message a person can act on, or None if the number is valid."""
    digits = normalise(value)
    if not digits.isdigit():
        return "NHS number must only include numbers, spaces and hyphens"
    if len(digits) != 10:
        return "NHS number must be 10 digits"
    if not is_valid(digits):
        return "Enter a valid NHS number: the last digit does not match the others (check for a typing mistake)"
    return None


def formatted(value: str) -> str:
    digits = normalise(value)
    if len(digits) != 10:
        return value
    return f"{digits[:3]} {digits[3:6]} {digits[6:]}"
