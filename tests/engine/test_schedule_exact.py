"""Equal instalments over periods of unequal rates (issue 11, item 4).

Every expected figure here is derived in the test with exact fractions: the period rates from
the dates (a day count written out below), the equal instalment from the closed form
``principal / sum over k of prod over j <= k of 1 / (1 + r_j)``, and the schedule replayed
line by line with the rounding written out, never by calling the schedule's own arithmetic.
"""

import calendar
import math
from datetime import date, timedelta
from decimal import Decimal
from fractions import Fraction

from engine.schedule import (
    PERIODS_PER_YEAR,
    ScheduleTerms,
    annuity_payment,
    build_schedule,
    due_dates,
    equal_payment,
)
from hypothesis import assume, given, settings
from hypothesis import strategies as st

D = Decimal
F = Fraction


# ------------------------------------------------------------------ an independent reference
def year_fraction(start, end, convention):
    """Exact year fraction: Actual/365 Fixed, Actual/Actual ISDA, 30/360 US bond basis."""
    if convention == "act_365f":
        return F((end - start).days, 365)
    if convention == "30_360":
        d1, d2 = min(start.day, 30), end.day
        if d2 == 31 and d1 == 30:
            d2 = 30
        days = 360 * (end.year - start.year) + 30 * (end.month - start.month) + d2 - d1
        return F(days, 360)
    total, cursor = F(0), start
    while cursor < end:
        boundary = min(date(cursor.year + 1, 1, 1), end)
        total += F((boundary - cursor).days, 366 if calendar.isleap(cursor.year) else 365)
        cursor = boundary
    return total


def period_rates(t):
    """Each period's rate: the year fraction of its days on the daily basis or for the broken
    first period, a 12th (26th, 52nd) of the annual rate otherwise."""
    rate = F(t.annual_rate)
    dates = due_dates(t.start_date, t.term, t.frequency, t.first_due_date)
    rates, previous = [], t.start_date
    for index, due in enumerate(dates):
        if t.interest_basis == "daily" or (t.first_due_date and not index):
            rates.append(rate * year_fraction(previous, due, t.day_count))
        else:
            rates.append(rate / PERIODS_PER_YEAR[t.frequency])
        previous = due
    return rates


def closed_form(balance, rates):
    """balance / sum over k of prod over j <= k of 1 / (1 + r_j), exactly."""
    total, factor = F(0), F(1)
    for rate in rates:
        factor /= 1 + rate
        total += factor
    return balance / total


def round_to(amount, unit, mode):
    """A non-negative fraction rounded to a multiple of ``unit`` (a fraction)."""
    q = amount / unit
    low = math.floor(q)
    rest = q - low
    up = {
        "half_up": rest >= F(1, 2),
        "half_down": rest > F(1, 2),
        "half_even": rest > F(1, 2) or (rest == F(1, 2) and low % 2 == 1),
        "up": rest > 0,
        "ceiling": rest > 0,
        "down": False,
        "floor": False,
    }[mode]
    return (low + up) * unit


def reference(t):
    """The annuity schedule of ``t`` (no interest grace) replayed with exact fractions.

    Returns the lines as (principal, interest, instalment) fractions, the equal instalment in
    force at the end and the index of the line it was computed on. A line whose interest
    exceeds the instalment pays its interest only; when the periods are unequal the instalment
    is then computed again over the periods left."""
    unit, mode = F(t.rounding), t.rounding_mode
    rates = period_rates(t)
    daily, broken = t.interest_basis == "daily", t.first_due_date is not None
    balance, payment, since, lines = F(t.principal), None, None, []
    last = t.term - 1
    for index, rate in enumerate(rates):
        interest = round_to(balance * rate, unit, mode)
        if index == last:
            principal = balance
        elif index < t.grace_principal:
            principal = F(0)
        else:
            if payment is None:
                payment = round_to(closed_form(balance, rates[index:]), unit, mode)
                since = index
                # the rates left are unequal on the daily basis or from a broken first period
                uneven = daily or (broken and not index)
            principal = payment - interest
            if principal < 0:
                principal = F(0)
                if uneven and index + 1 < last:
                    payment = None
            principal = min(principal, balance)
        balance -= principal
        lines.append((principal, interest, principal + interest))
    return lines, payment, since


