import calendar
import dataclasses
from datetime import date, timedelta
from decimal import Decimal, localcontext
from fractions import Fraction

import pytest
from engine.daycount import CONVENTIONS
from engine.exceptions import EngineError
from engine.money import ROUNDING_MODES, round_money
from engine.schedule import (
    METHODS,
    PERIODS_PER_YEAR,
    Line,
    ScheduleTerms,
    _rounder,
    annuity_payment,
    build_schedule,
    due_dates,
    schedule_totals,
)
from hypothesis import assume, given, settings
from hypothesis import strategies as st

D = Decimal
EIGHT = D("0.00000001")


def terms(**overrides):
    values = {
        "principal": D(10_000_000),
        "annual_rate": D("0.18"),
        "term": 12,
        "method": "annuity",
        "start_date": date(2025, 1, 15),
    }
    values.update(overrides)
    return ScheduleTerms(**values)


def column(lines, name):
    return [getattr(line, name) for line in lines]


def error(**overrides):
    with pytest.raises(EngineError) as info:
        build_schedule(terms(**overrides))
    return info.value.code, info.value.params


# ------------------------------------------------------------------ public vectors
def test_pmt_vector():
    # numpy-financial: pmt(0.08/12, 60, 15000) = -304.145914
    payment = annuity_payment(D(15000), D("0.08") / 12, 60)
    assert payment.quantize(D("0.000001")) == D("304.145914")


def test_ipmt_vector():
    # numpy-financial: ipmt(0.1/12, per=1..4, 24, 2000) = -16.66666667, -16.03647345,
    # -15.40102862, -14.76028842: the interest of periods 1-4 of an (almost) unrounded schedule.
    lines = build_schedule(
        terms(
            principal=2000, annual_rate="0.1", term=24, rounding=EIGHT, start_date=date(2025, 1, 1)
        )
    )
    assert [line.interest.quantize(EIGHT) for line in lines[:4]] == [
        D("16.66666667"),
        D("16.03647345"),
        D("15.40102862"),
        D("14.76028842"),
    ]


def test_ppmt_vector():
    # numpy-financial: ppmt(0.1/12, 1, 60, 55000) = -710.25
    lines = build_schedule(terms(principal=55000, annual_rate="0.1", term=60, rounding=EIGHT))
    assert lines[0].principal.quantize(D("0.01")) == D("710.25")


def test_annuity_payment_zero_rate_and_errors():
    assert annuity_payment(D(1000), 0, 3) == D(1000) / 3
    assert annuity_payment("1000", "0", 1) == D(1000)
    for n in (0, -1, 1.5, True):
        with pytest.raises(EngineError) as info:
            annuity_payment(1000, "0.01", n)
        assert info.value.code == "invalid_term"


def test_annuity_payment_ignores_caller_context():
    rate = D("0.08") / 12
    with localcontext() as ctx:
        ctx.prec = 5
        payment = annuity_payment(D(15000), rate, 60)
    assert payment.quantize(D("0.000001")) == D("304.145914")


