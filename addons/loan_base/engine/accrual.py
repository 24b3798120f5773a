"""What the end of day charges and recognises: late penalties and interest income.

* :func:`daily_penalty` is one day's late penalty on an overdue instalment: a rate per day
  on its open principal and interest, rounded to the currency, never beyond a cap on the
  penalties the instalment may carry (a share of its scheduled principal and interest).
* :func:`accrue_penalty` charges it day after day over a run of business dates.
* :func:`recognised_interest` is the interest of one instalment recognised as income by the
  end of a date: all of it at its due date, or day by day over its period (pro rata of the
  days elapsed, rounded; the due date recognises the rest).

The end-of-day batch computes these rules in set-based SQL for speed; a test holds the SQL
results equal to these functions on a generated portfolio: these functions are the
definition. Amounts are :class:`decimal.Decimal`; penalties and pro-rata interest are
rounded half-up (Odoo's currency rounding) unless another ``mode`` is given: the product's
rounding mode governs its schedule (each instalment and each period's interest), not these.
"""

from decimal import Decimal

from .exceptions import EngineError
from .money import round_money, to_decimal

DUE_DATE = "due_date"
DAILY = "daily"
ACCRUAL_METHODS = (DUE_DATE, DAILY)

ZERO = Decimal(0)


def _not_negative(value, code="invalid_amount", key="value"):
    result = to_decimal(value)
    if result < 0:
        raise EngineError(code, **{key: value})
    return result


def penalty_cap(scheduled, cap_percent, rounding=1, mode="half_up"):
    """The most penalty an instalment may carry: ``cap_percent`` % of its ``scheduled``
    principal and interest, rounded to the currency; ``None`` when there is no cap
    (``cap_percent`` 0).

    >>> penalty_cap(1_850_000, "1.5"), penalty_cap(1_850_000, 0)
    (Decimal('27750'), None)
    >>> penalty_cap("1234.56", 2, "0.01")
    Decimal('24.69')
    """
    cap_percent = _not_negative(cap_percent, "invalid_rate", "rate")
    if not cap_percent:
        return None
    return round_money(_not_negative(scheduled) * cap_percent / 100, rounding, mode)


def daily_penalty(
    open_amount,
    rate_percent,
    charged=0,
    scheduled=0,
    cap_percent=0,
    rounding=1,
    mode="half_up",
):
    """One day's late penalty on an overdue instalment.

    ``open_amount`` is what is still open of its principal and interest (fees and penalties
    bear none), ``rate_percent`` the rate in % per day. The day's amount is rounded to the
    currency first, then limited to the room left under the cap (see :func:`penalty_cap`,
    of the ``scheduled`` principal and interest) by the penalties ``charged`` so far. Never
    negative: nothing is charged on a paid instalment, at a 0 rate, or over the cap.

    >>> daily_penalty(1_850_000, "0.05")
    Decimal('925')
    >>> daily_penalty(1_850_000, "0.05", charged=27_000, scheduled=1_850_000, cap_percent="1.5")
    Decimal('750')
    >>> daily_penalty(1_850_000, "0.05", charged=28_000, scheduled=1_850_000, cap_percent="1.5")
    Decimal('0')
    >>> daily_penalty(0, "0.05"), daily_penalty(-10, "0.05"), daily_penalty(500_000, 0)
    (Decimal('0'), Decimal('0'), Decimal('0'))
    >>> daily_penalty("1234.50", "0.1", rounding="0.01")
    Decimal('1.23')
    """
    rate = _not_negative(rate_percent, "invalid_rate", "rate")
    open_amount = to_decimal(open_amount)
    if open_amount <= 0 or not rate:
        return ZERO
    amount = round_money(open_amount * rate / 100, rounding, mode)
    cap = penalty_cap(scheduled, cap_percent, rounding, mode)
    if cap is not None:
        amount = min(amount, cap - to_decimal(charged))
    return max(amount, ZERO)


def accrue_penalty(
    open_amounts,
    rate_percent,
    charged=0,
    scheduled=0,
    cap_percent=0,
    rounding=1,
    mode="half_up",
):
    """The penalties of a run of days, one :func:`daily_penalty` per open amount of
    ``open_amounts`` (the instalment's open principal and interest at the end of each day
    it is overdue, in date order), each day's charge counting towards the cap for the next.
    Returns the list of the days' amounts.

    >>> accrue_penalty([1_000_000] * 4, "0.5", scheduled=1_000_000, cap_percent=1)
    [Decimal('5000'), Decimal('5000'), Decimal('0'), Decimal('0')]
    >>> accrue_penalty([400_000, 400_000, 0, 150_000], "0.1")
    [Decimal('400'), Decimal('400'), Decimal('0'), Decimal('150')]
    """
    total = to_decimal(charged)
    amounts = []
    for open_amount in open_amounts:
        amount = daily_penalty(
            open_amount, rate_percent, total, scheduled, cap_percent, rounding, mode
        )
        total += amount
        amounts.append(amount)
    return amounts


def recognised_interest(
    interest,
    period_start,
    due_date,
    business_date,
    method=DUE_DATE,
    rounding=1,
    mode="half_up",
):
    """Interest of one instalment recognised as income by the end of ``business_date``.

    ``method`` ``'due_date'``: nothing before the due date, all of it from the due date on.
    ``'daily'``: day by day over the period from ``period_start`` (the previous due date,
    or the disbursement) to ``due_date``, ``interest`` x days elapsed / days of the period,
    rounded to the currency; nothing on or before ``period_start``, all of it from the due
    date on. A period of no days recognises all at its due date. Errors:
    ``invalid_accrual_method``, ``invalid_amount`` (negative interest).

    >>> from datetime import date
    >>> start, due = date(2026, 11, 20), date(2026, 12, 20)
    >>> recognised_interest(466_667, start, due, date(2026, 12, 5), "daily")
    Decimal('233334')
    >>> recognised_interest(466_667, start, due, date(2026, 12, 5))
    Decimal('0')
    >>> [recognised_interest(466_667, start, due, date(2026, 12, d), "daily") for d in (19, 20, 21)]
    [Decimal('451111'), Decimal('466667'), Decimal('466667')]
    >>> recognised_interest(466_667, start, due, start, "daily")
    Decimal('0')
    """
    if method not in ACCRUAL_METHODS:
        raise EngineError("invalid_accrual_method", method=method)
    interest = _not_negative(interest)
    if business_date >= due_date:
        return interest
    if method == DUE_DATE or business_date <= period_start:
        return ZERO
    elapsed = (business_date - period_start).days
    days = max((due_date - period_start).days, 1)
    return min(interest, round_money(interest * elapsed / days, rounding, mode))
