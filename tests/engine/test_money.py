from decimal import ROUND_HALF_EVEN, ROUND_HALF_UP, ROUND_UP, Decimal

import pytest
from engine.exceptions import EngineError
from engine.money import (
    ROUNDING_MODES,
    currency_rounding,
    round_money,
    split_amount,
    to_decimal,
)
from hypothesis import given
from hypothesis import strategies as st

UNITS = [Decimal("0.01"), Decimal("1"), Decimal("0.05"), Decimal("1000"), Decimal("0.001")]
amounts = st.decimals(
    min_value=Decimal("-1e12"), max_value=Decimal("1e12"), places=4, allow_nan=False
)


def test_rounding_modes():
    assert set(ROUNDING_MODES) == {
        "half_up",
        "half_even",
        "half_down",
        "up",
        "down",
        "ceiling",
        "floor",
    }
    assert ROUNDING_MODES["half_up"] == ROUND_HALF_UP
    assert ROUNDING_MODES["half_even"] == ROUND_HALF_EVEN
    assert ROUNDING_MODES["up"] == ROUND_UP


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (0.1, "0.1"),
        (1.1 + 2.2, "3.3000000000000003"),
        (15, "15"),
        ("  -12.50 ", "-12.50"),
        (Decimal("7.000"), "7.000"),
        ("1e3", "1E+3"),
    ],
)
def test_to_decimal(value, expected):
    result = to_decimal(value)
    assert isinstance(result, Decimal)
    assert str(result) == expected


@pytest.mark.parametrize(
    "value", [None, True, False, "", "abc", "1,5", float("nan"), float("inf"), "NaN", [1]]
)
def test_to_decimal_rejects(value):
    with pytest.raises(EngineError) as info:
        to_decimal(value)
    assert info.value.code == "invalid_amount"
    assert info.value.params == {"value": value}


@pytest.mark.parametrize(
    ("value", "digits", "expected"),
    [
        # an Odoo float field's noise goes, the value it stands for stays
        (1.1 + 2.2, 6, "3.300000"),
        (0.1, 6, "0.100000"),
        (12.34999999999, 4, "12.3500"),
        # half-up from the decimal form, away from zero: 2.675 is 2.67499.. in binary
        (2.675, 2, "2.68"),
        ("-2.675", 2, "-2.68"),
        ("2.665", 2, "2.67"),
        (15, 0, "15"),
        ("1500000.4", 0, "1500000"),
        (Decimal("7"), 3, "7.000"),
    ],
)
def test_to_decimal_digits(value, digits, expected):
    assert str(to_decimal(value, digits)) == expected
    assert to_decimal(value, None) == to_decimal(value)


@pytest.mark.parametrize("digits", [-1, 1.5, True, "6"])
def test_to_decimal_invalid_digits(digits):
    with pytest.raises(EngineError) as info:
        to_decimal(1, digits)
    assert (info.value.code, info.value.params) == ("invalid_digits", {"digits": digits})


def test_to_decimal_digits_beyond_precision():
    with pytest.raises(EngineError) as info:
        to_decimal(1e20, 10)
    assert info.value.code == "invalid_digits"


@given(st.floats(min_value=-1e9, max_value=1e9, allow_nan=False), st.integers(0, 8))
def test_to_decimal_digits_is_within_half_a_unit(value, digits):
    result = to_decimal(value, digits)
    assert result.as_tuple().exponent == -digits
    assert abs(result - Decimal(str(value))) <= Decimal(1).scaleb(-digits) / 2


@pytest.mark.parametrize(
    ("amount", "rounding", "mode", "expected"),
    [
        ("2.345", "0.01", "half_up", "2.35"),
        ("2.345", "0.01", "half_even", "2.34"),
        ("2.355", "0.01", "half_even", "2.36"),
        ("2.345", "0.01", "half_down", "2.34"),
        ("2.341", "0.01", "up", "2.35"),
        ("-2.341", "0.01", "up", "-2.35"),
        ("2.349", "0.01", "down", "2.34"),
        ("-2.349", "0.01", "down", "-2.34"),
        ("-2.341", "0.01", "ceiling", "-2.34"),
        ("-2.341", "0.01", "floor", "-2.35"),
        ("-2.345", "0.01", "half_up", "-2.35"),
        ("1500.5", "1", "half_up", "1501"),
        ("1500.4999", "1", "half_up", "1500"),
        ("1.024", "0.05", "half_up", "1.00"),
        ("1.025", "0.05", "half_up", "1.05"),
        ("1.074", "0.05", "half_up", "1.05"),
        ("1234499", "1000", "half_up", "1234000"),
        ("1234500", "1000", "half_up", "1235000"),
        ("1234001", "1000", "ceiling", "1235000"),
        ("0", "0.01", "half_up", "0.00"),
        ("7", "0.01", "half_up", "7.00"),
    ],
)
def test_round_money(amount, rounding, mode, expected):
    result = round_money(Decimal(amount), Decimal(rounding), mode)
    assert str(result) == expected


