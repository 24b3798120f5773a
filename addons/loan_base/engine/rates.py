"""Effective rates and affordability ratios.

* :func:`irr`: the periodic internal rate of return of evenly spaced cash flows.
* :func:`xirr`: the annual effective rate of dated cash flows, with the EU Consumer Credit
  Directive's equation (2008/48/EC Annex I, kept in 2023/2225):
  ``sum(amount_k x (1 + X) ** -t_k) = 0``, ``t_k`` in years of 365 days from the first flow.
* :func:`effective_annual_rate`: that rate for a schedule, fees included, to disclose next to
  the nominal rate (also China's all-in annualised rate, PBOC 2021 No. 3).
* :func:`debt_to_income`, :func:`instalment_to_income`: ratios for affordability rules.

Roots are found with Newton's method, falling back to bisection, in a 28-digit Decimal
context, to a tolerance of 1e-12 on the rate. The results are unrounded Decimals.
"""

from datetime import date, datetime
from decimal import ROUND_HALF_EVEN, ROUND_HALF_UP, Context, Decimal, localcontext

from .exceptions import EngineError
from .money import to_decimal
from .schedule import PERIODS_PER_YEAR

TOLERANCE = Decimal("1e-12")
RATIO = Decimal("0.0001")

_CONTEXT = Context(prec=28, rounding=ROUND_HALF_EVEN)
_ZERO = Decimal(0)
_ONE = Decimal(1)
_DAYS_PER_YEAR = Decimal(365)
_MAX_NEWTON = 60
# Rates tried, lowest first, to bracket a root when Newton's method does not converge.
_GRID = tuple(
    Decimal(x)
    for x in (
        "-0.999999",
        "-0.99",
        "-0.9",
        "-0.75",
        "-0.5",
        "-0.25",
        "-0.1",
        "0",
        "0.05",
        "0.1",
        "0.25",
        "0.5",
        "1",
        "2",
        "5",
        "10",
        "100",
        "1000",
        "1000000",
    )
)


def _amounts(values):
    amounts = [to_decimal(value) for value in values]
    if not any(a > 0 for a in amounts) or not any(a < 0 for a in amounts):
        raise EngineError("irr_no_solution", reason="no_sign_change")
    return amounts


def _solve(value_and_slope, guess):
    """A root above -1 of the function whose value and derivative ``value_and_slope`` gives."""
    rate = guess
    for _ in range(_MAX_NEWTON):
        value, slope = value_and_slope(rate)
        if not value:
            return rate
        if not slope:
            break
        step = value / slope
        rate -= step
        if rate <= -1:
            break
        if abs(step) < TOLERANCE:
            return rate
    return _bisect(lambda r: value_and_slope(r)[0])


def _bisect(value_at):
    low = _GRID[0]
    low_value = value_at(low)
    for high in _GRID[1:]:
        high_value = value_at(high)
        if not high_value:
            return high
        if (low_value < 0) != (high_value < 0):
            break
        low, low_value = high, high_value
    else:
        raise EngineError("irr_no_solution", reason="no_root_found")
    while high - low > TOLERANCE:
        middle = (low + high) / 2
        middle_value = value_at(middle)
        if not middle_value:
            return middle
        if (low_value < 0) == (middle_value < 0):
            low, low_value = middle, middle_value
        else:
            high = middle
    return (low + high) / 2


def irr(cashflows, guess=Decimal("0.1")):
    """The periodic rate ``r`` with ``sum(cashflows[k] / (1 + r) ** k) == 0``.

    The first flow is at period 0. Flows must change sign at least once, otherwise
    ``irr_no_solution``; with several sign changes several rates may solve the equation and
    the one nearest ``guess`` is usually returned. Same as spreadsheet ``IRR``.

    >>> irr([-100, 39, 59, 55, 20]).quantize(Decimal("0.00001"))
    Decimal('0.28095')
    >>> irr([-1000, 1100])
    Decimal('0.1')
    >>> (irr(["-15000"] + ["304.145914"] * 60) * 12).quantize(Decimal("0.000001"))
    Decimal('0.080000')
    >>> try:
    ...     irr([100, 10, 20])
    ... except EngineError as exc:
    ...     print(exc.code, exc.params)
    irr_no_solution {'reason': 'no_sign_change'}
    """
    with localcontext(_CONTEXT):
        flows = _amounts(cashflows)

        def value_and_slope(rate):
            discount = _ONE / (_ONE + rate)
            factor = _ONE
            value = slope = _ZERO
            for period, amount in enumerate(flows):
                value += amount * factor
                slope -= period * amount * factor
                factor *= discount
            return value, slope * discount

        return _solve(value_and_slope, to_decimal(guess))


def xirr(dated_flows, guess=Decimal("0.1")):
    """The annual effective rate ``X`` of ``(date, amount)`` flows, actual/365 exponents.

    Solves ``sum(amount_k x (1 + X) ** -t_k) = 0`` with ``t_k`` = days from the earliest
    date / 365 (EU CCD Annex I; Excel's ``XIRR``). Flows need not be sorted and must change
    sign, otherwise ``irr_no_solution``.

    >>> xirr([(date(2025, 1, 1), -1000), (date(2026, 1, 1), 1200)]).quantize(TOLERANCE)
    Decimal('0.200000000000')
    >>> flows = [(date(2008, 1, 1), -10000), (date(2008, 3, 1), 2750),
    ...          (date(2008, 10, 30), 4250), (date(2009, 2, 15), 3250),
    ...          (date(2009, 4, 1), 2750)]
    >>> xirr(flows).quantize(Decimal("0.0001"))  # Excel's XIRR help example: 37.34 %
    Decimal('0.3734')
    >>> try:
    ...     xirr([(date(2025, 1, 1), -1000), (date(2025, 1, 1), -10)])
    ... except EngineError as exc:
    ...     print(exc.code, exc.params)
    irr_no_solution {'reason': 'no_sign_change'}
    """
    with localcontext(_CONTEXT):
        flows = list(dated_flows)
        for when, _amount in flows:
            if not isinstance(when, date) or isinstance(when, datetime):
                raise EngineError("invalid_date", value=when)
        amounts = _amounts(amount for _when, amount in flows)
        first = min(when for when, _amount in flows)
        years = [Decimal((when - first).days) / _DAYS_PER_YEAR for when, _amount in flows]
        terms = list(zip(years, amounts, strict=True))

        def value_and_slope(rate):
            log_growth = (_ONE + rate).ln()
            value = slope = _ZERO
            for t, amount in terms:
                discounted = amount * (-t * log_growth).exp() if t else amount
                value += discounted
                slope -= t * discounted
            return value, slope / (_ONE + rate)

        return _solve(value_and_slope, to_decimal(guess))


