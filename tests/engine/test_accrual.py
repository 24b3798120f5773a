from datetime import date, timedelta
from decimal import Decimal

import pytest
from engine.accrual import (
    DAILY,
    DUE_DATE,
    accrue_penalty,
    daily_penalty,
    penalty_cap,
    recognised_interest,
)
from engine.exceptions import EngineError
from hypothesis import given
from hypothesis import strategies as st

D = Decimal
START = date(2026, 11, 20)
DUE = date(2026, 12, 20)  # 30 days after START


def code_of(function, *args, **kwargs):
    with pytest.raises(EngineError) as info:
        function(*args, **kwargs)
    return info.value.code, info.value.params


# ------------------------------------------------------------------ penalties
def test_daily_penalty_vectors_worked_by_hand():
    # 1,930,000 x 0.05% = 965
    assert daily_penalty(1_930_000, "0.05") == D(965)
    # 1,000,001 x 0.05% = 500.0005 -> 500; 1,001,000 x 0.05% = 500.5 -> 501 half up
    assert daily_penalty(1_000_001, "0.05") == D(500)
    assert daily_penalty(1_001_000, "0.05") == D(501)
    assert daily_penalty(1_001_000, "0.05", mode="half_even") == D(500)
    assert daily_penalty(1_001_000, "0.05", mode="down") == D(500)
    # 1234.56 USD x 0.03% = 0.370368 -> 0.37
    assert daily_penalty("1234.56", "0.03", rounding="0.01") == D("0.37")
    assert str(daily_penalty("1234.56", "0.03", rounding="0.01")) == "0.37"


def test_the_cap_is_on_the_scheduled_amount_and_counts_what_was_charged():
    # cap 1% of 1,930,000 = 19,300; 965 a day reaches it on the 20th day exactly
    assert penalty_cap(1_930_000, 1) == D(19_300)
    days = accrue_penalty([1_930_000] * 22, "0.05", scheduled=1_930_000, cap_percent=1)
    assert days[:20] == [D(965)] * 20
    assert days[20:] == [D(0), D(0)]
    # the last day before the cap takes only the room left
    assert daily_penalty(1_930_000, "0.05", 19_000, 1_930_000, 1) == D(300)
    # the cap's base is the scheduled amount, not what is still open
    assert daily_penalty(100_000, "1", 0, 1_930_000, 1) == D(1000)
    assert daily_penalty(100_000, "1", 19_000, 1_930_000, 1) == D(300)


def test_nothing_on_a_paid_instalment_at_a_zero_rate_or_beyond_the_cap():
    assert daily_penalty(0, "0.05") == 0
    assert daily_penalty(-5, "0.05") == 0
    assert daily_penalty(1_000_000, 0) == 0
    # charged beyond the cap already (a cap lowered later): no negative charge
    assert daily_penalty(1_000_000, "0.05", 50_000, 1_000_000, 1) == 0
    # a day's open amount that rounds to nothing
    assert daily_penalty(900, "0.05") == 0


def test_partial_payments_lower_the_days_that_follow():
    assert accrue_penalty([2_000_000, 1_200_000, 0, 300_000], "0.05") == [
        D(1000),
        D(600),
        D(0),
        D(150),
    ]


def test_invalid_rates_and_amounts():
    assert code_of(daily_penalty, 100, "-0.1") == ("invalid_rate", {"rate": "-0.1"})
    assert code_of(penalty_cap, 100, -1) == ("invalid_rate", {"rate": -1})
    assert code_of(penalty_cap, -100, 1) == ("invalid_amount", {"value": -100})
    assert code_of(daily_penalty, "abc", 1)[0] == "invalid_amount"


amounts = st.integers(min_value=0, max_value=500_000_000)
rates = st.decimals(min_value=0, max_value=1, places=4)


