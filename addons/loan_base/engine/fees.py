"""Loan fees: what a product charges upfront and with each instalment.

A fee is a ``(fee_type, value)`` pair. Percentages are of the amount lent (``2.5`` for
2.5 %), fixed amounts in the loan's currency:

* ``upfront_percent`` and ``insurance_percent``: a percentage of the amount, once, upfront;
* ``upfront_fixed``: an amount, once, upfront;
* ``service_instalment``: an amount added to every instalment.

Each fee is rounded to the currency on its own, then the fees are summed.
"""

from decimal import Decimal

from .exceptions import EngineError
from .money import CENT, round_money, to_decimal

UPFRONT_PERCENT = "upfront_percent"
UPFRONT_FIXED = "upfront_fixed"
INSURANCE_PERCENT = "insurance_percent"
SERVICE_INSTALMENT = "service_instalment"
FEE_TYPES = (UPFRONT_PERCENT, UPFRONT_FIXED, INSURANCE_PERCENT, SERVICE_INSTALMENT)
PERCENT_TYPES = (UPFRONT_PERCENT, INSURANCE_PERCENT)


def fee_amount(fee_type, value, amount, rounding=CENT, mode="half_up"):
    """One fee of ``fee_type`` and ``value`` on a loan of ``amount``, rounded to the currency.

    Errors: ``invalid_fee_type``, ``invalid_fee`` (a negative value or a percentage above
    100), ``invalid_amount``.

    >>> fee_amount("upfront_percent", "1.5", 10_000_000, 1)
    Decimal('150000')
    >>> fee_amount("insurance_percent", "0.35", "1234.56")
    Decimal('4.32')
    >>> fee_amount("service_instalment", 0.1 + 0.2, 1000)
    Decimal('0.30')
    >>> try:
    ...     fee_amount("upfront_percent", 120, 1000)
    ... except EngineError as exc:
    ...     print(exc.code, exc.params)
    invalid_fee {'fee_type': 'upfront_percent', 'value': 120}
    """
    if fee_type not in FEE_TYPES:
        raise EngineError("invalid_fee_type", fee_type=fee_type)
    rate = to_decimal(value)
    if rate < 0 or (fee_type in PERCENT_TYPES and rate > 100):
        raise EngineError("invalid_fee", fee_type=fee_type, value=value)
    if fee_type in PERCENT_TYPES:
        return round_money(to_decimal(amount) * rate / 100, rounding, mode)
    return round_money(rate, rounding, mode)


def loan_fees(amount, fees, rounding=CENT, mode="half_up"):
    """``(upfront, per_instalment)``: the fees of a loan of ``amount``, as Decimals.

    ``fees`` is an iterable of ``(fee_type, value)`` pairs (see the module). The upfront
    fees are paid once; the per-instalment fee is added to each instalment.

    >>> loan_fees(20_000_000, [("upfront_percent", 2), ("insurance_percent", "0.5"),
    ...                        ("upfront_fixed", 50_000), ("service_instalment", 15_000)], 1)
    (Decimal('550000'), Decimal('15000'))
    >>> loan_fees(1000, [])
    (Decimal('0'), Decimal('0'))
    """
    upfront = Decimal(0)
    per_instalment = Decimal(0)
    for fee_type, value in fees:
        charge = fee_amount(fee_type, value, amount, rounding, mode)
        if fee_type == SERVICE_INSTALMENT:
            per_instalment += charge
        else:
            upfront += charge
    return upfront, per_instalment
