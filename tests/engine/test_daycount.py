from datetime import date, timedelta
from decimal import Decimal

import pytest
from engine.daycount import (
    ACT_365F,
    ACT_ACT,
    THIRTY_360,
    day_count,
    period_interest,
    year_fraction,
)
from engine.exceptions import EngineError
from engine.money import round_money
from hypothesis import given
from hypothesis import strategies as st

dates = st.dates(min_value=date(1990, 1, 1), max_value=date(2100, 12, 31))

# 30/360 bond basis: the examples of ISDA's spreadsheet for the 2006 ISDA Definitions
# section 4.16(f) (isda.org, "30-360-2006ISDADefs.xls"), also used by QuantLib's test suite.
ISDA_30_360_BOND_BASIS = [
    # Example 1: end dates do not involve the last day of February
    ((2006, 8, 20), (2007, 2, 20), 180),
    ((2007, 2, 20), (2007, 8, 20), 180),
    ((2007, 8, 20), (2008, 2, 20), 180),
    ((2008, 2, 20), (2008, 8, 20), 180),
    ((2008, 8, 20), (2009, 2, 20), 180),
    ((2009, 2, 20), (2009, 8, 20), 180),
    # Example 2: end dates include some end-February dates
    ((2006, 8, 31), (2007, 2, 28), 178),
    ((2007, 2, 28), (2007, 8, 31), 183),
    ((2007, 8, 31), (2008, 2, 29), 179),
    ((2008, 2, 29), (2008, 8, 31), 182),
    ((2008, 8, 31), (2009, 2, 28), 178),
    ((2009, 2, 28), (2009, 8, 31), 183),
    # Example 3: miscellaneous calculations
    ((2006, 1, 31), (2006, 2, 28), 28),
    ((2006, 1, 30), (2006, 2, 28), 28),
    ((2006, 2, 28), (2006, 3, 3), 5),
    ((2006, 2, 14), (2006, 2, 28), 14),
    ((2006, 9, 30), (2006, 10, 31), 30),
    ((2006, 10, 31), (2006, 11, 28), 28),
    ((2007, 8, 31), (2008, 2, 28), 178),
    ((2008, 2, 28), (2008, 8, 28), 180),
    ((2008, 2, 28), (2008, 8, 30), 182),
    ((2008, 2, 28), (2008, 8, 31), 183),
    ((2007, 2, 26), (2008, 2, 28), 362),
    ((2007, 2, 26), (2008, 2, 29), 363),
    ((2008, 2, 29), (2009, 2, 28), 359),
    ((2008, 2, 28), (2008, 3, 30), 32),
    ((2008, 2, 28), (2008, 3, 31), 33),
]


@pytest.mark.parametrize(("start", "end", "days"), ISDA_30_360_BOND_BASIS)
def test_thirty_360_isda_examples(start, end, days):
    assert day_count(date(*start), date(*end), THIRTY_360) == days
    assert year_fraction(date(*start), date(*end), THIRTY_360) == Decimal(days) / 360


def test_thirty_360_us_rule():
    # D1 = 31 becomes 30: Jan 31 -> Feb 29 is 30 * 1 + (29 - 30) = 29 days.
    assert day_count(date(2024, 1, 31), date(2024, 2, 29), THIRTY_360) == 29
    # D2 = 31 becomes 30 only when D1 is 30 or 31.
    assert day_count(date(2024, 3, 30), date(2024, 3, 31), THIRTY_360) == 0
    assert day_count(date(2024, 3, 31), date(2024, 3, 31), THIRTY_360) == 0
    assert day_count(date(2024, 3, 29), date(2024, 3, 31), THIRTY_360) == 2
    # February is not adjusted under the bond basis.
    assert day_count(date(2024, 2, 29), date(2024, 3, 31), THIRTY_360) == 32


def test_whole_leap_year():
    start, end = date(2024, 1, 1), date(2025, 1, 1)
    assert day_count(start, end, ACT_365F) == 366
    assert year_fraction(start, end, ACT_365F) == Decimal(366) / Decimal(365)
    assert day_count(start, end, ACT_ACT) == 366
    assert year_fraction(start, end, ACT_ACT) == 1
    assert year_fraction(start, end, THIRTY_360) == 1


def test_act_act_isda_split_across_years():
    # ISDA's example (EMU and market conventions, 1998): 1 Nov 2003 - 1 May 2004
    # = 61/365 + 121/366 = 0.49772438...
    result = year_fraction(date(2003, 11, 1), date(2004, 5, 1), ACT_ACT)
    expected = Decimal(61) / 365 + Decimal(121) / 366
    assert abs(result - expected) < Decimal("1e-25")
    assert round(result, 8) == Decimal("0.49772438")


@pytest.mark.parametrize("convention", [ACT_365F, ACT_ACT, THIRTY_360])
def test_empty_period(convention):
    day = date(2024, 6, 15)
    assert day_count(day, day, convention) == 0
    assert year_fraction(day, day, convention) == 0
    assert period_interest("1000000", "0.2", day, day, convention) == 0


@pytest.mark.parametrize("function", [day_count, year_fraction])
def test_invalid_period(function):
    with pytest.raises(EngineError) as info:
        function(date(2024, 2, 1), date(2024, 1, 31), ACT_365F)
    assert info.value.code == "invalid_period"
    assert info.value.params == {"start": "2024-02-01", "end": "2024-01-31"}


@pytest.mark.parametrize("convention", ["act_360", None, "ACT_365F"])
def test_invalid_convention(convention):
    with pytest.raises(EngineError) as info:
        year_fraction(date(2024, 1, 1), date(2024, 2, 1), convention)
    assert info.value.code == "invalid_day_count"


def test_period_interest_vietnam_formula():
    # Circular 14/2017: interest = balance x days x annual rate / 365.
    interest = period_interest(
        Decimal("50000000"), Decimal("0.24"), date(2025, 1, 10), date(2025, 2, 10), ACT_365F
    )
    assert interest == Decimal(50000000) * 31 * Decimal("0.24") / 365
    assert round_money(interest, Decimal(1)) == Decimal("1019178")


@given(start=dates, end=dates)
def test_act_365f_is_actual_days(start, end):
    start, end = min(start, end), max(start, end)
    assert day_count(start, end, ACT_365F) == (end - start).days


@given(a=dates, b=dates, c=dates)
def test_act_act_is_additive(a, b, c):
    a, b, c = sorted((a, b, c))
    whole = year_fraction(a, c, ACT_ACT)
    assert abs(whole - year_fraction(a, b, ACT_ACT) - year_fraction(b, c, ACT_ACT)) < Decimal(
        "1e-24"
    )


@given(start=dates, years=st.integers(min_value=0, max_value=30))
def test_act_act_whole_calendar_years(start, years):
    first = date(start.year, 1, 1)
    assert year_fraction(first, date(first.year + years, 1, 1), ACT_ACT) == years


@given(start=dates, days=st.integers(min_value=0, max_value=4000))
def test_period_interest_is_linear_in_balance(start, days):
    end = start + timedelta(days=days)
    one = period_interest(1, "0.1", start, end, ACT_ACT)
    assert abs(period_interest(1000, "0.1", start, end, ACT_ACT) - one * 1000) < Decimal("1e-20")
