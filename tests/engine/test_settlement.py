import dataclasses
from datetime import date, timedelta
from decimal import Decimal

import pytest
from engine.exceptions import EngineError
from engine.money import round_money
from engine.schedule import ScheduleTerms, build_schedule, due_dates
from engine.settlement import (
    Instalment,
    prepay,
    pro_rata_interest,
    settlement_quote,
)
from hypothesis import given
from hypothesis import strategies as st

D = Decimal


def code_of(function, *args, **kwargs):
    with pytest.raises(EngineError) as info:
        function(*args, **kwargs)
    return info.value.code, info.value.params


# ------------------------------------------------------------------ pro-rata interest
@pytest.mark.parametrize(
    ("interest", "start", "end", "day", "rounding", "mode", "expected"),
    [
        # 150,000 VND over a 31-day period, 10 days elapsed: 48,387.09..
        (150_000, date(2025, 1, 15), date(2025, 2, 15), date(2025, 1, 25), 1, "half_up", 48_387),
        # 12.34 over 30 days, half elapsed
        ("12.34", date(2025, 4, 1), date(2025, 5, 1), date(2025, 4, 16), "0.01", "half_up", "6.17"),
        # exact halves: 5 VND over 2 days, 1 elapsed
        (5, date(2025, 1, 1), date(2025, 1, 3), date(2025, 1, 2), 1, "half_up", 3),
        (5, date(2025, 1, 1), date(2025, 1, 3), date(2025, 1, 2), 1, "half_even", 2),
        # nothing on or before the start, everything from the end on
        (900, date(2025, 1, 1), date(2025, 2, 1), date(2025, 1, 1), 1, "half_up", 0),
        (900, date(2025, 1, 1), date(2025, 2, 1), date(2024, 12, 1), 1, "half_up", 0),
        (900, date(2025, 1, 1), date(2025, 2, 1), date(2025, 2, 1), 1, "half_up", 900),
        (900, date(2025, 1, 1), date(2025, 2, 1), date(2025, 6, 1), 1, "half_up", 900),
        # a period of no days has earned its interest once it is reached
        (900, date(2025, 1, 1), date(2025, 1, 1), date(2025, 1, 2), 1, "half_up", 900),
    ],
)
def test_pro_rata_interest(interest, start, end, day, rounding, mode, expected):
    assert pro_rata_interest(interest, start, end, day, D(rounding), mode) == D(expected)


def test_pro_rata_interest_invalid_period():
    assert code_of(
        pro_rata_interest, 100, date(2025, 2, 1), date(2025, 1, 1), date(2025, 1, 15)
    ) == ("invalid_period", {"start": "2025-02-01", "end": "2025-01-01"})


@given(
    principal=st.integers(1_000_000, 500_000_000),
    rate=st.decimals(min_value=D("0.01"), max_value=D("0.60"), places=4),
    start=st.dates(date(2024, 1, 1), date(2026, 12, 31)),
    elapsed=st.integers(0, 40),
)
def test_pro_rata_of_a_daily_period_is_balance_rate_days_over_365(principal, rate, start, elapsed):
    """Vietnam: interest = balance x days x rate / 365. Pro-rating the scheduled interest of
    a period by days is that formula on the days elapsed, within a rounding unit (the
    period's interest was itself rounded)."""
    terms = ScheduleTerms(
        principal=principal,
        annual_rate=rate,
        term=3,
        method="annuity",
        start_date=start,
        interest_basis="daily",
    )
    first = build_schedule(terms)[0]
    day = start + timedelta(days=min(elapsed, first.days))
    earned = pro_rata_interest(first.interest, start, first.due_date, day, 1)
    exact = D(principal) * rate * (day - start).days / 365
    assert abs(earned - exact) <= 1
    assert 0 <= earned <= first.interest


@given(
    interest=st.decimals(min_value=0, max_value=10**9, places=2),
    days=st.integers(1, 400),
    a=st.integers(0, 400),
    b=st.integers(0, 400),
)
def test_pro_rata_interest_grows_with_the_days(interest, days, a, b):
    start = date(2025, 1, 1)
    end = start + timedelta(days=days)
    first, second = sorted((a, b))
    earlier = pro_rata_interest(interest, start, end, start + timedelta(days=first))
    later = pro_rata_interest(interest, start, end, start + timedelta(days=second))
    assert 0 <= earlier <= later <= round_money(interest)


# ------------------------------------------------------------------ settlement quote
START = date(2025, 1, 15)
TERMS = ScheduleTerms(
    principal=10_000_000,
    annual_rate="0.18",
    term=3,
    method="annuity",
    start_date=START,
    interest_basis="daily",
)
SCHEDULE = build_schedule(TERMS)


