from datetime import date, datetime, timedelta
from decimal import Decimal, localcontext

import pytest
from engine.exceptions import EngineError
from engine.rates import (
    TOLERANCE,
    debt_to_income,
    effective_annual_rate,
    instalment_to_income,
    irr,
    nominal_to_periodic,
    periodic_to_annual_effective,
    xirr,
)
from engine.schedule import METHODS, ScheduleTerms, annuity_payment, build_schedule
from hypothesis import given, settings
from hypothesis import strategies as st

D = Decimal
FIVE = D("0.00001")


def code_of(function, *args, **kwargs):
    with pytest.raises(EngineError) as info:
        function(*args, **kwargs)
    return info.value.code, info.value.params


# ------------------------------------------------------------------ irr
def test_irr_public_vector():
    # numpy-financial: irr([-100, 39, 59, 55, 20]) = 0.28095
    assert irr([-100, 39, 59, 55, 20]).quantize(FIVE) == D("0.28095")


@pytest.mark.parametrize(
    ("flows", "expected"),
    [
        # numpy-financial's documented examples of irr.
        ([-100, 0, 0, 74], "-0.09550"),
        ([-100, 100, 0, -7], "-0.08330"),
        ([-100, 100, 0, 7], "0.06206"),
        (["-5", "10.5", "1", "-8", "1"], "0.08860"),
        ([-1000, 1100], "0.10000"),
        ([-1000, 0, 1210], "0.10000"),
        ([0, -1000, 1000], "0.00000"),
    ],
)
def test_irr_examples(flows, expected):
    assert irr(flows).quantize(FIVE) == D(expected)


@pytest.mark.parametrize("guess", ["-0.999999", "-0.9", "0", "0.5", "5", "1000", "1e6"])
def test_irr_any_guess_finds_the_root(guess):
    # Far guesses make Newton's method fail and the bisection take over.
    result = irr([-100, 39, 59, 55, 20], guess=D(guess))
    assert abs(result - D("0.28094842115996")) < TOLERANCE


def test_irr_returns_an_exact_root():
    assert irr([-1000, 1100]) == D("0.1")


@pytest.mark.parametrize("flows", [[100, 10, 20], [-1, -2], [0, 0, 0], [], [5]])
def test_irr_no_sign_change(flows):
    assert code_of(irr, flows) == ("irr_no_solution", {"reason": "no_sign_change"})


def test_irr_no_root():
    # 1 - v + v**2 > 0 for every discount factor v: the flows change sign but have no IRR.
    assert code_of(irr, [1, -1, 1]) == ("irr_no_solution", {"reason": "no_root_found"})


def test_irr_rejects_bad_amounts():
    assert code_of(irr, [-100, "abc"])[0] == "invalid_amount"


def test_irr_ignores_caller_context():
    with localcontext() as ctx:
        ctx.prec = 6
        result = irr([-100, 39, 59, 55, 20])
    assert abs(result - D("0.28094842115996")) < TOLERANCE


@settings(max_examples=100, deadline=None)
@given(
    principal=st.integers(min_value=100, max_value=10**10),
    rate=st.decimals(min_value=D("0.0001"), max_value=D("0.1"), places=5),
    n=st.integers(min_value=1, max_value=360),
)
def test_irr_of_an_annuity_is_its_rate(principal, rate, n):
    payment = annuity_payment(principal, rate, n)
    assert abs(irr([-principal] + [payment] * n) - rate) < D("1e-10")


# ------------------------------------------------------------------ xirr
def test_xirr_one_year():
    assert abs(xirr([(date(2025, 1, 1), -1000), (date(2026, 1, 1), 1200)]) - D("0.2")) < TOLERANCE
    # Actual/365: a leap year has 366 days, so 20 % over it is slightly more than 20 % a year.
    leap = xirr([(date(2024, 1, 1), -1000), (date(2025, 1, 1), 1200)])
    assert abs(leap - (D("1.2") ** (D(365) / 366) - 1)) < TOLERANCE


