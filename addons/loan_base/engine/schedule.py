"""Repayment schedules: annuity, equal principal, flat (add-on) and bullet loans.

A :class:`ScheduleTerms` holds what a contract says (amount, rate, number of instalments,
method, frequency, dates, rounding, grace); :func:`build_schedule` turns it into
:class:`Line` records, computed as data first, the way Odoo's payment terms are.

Rules every schedule follows:

* each period's interest and each instalment are rounded to the currency ``rounding`` with
  ``rounding_mode`` (:func:`~.money.round_money`);
* the last instalment absorbs the residual: the principal column sums to the amount lent
  plus any capitalised interest, and the balance ends at exactly 0;
* no amount is negative and due dates are strictly increasing; monthly due dates keep the day
  of month of the first due date (or of the disbursement) clamped to the month's end, so
  Jan 31 is followed by Feb 28 (29) and Mar 31.

Interest of a period, ``interest_basis``:

* ``'periodic'``: balance x annual rate / periods per year, the textbook annuity (what
  spreadsheet ``PMT``/``IPMT`` give). A first period of broken days (``first_due_date``)
  accrues for its actual days under the day count.
* ``'daily'``: balance x annual rate x year fraction of the period under the day count, e.g.
  Vietnam's balance x days x rate / 365 (Circular 14/2017).

Equal instalments (``annuity``): when every period left to repay has the same rate (periodic
interest, no broken first period among them) the instalment is the textbook
:func:`annuity_payment`. When the periods differ (daily interest, or a broken first period) it
is computed from each period's own rate, as Fineract's progressive EMI calculator and Mambu do:
``balance / sum over k of prod over j <= k of 1 / (1 + r_j)`` (:func:`equal_payment`), so that
the last instalment differs from the others by rounding only. A period whose interest exceeds
the instalment (a long broken period) pays its interest only, and the instalment is computed
again over the periods left.

The ``flat`` method charges principal x annual rate x term in years (``term`` / periods per
year) once, spread evenly over the instalments; day counts and broken periods do not change it.

Grace: the first ``grace_interest`` instalments pay nothing, their interest is added to the
balance (capitalised) and shows as ``closing_balance - opening_balance`` on the line; the
first ``grace_principal`` instalments pay no principal. Both count from the first instalment,
so principal is repaid from instalment ``max(grace_principal, grace_interest) + 1``.
"""

import calendar
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_EVEN, Context, Decimal, localcontext

from .daycount import ACT_365F, CONVENTIONS, day_count, period_interest
from .exceptions import EngineError
from .money import ROUNDING_MODES, to_decimal

ANNUITY = "annuity"
EQUAL_PRINCIPAL = "equal_principal"
FLAT = "flat"
BULLET = "bullet"
METHODS = (ANNUITY, EQUAL_PRINCIPAL, FLAT, BULLET)

MONTHLY = "monthly"
FORTNIGHTLY = "fortnightly"
WEEKLY = "weekly"
PERIODS_PER_YEAR = {MONTHLY: 12, FORTNIGHTLY: 26, WEEKLY: 52}
PERIOD_DAYS = {FORTNIGHTLY: 14, WEEKLY: 7}

PERIODIC = "periodic"
DAILY = "daily"
INTEREST_BASES = (PERIODIC, DAILY)

