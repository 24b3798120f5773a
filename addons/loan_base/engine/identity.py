"""Identity document numbers: normalisation, structure checks and cross-checks.

Vietnamese CCCD numbers have no check digit, so they are checked against the province list
and against the birth date and gender recorded for the person. Chinese resident IDs carry an
ISO 7064 MOD 11-2 check character, an embedded birth date and a gender digit.
"""

import re
from datetime import date

from .exceptions import EngineError

VN_CCCD = "vn_cccd"
CN_RIC = "cn_ric"
PASSPORT = "passport"
OTHER = "other"
DOC_TYPES = (VN_CCCD, CN_RIC, PASSPORT, OTHER)

# Birth-registration province codes of the CCCD (Circular 07/2016/TT-BCA, 63 provinces).
VN_PROVINCE_CODES = frozenset(
    "001 002 004 006 008 010 011 012 014 015 017 019 020 022 024 025 026 027 030 031 033 034 "
    "035 036 037 038 040 042 044 045 046 048 049 051 052 054 056 058 060 062 064 066 067 068 "
    "070 072 074 075 077 079 080 082 083 084 086 087 089 091 092 093 094 095 096".split()
)
RIC_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
RIC_CHECK_CHARS = "10X98765432"
GENDERS = ("male", "female")

_SEPARATORS = re.compile(r"[\s\-]+")
_PASSPORT = re.compile(r"[A-Z0-9]{6,9}")
_RIC = re.compile(r"[0-9]{17}[0-9X]")


def normalise_identity(doc_type, number):
    """The canonical form of an identity number: no spaces or dashes, upper case.

    The same rule applies to every document type, so that a blind index built from the
    canonical form finds a number whatever type it was filed under.

    >>> normalise_identity(CN_RIC, " 110105 19491231 002x ")
    '11010519491231002X'
    >>> normalise_identity(PASSPORT, "c-1234 567")
    'C1234567'
    >>> try:
    ...     normalise_identity("driving_licence", "123")
    ... except EngineError as exc:
    ...     print(exc.code, exc.params)
    identity_type {'doc_type': 'driving_licence'}
    """
    if doc_type not in DOC_TYPES:
        raise EngineError("identity_type", doc_type=doc_type)
    return _SEPARATORS.sub("", number or "").upper()


