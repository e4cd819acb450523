from hypothesis import given
from hypothesis import strategies as st

from marm.people import nhs_number

nine_digits = st.text(alphabet="0123456789", min_size=9, max_size=9)


def _weighted_total(digits: str) -> int:
    return sum(int(d) * w for d, w in zip(digits, range(10, 1, -1), strict=True))


def test_known_valid_and_invalid_numbers():
    assert nhs_number.is_valid("9434765919")
    assert nhs_number.is_valid("943 476 5919")
    assert nhs_number.is_valid("943-476-5919")
    assert not nhs_number.is_valid("9434765918")
    assert not nhs_number.is_valid("943476591")
    assert not nhs_number.is_valid("94347659190")
    assert not nhs_number.is_valid("94347659A9")


@given(nine_digits)
def test_every_valid_number_satisfies_the_modulus_11_rule(first_nine):
    check = nhs_number.check_digit(first_nine)
    if check is None:
        # A remainder of 1 would need a check digit of 10: no valid number starts this way.
        assert _weighted_total(first_nine) % 11 == 1
        assert not any(nhs_number.is_valid(first_nine + str(d)) for d in range(10))
    else:
        number = first_nine + str(check)
        assert nhs_number.is_valid(number)
        assert (_weighted_total(first_nine) + check) % 11 == 0 or check == 0


@given(nine_digits, st.integers(min_value=1, max_value=9))
def test_changing_the_check_digit_makes_a_valid_number_invalid(first_nine, shift):
    check = nhs_number.check_digit(first_nine)
    if check is None:
        return
    wrong = (check + shift) % 10
    assert not nhs_number.is_valid(first_nine + str(wrong))


@given(nine_digits, st.integers(min_value=0, max_value=8), st.integers(min_value=1, max_value=9))
def test_a_single_mistyped_digit_is_always_caught(first_nine, position, shift):
    check = nhs_number.check_digit(first_nine)
    if check is None:
        return
    digits = list(first_nine + str(check))
    digits[position] = str((int(digits[position]) + shift) % 10)
    assert not nhs_number.is_valid("".join(digits))


@given(st.text(max_size=20))
def test_any_input_gets_a_verdict_and_a_message_only_when_invalid(text):
    message = nhs_number.error_for(text)
    assert (message is None) == nhs_number.is_valid(text)


@given(nine_digits)
def test_formatting_keeps_the_digits(first_nine):
    check = nhs_number.check_digit(first_nine)
    if check is None:
        return
    number = first_nine + str(check)
    formatted = nhs_number.formatted(number)
    assert formatted.replace(" ", "") == number
    assert [len(part) for part in formatted.split(" ")] == [3, 3, 4]