def test_xirr_excel_example():
    # Excel's XIRR help: 37.34 %; Excel stops at a tolerance of 1e-8, hence its 0.373362535.
    flows = [
        (date(2008, 1, 1), -10000),
        (date(2008, 3, 1), 2750),
        (date(2008, 10, 30), 4250),
        (date(2009, 2, 15), 3250),
        (date(2009, 4, 1), 2750),
    ]
    result = xirr(flows)
    assert abs(result - D("0.37336253351883")) < TOLERANCE
    assert xirr(list(reversed(flows))) == result  # the order of the flows does not matter
    residual = sum(D(a) * (1 + result) ** (-D((d - flows[0][0]).days) / 365) for d, a in flows)
    assert abs(residual) < D("1e-8")


def test_xirr_matches_irr_on_365_day_periods():
    flows = [-1000, 300, 400, 500]
    dated = [(date(2021, 1, 1) + timedelta(days=365 * k), a) for k, a in enumerate(flows)]
    assert abs(xirr(dated) - irr(flows)) < TOLERANCE


def test_xirr_errors():
    assert code_of(xirr, [(date(2025, 1, 1), 100), (date(2026, 1, 1), 100)])[0] == (
        "irr_no_solution"
    )
    assert code_of(xirr, [("2025-01-01", -100), (date(2026, 1, 1), 110)])[0] == "invalid_date"
    assert code_of(xirr, [(datetime(2025, 1, 1), -100), (date(2026, 1, 1), 110)])[0] == (
        "invalid_date"
    )


@settings(max_examples=50, deadline=None)
@given(
    rate=st.decimals(min_value=D("0.01"), max_value=D("0.6"), places=3),
    term=st.integers(min_value=1, max_value=104),
)
def test_xirr_of_a_weekly_annuity(rate, term):
    # A weekly annuity at rate/52 every 7 days compounds to (1 + rate/52) ** (365/7) - 1.
    start = date(2025, 1, 1)
    lines = build_schedule(
        ScheduleTerms(
            principal=10**9,
            annual_rate=rate,
            term=term,
            method="annuity",
            frequency="weekly",
            start_date=start,
            rounding=D("1e-12"),
        )
    )
    expected = (1 + rate / 52) ** (D(365) / 7) - 1
    assert abs(effective_annual_rate(10**9, lines, start_date=start) - expected) < D("1e-9")


# ------------------------------------------------------------------ effective annual rate
def vnd_lines(**overrides):
    values = {
        "principal": 10_000_000,
        "annual_rate": "0.18",
        "term": 12,
        "method": "annuity",
        "start_date": date(2025, 1, 15),
    }
    values.update(overrides)
    return build_schedule(ScheduleTerms(**values))


def test_effective_annual_rate_vnd():
    start = date(2025, 1, 15)
    lines = vnd_lines()
    # (1 + 0.18/12) ** 12 - 1 = 19.56 % for equal months; the actual dates (February is
    # short, so instalments 2-12 fall earlier than 1/12 years apart) give 19.65 %.
    assert effective_annual_rate(10_000_000, lines, start_date=start).quantize(D("0.0001")) == (
        D("0.1965")
    )
    with_fees = effective_annual_rate(
        10_000_000, lines, upfront_fees=200_000, periodic_fees=10_000, start_date=start
    )
    assert with_fees.quantize(D("0.0001")) == D("0.2698")


def test_effective_annual_rate_bullet_with_fee():
    # 1000 lent for exactly one 365-day year at 10 %, a 50 fee withheld: 1100 / 950 - 1.
    start = date(2025, 1, 1)
    lines = build_schedule(
        ScheduleTerms(
            principal=1000,
            annual_rate="0.1",
            term=1,
            method="bullet",
            frequency="monthly",
            start_date=start,
            first_due_date=date(2026, 1, 1),
            interest_basis="daily",
        )
    )
    assert lines[0].instalment == 1100
    assert abs(effective_annual_rate(1000, lines, start_date=start) - D("0.1")) < TOLERANCE
    rate = effective_annual_rate(1000, lines, upfront_fees=50, start_date=start)
    assert abs(rate - (D(1100) / 950 - 1)) < TOLERANCE