@given(
    st.lists(amounts, min_size=1, max_size=60),
    rates,
    st.decimals(min_value=0, max_value=50, places=4),
    amounts,
)
def test_penalties_never_exceed_the_cap_and_are_whole_currency(opens, rate, cap, scheduled):
    days = accrue_penalty(opens, rate, scheduled=scheduled, cap_percent=cap)
    assert len(days) == len(opens)
    assert all(day >= 0 and day == day.to_integral_value() for day in days)
    limit = penalty_cap(scheduled, cap)
    if limit is not None:
        assert sum(days) <= limit
    # without a cap every day is the rounded rate of the day's open amount
    uncapped = accrue_penalty(opens, rate)
    for open_amount, day, free in zip(opens, days, uncapped, strict=True):
        exact = D(open_amount) * rate / 100
        assert abs(free - exact) <= D("0.5")
        assert day <= free


@given(st.lists(amounts, min_size=1, max_size=30), rates, amounts)
def test_the_cap_binds_exactly_once_reached(opens, rate, scheduled):
    days = accrue_penalty(opens, rate, scheduled=scheduled, cap_percent=1)
    limit = penalty_cap(scheduled, 1)
    uncapped = accrue_penalty(opens, rate)
    if sum(uncapped) <= limit:
        assert days == uncapped
    else:
        assert sum(days) == limit


# ------------------------------------------------------------------ interest
def test_recognised_at_the_due_date():
    assert recognised_interest(466_667, START, DUE, DUE - timedelta(days=1)) == 0
    assert recognised_interest(466_667, START, DUE, DUE) == D(466_667)
    assert recognised_interest(466_667, START, DUE, DUE + timedelta(days=40)) == D(466_667)


def test_recognised_day_by_day_worked_by_hand():
    # 300,000 over 30 days: 10,000 a day
    assert recognised_interest(300_000, START, DUE, date(2026, 11, 21), DAILY) == D(10_000)
    assert recognised_interest(300_000, START, DUE, date(2026, 11, 30), DAILY) == D(100_000)
    # 100,000 over 31 days: 1 day 3,225.81 -> 3,226; 15 days 48,387.10 -> 48,387
    start = date(2026, 12, 20)
    due = date(2027, 1, 20)
    assert recognised_interest(100_000, start, due, date(2026, 12, 21), DAILY) == D(3226)
    assert recognised_interest(100_000, start, due, date(2027, 1, 4), DAILY) == D(48_387)
    # cents: 123.45 x 10 / 30 = 41.15
    assert recognised_interest("123.45", START, DUE, date(2026, 11, 30), DAILY, "0.01") == D(
        "41.15"
    )
    # half a unit rounds up: 15 x 1 / 30 = 0.5 -> 1
    assert recognised_interest(15, START, DUE, date(2026, 11, 21), DAILY) == D(1)
    assert recognised_interest(15, START, DUE, date(2026, 11, 21), DAILY, mode="down") == 0


def test_nothing_before_the_period_and_empty_periods():
    assert recognised_interest(300_000, START, DUE, START, DAILY) == 0
    assert recognised_interest(300_000, START, DUE, START - timedelta(days=3), DAILY) == 0
    # a period of no days (a restructure on a due date): all at its due date
    assert recognised_interest(300_000, DUE, DUE, DUE - timedelta(days=1), DAILY) == 0
    assert recognised_interest(300_000, DUE, DUE, DUE, DAILY) == D(300_000)


def test_invalid_method_and_interest():
    assert code_of(recognised_interest, 1, START, DUE, DUE, "weekly") == (
        "invalid_accrual_method",
        {"method": "weekly"},
    )
    assert code_of(recognised_interest, -1, START, DUE, DUE)[0] == "invalid_amount"
    assert (DUE_DATE, DAILY) == ("due_date", "daily")


@given(
    st.integers(min_value=0, max_value=50_000_000),
    st.integers(min_value=0, max_value=400),
    st.integers(min_value=-10, max_value=420),
)
def test_daily_recognition_grows_to_the_whole_interest(interest, days, offset):
    due = START + timedelta(days=days)
    day = START + timedelta(days=offset)
    got = recognised_interest(interest, START, due, day, DAILY)
    following = recognised_interest(interest, START, due, day + timedelta(days=1), DAILY)
    assert 0 <= got <= following <= interest
    if day >= due:
        assert got == interest
    elif day > START:
        exact = D(interest) * (day - START).days / days
        assert abs(got - exact) <= D("0.5")
        # the due-date method never runs ahead of the daily one
        assert recognised_interest(interest, START, due, day, DUE_DATE) == 0
