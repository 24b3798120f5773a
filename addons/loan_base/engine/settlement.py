"""Early repayment: a settlement quote for the whole loan, and a partial prepayment.

* :func:`pro_rata_interest` is the interest a period has earned by a given day: the
  period's scheduled interest times the days elapsed over the days of the period.
* :func:`settlement_quote` is what closing a loan on a day costs: the outstanding
  principal, the interest of the running period earned so far, everything due and unpaid,
  and the prepayment fee on the principal. Instalments not yet due keep only the interest
  they have earned and the fees already paid.
* :func:`prepay` applies money beyond what is due to principal: the prepayment fee comes
  out of it first, and the instalments not yet due are re-amortised on the balance left
  (same rate, same dates, lower instalments).

Amounts are rounded to the currency ``rounding``, half-up unless a ``mode`` is given.
"""

import dataclasses
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from .exceptions import EngineError
from .money import CENT, round_money, to_decimal
from .schedule import build_schedule

_ZERO = Decimal(0)


def pro_rata_interest(interest, period_start, period_end, day, rounding=CENT, mode="half_up"):
    """The part of a period's ``interest`` earned by ``day``, rounded to the currency.

    ``interest * days(period_start, day) / days(period_start, period_end)`` in calendar
    days: nothing on or before the period's start, all of it from its end on. A period of
    no days earns all its interest at once. Errors: ``invalid_period`` (an end before the
    start), ``invalid_amount``.

    >>> pro_rata_interest(150_000, date(2025, 1, 15), date(2025, 2, 15), date(2025, 1, 25), 1)
    Decimal('48387')
    >>> pro_rata_interest("10.00", date(2025, 1, 1), date(2025, 2, 1), date(2025, 1, 1))
    Decimal('0.00')
    >>> pro_rata_interest("10.00", date(2025, 1, 1), date(2025, 2, 1), date(2025, 3, 1))
    Decimal('10.00')
    """
    if period_end < period_start:
        raise EngineError(
            "invalid_period", start=period_start.isoformat(), end=period_end.isoformat()
        )
    amount = to_decimal(interest)
    if day <= period_start:
        return round_money(_ZERO, rounding, mode)
    days = (period_end - period_start).days
    elapsed = (min(day, period_end) - period_start).days
    return round_money(amount * elapsed / days if days else amount, rounding, mode)


@dataclass(frozen=True)
class Instalment:
    """One instalment of a contract as an early repayment sees it, amounts as Decimals.

    ``interest`` is the interest scheduled for its period, ``interest_paid`` and
    ``fee_paid`` what was paid of its interest and fee; the ``open_*`` amounts are what is
    still unpaid (less any waiver). ``line_id`` identifies it for the caller.

    >>> Instalment(3, date(2025, 4, 15), interest="50746", open_principal=3383083).interest
    Decimal('50746')
    """

    line_id: object
    due_date: date
    interest: object = 0
    interest_paid: object = 0
    fee_paid: object = 0
    open_principal: object = 0
    open_interest: object = 0
    open_fees: object = 0
    open_penalty: object = 0

    def __post_init__(self):
        for field in dataclasses.fields(self)[2:]:
            object.__setattr__(self, field.name, to_decimal(getattr(self, field.name)))


@dataclass(frozen=True)
class Quote:
    """The result of :func:`settlement_quote`, amounts as Decimals.

    ``total = principal + accrued + arrears + fee``. ``lines`` maps the ``line_id`` of each
    instalment not yet due to its new ``(interest, fee)``.
    """

    principal: Decimal
    accrued: Decimal
    arrears: Decimal
    fee: Decimal
    total: Decimal
    lines: dict