def instalments(paid=0):
    """The schedule as a settlement sees it, the first ``paid`` instalments paid in full."""
    result = []
    for n, line in enumerate(SCHEDULE):
        done = n < paid
        result.append(
            Instalment(
                line.seq,
                line.due_date,
                interest=line.interest,
                interest_paid=line.interest if done else 0,
                fee_paid=0,
                open_principal=0 if done else line.principal,
                open_interest=0 if done else line.interest,
            )
        )
    return result


def test_quote_in_the_second_period():
    day = SCHEDULE[0].due_date + timedelta(days=10)
    quote = settlement_quote(instalments(paid=1), START, day, fee_percent=2, rounding=1)
    balance = SCHEDULE[0].closing_balance
    assert quote.principal == balance == SCHEDULE[1].principal + SCHEDULE[2].principal
    # 10 days of interest on the balance at 18 % a year, Actual/365
    assert abs(quote.accrued - balance * D("0.18") * 10 / 365) <= 1
    assert quote.arrears == 0
    assert quote.fee == round_money(balance * D("0.02"), 1)
    assert quote.total == quote.principal + quote.accrued + quote.arrears + quote.fee
    assert quote.lines == {2: (quote.accrued, D(0)), 3: (D(0), D(0))}


def test_quote_on_a_due_date_owes_that_instalment_and_no_accrual():
    day = SCHEDULE[0].due_date
    quote = settlement_quote(instalments(paid=0), START, day, rounding=1)
    assert quote.arrears == SCHEDULE[0].interest
    assert quote.accrued == 0
    assert quote.principal == TERMS.principal
    assert quote.fee == 0
    assert quote.total == TERMS.principal + SCHEDULE[0].interest
    assert set(quote.lines) == {2, 3}


def test_quote_on_disbursement_day_is_the_principal():
    quote = settlement_quote(instalments(), START, START, fee_percent="1.5", rounding=1)
    assert (quote.accrued, quote.arrears) == (0, 0)
    assert quote.total == TERMS.principal * D("1.015")
    assert all(new == (0, 0) for new in quote.lines.values())


def test_quote_keeps_what_was_paid_and_counts_arrears():
    line2, line3 = SCHEDULE[1], SCHEDULE[2]
    lines = [
        Instalment(1, SCHEDULE[0].due_date, 150_000, 100_000, 0, 0, 50_000, 15_000, 20_000),
        # interest and fee of the running period paid ahead, above what it has earned
        Instalment(2, line2.due_date, line2.interest, line2.interest, 15_000, line2.principal),
        Instalment(3, line3.due_date, line3.interest, 0, 0, line3.principal, line3.interest),
    ]
    day = SCHEDULE[0].due_date + timedelta(days=1)
    quote = settlement_quote(lines, START, day, rounding=1)
    assert quote.arrears == 50_000 + 15_000 + 20_000
    assert quote.accrued == 0
    assert quote.lines[2] == (line2.interest, D(15_000))
    assert quote.total == line2.principal + line3.principal + 85_000


def test_instalment_normalises_amounts():
    line = Instalment("a", START, "1.5", 0.1, 2, open_penalty="3")
    assert (line.interest, line.interest_paid, line.fee_paid, line.open_penalty) == (
        D("1.5"),
        D("0.1"),
        D(2),
        D(3),
    )
    assert code_of(Instalment, "a", START, interest="x")[0] == "invalid_amount"


@given(paid=st.integers(0, 3), offset=st.integers(0, 100), fee=st.integers(0, 5))
def test_quote_properties(paid, offset, fee):
    day = START + timedelta(days=offset)
    quote = settlement_quote(instalments(paid), START, day, fee, 1)
    assert quote.total == quote.principal + quote.accrued + quote.arrears + quote.fee
    assert quote.accrued >= 0 and quote.arrears >= 0
    assert quote.principal == sum(line.principal for line in SCHEDULE[paid:])
    # at most one period is running: the others earned all or nothing
    assert quote.accrued <= max(line.interest for line in SCHEDULE)
    not_due = [line.seq for line in SCHEDULE if line.due_date > day]
    assert sorted(quote.lines) == not_due


# ------------------------------------------------------------------ prepayment
def future_terms(**changes):
    """The two instalments after the first of SCHEDULE, as their own terms."""
    values = {
        "principal": SCHEDULE[0].closing_balance,
        "annual_rate": "0.18",
        "term": 2,
        "method": "annuity",
        "start_date": SCHEDULE[0].due_date,
        "first_due_date": SCHEDULE[1].due_date,
        "interest_basis": "daily",
    }
    values.update(changes)
    return ScheduleTerms(**values)


