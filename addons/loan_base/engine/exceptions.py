"""The engine's single exception type: a machine code plus parameters.

The Odoo layer translates ``code`` and ``params`` into a message in the user's language;
``str()`` gives an English sentence for logs and tests.
"""

import functools

MESSAGES = {
    # money and day counts
    "invalid_amount": "Not a valid amount: %(value)s.",
    "invalid_rounding": "The rounding %(rounding)s is not a positive amount.",
    "invalid_rounding_mode": "Unknown rounding mode %(mode)s.",
    "invalid_parts": "An amount can only be split into one or more parts, not %(parts)s.",
    "invalid_decimal_places": "A currency cannot have %(decimal_places)s decimal places.",
    "invalid_period": "The period ends (%(end)s) before it starts (%(start)s).",
    "invalid_day_count": "Unknown day count convention %(convention)s.",
    # identity documents
    "identity_empty": "The identity number is empty.",
    "identity_type": "Unknown identity document type %(doc_type)s.",
    "identity_format": "The identity number %(number)s is not valid for this document type.",
    "cccd_length": "A Vietnamese citizen ID (CCCD) has exactly 12 digits; %(number_length)s "
    "were given.",
    "cccd_digits": "A Vietnamese citizen ID (CCCD) contains digits only.",
    "cccd_province": "The CCCD province code %(province)s is not a Vietnamese province of "
    "birth registration.",
    "cccd_birth_year": "The CCCD century and year digits give a birth year of %(found)s, but "
    "the birth date is in %(expected)s.",
    "cccd_gender": "The CCCD gender digit says %(found)s, but the gender is %(expected)s.",
    "ric_length": "A Chinese resident ID has exactly 18 characters; %(number_length)s were given.",
    "ric_format": "A Chinese resident ID is 17 digits followed by a digit or X.",
    "ric_checksum": "The check character of the Chinese resident ID should be %(expected)s, "
    "not %(found)s.",
    "ric_birth_date": "The Chinese resident ID encodes the birth date %(found)s, which is "
    "invalid or differs from %(expected)s.",
    "ric_gender": "The Chinese resident ID sequence digit says %(found)s, but the gender is "
    "%(expected)s.",
    "passport_format": "A passport number has 6 to 9 letters and digits, not %(number)s.",
    # phones
    "phone_unparseable": "The phone number %(raw)s cannot be read as a phone number.",
    "phone_invalid": "The phone number %(raw)s is not a valid number for its country.",
    # contact policy
    "naive_datetime": "A date and time with a time zone is required, not %(value)s.",
    "invalid_timezone": "Unknown time zone %(tz)s.",
    "invalid_window": "The contact window %(window_start)s-%(window_end)s is not within one "
    "day, start before end.",
    # keys and encryption
    "key_file_missing": "No personal-data key file at %(path)s.",
    "key_file_invalid": "The personal-data key file %(path)s cannot be read: %(reason)s.",
    "key_unknown": "The value was encrypted with key %(kid)s, which is not in the keyring.",
    "key_active": "The active key %(kid)s cannot be removed from the keyring.",
    "decrypt_failed": "The encrypted value cannot be decrypted for this record.",
    "invalid_purpose": "A blind-index purpose must be non-empty text without NUL characters.",
}


class _Missing(dict):
    """Format mapping that shows ``?`` for a parameter the caller did not pass."""

    def __missing__(self, key):
        return "?"


class EngineError(Exception):
    """An engine rule was broken: ``code`` names the rule, ``params`` give the details.

    >>> err = EngineError("cccd_length", number_length=11)
    >>> err.code, err.params
    ('cccd_length', {'number_length': 11})
    >>> str(err)
    'A Vietnamese citizen ID (CCCD) has exactly 12 digits; 11 were given.'
    >>> str(EngineError("some_new_code", x=1))
    "some_new_code {'x': 1}"
    >>> import pickle
    >>> pickle.loads(pickle.dumps(err)).params
    {'number_length': 11}
    """

    def __init__(self, code, **params):
        super().__init__(code, params)
        self.code = code
        self.params = params

    def __str__(self):
        template = MESSAGES.get(self.code)
        if template is None:
            return f"{self.code} {self.params}" if self.params else self.code
        return template % _Missing(self.params)

    def __reduce__(self):
        # Keyword-only params would be lost by Exception's default pickling.
        return functools.partial(type(self), self.code, **self.params), ()
