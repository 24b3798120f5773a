"""Phone numbers: E.164 normalisation with ``phonenumbers``, and masking for display."""

import phonenumbers

from .exceptions import EngineError


def _parse(raw, region):
    try:
        return phonenumbers.parse(raw or "", region)
    except phonenumbers.NumberParseException:
        raise EngineError("phone_unparseable", raw=raw) from None


def normalise_phone(raw, region="VN"):
    """The E.164 form of ``raw``, read as a number of ``region`` unless it starts with ``+``.

    >>> normalise_phone("0901 234 678")
    '+84901234678'
    >>> normalise_phone("138-1234-5678", "CN")
    '+8613812345678'
    >>> normalise_phone("+84 90 123 4678", None)
    '+84901234678'
    >>> try:
    ...     normalise_phone("abc")
    ... except EngineError as exc:
    ...     print(exc.code, exc.params)
    phone_unparseable {'raw': 'abc'}
    >>> try:
    ...     normalise_phone("0901 234")
    ... except EngineError as exc:
    ...     print(exc.code, exc.params)
    phone_invalid {'raw': '0901 234'}
    """
    number = _parse(raw, region.upper() if region else None)
    if not phonenumbers.is_valid_number(number):
        raise EngineError("phone_invalid", raw=raw)
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def national_digits(e164):
    """The digits of the national form of an E.164 number, trunk prefix included.

    >>> national_digits("+84901234678")
    '0901234678'
    >>> national_digits("+8613812345678")
    '13812345678'
    >>> national_digits("+842438253232")
    '02438253232'
    """
    number = _parse(e164, None)
    national = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)
    return "".join(char for char in national if char.isdigit())


def mask(value, head=3, tail=3, char="*"):
    """``value`` with its middle replaced by ``char``, keeping ``head`` and ``tail`` characters.

    The length is kept. A value too short to show ``head + tail`` characters and still hide
    something shows only its end: at most ``min(tail, 2)`` characters and never more than half
    of it, so that a short secret is never revealed whole.

    >>> mask("0901234678")
    '090****678'
    >>> mask("001234567890", head=0, tail=4)
    '********7890'
    >>> mask("123456"), mask("1234"), mask("7"), mask("")
    ('****56', '**34', '*', '')
    """
    value = value or ""
    if len(value) > head + tail:
        return value[:head] + char * (len(value) - head - tail) + value[len(value) - tail :]
    shown = min(tail, 2, len(value) // 2)
    return char * (len(value) - shown) + value[len(value) - shown :]


def mask_phone(e164):
    """The national digits of an E.164 number with the middle masked, for display.

    >>> mask_phone("+84901234678")
    '090****678'
    >>> mask_phone("+8613812345678")
    '138*****678'
    """
    return mask(national_digits(e164))