def test_prepay_with_fee():
    terms = future_terms()
    result = prepay(2_040_000, terms, fee_percent=2)
    # 2,040,000 / 1.02 = 2,000,000 of principal and 40,000 of fee
    assert (result.principal, result.fee, result.rest) == (D(2_000_000), D(40_000), D(0))
    remaining = terms.principal - 2_000_000
    assert sum(line.principal for line in result.lines) == remaining
    assert result.lines[0].opening_balance == remaining
    assert result.lines[-1].closing_balance == 0
    assert [line.due_date for line in result.lines] == [SCHEDULE[1].due_date, SCHEDULE[2].due_date]
    # the first new period's interest: the new balance x 18 % x its days / 365
    days = SCHEDULE[1].days
    assert abs(result.lines[0].interest - remaining * D("0.18") * days / 365) <= D("0.5")


def test_prepay_reamortises_a_periodic_annuity():
    terms = future_terms(
        principal=6_716_170, interest_basis="periodic", first_due_date=None, term=2
    )
    result = prepay(2_000_000, terms)
    assert (result.principal, result.fee, result.rest) == (D(2_000_000), D(0), D(0))
    # textbook annuity of the 4,716,170 left at 1.5 % a month over 2 months
    rate = D("0.015")
    payment = D(4_716_170) * rate / (1 - (1 + rate) ** -2)
    assert result.lines[0].instalment == round_money(payment, 1)
    assert abs(result.lines[-1].instalment - result.lines[0].instalment) <= 1


def test_prepay_beyond_the_balance_keeps_the_rest():
    terms = future_terms()
    balance = terms.principal
    result = prepay(balance * 2, terms, fee_percent=1)
    assert result.principal == balance
    assert result.fee == round_money(balance * D("0.01"), 1)
    assert result.rest == balance * 2 - balance - result.fee
    assert result.lines == []


def test_prepay_fee_never_exceeds_the_money():
    # 1 VND at a 50 % fee: the principal prepaid rounds to 1, no money is left for a fee
    result = prepay(1, future_terms(), fee_percent=50)
    assert (result.principal, result.fee, result.rest) == (D(1), D(0), D(0))


def test_prepay_invalid_amount():
    assert code_of(prepay, -1, future_terms()) == ("invalid_amount", {"value": -1})


def test_prepay_amount_not_a_multiple_of_the_rounding():
    # 1,500 at a rounding of 1,000: 1.5 thousands would round up to 2,000, more than given
    result = prepay(1500, future_terms(rounding=1000))
    assert (result.principal, result.fee, result.rest) == (D(1500), D(0), D(0))
    # 1,499 / 1.01 = 1,484.2 rounds to 1,000 of principal; its fee of 10 rounds to 0
    result = prepay(1499, future_terms(rounding=1000), fee_percent=1)
    assert (result.principal, result.fee, result.rest) == (D(1000), D(0), D(499))
    assert prepay(400, future_terms(rounding=1000)).rest == 400


@given(
    units=st.integers(0, 12_000_000),
    odd=st.booleans(),
    fee=st.decimals(min_value=0, max_value=5, places=2),
    method=st.sampled_from(["annuity", "equal_principal", "flat", "bullet"]),
    term=st.integers(1, 24),
    rounding=st.sampled_from([D(1), D("0.01"), D(1000)]),
)
def test_prepay_properties(units, odd, fee, method, term, rounding):
    # an amount in the currency's rounding, or (odd) any amount
    amount = D(units) if odd else units * rounding
    principal = D(9_876_543)
    start = date(2025, 3, 31)
    terms = ScheduleTerms(
        principal=principal,
        annual_rate="0.2",
        term=term,
        method=method,
        start_date=start,
        rounding=rounding,
    )
    result = prepay(amount, terms, fee)
    assert result.principal + result.fee + result.rest == amount
    assert min(result.principal, result.fee, result.rest) >= 0
    assert result.principal <= principal
    if result.principal < principal and not odd:
        # all the money goes to principal and its fee, within a rounding unit
        assert result.rest <= rounding
        assert abs(result.principal * (1 + fee / 100) - amount) <= rounding * (1 + fee / 100)
    remaining = principal - result.principal
    assert sum(line.principal for line in result.lines) == (remaining if result.lines else 0)
    if result.lines:
        assert [line.due_date for line in result.lines] == due_dates(start, term)
        assert result.lines[-1].closing_balance == 0
        assert result.lines == build_schedule(dataclasses.replace(terms, principal=remaining))
    else:
        assert remaining == 0