def growth_bound(rates, unit):
    """One rounding step per period carried to the end at the periods' own rates: a bound on
    how far the last instalment can drift from the others (instalment and interest rounding)."""
    bound, factor = F(0), F(1)
    for rate in reversed(rates[1:]):
        bound += factor
        factor *= 1 + rate
    return (bound + factor) * unit


def as_fractions(lines):
    return [(F(x.principal), F(x.interest), F(x.instalment)) for x in lines]


def vnd(**overrides):
    values = {
        "principal": 50_000_000,
        "annual_rate": "0.30",
        "term": 36,
        "method": "annuity",
        "start_date": date(2025, 1, 10),
        "first_due_date": date(2025, 2, 25),
    }
    values.update(overrides)
    return ScheduleTerms(**values)


# ------------------------------------------------------------------ the issue's example
# VND 50,000,000 over 36 months at 30 % a year, disbursed on 10 January 2025, first due on
# 25 February (46 days). Before: 35 instalments of 2,122,579 (the textbook annuity at 2.5 % a
# month) and a last one of 3,642,397 (periodic) or 3,505,133 (daily): the 46-day period and
# the calendar months cost more than the textbook annuity repays.
#   periodic: r_1 = 0.30 x 46 / 365, r_2..r_36 = 0.025
#     instalment = 50,000,000 / (1 / (1 + r_1) x sum over k < 36 of 1.025 ** -k) = 2,149,102
#   daily: r_k = 0.30 x days_k / 365 (46, then 28, 31, 30, ... days)       = 2,146,691
def test_issue_example_periodic():
    t = vnd()
    lines = build_schedule(t)
    rates = period_rates(t)
    assert rates[0] == F(3, 10) * F(46, 365)
    assert set(rates[1:]) == {F(1, 40)}
    payment = round_to(closed_form(F(50_000_000), rates), F(1), "half_up")
    assert payment == 2_149_102
    assert as_fractions(lines) == reference(t)[0]
    assert {x.instalment for x in lines[:-1]} == {D(2_149_102)}
    assert abs(lines[-1].instalment - 2_149_102) <= 36  # was 3,642,397
    assert sum(x.principal for x in lines) == 50_000_000


def test_issue_example_daily():
    t = vnd(interest_basis="daily")
    lines = build_schedule(t)
    rates = period_rates(t)
    assert rates[:3] == [F(3, 10) * F(46, 365), F(3, 10) * F(28, 365), F(3, 10) * F(31, 365)]
    payment = round_to(closed_form(F(50_000_000), rates), F(1), "half_up")
    assert payment == 2_146_691
    assert as_fractions(lines) == reference(t)[0]
    assert {x.instalment for x in lines[:-1]} == {D(2_146_691)}
    assert abs(lines[-1].instalment - 2_146_691) <= 36  # was 3,505,133
    assert sum(x.principal for x in lines) == 50_000_000


# ------------------------------------------------------------------ ordinary loans, daily basis
def test_daily_basis_ordinary_loan():
    # 10,000,000 VND at 18 % a year over 12 months from 15 January 2025, balance x days x 0.18
    # / 365: the textbook 916,800 left a last instalment of 912,119; each month's own rate
    # gives 916,441 (closed form below) and a last instalment within a few VND of it.
    t = ScheduleTerms(
        principal=10_000_000,
        annual_rate="0.18",
        term=12,
        method="annuity",
        start_date=date(2025, 1, 15),
        interest_basis="daily",
    )
    days = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
    rates = [F(18, 100) * F(n, 365) for n in days]
    assert period_rates(t) == rates
    assert round_to(closed_form(F(10_000_000), rates), F(1), "half_up") == 916_441
    lines = build_schedule(t)
    assert [x.days for x in lines] == days
    assert {x.instalment for x in lines[:-1]} == {D(916_441)}
    assert abs(lines[-1].instalment - 916_441) <= 12
    assert as_fractions(lines) == reference(t)[0]


