"""Translated, user-readable messages for the engine's error and verdict codes.

The engine (pure Python) raises ``EngineError(code, **params)`` and returns verdicts with a
code; this table is the one place where those codes become sentences in the user's language.
"""

from collections import defaultdict

from odoo.tools.translate import LazyTranslate

_lt = LazyTranslate(__name__)

MESSAGES = {
    # identity documents
    "identity_empty": _lt("The identity number is empty."),
    "identity_type": _lt("Unknown identity document type."),
    "identity_format": _lt("The identity number %(number)s is not valid for this document type."),
    "cccd_length": _lt(
        "A Vietnamese citizen ID (CCCD) has exactly 12 digits; %(number_length)s were given."
    ),
    "cccd_digits": _lt("A Vietnamese citizen ID (CCCD) contains digits only."),
    "cccd_province": _lt(
        "The CCCD province code %(province)s is not a Vietnamese province of birth registration."
    ),
    "cccd_birth_year": _lt(
        "The CCCD century and year digits give a birth year of %(found)s, but the birth date "
        "is in %(expected)s."
    ),
    "cccd_gender": _lt(
        "The CCCD gender digit says %(found)s, but the borrower's gender is %(expected)s."
    ),
    "ric_length": _lt("A Chinese resident ID has exactly 18 characters."),
    "ric_format": _lt(
        "A Chinese resident ID is 17 digits followed by a digit or X as check character."
    ),
    "ric_checksum": _lt(
        "The check character of the Chinese resident ID is wrong (ISO 7064 MOD 11-2)."
    ),
    "ric_birth_date": _lt(
        "The birth date encoded in the Chinese resident ID does not match the birth date."
    ),
    "ric_gender": _lt(
        "The sequence digit of the Chinese resident ID does not match the borrower's gender."
    ),
    "passport_format": _lt("A passport number has 6 to 9 letters and digits."),
    # phones
    "phone_unparseable": _lt("The phone number %(raw)s cannot be read as a phone number."),
    "phone_invalid": _lt("The phone number %(raw)s is not a valid number for its country."),
    # keys and encryption
    "key_file_missing": _lt(
        "No personal-data key file is available (%(path)s). Name one as pii_key_file in the "
        "[loan_base] section of the Odoo configuration file."
    ),
    "key_file_invalid": _lt("The personal-data key file cannot be read: %(path)s."),
    "key_unknown": _lt("The value was encrypted with key %(kid)s, which is not in the keyring."),
    "decrypt_failed": _lt("The encrypted value does not match its record: decryption refused."),
    "key_active": _lt("The active key cannot be removed from the keyring."),
    # money and day counts
    "invalid_amount": _lt("%(value)s is not an amount."),
    "invalid_rounding": _lt("The rounding %(rounding)s must be a positive amount."),
    "invalid_rounding_mode": _lt("Unknown rounding mode %(mode)s."),
    "invalid_parts": _lt("An amount cannot be split into %(parts)s parts."),
    "invalid_decimal_places": _lt("A currency cannot have that many decimal places."),
    "invalid_digits": _lt("An amount cannot be rounded to %(digits)s decimal places."),
    "invalid_period": _lt("The period ends (%(end)s) before it starts (%(start)s)."),
    "invalid_day_count": _lt("Unknown day-count convention %(convention)s."),
    # schedules, rates, allocation
    "invalid_principal": _lt("The amount of a loan must be positive."),
    "invalid_rate": _lt("An interest rate cannot be negative."),
    "invalid_term": _lt("A loan needs at least one instalment."),
    "invalid_method": _lt("Unknown schedule method %(method)s."),
    "invalid_frequency": _lt("Unknown repayment frequency %(frequency)s."),
    "invalid_grace": _lt("Grace periods must be shorter than the term of %(term)s instalments."),
    "invalid_start_date": _lt("The disbursement date is missing or not a date."),
    "invalid_first_due": _lt("The first due date must come after the disbursement date."),
    "invalid_interest_basis": _lt("Unknown interest basis %(basis)s."),
    "irr_no_solution": _lt("These cash flows have no effective rate."),
    "invalid_date": _lt("A cash flow has no valid date."),
    "invalid_periods_per_year": _lt("Unknown number of periods per year."),
    "invalid_income": _lt("The monthly income must be positive to compute a ratio."),
    "invalid_component_order": _lt(
        "The allocation order must list penalty, fees, interest and principal once each."
    ),
    "invalid_instalment_order": _lt("Unknown order of instalments for allocation."),
    "invalid_overpayment": _lt("Unknown treatment of an overpayment."),
    "invalid_fee_type": _lt("Unknown fee type %(fee_type)s."),
    "invalid_fee": _lt("A fee cannot be negative, nor a percentage fee above 100%%."),
    "invalid_bounds": _lt("Bucket bounds must be increasing whole numbers of days."),
    "invalid_dpd": _lt("Days past due cannot be negative."),
    # scorecards
    "invalid_bin": _lt("A scorecard bin has either a range (from < below) or a category."),
    "invalid_attribute": _lt("The scorecard attribute %(attribute)s needs bins and a weight >= 0."),
    "invalid_grade": _lt("A grade needs a recommendation: approve, refer or decline."),
    "invalid_scorecard": _lt(
        "A scorecard needs grades with distinct scores and each variable once."
    ),
    "invalid_value": _lt("The value of %(attribute)s cannot be scored."),
    # contact policy verdicts
    "allowed": _lt("Allowed by the contact policy."),
    "inbound": _lt("Inbound: the person contacted us."),
    "no_consent": _lt("The person has not consented to this kind of message."),
    "channel_refused": _lt("The person refused contact by %(channel)s."),
    "do_not_call": _lt("The number is marked do-not-call."),
    "third_party_disclosure": _lt(
        "Debt information may not be given to a person who is not obliged to pay."
    ),
    "outside_window": _lt(
        "Outside the allowed contact hours (%(window)s); it is %(local_time)s for the person."
    ),
    "daily_cap": _lt("The daily limit of %(cap)s contacts with this person is reached."),
    "number_cap": _lt("The daily limit of %(cap)s attempts to this number is reached."),
    "rolling_cap": _lt("The limit of %(cap)s contacts in %(days)s days is reached."),
    "after_conversation": _lt(
        "A conversation took place less than %(days)s days ago: no new call before then."
    ),
    "min_gap": _lt("Less than %(minutes)s minutes since the last contact with this person."),
    "invalid_window": _lt("The contact window must lie within the day and start before it ends."),
    "invalid_timezone": _lt("Unknown time zone %(tz)s."),
    "naive_datetime": _lt("A contact time without time zone cannot be judged."),
    "invalid_purpose": _lt("Unknown purpose of a blind index."),
    "no_address": _lt("The person has no usable %(channel)s address."),
    "no_provider": _lt("No active provider is configured for %(channel)s."),
}


def engine_message(env, code, params=None):
    """Sentence for an engine code in the language of ``env``, parameters filled in."""
    template = MESSAGES.get(code)
    if template is None:
        return code
    values = defaultdict(lambda: "?", dict(params or {}))
    return env._(template) % values