def effective_annual_rate(principal, lines, upfront_fees=0, periodic_fees=0, *, start_date):
    """The annual percentage rate of charge of a schedule, fees included (:func:`xirr`).

    The borrower receives ``principal - upfront_fees`` on ``start_date`` (keyword) and pays
    each line's ``instalment`` plus ``periodic_fees`` on its ``due_date``; ``lines`` are
    :class:`~.schedule.Line` (anything with ``due_date`` and ``instalment``).

    >>> from .schedule import ScheduleTerms, build_schedule
    >>> terms = ScheduleTerms(principal=10_000_000, annual_rate="0.18", term=12,
    ...                       method="annuity", start_date=date(2025, 1, 15))
    >>> lines = build_schedule(terms)
    >>> q = Decimal("0.0001")
    >>> effective_annual_rate(10_000_000, lines, start_date=date(2025, 1, 15)).quantize(q)
    Decimal('0.1965')
    >>> effective_annual_rate(10_000_000, lines, upfront_fees=200_000, periodic_fees=10_000,
    ...                       start_date=date(2025, 1, 15)).quantize(q)
    Decimal('0.2698')
    """
    cash = to_decimal(principal) - to_decimal(upfront_fees)
    fees = to_decimal(periodic_fees)
    flows = [(start_date, cash)]
    flows.extend((line.due_date, -(line.instalment + fees)) for line in lines)
    return xirr(flows)


def _periods(periods_per_year):
    if isinstance(periods_per_year, str):
        periods = PERIODS_PER_YEAR.get(periods_per_year)
    elif isinstance(periods_per_year, int) and not isinstance(periods_per_year, bool):
        periods = periods_per_year if periods_per_year >= 1 else None
    else:
        periods = None
    if periods is None:
        raise EngineError("invalid_periods_per_year", periods_per_year=periods_per_year)
    return periods


def nominal_to_periodic(annual_rate, periods_per_year):
    """The rate of one period of a nominal ``annual_rate``: ``annual_rate / periods_per_year``.

    ``periods_per_year`` is a count or a schedule frequency (``'monthly'``, ...).

    >>> nominal_to_periodic("0.18", 12)
    Decimal('0.015')
    >>> nominal_to_periodic("0.26", "fortnightly")
    Decimal('0.01')
    >>> try:
    ...     nominal_to_periodic("0.18", 0)
    ... except EngineError as exc:
    ...     print(exc.code, exc.params)
    invalid_periods_per_year {'periods_per_year': 0}
    """
    periods = _periods(periods_per_year)
    with localcontext(_CONTEXT):
        return to_decimal(annual_rate) / periods


def periodic_to_annual_effective(rate, periods_per_year):
    """The annual effective rate of a periodic ``rate`` compounded ``periods_per_year`` times.

    >>> periodic_to_annual_effective("0.015", 12).quantize(Decimal("0.000001"))
    Decimal('0.195618')
    >>> periodic_to_annual_effective("0.1", 1)
    Decimal('0.1')
    """
    periods = _periods(periods_per_year)
    with localcontext(_CONTEXT):
        return (_ONE + to_decimal(rate)) ** periods - _ONE


def _ratio(amount, monthly_income):
    income = to_decimal(monthly_income)
    if income <= 0:
        raise EngineError("invalid_income", income=monthly_income)
    if amount < 0:
        raise EngineError("invalid_amount", value=amount)
    with localcontext(_CONTEXT):
        return (amount / income).quantize(RATIO, rounding=ROUND_HALF_UP)


def debt_to_income(monthly_debt_payments, monthly_income):
    """Monthly debt payments over monthly income, rounded half-up to 4 decimals.

    ``monthly_debt_payments`` is one amount or an iterable of amounts (all the borrower's
    instalments, the new loan's included when checking a limit).

    >>> debt_to_income([3_000_000, 1_500_000], 15_000_000)
    Decimal('0.3000')
    >>> debt_to_income("2000", "7000")
    Decimal('0.2857')
    >>> try:
    ...     debt_to_income(1000, 0)
    ... except EngineError as exc:
    ...     print(exc.code, exc.params)
    invalid_income {'income': 0}
    """
    if isinstance(monthly_debt_payments, (Decimal, int, float, str)):
        total = to_decimal(monthly_debt_payments)
    else:
        total = sum((to_decimal(p) for p in monthly_debt_payments), _ZERO)
    return _ratio(total, monthly_income)


def instalment_to_income(instalment, monthly_income):
    """One instalment over monthly income, rounded half-up to 4 decimals.

    >>> instalment_to_income(916_800, 12_000_000)
    Decimal('0.0764')
    """
    return _ratio(to_decimal(instalment), monthly_income)