def parse_vn_cccd(number):
    """Split a CCCD number ``PPP G YY RRRRRR`` into its parts.

    ``G`` encodes century and gender: even for men, odd for women; 0/1 for the 1900s,
    2/3 for the 2000s, 4/5 for the 2100s and so on. Only the structure (12 digits) is
    checked here; :func:`validate_vn_cccd` checks the province and cross-checks.

    >>> parts = parse_vn_cccd("079 090 001234")
    >>> parts["province"], parts["century_year"], parts["birth_year"], parts["gender"]
    ('079', 1900, 1990, 'male')
    >>> parts = parse_vn_cccd("001305012345")
    >>> parts["century_year"], parts["birth_year"], parts["gender"], parts["serial"]
    (2000, 2005, 'female', '012345')
    >>> try:
    ...     parse_vn_cccd("07909000123")
    ... except EngineError as exc:
    ...     print(exc.code, exc.params)
    cccd_length {'number_length': 11}
    """
    number = normalise_identity(VN_CCCD, number)
    if number and not (number.isascii() and number.isdigit()):
        raise EngineError("cccd_digits")
    if len(number) != 12:
        raise EngineError("cccd_length", number_length=len(number))
    century_gender = int(number[3])
    century_year = 1900 + (century_gender // 2) * 100
    return {
        "province": number[:3],
        "century_year": century_year,
        "gender": GENDERS[century_gender % 2],
        "birth_year": century_year + int(number[4:6]),
        "serial": number[6:],
    }


def validate_vn_cccd(number, birth_date=None, gender=None):
    """Check a CCCD number and return it normalised.

    Cross-checks the century and year digits against ``birth_date`` and the gender digit
    against ``gender`` (``'male'`` or ``'female'``; any other value is not checked).

    >>> validate_vn_cccd("079090001234", date(1990, 5, 17), "male")
    '079090001234'
    >>> try:
    ...     validate_vn_cccd("079090001234", date(2001, 5, 17))
    ... except EngineError as exc:
    ...     print(exc.code, exc.params)
    cccd_birth_year {'expected': 2001, 'found': 1990}
    >>> try:
    ...     validate_vn_cccd("079090001234", gender="female")
    ... except EngineError as exc:
    ...     print(exc.code, exc.params)
    cccd_gender {'expected': 'female', 'found': 'male'}
    >>> try:
    ...     validate_vn_cccd("003090001234")
    ... except EngineError as exc:
    ...     print(exc.code, exc.params)
    cccd_province {'province': '003'}
    """
    parts = parse_vn_cccd(number)
    if parts["province"] not in VN_PROVINCE_CODES:
        raise EngineError("cccd_province", province=parts["province"])
    if birth_date is not None and parts["birth_year"] != birth_date.year:
        raise EngineError("cccd_birth_year", expected=birth_date.year, found=parts["birth_year"])
    if gender in GENDERS and parts["gender"] != gender:
        raise EngineError("cccd_gender", expected=gender, found=parts["gender"])
    return normalise_identity(VN_CCCD, number)


def ric_check_char(body):
    """ISO 7064 MOD 11-2 check character of the first 17 digits of a Chinese resident ID.

    >>> ric_check_char("11010519491231002")
    'X'
    >>> ric_check_char("36042619910101007")
    '1'
    """
    total = sum(int(digit) * weight for digit, weight in zip(body, RIC_WEIGHTS, strict=True))
    return RIC_CHECK_CHARS[total % 11]


def _ric_birth_date(number):
    try:
        return date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        return None


def validate_cn_ric(number, birth_date=None, gender=None):
    """Check a Chinese resident ID (18 characters) and return it normalised.

    Layout: 6-digit area, birth date ``YYYYMMDD``, 3-digit sequence (odd for men, even for
    women), check character. ``birth_date`` and ``gender`` are cross-checked when given.

    >>> validate_cn_ric("11010519491231002x", date(1949, 12, 31), "female")
    '11010519491231002X'
    >>> try:
    ...     validate_cn_ric("110105194912310021")
    ... except EngineError as exc:
    ...     print(exc.code, exc.params)
    ric_checksum {'expected': 'X', 'found': '1'}
    >>> try:
    ...     validate_cn_ric("11010519491231002X", date(1949, 12, 30))
    ... except EngineError as exc:
    ...     print(exc.code, exc.params)
    ric_birth_date {'expected': '1949-12-30', 'found': '19491231'}
    >>> try:
    ...     validate_cn_ric("11010519491231002X", gender="male")
    ... except EngineError as exc:
    ...     print(exc.code, exc.params)
    ric_gender {'expected': 'male', 'found': 'female'}
    """
    number = normalise_identity(CN_RIC, number)
    if len(number) != 18:
        raise EngineError("ric_length", number_length=len(number))
    if not _RIC.fullmatch(number):
        raise EngineError("ric_format")
    expected = ric_check_char(number[:17])
    if number[17] != expected:
        raise EngineError("ric_checksum", expected=expected, found=number[17])
    embedded = _ric_birth_date(number)
    if embedded is None or (birth_date is not None and embedded != birth_date):
        raise EngineError(
            "ric_birth_date",
            expected=birth_date.isoformat() if birth_date else None,
            found=number[6:14],
        )
    found_gender = GENDERS[1 - int(number[16]) % 2]
    if gender in GENDERS and found_gender != gender:
        raise EngineError("ric_gender", expected=gender, found=found_gender)
    return number


def validate_passport(number):
    """Check a passport number (6 to 9 letters and digits) and return it normalised.

    >>> validate_passport("c1234567")
    'C1234567'
    >>> try:
    ...     validate_passport("AB12")
    ... except EngineError as exc:
    ...     print(exc.code, exc.params)
    passport_format {'number': 'AB12'}
    """
    number = normalise_identity(PASSPORT, number)
    if not _PASSPORT.fullmatch(number):
        raise EngineError("passport_format", number=number)
    return number


def _validate_other(number):
    number = normalise_identity(OTHER, number)
    if len(number) > 32 or not number.isprintable():
        raise EngineError("identity_format", number=number)
    return number


def validate_identity(doc_type, number, birth_date=None, gender=None):
    """Check ``number`` as a document of ``doc_type`` and return its normalised form.

    ``other`` accepts 1 to 32 printable characters. ``birth_date`` and ``gender`` are
    cross-checked where the document encodes them (CCCD, Chinese resident ID).

    >>> validate_identity(VN_CCCD, "079-090-001234", date(1990, 1, 1), "male")
    '079090001234'
    >>> validate_identity(OTHER, "abc 123/x")
    'ABC123/X'
    >>> try:
    ...     validate_identity(PASSPORT, "  ")
    ... except EngineError as exc:
    ...     print(exc.code, exc.params)
    identity_empty {}
    >>> try:
    ...     validate_identity("ssn", "123")
    ... except EngineError as exc:
    ...     print(exc.code, exc.params)
    identity_type {'doc_type': 'ssn'}
    """
    if not normalise_identity(doc_type, number):
        raise EngineError("identity_empty")
    if doc_type == VN_CCCD:
        return validate_vn_cccd(number, birth_date, gender)
    if doc_type == CN_RIC:
        return validate_cn_ric(number, birth_date, gender)
    if doc_type == PASSPORT:
        return validate_passport(number)
    return _validate_other(number)
