"""Payment allocation and delinquency: where a receipt goes, how late a loan is.

* :func:`allocate` spreads a payment over the open amounts of instalments (a waterfall):
  instalments oldest (or newest) due first, and within one instalment the components in a
  configurable order, penalty, fees, interest, principal by default.
* :func:`days_past_due`, :func:`bucket` and :func:`vn_loan_group` classify arrears.

Bucket convention: ``bounds`` are the inclusive upper ends of the buckets, in increasing
order; bucket ``i`` holds ``bounds[i - 1] < dpd <= bounds[i]``, and the last bucket,
``len(bounds)``, everything above ``bounds[-1]``. With ``[0, 30, 60, 90, 180]``: 0 is
current, then 1-30, 31-60, 61-90, 91-180 and over 180 days.
"""

import bisect
import itertools
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from .exceptions import EngineError
from .money import to_decimal

PENALTY = "penalty"
FEES = "fees"
INTEREST = "interest"
PRINCIPAL = "principal"
COMPONENTS = (PENALTY, FEES, INTEREST, PRINCIPAL)

OLDEST_FIRST = "oldest_first"
NEWEST_FIRST = "newest_first"
INSTALMENT_ORDERS = (OLDEST_FIRST, NEWEST_FIRST)

ADVANCE = "advance"
PREPAY = "prepay"
OVERPAYMENTS = (ADVANCE, PREPAY)

DPD_BUCKETS = (0, 30, 60, 90, 180)
# Circular 11/2021/TT-NHNN art. 10, quantitative method: group 1 below 10 days past due,
# group 2 10-90, group 3 91-180, group 4 181-360, group 5 over 360.
VN_GROUP_BOUNDS = (9, 90, 180, 360)


@dataclass(frozen=True)
class Due:
    """The open (unpaid) amounts of one instalment, stored as Decimals.

    ``line_id`` identifies the instalment for the caller (a record id, a sequence...).
    A negative amount raises ``invalid_amount``.

    >>> Due(7, date(2025, 2, 15), 0, "10000", "150000", 766800).interest
    Decimal('150000')
    """

    line_id: object
    due_date: date
    penalty: object = 0
    fees: object = 0
    interest: object = 0
    principal: object = 0

    def __post_init__(self):
        for component in COMPONENTS:
            amount = to_decimal(getattr(self, component))
            if amount < 0:
                raise EngineError("invalid_amount", value=getattr(self, component))
            object.__setattr__(self, component, amount)

    @property
    def total(self):
        """The open amount of the instalment, all components together."""
        return self.penalty + self.fees + self.interest + self.principal


@dataclass(frozen=True)
class Allocation:
    """The result of :func:`allocate`.

    ``lines`` are ``(line_id, component, amount)`` tuples in allocation order, amounts above
    0. ``remaining`` is the part of the payment left once every open amount is paid, so
    ``sum of line amounts + remaining == amount``. ``prepayment`` is the part of
    ``remaining`` to apply as an early repayment of principal not yet due (all of it when
    ``overpayment='prepay'``, else 0, and the remaining amount is kept as an advance).
    """

    lines: list
    remaining: object
    prepayment: object


def _component_order(component_order):
    order = tuple(component_order) if not isinstance(component_order, str) else ()
    if len(order) != len(COMPONENTS) or set(order) != set(COMPONENTS):
        raise EngineError("invalid_component_order", order=component_order)
    return order