def settlement_quote(instalments, start_date, day, fee_percent=0, rounding=CENT, mode="half_up"):
    """What settling the whole loan on ``day`` costs, a :class:`Quote`.

    ``instalments`` (:class:`Instalment`) in schedule order; ``start_date`` is the
    disbursement, where the first period starts; ``fee_percent`` the prepayment fee in
    percent of the outstanding principal. An instalment due on or before ``day`` is owed
    in full (its open interest, fees and penalty are the ``arrears``); one due after it
    keeps the interest its period has earned by ``day`` (:func:`pro_rata_interest`, never
    less than what was paid of it) and no fee beyond what was paid: ``accrued`` is the
    earned interest not yet paid.

    >>> lines = [Instalment(1, date(2025, 2, 15), 150000, 150000, 0, 0, 0, 0, 20000),
    ...          Instalment(2, date(2025, 3, 15), 100743, 0, 0, 3333087, 100743, 15000),
    ...          Instalment(3, date(2025, 4, 15), 50746, 0, 0, 3383083, 50746, 15000)]
    >>> quote = settlement_quote(lines, date(2025, 1, 15), date(2025, 2, 25), 2, 1)
    >>> quote.principal, quote.accrued, quote.arrears, quote.fee, quote.total
    (Decimal('6716170'), Decimal('35980'), Decimal('20000'), Decimal('134323'), Decimal('6906473'))
    >>> quote.lines
    {2: (Decimal('35980'), Decimal('0')), 3: (Decimal('0'), Decimal('0'))}
    """
    principal = accrued = arrears = _ZERO
    changes = {}
    previous = start_date
    for line in instalments:
        principal += line.open_principal
        if line.due_date <= day:
            arrears += line.open_interest + line.open_fees + line.open_penalty
        else:
            earned = pro_rata_interest(
                line.interest, previous, max(line.due_date, previous), day, rounding, mode
            )
            new_interest = max(earned, line.interest_paid)
            accrued += new_interest - line.interest_paid
            changes[line.line_id] = (new_interest, line.fee_paid)
        previous = line.due_date
    fee = round_money(principal * to_decimal(fee_percent) / 100, rounding, mode)
    return Quote(principal, accrued, arrears, fee, principal + accrued + arrears + fee, changes)


@dataclass(frozen=True)
class Prepayment:
    """The result of :func:`prepay`, amounts as Decimals.

    ``amount = principal + fee + rest``: the principal prepaid, the prepayment fee on it,
    and what is left (kept as an advance). ``lines`` is the new schedule of the instalments
    not yet due (:class:`~.schedule.Line`), empty once all their principal is prepaid.
    """

    principal: Decimal
    fee: Decimal
    rest: Decimal
    lines: list


def prepay(amount, terms, fee_percent=0, mode="half_up"):
    """Apply ``amount`` to the principal of the instalments not yet due, a :class:`Prepayment`.

    ``terms`` (:class:`~.schedule.ScheduleTerms`) describe those instalments: their open
    principal, the contract's rate, method and day count, ``term`` the number of them,
    ``start_date`` the due date before the first of them. The fee is ``fee_percent`` of the
    principal prepaid and comes out of ``amount``: the principal prepaid is
    ``amount / (1 + fee rate)``, rounded to ``terms.rounding``, at most the open principal
    (and ``amount``); the fee is capped by the money left. The rest of the principal is
    re-amortised over the same dates. Error: ``invalid_amount`` (below 0).

    >>> from .schedule import ScheduleTerms
    >>> terms = ScheduleTerms(principal=6_716_170, annual_rate="0.18", term=2,
    ...                       method="annuity", start_date=date(2025, 2, 15))
    >>> result = prepay(2_040_000, terms, fee_percent=2)
    >>> result.principal, result.fee, result.rest
    (Decimal('2000000'), Decimal('40000'), Decimal('0'))
    >>> [(x.principal, x.interest, x.instalment) for x in result.lines]
    ... # doctest: +NORMALIZE_WHITESPACE
    [(Decimal('2340531'), Decimal('70743'), Decimal('2411274')),
     (Decimal('2375639'), Decimal('35635'), Decimal('2411274'))]
    >>> prepay(10_000_000, terms).rest, prepay(10_000_000, terms).lines
    (Decimal('3283830'), [])
    """
    total = to_decimal(amount)
    if total < 0:
        raise EngineError("invalid_amount", value=amount)
    rate = to_decimal(fee_percent) / 100
    rounding = terms.rounding
    # never more than the money given, should it not be a multiple of the rounding
    prepaid = min(round_money(total / (1 + rate), rounding, mode), terms.principal, total)
    fee = min(round_money(prepaid * rate, rounding, mode), total - prepaid)
    remaining = terms.principal - prepaid
    lines = build_schedule(dataclasses.replace(terms, principal=remaining)) if remaining else []
    return Prepayment(prepaid, fee, total - prepaid - fee, lines)