# Every schedule is computed in the same context, whatever the caller's thread context says.
_CONTEXT = Context(prec=28, rounding=ROUND_HALF_EVEN)
_ONE = Decimal(1)
_DAYS_IN_MONTH = (0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


def _is_int(value):
    return isinstance(value, int) and not isinstance(value, bool)


def _is_date(value):
    return isinstance(value, date) and not isinstance(value, datetime)


@dataclass(frozen=True, kw_only=True)
class ScheduleTerms:
    """The terms a schedule is built from, validated and normalised on creation.

    Keyword arguments only. ``principal``, ``annual_rate`` (a fraction, ``0.18`` for 18 %)
    and ``rounding`` accept anything :func:`~.money.to_decimal` does and are stored as
    Decimals. ``term`` is the number of instalments, ``start_date`` the disbursement date,
    ``first_due_date`` an optional first due date after it (a first period of broken days).
    ``day_count`` is a :mod:`~.daycount` convention, ``rounding_mode`` a key of
    :data:`~.money.ROUNDING_MODES`. Errors: ``invalid_principal`` (not above 0),
    ``invalid_rate`` (below 0), ``invalid_term`` (below 1), ``invalid_method``,
    ``invalid_frequency``, ``invalid_grace`` (negative or not below ``term``),
    ``invalid_start_date``, ``invalid_first_due`` (not after ``start_date``),
    ``invalid_day_count``, ``invalid_rounding``, ``invalid_rounding_mode``,
    ``invalid_interest_basis``.

    >>> terms = ScheduleTerms(principal=1000, annual_rate="0.12", term=3, method="annuity",
    ...                       start_date=date(2025, 1, 31))
    >>> terms.principal, terms.annual_rate, terms.rounding
    (Decimal('1000'), Decimal('0.12'), Decimal('1'))
    >>> try:
    ...     ScheduleTerms(principal=1000, annual_rate="0.12", term=3, method="annuity",
    ...                   start_date=date(2025, 1, 31), grace_principal=3)
    ... except EngineError as exc:
    ...     print(exc.code, exc.params)
    invalid_grace {'grace_principal': 3, 'grace_interest': 0, 'term': 3}
    """

    principal: Decimal
    annual_rate: Decimal
    term: int
    method: str
    frequency: str = MONTHLY
    start_date: date
    first_due_date: date | None = None
    day_count: str = ACT_365F
    rounding: Decimal = _ONE
    rounding_mode: str = "half_up"
    grace_principal: int = 0
    grace_interest: int = 0
    interest_basis: str = PERIODIC

    def __post_init__(self):
        principal = to_decimal(self.principal)
        if principal <= 0:
            raise EngineError("invalid_principal", principal=self.principal)
        rate = to_decimal(self.annual_rate)
        if rate < 0:
            raise EngineError("invalid_rate", rate=self.annual_rate)
        term = self.term
        if not _is_int(term) or term < 1:
            raise EngineError("invalid_term", term=term)
        if self.method not in METHODS:
            raise EngineError("invalid_method", method=self.method)
        if self.frequency not in PERIODS_PER_YEAR:
            raise EngineError("invalid_frequency", frequency=self.frequency)
        for grace in (self.grace_principal, self.grace_interest):
            if not _is_int(grace) or not 0 <= grace < term:
                raise EngineError(
                    "invalid_grace",
                    grace_principal=self.grace_principal,
                    grace_interest=self.grace_interest,
                    term=term,
                )
        if not _is_date(self.start_date):
            raise EngineError("invalid_start_date", start=self.start_date)
        first_due = self.first_due_date
        if first_due is not None and (not _is_date(first_due) or first_due <= self.start_date):
            raise EngineError(
                "invalid_first_due",
                start=self.start_date.isoformat(),
                first_due=first_due.isoformat() if _is_date(first_due) else first_due,
            )
        if self.day_count not in CONVENTIONS:
            raise EngineError("invalid_day_count", convention=self.day_count)
        rounding = to_decimal(self.rounding)
        if rounding <= 0:
            raise EngineError("invalid_rounding", rounding=self.rounding)
        if self.rounding_mode not in ROUNDING_MODES:
            raise EngineError("invalid_rounding_mode", mode=self.rounding_mode)
        if self.interest_basis not in INTEREST_BASES:
            raise EngineError("invalid_interest_basis", basis=self.interest_basis)
        object.__setattr__(self, "principal", principal)
        object.__setattr__(self, "annual_rate", rate)
        object.__setattr__(self, "rounding", rounding)

    @property
    def periods_per_year(self):
        """12, 26 or 52 for a monthly, fortnightly or weekly schedule."""
        return PERIODS_PER_YEAR[self.frequency]


@dataclass(frozen=True, slots=True)
class Line:
    """One instalment of a schedule; amounts are Decimals in the currency's rounding.

    ``days`` counts the period from the previous due date (the disbursement for the first
    line) under the schedule's day count. ``instalment = principal + interest`` and
    ``closing_balance = opening_balance - principal``, except on an interest grace line,
    where nothing is paid and the period's interest is added to the closing balance.
    """

    seq: int
    due_date: date
    days: int
    opening_balance: Decimal
    principal: Decimal
    interest: Decimal
    instalment: Decimal
    closing_balance: Decimal


def _rounder(rounding, mode):
    """A one-argument function rounding exactly like ``round_money(x, rounding, mode)``.

    Resolves the unit, mode and result exponent once per schedule instead of once per amount.
    """
    method = ROUNDING_MODES[mode]
    _sign, digits, exponent = rounding.as_tuple()
    if digits == (1,) and exponent <= 0:
        # A power of ten: one quantize gives the same digits as round_money's divide-quantize.
        return lambda amount: amount.quantize(rounding, rounding=method)
    places = _ONE.scaleb(min(exponent, 0))
    return lambda amount: ((amount / rounding).quantize(_ONE, rounding=method) * rounding).quantize(
        places
    )


def _add_months(anchor, months):
    month0 = anchor.month - 1 + months
    year = anchor.year + month0 // 12
    month = month0 % 12 + 1
    day = anchor.day
    if day > 28:
        last = _DAYS_IN_MONTH[month]
        if month == 2 and calendar.isleap(year):
            last = 29
        day = min(day, last)
    return date(year, month, day)


def _due_dates(start_date, term, frequency, first_due_date):
    anchor = first_due_date or start_date
    offset = 0 if first_due_date else 1
    if frequency == MONTHLY:
        return [_add_months(anchor, k) for k in range(offset, term + offset)]
    step = PERIOD_DAYS[frequency]
    return [anchor + timedelta(days=step * k) for k in range(offset, term + offset)]


def due_dates(start_date, term, frequency=MONTHLY, first_due_date=None):
    """The ``term`` due dates of a schedule disbursed on ``start_date``.

    Without ``first_due_date`` the first instalment falls one period after ``start_date``;
    with it, the first falls on ``first_due_date`` and the next ones follow it by whole
    periods. Monthly dates keep the anchor's day of month, clamped to the month's end.

    >>> [d.isoformat() for d in due_dates(date(2024, 1, 31), 4)]
    ['2024-02-29', '2024-03-31', '2024-04-30', '2024-05-31']
    >>> [d.isoformat() for d in due_dates(date(2025, 1, 10), 3, first_due_date=date(2025, 2, 28))]
    ['2025-02-28', '2025-03-28', '2025-04-28']
    >>> [d.isoformat() for d in due_dates(date(2025, 1, 1), 3, "fortnightly")]
    ['2025-01-15', '2025-01-29', '2025-02-12']
    >>> try:
    ...     due_dates(date(2025, 1, 1), 3, "daily")
    ... except EngineError as exc:
    ...     print(exc.code, exc.params)
    invalid_frequency {'frequency': 'daily'}
    """
    terms = ScheduleTerms(
        principal=1,
        annual_rate=0,
        term=term,
        method=ANNUITY,
        frequency=frequency,
        start_date=start_date,
        first_due_date=first_due_date,
    )
    return _due_dates(terms.start_date, terms.term, terms.frequency, terms.first_due_date)


def annuity_payment(principal, periodic_rate, n):
    """The unrounded equal instalment repaying ``principal`` in ``n`` periods at ``periodic_rate``.

    ``principal x r / (1 - (1 + r) ** -n)``, or ``principal / n`` when the rate is 0;
    the same as spreadsheet ``PMT`` with the sign flipped.

    >>> annuity_payment(15000, Decimal("0.08") / 12, 60).quantize(Decimal("0.000001"))
    Decimal('304.145914')
    >>> annuity_payment(10_000_000, "0.015", 12).quantize(Decimal("0.01"))
    Decimal('916799.93')
    >>> annuity_payment(1200, 0, 12)
    Decimal('100')
    >>> try:
    ...     annuity_payment(1000, "0.01", 0)
    ... except EngineError as exc:
    ...     print(exc.code, exc.params)
    invalid_term {'term': 0}
    """
    if not _is_int(n) or n < 1:
        raise EngineError("invalid_term", term=n)
    with localcontext(_CONTEXT):
        return _annuity_payment(to_decimal(principal), to_decimal(periodic_rate), n)


def _annuity_payment(principal, rate, n):
    if not rate:
        return principal / n
    return principal * rate / (_ONE - (_ONE + rate) ** -n)


def equal_payment(principal, period_rates):
    """The unrounded equal instalment repaying ``principal`` over periods of unequal rates.

    ``period_rates`` holds each period's own rate (annual rate x year fraction of the period),
    in due date order: the instalment is ``principal / sum over k of prod over j <= k of
    1 / (1 + r_j)``, the amount whose present value at the periods' own rates is the
    principal. With equal rates it is :func:`annuity_payment`.

    >>> equal_payment(15000, [Decimal("0.08") / 12] * 60).quantize(Decimal("0.000001"))
    Decimal('304.145914')
    >>> # 1000 / (1 / 1.25 + 1 / (1.25 x 1.6)) = 1000 / 1.3: 250 interest and 519.23 principal,
    >>> # then 480.77 x 0.6 = 288.46 interest and 480.77 principal.
    >>> equal_payment(1000, ["0.25", "0.6"]).quantize(Decimal("0.01"))
    Decimal('769.23')
    >>> equal_payment(1200, [0, 0, 0])
    Decimal('400')
    >>> try:
    ...     equal_payment(1000, [])
    ... except EngineError as exc:
    ...     print(exc.code, exc.params)
    invalid_term {'term': 0}
    """
    if not period_rates:
        raise EngineError("invalid_term", term=0)
    with localcontext(_CONTEXT):
        return _equal_payment(to_decimal(principal), [to_decimal(r) for r in period_rates])


def _equal_payment(principal, rates):
    factor = _ONE
    total = Decimal(0)
    for rate in rates:
        factor /= _ONE + rate
        total += factor
    return principal / total


def _period_rates(terms, dates, start):
    """The rates of the periods from index ``start`` to the last: annual rate x year fraction
    on the daily basis and for a broken first period, annual rate / periods per year else."""
    rate = terms.annual_rate
    periodic = rate / PERIODS_PER_YEAR[terms.frequency]
    daily = terms.interest_basis == DAILY
    broken = terms.first_due_date is not None
    previous = dates[start - 1] if start else terms.start_date
    rates = []
    for index in range(start, len(dates)):
        due = dates[index]
        if daily or (broken and not index):
            rates.append(period_interest(_ONE, rate, previous, due, terms.day_count))
        else:
            rates.append(periodic)
        previous = due
    return rates


def build_schedule(terms):
    """The repayment schedule of ``terms``, a list of :class:`Line` in due date order.

    10,000,000 VND at 18 % a year over 3 months, annuity, rounded to 1 VND half-up:

    >>> terms = ScheduleTerms(principal=10_000_000, annual_rate="0.18", term=3,
    ...                       method="annuity", start_date=date(2025, 1, 15))
    >>> for line in build_schedule(terms):
    ...     print(line.seq, line.due_date, line.days, line.opening_balance, line.principal,
    ...           line.interest, line.instalment, line.closing_balance)
    1 2025-02-15 31 10000000 3283830 150000 3433830 6716170
    2 2025-03-15 28 6716170 3333087 100743 3433830 3383083
    3 2025-04-15 31 3383083 3383083 50746 3433829 0

    Interest on actual days after a 46-day first period: the equal instalment comes from each
    period's own rate, so the last one differs from the others by rounding only:

    >>> daily = ScheduleTerms(principal=50_000_000, annual_rate="0.30", term=36,
    ...                       method="annuity", start_date=date(2025, 1, 10),
    ...                       first_due_date=date(2025, 2, 25), interest_basis="daily")
    >>> lines = build_schedule(daily)
    >>> {x.instalment for x in lines[:-1]}, lines[-1].instalment
    ({Decimal('2146691')}, Decimal('2146699'))

    Flat (add-on) interest, 12 % a year on the full amount for 3 months, spread evenly:

    >>> flat = ScheduleTerms(principal="1000.00", annual_rate="0.12", term=3, method="flat",
    ...                      start_date=date(2025, 1, 31), rounding="0.01")
    >>> [(str(x.due_date), x.principal, x.interest) for x in build_schedule(flat)]
    ... # doctest: +NORMALIZE_WHITESPACE
    [('2025-02-28', Decimal('333.33'), Decimal('10.00')),
     ('2025-03-31', Decimal('333.33'), Decimal('10.00')),
     ('2025-04-30', Decimal('333.34'), Decimal('10.00'))]

    One month of interest grace (capitalised) then interest only, then the bullet:

    >>> bullet = ScheduleTerms(principal=1200, annual_rate="0.12", term=3, method="bullet",
    ...                        start_date=date(2025, 1, 1), grace_interest=1)
    >>> [(x.principal, x.interest, x.instalment, x.closing_balance)
    ...  for x in build_schedule(bullet)]  # doctest: +NORMALIZE_WHITESPACE
    [(Decimal('0'), Decimal('0'), Decimal('0'), Decimal('1212')),
     (Decimal('0'), Decimal('12'), Decimal('12'), Decimal('1212')),
     (Decimal('1212'), Decimal('12'), Decimal('1224'), Decimal('0'))]
    """
    with localcontext(_CONTEXT):
        return _build(terms)


def _build(terms):
    term = terms.term
    method = terms.method
    rate = terms.annual_rate
    per_year = PERIODS_PER_YEAR[terms.frequency]
    convention = terms.day_count
    daily = terms.interest_basis == DAILY
    broken = terms.first_due_date is not None
    rnd = _rounder(terms.rounding, terms.rounding_mode)
    zero = rnd(Decimal(0))
    capitalise_until = terms.grace_interest
    amortise_from = max(terms.grace_principal, capitalise_until)
    last = term - 1

    if method == FLAT:
        flat_interest = terms.principal * rate * term / per_year
        flat_left = rnd(flat_interest)
        flat_share = rnd(flat_interest / term)
    payment = share = None
    uneven = False
    balance = terms.principal
    previous = terms.start_date
    dates = _due_dates(terms.start_date, term, terms.frequency, terms.first_due_date)
    lines = []
    append = lines.append
    for index, due in enumerate(dates):
        days = day_count(previous, due, convention)
        if method == FLAT:
            interest = flat_left if index == last or flat_share > flat_left else flat_share
            flat_left -= interest
        elif daily or (broken and not index):
            interest = rnd(period_interest(balance, rate, previous, due, convention))
        else:
            interest = rnd(balance * rate / per_year)
        opening = balance
        previous = due
        if index < capitalise_until:
            balance = opening + interest
            append(Line(index + 1, due, days, opening, zero, zero, zero, balance))
            continue
        if index == last:
            principal = balance
        elif index < amortise_from or method == BULLET:
            principal = zero
        elif method == ANNUITY:
            if payment is None:
                # Periods of unequal rates: the instalment from each period's own rate.
                uneven = daily or (broken and not index)
                if uneven:
                    payment = rnd(_equal_payment(balance, _period_rates(terms, dates, index)))
                else:
                    payment = rnd(_annuity_payment(balance, rate / per_year, term - index))
            principal = payment - interest
            # A long broken or daily period can cost more interest than the instalment, and a
            # coarse rounding can repay the balance early: no line may go negative.
            if principal < 0:
                principal = zero
                if uneven:  # pay the interest only, and spread the balance over the rest
                    payment = None
            elif principal > balance:
                principal = balance
        else:  # equal principal and flat repay the principal in equal parts
            if share is None:
                share = rnd(balance / (term - index))
            principal = share if share < balance else balance
        balance = opening - principal
        append(
            Line(index + 1, due, days, opening, principal, interest, principal + interest, balance)
        )
    return lines


def schedule_totals(lines):
    """Sums of the ``principal``, ``interest`` and ``instalments`` of schedule ``lines``.

    >>> terms = ScheduleTerms(principal=10_000_000, annual_rate="0.18", term=12,
    ...                       method="equal_principal", start_date=date(2025, 1, 15))
    >>> schedule_totals(build_schedule(terms))  # doctest: +NORMALIZE_WHITESPACE
    {'principal': Decimal('10000000'), 'interest': Decimal('975000'),
     'instalments': Decimal('10975000')}
    >>> schedule_totals([])["instalments"]
    Decimal('0')
    """
    principal = interest = instalments = Decimal(0)
    for line in lines:
        principal += line.principal
        interest += line.interest
        instalments += line.instalment
    return {"principal": principal, "interest": interest, "instalments": instalments}