def test_round_money_defaults_and_float_input():
    # 2.675 is 2.67499999... as a binary float; the engine must see the decimal 2.675.
    assert round_money(2.675) == Decimal("2.68")
    assert round_money(1.005) == Decimal("1.01")


@pytest.mark.parametrize("rounding", [0, "-0.01", "x", None])
def test_round_money_invalid_rounding(rounding):
    with pytest.raises(EngineError) as info:
        round_money("1", rounding)
    assert info.value.code in ("invalid_rounding", "invalid_amount")


def test_round_money_invalid_mode():
    with pytest.raises(EngineError) as info:
        round_money("1", Decimal("0.01"), "nearest")
    assert info.value.code == "invalid_rounding_mode"
    assert info.value.params == {"mode": "nearest"}


@given(amount=amounts, unit=st.sampled_from(UNITS), mode=st.sampled_from(sorted(ROUNDING_MODES)))
def test_round_money_properties(amount, unit, mode):
    rounded = round_money(amount, unit, mode)
    assert rounded % unit == 0
    assert round_money(rounded, unit, mode) == rounded
    if mode.startswith("half"):
        assert abs(rounded - amount) <= unit / 2
    else:
        assert abs(rounded - amount) < unit


@pytest.mark.parametrize(
    ("total", "parts", "rounding", "mode", "expected"),
    [
        ("100", 3, "0.01", "half_up", ["33.33", "33.33", "33.34"]),
        ("100", 3, "0.01", "up", ["33.34", "33.34", "33.32"]),
        ("100000000", 12, "1", "half_up", ["8333333"] * 11 + ["8333337"]),
        ("10", 1, "0.01", "half_up", ["10.00"]),
        # A rounding coarse for the amount: the rule still holds, the last part goes negative.
        ("0.10", 4, "0.05", "half_up", ["0.05", "0.05", "0.05", "-0.05"]),
    ],
)
def test_split_amount(total, parts, rounding, mode, expected):
    result = split_amount(Decimal(total), parts, Decimal(rounding), mode)
    assert [str(part) for part in result] == expected
    assert sum(result) == Decimal(total)


@pytest.mark.parametrize("parts", [0, -2, 1.5, True, "3"])
def test_split_amount_invalid_parts(parts):
    with pytest.raises(EngineError) as info:
        split_amount("10", parts)
    assert info.value.code == "invalid_parts"


@given(
    total=amounts,
    parts=st.integers(min_value=1, max_value=360),
    unit=st.sampled_from(UNITS),
    mode=st.sampled_from(sorted(ROUNDING_MODES)),
)
def test_split_amount_sums_exactly(total, parts, unit, mode):
    result = split_amount(total, parts, unit, mode)
    assert len(result) == parts
    assert sum(result, Decimal(0)) == total
    assert len(set(result[:-1])) <= 1
    assert all(part % unit == 0 for part in result[:-1])


@pytest.mark.parametrize(("places", "expected"), [(0, "1"), (1, "0.1"), (2, "0.01"), (3, "0.001")])
def test_currency_rounding(places, expected):
    assert str(currency_rounding(places)) == expected


@pytest.mark.parametrize("places", [-1, 1.5, None, True])
def test_currency_rounding_invalid(places):
    with pytest.raises(EngineError) as info:
        currency_rounding(places)
    assert info.value.code == "invalid_decimal_places"


def test_engine_error_message_and_params():
    err = EngineError("invalid_rounding_mode", mode="x")
    assert err.code == "invalid_rounding_mode"
    assert err.params == {"mode": "x"}
    assert str(err) == "Unknown rounding mode x."
    assert str(EngineError("invalid_amount")) == "Not a valid amount: ?."