def test_effective_annual_rate_needs_a_start_date():
    with pytest.raises(TypeError):
        effective_annual_rate(1000, vnd_lines())


@settings(max_examples=150, deadline=None)
@given(
    units=st.integers(min_value=10**6, max_value=10**10),
    unit=st.sampled_from([D("1"), D("0.01")]),
    rate=st.decimals(min_value=0, max_value=D("0.6"), places=4),
    term=st.integers(min_value=1, max_value=60),
    method=st.sampled_from(METHODS),
    frequency=st.sampled_from(["monthly", "fortnightly", "weekly"]),
    basis=st.sampled_from(["periodic", "daily"]),
    upfront=st.decimals(min_value=D("0.01"), max_value=D("0.1"), places=4),
    periodic=st.decimals(min_value=0, max_value=D("0.01"), places=4),
    start=st.dates(min_value=date(2000, 1, 1), max_value=date(2080, 12, 31)),
)
def test_effective_rate_with_fees_is_not_below_nominal(
    units, unit, rate, term, method, frequency, basis, upfront, periodic, start
):
    # Without fees the effective rate can fall a hair below the nominal one: interest rounded
    # down to the currency, or 12 monthly periods spanning a 366-day year counted in 365ths.
    # A fee of 1 % or more outweighs both (a fee of 1e-6 of the amount does not).
    principal = units * unit
    lines = build_schedule(
        ScheduleTerms(
            principal=principal,
            annual_rate=rate,
            term=term,
            method=method,
            frequency=frequency,
            start_date=start,
            rounding=unit,
            interest_basis=basis,
        )
    )
    eir = effective_annual_rate(
        principal,
        lines,
        upfront_fees=principal * upfront,
        periodic_fees=principal * periodic,
        start_date=start,
    )
    assert eir >= rate


# ------------------------------------------------------------------ conversions
def test_nominal_to_periodic():
    assert nominal_to_periodic("0.18", 12) == D("0.015")
    assert nominal_to_periodic("0.52", "weekly") == D("0.01")
    assert nominal_to_periodic(D("0.1"), 12) == D("0.1") / 12


@pytest.mark.parametrize("periods", [0, -12, "daily", 1.5, None, True])
def test_invalid_periods_per_year(periods):
    assert code_of(nominal_to_periodic, "0.1", periods) == (
        "invalid_periods_per_year",
        {"periods_per_year": periods},
    )
    assert code_of(periodic_to_annual_effective, "0.1", periods)[0] == "invalid_periods_per_year"


def test_periodic_to_annual_effective():
    assert periodic_to_annual_effective("0.015", 12).quantize(D("0.00000001")) == D("0.19561817")
    assert periodic_to_annual_effective(0, "monthly") == 0
    assert periodic_to_annual_effective("0.01", 2) == D("0.0201")


# ------------------------------------------------------------------ affordability
@pytest.mark.parametrize(
    ("debts", "income", "expected"),
    [
        ([3_000_000, 1_500_000], 15_000_000, "0.3000"),
        ((x for x in ["1000", "1000"]), "6000", "0.3333"),
        (2000, 3000, "0.6667"),
        ("1", "20000", "0.0001"),  # 0.00005: half-up, not half-even
        ([], 1000, "0.0000"),
        (0, 1000, "0.0000"),
        (D("30000000"), D("15000000"), "2.0000"),
    ],
)
def test_debt_to_income(debts, income, expected):
    result = debt_to_income(debts, income)
    assert str(result) == expected


@pytest.mark.parametrize("income", [0, -1, "0.00"])
def test_debt_to_income_invalid_income(income):
    assert code_of(debt_to_income, 100, income) == ("invalid_income", {"income": income})
    assert code_of(instalment_to_income, 100, income)[0] == "invalid_income"


def test_debt_to_income_negative_debt():
    assert code_of(debt_to_income, [100, -200], 1000)[0] == "invalid_amount"
    assert code_of(debt_to_income, "abc", 1000)[0] == "invalid_amount"


def test_instalment_to_income():
    assert instalment_to_income(916_800, 12_000_000) == D("0.0764")
    assert instalment_to_income("1250.5", "5000") == D("0.2501")