# ------------------------------------------------------------------ a VND loan by hand
# 10,000,000 VND at 18 % a year, 12 monthly instalments, rounding 1 VND half-up:
#   r = 0.18 / 12 = 0.015; 1.015 ** 12 = 1.195618171...; 1.015 ** -12 = 0.836387422...
#   payment = 10,000,000 x 0.015 / (1 - 0.836387422) = 150,000 / 0.163612578 = 916,799.93
#   -> 916,800.
#   line 1: interest 10,000,000 x 0.015 = 150,000; principal 916,800 - 150,000 = 766,800;
#           balance 9,233,200.
#   line 2: interest 9,233,200 x 0.015 = 138,498; principal 778,302; balance 8,454,898.
#   line 3: interest 8,454,898 x 0.015 = 126,823.47 -> 126,823; principal 789,977.
#   ...
#   line 12: balance 903,250; interest 903,250 x 0.015 = 13,548.75 -> 13,549;
#            principal 903,250 (the whole balance), instalment 916,799 (1 VND less).
#   Interest in total: 11 x 916,800 + 916,799 - 10,000,000 = 1,001,599.
VND_SCHEDULE = [
    # due date, days, opening, principal, interest, instalment, closing
    ("2025-02-15", 31, 10000000, 766800, 150000, 916800, 9233200),
    ("2025-03-15", 28, 9233200, 778302, 138498, 916800, 8454898),
    ("2025-04-15", 31, 8454898, 789977, 126823, 916800, 7664921),
    ("2025-05-15", 30, 7664921, 801826, 114974, 916800, 6863095),
    ("2025-06-15", 31, 6863095, 813854, 102946, 916800, 6049241),
    ("2025-07-15", 30, 6049241, 826061, 90739, 916800, 5223180),
    ("2025-08-15", 31, 5223180, 838452, 78348, 916800, 4384728),
    ("2025-09-15", 31, 4384728, 851029, 65771, 916800, 3533699),
    ("2025-10-15", 30, 3533699, 863795, 53005, 916800, 2669904),
    ("2025-11-15", 31, 2669904, 876751, 40049, 916800, 1793153),
    ("2025-12-15", 30, 1793153, 889903, 26897, 916800, 903250),
    ("2026-01-15", 31, 903250, 903250, 13549, 916799, 0),
]


def test_vnd_annuity_by_hand():
    lines = build_schedule(terms())
    got = [
        (
            line.due_date.isoformat(),
            line.days,
            line.opening_balance,
            line.principal,
            line.interest,
            line.instalment,
            line.closing_balance,
        )
        for line in lines
    ]
    assert got == [(d, n, *map(D, rest)) for d, n, *rest in VND_SCHEDULE]
    assert column(lines, "seq") == list(range(1, 13))
    assert schedule_totals(lines) == {
        "principal": D(10_000_000),
        "interest": D(1_001_599),
        "instalments": D(11_001_599),
    }
    assert all(line.instalment.as_tuple().exponent == 0 for line in lines)


def test_vnd_annuity_against_exact_fractions():
    # The same schedule recomputed with exact fractions and explicit half-up rounding.
    def half_up(x):
        return int(x + Fraction(1, 2)) if x >= 0 else -int(-x + Fraction(1, 2))

    r = Fraction(18, 1200)
    payment = half_up(10_000_000 * r / (1 - (1 + r) ** -12))
    balance, expected = 10_000_000, []
    for k in range(12):
        interest = half_up(balance * r)
        principal = balance if k == 11 else payment - interest
        expected.append((principal, interest))
        balance -= principal
    lines = build_schedule(terms())
    assert [(int(x.principal), int(x.interest)) for x in lines] == expected


def test_vnd_daily_interest_circular_14():
    # Vietnam: interest = balance x days x rate / 365; the instalment comes from each month's
    # own rate, 0.18 x days / 365 (derived in tests/engine/test_schedule_exact.py): 916,441,
    # not the textbook 916,800, so that the last instalment is within rounding of the others.
    lines = build_schedule(terms(interest_basis="daily"))
    balance = D(10_000_000)
    for line in lines:
        assert line.opening_balance == balance
        assert line.interest == round_money(balance * line.days * D("0.18") / 365, D(1))
        balance -= line.principal
    assert lines[0].interest == 152877  # 10,000,000 x 31 x 0.18 / 365 = 152,876.71
    assert lines[0].principal == 916441 - 152877
    assert lines[1].interest == 127539  # 9,236,436 x 28 x 0.18 / 365 = 127,538.73
    assert set(column(lines[:-1], "instalment")) == {D(916441)}
    assert lines[-1].instalment == D(916444)
    assert lines[-1].closing_balance == 0
    assert sum(column(lines, "principal")) == D(10_000_000)


# ------------------------------------------------------------------ due dates
def test_month_end_dates_are_clamped():
    lines = build_schedule(terms(start_date=date(2023, 12, 31), term=4))
    assert [x.due_date for x in lines] == [
        date(2024, 1, 31),
        date(2024, 2, 29),
        date(2024, 3, 31),
        date(2024, 4, 30),
    ]
    assert column(lines, "days") == [31, 29, 31, 30]
    assert [d.isoformat() for d in due_dates(date(2025, 1, 31), 3)] == [
        "2025-02-28",
        "2025-03-31",
        "2025-04-30",
    ]