def allocate(
    amount,
    dues,
    instalment_order=OLDEST_FIRST,
    component_order=COMPONENTS,
    overpayment=ADVANCE,
):
    """Spread the payment ``amount`` over the open amounts of ``dues`` (:class:`Due`).

    Instalments are taken by due date (``'oldest_first'`` or ``'newest_first'``; equal dates
    keep the order given); each is settled component by component in ``component_order``, a
    permutation of ``('penalty', 'fees', 'interest', 'principal')``, before the next one.
    No component receives more than its open amount. Errors: ``invalid_amount`` (amount not
    above 0), ``invalid_instalment_order``, ``invalid_component_order``,
    ``invalid_overpayment``.

    >>> dues = [Due(2, date(2025, 3, 15), interest=138498, principal=778302),
    ...         Due(1, date(2025, 2, 15), penalty=20000, interest=150000, principal=766800)]
    >>> result = allocate(1_000_000, dues)
    >>> result.lines  # doctest: +NORMALIZE_WHITESPACE
    [(1, 'penalty', Decimal('20000')), (1, 'interest', Decimal('150000')),
     (1, 'principal', Decimal('766800')), (2, 'interest', Decimal('63200'))]
    >>> result.remaining, result.prepayment
    (Decimal('0'), Decimal('0'))
    >>> order = ("interest", "principal", "penalty", "fees")
    >>> allocate(2_000_000, dues, component_order=order, overpayment="prepay").prepayment
    Decimal('146400')
    >>> try:
    ...     allocate(100, dues, component_order=("interest", "principal"))
    ... except EngineError as exc:
    ...     print(exc.code)
    invalid_component_order
    """
    total = to_decimal(amount)
    if total <= 0:
        raise EngineError("invalid_amount", value=amount)
    if instalment_order not in INSTALMENT_ORDERS:
        raise EngineError("invalid_instalment_order", order=instalment_order)
    order = _component_order(component_order)
    if overpayment not in OVERPAYMENTS:
        raise EngineError("invalid_overpayment", overpayment=overpayment)
    ordered = sorted(dues, key=lambda due: due.due_date, reverse=instalment_order == NEWEST_FIRST)
    left = total
    lines = []
    for due in ordered:
        for component in order:
            if not left:
                return Allocation(lines, left, Decimal(0))
            open_amount = getattr(due, component)
            paid = open_amount if open_amount < left else left
            if paid > 0:
                lines.append((due.line_id, component, paid))
                left -= paid
    return Allocation(lines, left, left if overpayment == PREPAY else Decimal(0))


def days_past_due(due_dates_unpaid, business_date):
    """Days the oldest unpaid due date lies before ``business_date``; 0 if none or not yet due.

    An instalment due on ``business_date`` is not yet late: it is 1 day past due the next day.

    >>> days_past_due([date(2025, 3, 15), date(2025, 2, 15)], date(2025, 3, 20))
    33
    >>> days_past_due([date(2025, 3, 15)], date(2025, 3, 15)), days_past_due([], date(2025, 1, 1))
    (0, 0)
    """
    oldest = min(due_dates_unpaid, default=None)
    if oldest is None or oldest >= business_date:
        return 0
    return (business_date - oldest).days


def _check_bounds(bounds):
    try:
        values = tuple(bounds)
    except TypeError:
        raise EngineError("invalid_bounds", bounds=bounds) from None
    valid = values and all(
        isinstance(b, int) and not isinstance(b, bool) and b >= 0 for b in values
    )
    if not valid or any(a >= b for a, b in itertools.pairwise(values)):
        raise EngineError("invalid_bounds", bounds=list(values))
    return values


def _check_dpd(dpd):
    if not isinstance(dpd, int) or isinstance(dpd, bool) or dpd < 0:
        raise EngineError("invalid_dpd", dpd=dpd)


def bucket(dpd, bounds=DPD_BUCKETS):
    """Index of the arrears bucket of ``dpd`` days past due (see the module's convention).

    ``bounds`` are strictly increasing integers, each the inclusive upper end of its
    bucket; there are ``len(bounds) + 1`` buckets.

    >>> [bucket(d) for d in (0, 1, 30, 31, 90, 180, 181)]
    [0, 1, 1, 2, 3, 4, 5]
    >>> bucket(45, [30, 60])
    1
    >>> try:
    ...     bucket(5, [30, 30, 60])
    ... except EngineError as exc:
    ...     print(exc.code, exc.params)
    invalid_bounds {'bounds': [30, 30, 60]}
    """
    _check_dpd(dpd)
    return bisect.bisect_left(_check_bounds(bounds), dpd)


def vn_loan_group(dpd, bounds=VN_GROUP_BOUNDS):
    """Debt group 1-5 of a loan ``dpd`` days past due, Circular 11/2021/TT-NHNN.

    Group 1 below 10 days, 2 from 10 to 90, 3 from 91 to 180, 4 from 181 to 360, 5 over
    360 by default; ``bounds`` are the upper ends of groups 1-4 (a preset, editable).

    >>> [vn_loan_group(d) for d in (0, 9, 10, 90, 91, 180, 181, 360, 361)]
    [1, 1, 2, 2, 3, 3, 4, 4, 5]
    """
    return bucket(dpd, bounds) + 1
