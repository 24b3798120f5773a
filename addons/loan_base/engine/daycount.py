"""Day count conventions: how many days a period has and what fraction of a year that is.

* ``act_365f`` (Actual/365 Fixed): actual days over 365, leap years included. Vietnamese
  interest rules (Circular 14/2017: balance x days x rate / 365) use it.
* ``act_act`` (Actual/Actual ISDA, 2006 ISDA Definitions 4.16(b)): the days falling in a
  leap year over 366 plus the other days over 365.
* ``30_360`` (30/360 US bond basis, 2006 ISDA Definitions 4.16(f)): every month has
  30 days; a start on the 31st counts as the 30th, and an end on the 31st counts as the 30th
  when the start is the 30th or 31st. February is not adjusted.

Periods are half-open: the start date accrues, the end date does not.
"""

import calendar
from datetime import date
from decimal import Decimal

from .exceptions import EngineError
from .money import to_decimal

ACT_365F = "act_365f"
ACT_ACT = "act_act"
THIRTY_360 = "30_360"
CONVENTIONS = (ACT_365F, ACT_ACT, THIRTY_360)


def _check(start, end, convention):
    if convention not in CONVENTIONS:
        raise EngineError("invalid_day_count", convention=convention)
    if end < start:
        raise EngineError("invalid_period", start=start.isoformat(), end=end.isoformat())


def _thirty_360_days(start, end):
    d1, d2 = start.day, end.day
    if d1 == 31:
        d1 = 30
    if d2 == 31 and d1 == 30:
        d2 = 30
    return 360 * (end.year - start.year) + 30 * (end.month - start.month) + d2 - d1


def _fraction(start, end, convention):
    """Year fraction as an exact ``(numerator, denominator)`` pair of integers."""
    _check(start, end, convention)
    if convention == ACT_365F:
        return (end - start).days, 365
    if convention == THIRTY_360:
        return _thirty_360_days(start, end), 360
    leap_days = other_days = 0
    cursor = start
    while cursor < end:
        boundary = min(date(cursor.year + 1, 1, 1), end)
        if calendar.isleap(cursor.year):
            leap_days += (boundary - cursor).days
        else:
            other_days += (boundary - cursor).days
        cursor = boundary
    return leap_days * 365 + other_days * 366, 366 * 365


def day_count(start, end, convention):
    """Number of days from ``start`` to ``end`` under ``convention`` (the numerator).

    >>> day_count(date(2024, 1, 1), date(2025, 1, 1), ACT_365F)
    366
    >>> day_count(date(2024, 1, 31), date(2024, 2, 29), THIRTY_360)
    29
    >>> day_count(date(2007, 2, 28), date(2007, 8, 31), THIRTY_360)
    183
    >>> try:
    ...     day_count(date(2024, 2, 1), date(2024, 1, 1), ACT_365F)
    ... except EngineError as exc:
    ...     print(exc.code, exc.params)
    invalid_period {'start': '2024-02-01', 'end': '2024-01-01'}
    """
    _check(start, end, convention)
    if convention == THIRTY_360:
        return _thirty_360_days(start, end)
    return (end - start).days


def year_fraction(start, end, convention):
    """Fraction of a year from ``start`` to ``end`` under ``convention``, as a Decimal.

    >>> year_fraction(date(2024, 1, 1), date(2025, 1, 1), ACT_365F)
    Decimal('1.002739726027397260273972603')
    >>> year_fraction(date(2024, 1, 1), date(2025, 1, 1), ACT_ACT)
    Decimal('1')
    >>> year_fraction(date(2003, 11, 1), date(2004, 5, 1), ACT_ACT)  # 61/365 + 121/366
    Decimal('0.4977243805674077401003069092')
    >>> year_fraction(date(2024, 1, 15), date(2024, 7, 15), THIRTY_360)
    Decimal('0.5')
    >>> try:
    ...     year_fraction(date(2024, 1, 1), date(2024, 2, 1), "act_360")
    ... except EngineError as exc:
    ...     print(exc.code, exc.params)
    invalid_day_count {'convention': 'act_360'}
    """
    numerator, denominator = _fraction(start, end, convention)
    return Decimal(numerator) / Decimal(denominator)


def period_interest(balance, annual_rate, start, end, convention):
    """Unrounded simple interest on ``balance`` at ``annual_rate`` from ``start`` to ``end``.

    ``annual_rate`` is a fraction (``0.18`` for 18 % a year). The product is divided once, at
    the end, so that no intermediate rounding creeps in; round the result with
    :func:`~.money.round_money` in the currency.

    >>> period_interest(10_000_000, "0.18", date(2024, 1, 1), date(2024, 1, 31), ACT_365F)
    Decimal('147945.2054794520547945205479')
    >>> period_interest("1000", "0.12", date(2024, 1, 31), date(2024, 2, 29), THIRTY_360)
    Decimal('9.666666666666666666666666667')
    >>> period_interest("1000", "0.10", date(2023, 12, 1), date(2024, 12, 1), ACT_ACT)
    Decimal('100.0232053297402500187139756')
    """
    numerator, denominator = _fraction(start, end, convention)
    return to_decimal(balance) * to_decimal(annual_rate) * numerator / denominator