def test_first_due_date_anchors_later_dates():
    dates = due_dates(date(2025, 1, 10), 3, first_due_date=date(2025, 3, 31))
    assert dates == [date(2025, 3, 31), date(2025, 4, 30), date(2025, 5, 31)]


@pytest.mark.parametrize(("frequency", "step"), [("weekly", 7), ("fortnightly", 14)])
def test_weekly_and_fortnightly_dates(frequency, step):
    start = date(2025, 1, 1)
    assert due_dates(start, 3, frequency) == [start + timedelta(days=step * k) for k in (1, 2, 3)]
    first = date(2025, 1, 20)
    assert due_dates(start, 3, frequency, first) == [
        first + timedelta(days=step * k) for k in (0, 1, 2)
    ]


def test_periods_per_year():
    assert PERIODS_PER_YEAR == {"monthly": 12, "fortnightly": 26, "weekly": 52}
    assert terms(frequency="weekly").periods_per_year == 52


def test_weekly_periodic_interest():
    lines = build_schedule(
        terms(principal="5200.00", annual_rate="0.52", frequency="weekly", rounding="0.01")
    )
    assert lines[0].interest == D("52.00")  # 5200 x 0.52 / 52
    assert lines[0].days == 7


# ------------------------------------------------------------------ broken first period
def test_broken_first_period_uses_actual_days():
    lines = build_schedule(terms(start_date=date(2025, 1, 10), first_due_date=date(2025, 3, 1)))
    assert lines[0].due_date == date(2025, 3, 1)
    assert lines[0].days == 50
    # 10,000,000 x 0.18 x 50 / 365 = 246,575.34
    assert lines[0].interest == D(246575)
    # The instalment repays the 50-day period at its own rate and the 11 months at 1.5 %:
    # 10,000,000 / (1 / (1 + 0.18 x 50 / 365) x sum over k < 12 of 1.015 ** -k) = 925,523.11.
    assert lines[0].principal == D(925523) - D(246575)
    assert set(column(lines[:-1], "instalment")) == {D(925523)}
    assert lines[-1].instalment == D(925525)
    # The following periods use the periodic rate again.
    assert lines[1].interest == round_money(lines[1].opening_balance * D("0.015"), D(1))
    assert lines[-1].closing_balance == 0


def test_broken_first_period_30_360():
    lines = build_schedule(
        terms(start_date=date(2025, 1, 31), first_due_date=date(2025, 3, 15), day_count="30_360")
    )
    assert lines[0].days == 45  # 30/360: Jan 31 counts as Jan 30
    assert lines[0].interest == D(225000)  # 10,000,000 x 0.18 x 45 / 360


# ------------------------------------------------------------------ other methods
def test_equal_principal():
    lines = build_schedule(terms(method="equal_principal", term=3, start_date=date(2025, 1, 1)))
    assert column(lines, "principal") == [D(3333333), D(3333333), D(3333334)]
    assert column(lines, "interest") == [D(150000), D(100000), D(50000)]
    assert column(lines, "instalment") == [D(3483333), D(3433333), D(3383334)]


def test_flat_add_on():
    # 10,000,000 x 18 % x 1 year = 1,800,000 interest, 150,000 a month.
    lines = build_schedule(terms(method="flat"))
    assert set(column(lines, "interest")) == {D(150000)}
    assert sum(column(lines, "principal")) == D(10_000_000)
    assert set(column(lines[:-1], "principal")) == {D(833333)}
    assert lines[-1].principal == D(833337)
    # The broken first period and the day count do not change add-on interest.
    broken = build_schedule(
        terms(method="flat", first_due_date=date(2025, 3, 31), interest_basis="daily")
    )
    assert column(broken, "interest") == column(lines, "interest")


