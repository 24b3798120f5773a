"""Money arithmetic on :class:`decimal.Decimal`, rounded the way Odoo rounds currencies.

A *rounding* is the smallest unit an amount is rounded to, as ``res.currency.rounding``:
``Decimal('0.01')`` for USD or CNY, ``Decimal('1')`` for VND, also ``0.05`` (cash) or
``1000`` (amounts quoted in thousands).
"""

from decimal import (
    ROUND_CEILING,
    ROUND_DOWN,
    ROUND_FLOOR,
    ROUND_HALF_DOWN,
    ROUND_HALF_EVEN,
    ROUND_HALF_UP,
    ROUND_UP,
    Decimal,
    InvalidOperation,
)

from .exceptions import EngineError

ROUNDING_MODES = {
    "half_up": ROUND_HALF_UP,
    "half_even": ROUND_HALF_EVEN,
    "half_down": ROUND_HALF_DOWN,
    "up": ROUND_UP,
    "down": ROUND_DOWN,
    "ceiling": ROUND_CEILING,
    "floor": ROUND_FLOOR,
}
CENT = Decimal("0.01")


def to_decimal(value, digits=None):
    """Convert ``value`` (int, str, Decimal or float) to a finite Decimal.

    Floats go through ``str()`` so that their shortest decimal form is kept, not the
    binary approximation. ``None``, booleans, non-numbers and infinities are refused.
    With ``digits``, the result is rounded half-up to that many decimal places (and carries
    them), as Odoo rounds a float field of that precision: what a stored rate or amount
    stands for, whatever float noise a computation left in it.

    >>> to_decimal(0.1)
    Decimal('0.1')
    >>> to_decimal(" 1500000 ")
    Decimal('1500000')
    >>> to_decimal(Decimal("2.50"))
    Decimal('2.50')
    >>> try:
    ...     to_decimal("12,5")
    ... except EngineError as exc:
    ...     print(exc.code, exc.params)
    invalid_amount {'value': '12,5'}
    >>> to_decimal(0.1 + 0.2), to_decimal(0.1 + 0.2, 6), to_decimal("2.675", 2)
    (Decimal('0.30000000000000004'), Decimal('0.300000'), Decimal('2.68'))
    >>> try:
    ...     to_decimal(1, -1)
    ... except EngineError as exc:
    ...     print(exc.code, exc.params)
    invalid_digits {'digits': -1}
    """
    if digits is not None and (
        not isinstance(digits, int) or isinstance(digits, bool) or digits < 0
    ):
        raise EngineError("invalid_digits", digits=digits)
    if isinstance(value, Decimal):
        result = value
    elif isinstance(value, int) and not isinstance(value, bool):
        result = Decimal(value)
    elif isinstance(value, (float, str)):
        try:
            result = Decimal(str(value).strip())
        except InvalidOperation:
            raise EngineError("invalid_amount", value=value) from None
    else:
        raise EngineError("invalid_amount", value=value)
    if not result.is_finite():
        raise EngineError("invalid_amount", value=value)
    if digits is not None:
        try:
            result = result.quantize(Decimal(1).scaleb(-digits), rounding=ROUND_HALF_UP)
        except InvalidOperation:  # more digits than the context's precision holds
            raise EngineError("invalid_digits", digits=digits) from None
    return result


def _mode(mode):
    try:
        return ROUNDING_MODES[mode]
    except (KeyError, TypeError):
        raise EngineError("invalid_rounding_mode", mode=mode) from None


def _rounding(rounding):
    unit = to_decimal(rounding)
    if unit <= 0:
        raise EngineError("invalid_rounding", rounding=rounding)
    return unit


def round_money(amount, rounding=CENT, mode="half_up"):
    """Round ``amount`` to a multiple of ``rounding`` with the named ``mode``.

    The result carries the rounding's decimal places (none for a rounding of 1 or more).
    ``mode`` is a key of :data:`ROUNDING_MODES`; ``'up'`` rounds away from zero.

    >>> round_money("2.675")
    Decimal('2.68')
    >>> round_money("2.675", mode="half_even")
    Decimal('2.68')
    >>> round_money("2.665", mode="half_even")
    Decimal('2.66')
    >>> round_money(Decimal("1234.5"), Decimal("1"))
    Decimal('1235')
    >>> round_money("-1234.5", 1)
    Decimal('-1235')
    >>> round_money("1.02", "0.05"), round_money("1.03", "0.05")
    (Decimal('1.00'), Decimal('1.05'))
    >>> round_money("1234567", 1000), round_money("1234001", 1000, "ceiling")
    (Decimal('1235000'), Decimal('1235000'))
    >>> round_money("1.001", mode="up"), round_money("-1.001", mode="floor")
    (Decimal('1.01'), Decimal('-1.01'))
    >>> try:
    ...     round_money("1", mode="bankers")
    ... except EngineError as exc:
    ...     print(exc.code, exc.params)
    invalid_rounding_mode {'mode': 'bankers'}
    """
    mode = _mode(mode)
    unit = _rounding(rounding)
    units = (to_decimal(amount) / unit).quantize(Decimal(1), rounding=mode)
    places = Decimal(1).scaleb(min(unit.as_tuple().exponent, 0))
    return (units * unit).quantize(places)


def split_amount(total, parts, rounding=CENT, mode="half_up"):
    """Split ``total`` into ``parts`` rounded equal amounts; the last absorbs the residual.

    The parts always sum to ``total`` exactly. Should ``total`` itself not be a multiple of
    ``rounding``, the last part carries that odd remainder too.

    >>> split_amount("100", 3)
    [Decimal('33.33'), Decimal('33.33'), Decimal('33.34')]
    >>> split_amount("100", 3, mode="up")
    [Decimal('33.34'), Decimal('33.34'), Decimal('33.32')]
    >>> split_amount(10_000_000, 3, 1)
    [Decimal('3333333'), Decimal('3333333'), Decimal('3333334')]
    >>> split_amount("-0.05", 2)
    [Decimal('-0.03'), Decimal('-0.02')]
    >>> try:
    ...     split_amount(1, 0)
    ... except EngineError as exc:
    ...     print(exc.code, exc.params)
    invalid_parts {'parts': 0}
    """
    if not isinstance(parts, int) or isinstance(parts, bool) or parts < 1:
        raise EngineError("invalid_parts", parts=parts)
    total = to_decimal(total)
    share = round_money(total / parts, rounding, mode)
    return [share] * (parts - 1) + [total - share * (parts - 1)]


def currency_rounding(decimal_places):
    """The rounding unit of a currency with ``decimal_places`` decimals.

    >>> currency_rounding(2), currency_rounding(0), currency_rounding(3)
    (Decimal('0.01'), Decimal('1'), Decimal('0.001'))
    >>> try:
    ...     currency_rounding(-1)
    ... except EngineError as exc:
    ...     print(exc.code, exc.params)
    invalid_decimal_places {'decimal_places': -1}
    """
    is_int = isinstance(decimal_places, int) and not isinstance(decimal_places, bool)
    if not is_int or decimal_places < 0:
        raise EngineError("invalid_decimal_places", decimal_places=decimal_places)
    return Decimal(1).scaleb(-decimal_places)