def test_broken_first_period_30_360_cents():
    # 1,000.00 at 12 % a year, 30/360, disbursed 31 January, first due 15 March (45 days):
    # r_1 = 0.12 x 45 / 360 = 0.015, then 0.01 a month.
    t = ScheduleTerms(
        principal="1000.00",
        annual_rate="0.12",
        term=6,
        method="annuity",
        start_date=date(2025, 1, 31),
        first_due_date=date(2025, 3, 15),
        day_count="30_360",
        rounding="0.01",
    )
    rates = [F(15, 1000)] + [F(1, 100)] * 5
    assert period_rates(t) == rates
    payment = round_to(closed_form(F(1000), rates), F(1, 100), "half_up")
    lines = build_schedule(t)
    assert {F(x.instalment) for x in lines[:-1]} == {payment}
    assert lines[0].interest == D("15.00")
    assert abs(F(lines[-1].instalment) - payment) <= F(6, 100)
    assert as_fractions(lines) == reference(t)[0]


def test_equal_payment_matches_closed_form_and_annuity():
    rates = [F(3, 10) * F(n, 365) for n in (46, 28, 31, 30)]
    got = equal_payment(50_000_000, [D(r.numerator) / r.denominator for r in rates])
    assert abs(F(got) - closed_form(F(50_000_000), rates)) < F(1, 10**15)
    # Equal rates: the textbook annuity.
    same = equal_payment(15000, [D("0.08") / 12] * 60)
    assert abs(same - annuity_payment(15000, D("0.08") / 12, 60)) < D("1e-18")


# ------------------------------------------------------------------ grace and long first periods
def test_daily_basis_with_principal_grace():
    # Two interest-only months, then the equal instalment over the 4 months left, from their
    # own rates.
    t = ScheduleTerms(
        principal=10_000_000,
        annual_rate="0.18",
        term=6,
        method="annuity",
        start_date=date(2025, 1, 15),
        interest_basis="daily",
        grace_principal=2,
    )
    rates = period_rates(t)
    payment = round_to(closed_form(F(10_000_000), rates[2:]), F(1), "half_up")
    lines = build_schedule(t)
    assert [x.principal for x in lines[:2]] == [0, 0]
    assert {F(x.instalment) for x in lines[2:-1]} == {payment}
    assert abs(F(lines[-1].instalment) - payment) <= 4
    assert as_fractions(lines) == reference(t)[0]


def test_daily_basis_with_interest_grace():
    # One month capitalised: the instalment is spread from the capitalised balance over the
    # 5 months left at their own rates.
    t = ScheduleTerms(
        principal=10_000_000,
        annual_rate="0.18",
        term=6,
        method="annuity",
        start_date=date(2025, 1, 15),
        interest_basis="daily",
        grace_interest=1,
    )
    rates = period_rates(t)
    capitalised = 10_000_000 + round_to(10_000_000 * rates[0], F(1), "half_up")
    assert capitalised == 10_152_877  # 10,000,000 x 0.18 x 31 / 365 = 152,876.71
    payment = round_to(closed_form(F(capitalised), rates[1:]), F(1), "half_up")
    lines = build_schedule(t)
    assert lines[0].closing_balance == capitalised
    assert {F(x.instalment) for x in lines[1:-1]} == {payment}
    assert abs(F(lines[-1].instalment) - payment) <= 5
    assert sum(x.principal for x in lines) == capitalised


def test_long_first_period_pays_its_interest_then_equal_instalments():
    # 10,000,000 at 100 % a year, weekly, first due after 70 days: 10,000,000 x 70 / 365 =
    # 1,917,808 of interest, more than the equal instalment. That line pays its interest only
    # and the balance is spread evenly over the 19 weeks left.
    t = ScheduleTerms(
        principal=10_000_000,
        annual_rate=1,
        term=20,
        method="annuity",
        frequency="weekly",
        start_date=date(2025, 1, 1),
        first_due_date=date(2025, 3, 12),
    )
    rates = period_rates(t)
    assert closed_form(F(10_000_000), rates) < F(10_000_000) * rates[0]
    lines = build_schedule(t)
    assert (lines[0].principal, lines[0].interest) == (0, 1_917_808)
    payment = round_to(closed_form(F(10_000_000), rates[1:]), F(1), "half_up")
    assert {F(x.instalment) for x in lines[1:-1]} == {payment}
    assert abs(F(lines[-1].instalment) - payment) <= 19
    assert as_fractions(lines) == reference(t)[0]