def test_flat_residual_goes_to_the_last_line():
    # 1000 x 10 % x 7/12 = 58.333.. -> 58.33 in total, 8.33 a month.
    lines = build_schedule(
        terms(principal="1000", annual_rate="0.1", term=7, method="flat", rounding="0.01")
    )
    assert column(lines, "interest") == [D("8.33")] * 6 + [D("8.35")]


def test_bullet():
    lines = build_schedule(terms(method="bullet", term=3))
    assert column(lines, "principal") == [0, 0, D(10_000_000)]
    assert column(lines, "interest") == [D(150000)] * 3
    assert column(lines, "closing_balance") == [D(10_000_000), D(10_000_000), 0]


def test_grace_principal():
    lines = build_schedule(terms(grace_principal=2, term=5, start_date=date(2025, 1, 1)))
    assert column(lines[:2], "principal") == [0, 0]
    assert column(lines[:2], "interest") == [D(150000), D(150000)]
    # The annuity is over the 3 remaining instalments: 3,433,830 (see the doctest).
    assert column(lines[2:-1], "instalment") == [D(3433830), D(3433830)]
    assert sum(column(lines, "principal")) == D(10_000_000)


def test_grace_interest_capitalises():
    lines = build_schedule(terms(grace_interest=2, term=5, start_date=date(2025, 1, 1)))
    first, second = lines[0], lines[1]
    for line in (first, second):
        assert (line.principal, line.interest, line.instalment) == (0, 0, 0)
    assert first.closing_balance == D(10_150_000)
    assert second.closing_balance == D(10_302_250)  # 10,150,000 x 1.015
    payment = round_money(annuity_payment(D(10_302_250), D("0.015"), 3), D(1))
    assert column(lines[2:-1], "instalment") == [payment, payment]
    assert sum(column(lines, "principal")) == D(10_302_250)
    assert lines[-1].closing_balance == 0


def test_grace_both_count_from_the_first_instalment():
    lines = build_schedule(
        terms(method="equal_principal", grace_interest=1, grace_principal=2, term=4)
    )
    assert column(lines, "instalment")[0] == 0
    assert lines[1].principal == 0 and lines[1].interest == D(152250)  # 10,150,000 x 0.015
    assert column(lines[2:], "principal") == [D(5075000), D(5075000)]


def test_zero_rate():
    lines = build_schedule(terms(annual_rate=0, term=3))
    assert column(lines, "interest") == [0, 0, 0]
    assert column(lines, "instalment") == [D(3333333), D(3333333), D(3333334)]


def test_rounding_mode_is_a_setting():
    # 1,000,100 x 0.15 / 12 = 12,501.25: 12,501.2 or 12,501.3 to 0.1 depending on the mode.
    common = {"principal": 1_000_100, "annual_rate": "0.15", "method": "bullet", "term": 2}
    half_up = build_schedule(terms(**common, rounding="0.1"))
    half_even = build_schedule(terms(**common, rounding="0.1", rounding_mode="half_even"))
    assert half_up[0].interest == D("12501.3")
    assert half_even[0].interest == D("12501.2")


def test_rounding_to_thousands():
    lines = build_schedule(terms(rounding=1000))
    assert all(line.interest % 1000 == 0 for line in lines)
    assert set(column(lines[:-1], "instalment")) == {D(917000)}
    assert lines[-1].closing_balance == 0


def test_schedule_ignores_caller_context():
    with localcontext() as ctx:
        ctx.prec = 4
        lines = build_schedule(terms())
    assert lines == build_schedule(terms())


def test_line_is_frozen():
    line = build_schedule(terms(term=1))[0]
    assert isinstance(line, Line)
    with pytest.raises(dataclasses.FrozenInstanceError):
        line.interest = D(0)


def test_schedule_totals_empty():
    assert schedule_totals([]) == {"principal": 0, "interest": 0, "instalments": 0}


# ------------------------------------------------------------------ validation
@pytest.mark.parametrize(
    ("overrides", "code"),
    [
        ({"principal": 0}, "invalid_principal"),
        ({"principal": "-5"}, "invalid_principal"),
        ({"principal": "abc"}, "invalid_amount"),
        ({"annual_rate": "-0.01"}, "invalid_rate"),
        ({"term": 0}, "invalid_term"),
        ({"term": 2.0}, "invalid_term"),
        ({"term": True}, "invalid_term"),
        ({"method": "balloon"}, "invalid_method"),
        ({"frequency": "daily"}, "invalid_frequency"),
        ({"grace_principal": 12}, "invalid_grace"),
        ({"grace_interest": 12}, "invalid_grace"),
        ({"grace_interest": -1}, "invalid_grace"),
        ({"first_due_date": date(2025, 1, 15)}, "invalid_first_due"),
        ({"first_due_date": date(2025, 1, 1)}, "invalid_first_due"),
        ({"first_due_date": "2025-03-01"}, "invalid_first_due"),
        ({"start_date": "2025-01-01"}, "invalid_start_date"),
        ({"day_count": "act_360"}, "invalid_day_count"),
        ({"rounding": 0}, "invalid_rounding"),
        ({"rounding_mode": "bankers"}, "invalid_rounding_mode"),
        ({"interest_basis": "weekly"}, "invalid_interest_basis"),
    ],
)
def test_invalid_terms(overrides, code):
    assert error(**overrides)[0] == code


def test_invalid_params():
    assert error(term=0) == ("invalid_term", {"term": 0})
    assert error(grace_principal=1, grace_interest=12) == (
        "invalid_grace",
        {"grace_principal": 1, "grace_interest": 12, "term": 12},
    )
    assert error(first_due_date=date(2025, 1, 15)) == (
        "invalid_first_due",
        {"start": "2025-01-15", "first_due": "2025-01-15"},
    )


def test_terms_are_keyword_only_and_normalised():
    with pytest.raises(TypeError):
        ScheduleTerms(1000, "0.1", 12, "annuity")
    normalised = terms(principal="1500000", annual_rate=0.18, rounding="1")
    assert normalised.principal == D(1_500_000)
    assert normalised.annual_rate == D("0.18")
    assert dataclasses.replace(normalised, term=6).term == 6
    with pytest.raises(EngineError):
        dataclasses.replace(normalised, term=0)


# ------------------------------------------------------------------ properties
UNITS = [D("1"), D("0.01"), D("1000"), D("0.05"), D("0.001")]


@given(
    amount=st.decimals(min_value=D("-1e9"), max_value=D("1e9"), places=6, allow_nan=False),
    unit=st.sampled_from(UNITS + [D("0.010"), D("1E+2")]),
    mode=st.sampled_from(sorted(ROUNDING_MODES)),
)
def test_fast_rounder_is_round_money(amount, unit, mode):
    fast = _rounder(unit, mode)(amount)
    slow = round_money(amount, unit, mode)
    assert fast == slow
    assert fast.as_tuple().exponent == slow.as_tuple().exponent


@st.composite
def schedule_terms(draw):
    term = draw(st.integers(min_value=1, max_value=120))
    unit = draw(st.sampled_from(UNITS))
    start = draw(st.dates(min_value=date(2000, 1, 1), max_value=date(2080, 12, 31)))
    first_due = draw(
        st.none() | st.integers(min_value=1, max_value=70).map(lambda d: start + timedelta(d))
    )
    return ScheduleTerms(
        principal=draw(st.integers(min_value=1, max_value=10**10)) * unit,
        annual_rate=draw(st.decimals(min_value=0, max_value=1, places=4)),
        term=term,
        method=draw(st.sampled_from(METHODS)),
        frequency=draw(st.sampled_from(sorted(PERIODS_PER_YEAR))),
        start_date=start,
        first_due_date=first_due,
        day_count=draw(st.sampled_from(CONVENTIONS)),
        rounding=unit,
        rounding_mode=draw(st.sampled_from(sorted(ROUNDING_MODES))),
        grace_principal=draw(st.integers(min_value=0, max_value=term - 1)),
        grace_interest=draw(st.integers(min_value=0, max_value=term - 1)),
        interest_basis=draw(st.sampled_from(["periodic", "daily"])),
    )