# ------------------------------------------------------------------ the plain periodic schedule
def test_plain_periodic_keeps_the_textbook_annuity():
    # No broken period, periodic interest: the instalment is PMT, as before (916,800 for the
    # 10,000,000 VND, 18 %, 12 months of tests/engine/test_schedule.py).
    t = ScheduleTerms(
        principal=10_000_000,
        annual_rate="0.18",
        term=12,
        method="annuity",
        start_date=date(2025, 1, 15),
    )
    lines = build_schedule(t)
    assert {x.instalment for x in lines[:-1]} == {D(916_800)}
    assert lines[-1].instalment == D(916_799)


# ------------------------------------------------------------------ properties
UNITS = [D("1"), D("0.01"), D("1000"), D("0.05")]
MODES = ["half_up", "half_even", "half_down", "up", "down", "ceiling", "floor"]


@st.composite
def annuity_terms(draw):
    term = draw(st.integers(min_value=1, max_value=72))
    unit = draw(st.sampled_from(UNITS))
    start = draw(st.dates(min_value=date(2000, 1, 1), max_value=date(2060, 12, 31)))
    first_due = draw(st.none() | st.integers(min_value=1, max_value=70))
    return ScheduleTerms(
        principal=draw(st.integers(min_value=1, max_value=10**9)) * unit,
        annual_rate=draw(st.decimals(min_value=0, max_value=D("0.6"), places=4)),
        term=term,
        method="annuity",
        frequency=draw(st.sampled_from(sorted(PERIODS_PER_YEAR))),
        start_date=start,
        first_due_date=start + timedelta(days=first_due) if first_due else None,
        day_count=draw(st.sampled_from(["act_365f", "act_act", "30_360"])),
        rounding=unit,
        rounding_mode=draw(st.sampled_from(MODES)),
        grace_principal=draw(st.integers(min_value=0, max_value=term - 1)),
        interest_basis=draw(st.sampled_from(["periodic", "daily"])),
    )


@settings(max_examples=250, deadline=None)
@given(t=annuity_terms())
def test_annuity_matches_the_exact_reference(t):
    # Both regimes: plain periodic (the textbook annuity, unchanged) and unequal periods.
    lines = build_schedule(t)
    expected, payment, since = reference(t)
    assert as_fractions(lines) == expected
    assert sum(x.principal for x in lines) == t.principal
    assert all(x.closing_balance >= 0 and x.opening_balance >= 0 for x in lines)
    assert lines[-1].closing_balance == 0


@settings(max_examples=250, deadline=None)
@given(t=annuity_terms())
def test_last_instalment_differs_by_rounding_only(t):
    lines = build_schedule(t)
    _expected, payment, since = reference(t)
    assume(since is not None and since < t.term - 1)
    rates = period_rates(t)[since:]
    # No line after the instalment was set pays interest only or repays the balance early (a
    # coarse rounding on a small loan can): the last instalment is then the residual of a
    # schedule in equal steps.
    assume(all(x.principal > 0 and x.closing_balance > 0 for x in lines[since:-1]))
    assert {F(x.instalment) for x in lines[since:-1]} == {payment}
    assert abs(F(lines[-1].instalment) - payment) <= growth_bound(rates, F(t.rounding))


@settings(max_examples=150, deadline=None)
@given(t=annuity_terms())
def test_plain_periodic_instalment_is_pmt(t):
    # Without a broken period and with periodic interest, the instalment is still the rounded
    # textbook annuity on the balance left after the principal grace.
    plain = ScheduleTerms(
        principal=t.principal,
        annual_rate=t.annual_rate,
        term=t.term,
        method="annuity",
        frequency=t.frequency,
        start_date=t.start_date,
        rounding=t.rounding,
        rounding_mode=t.rounding_mode,
        grace_principal=t.grace_principal,
    )
    assume(plain.term - plain.grace_principal > 1)
    lines = build_schedule(plain)
    rate = F(plain.annual_rate) / PERIODS_PER_YEAR[plain.frequency]
    n = plain.term - plain.grace_principal
    pmt = F(plain.principal) / n if not rate else F(plain.principal) * rate / (1 - (1 + rate) ** -n)
    payment = round_to(pmt, F(plain.rounding), plain.rounding_mode)
    assume(all(x.principal > 0 and x.closing_balance for x in lines[plain.grace_principal : -1]))
    assert {F(x.instalment) for x in lines[plain.grace_principal : -1]} == {payment}