@settings(max_examples=300, deadline=None)
@given(t=schedule_terms())
def test_schedule_invariants(t):
    lines = build_schedule(t)
    assert len(lines) == t.term
    assert column(lines, "seq") == list(range(1, t.term + 1))
    assert lines[0].opening_balance == t.principal
    assert lines[-1].closing_balance == 0
    capitalised = D(0)
    previous = t.start_date
    for index, line in enumerate(lines):
        amounts = (line.principal, line.interest, line.instalment, line.closing_balance)
        assert all(amount >= 0 for amount in amounts)
        assert all(amount % t.rounding == 0 for amount in amounts)
        assert line.due_date > previous
        assert line.days >= 0
        previous = line.due_date
        if index < t.grace_interest:
            assert (line.principal, line.interest, line.instalment) == (0, 0, 0)
            capitalised += line.closing_balance - line.opening_balance
        else:
            assert line.instalment == line.principal + line.interest
            assert line.closing_balance == line.opening_balance - line.principal
            if index < t.grace_principal:
                assert line.principal == 0
        if index:
            assert line.opening_balance == lines[index - 1].closing_balance
    assert capitalised >= 0
    assert sum(column(lines, "principal")) == t.principal + capitalised
    if not t.grace_interest:
        assert sum(column(lines, "principal")) == t.principal
    if t.first_due_date:
        assert lines[0].due_date == t.first_due_date
    if t.frequency == "monthly":
        anchor = t.first_due_date or t.start_date
        for line in lines:
            month_end = calendar.monthrange(line.due_date.year, line.due_date.month)[1]
            assert line.due_date.day == min(anchor.day, month_end)


@settings(max_examples=300, deadline=None)
@given(
    units=st.integers(min_value=10**6, max_value=10**10),
    unit=st.sampled_from(UNITS),
    rate=st.decimals(min_value=0, max_value=D("0.6"), places=4),
    term=st.integers(min_value=2, max_value=120),
    frequency=st.sampled_from(sorted(PERIODS_PER_YEAR)),
    mode=st.sampled_from(sorted(ROUNDING_MODES)),
)
def test_annuity_instalments_are_equal_but_the_last(units, unit, rate, term, frequency, mode):
    t = terms(
        principal=units * unit,
        annual_rate=rate,
        term=term,
        frequency=frequency,
        rounding=unit,
        rounding_mode=mode,
    )
    lines = build_schedule(t)
    payment = round_money(annuity_payment(t.principal, rate / t.periods_per_year, term), unit, mode)
    assert set(column(lines[:-1], "instalment")) == {payment}
    assert lines[-1].instalment > 0
    assert sum(column(lines, "principal")) == t.principal


@settings(max_examples=200, deadline=None)
@given(
    units=st.integers(min_value=1, max_value=10**10),
    unit=st.sampled_from(UNITS),
    rate=st.decimals(min_value=0, max_value=1, places=4),
    term=st.integers(min_value=1, max_value=120),
    frequency=st.sampled_from(sorted(PERIODS_PER_YEAR)),
    mode=st.sampled_from(sorted(ROUNDING_MODES)),
    grace=st.integers(min_value=0, max_value=119),
)
def test_flat_interest_total(units, unit, rate, term, frequency, mode, grace):
    assume(grace < term)
    principal = units * unit
    t = terms(
        principal=principal,
        annual_rate=rate,
        term=term,
        method="flat",
        frequency=frequency,
        rounding=unit,
        rounding_mode=mode,
        grace_interest=grace,
    )
    lines = build_schedule(t)
    exact = principal * rate * term / PERIODS_PER_YEAR[frequency]
    total = round_money(exact, unit, mode)
    # Add-on interest is charged once on the whole amount for the whole term, whatever the
    # grace; capitalised interest is repaid with the principal.
    assert schedule_totals(lines)["instalments"] == principal + total
    if not grace:
        assert sum(column(lines, "interest")) == total
        # Equal shares until the rounded total runs out (a share rounded up may exhaust it).
        share = round_money(exact / term, unit, mode)
        expected = [min(share, max(total - share * i, 0)) for i in range(term - 1)]
        assert column(lines[:-1], "interest") == expected
