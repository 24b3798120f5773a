from datetime import date
from unittest import mock

import pytest
from engine.exceptions import EngineError
from engine.identity import (
    CN_RIC,
    OTHER,
    PASSPORT,
    VN_CCCD,
    VN_PROVINCE_CODES,
    normalise_identity,
    parse_vn_cccd,
    ric_check_char,
    validate_cn_ric,
    validate_identity,
    validate_passport,
    validate_vn_cccd,
)
from hypothesis import given
from hypothesis import strategies as st
from stdnum.cn import ric as stdnum_ric
from stdnum.iso7064 import mod_11_2

VALID_RIC = "11010519491231002X"  # 1949-12-31, sequence 002 (female)


def stdnum_is_valid(number):
    """python-stdnum's verdict on a resident ID, without its area-code lookup.

    The engine does not check area codes, and the lookup reads a data file through
    importlib.resources, which fails once Odoo's import hook has wrapped stdnum's loader
    (as happens when the pytest-odoo plugin imports Odoo first)."""
    with mock.patch.object(stdnum_ric, "get_birth_place", return_value={}):
        return stdnum_ric.is_valid(number)


def code_of(function, *args, **kwargs):
    with pytest.raises(EngineError) as info:
        function(*args, **kwargs)
    return info.value.code, info.value.params


def with_check(body):
    return body + ric_check_char(body)


# ------------------------------------------------------------------ normalisation
@pytest.mark.parametrize("doc_type", [VN_CCCD, CN_RIC, PASSPORT, OTHER])
def test_normalise_identity_is_type_independent(doc_type):
    assert normalise_identity(doc_type, " 079-090 001\t234 ") == "079090001234"
    assert normalise_identity(doc_type, "b12-345x") == "B12345X"
    assert normalise_identity(doc_type, None) == ""


def test_normalise_identity_unknown_type():
    assert code_of(normalise_identity, "tax_id", "1") == ("identity_type", {"doc_type": "tax_id"})


# ------------------------------------------------------------------ Vietnam CCCD
def test_province_codes():
    assert len(VN_PROVINCE_CODES) == 63
    assert {"001", "079", "096", "048"} <= VN_PROVINCE_CODES
    assert not {"000", "003", "005", "097", "099"} & VN_PROVINCE_CODES


@pytest.mark.parametrize(
    ("digit", "century", "gender"),
    [
        (0, 1900, "male"),
        (1, 1900, "female"),
        (2, 2000, "male"),
        (3, 2000, "female"),
        (4, 2100, "male"),
        (5, 2100, "female"),
        (6, 2200, "male"),
        (7, 2200, "female"),
        (8, 2300, "male"),
        (9, 2300, "female"),
    ],
)
def test_parse_vn_cccd_century_and_gender(digit, century, gender):
    parts = parse_vn_cccd(f"001{digit}45678901")
    assert parts == {
        "province": "001",
        "century_year": century,
        "gender": gender,
        "birth_year": century + 45,
        "serial": "678901",
    }


def test_validate_vn_cccd_ok():
    assert validate_vn_cccd("079 090 001234", date(1990, 7, 1), "male") == "079090001234"
    assert validate_vn_cccd("001301001234", date(2001, 2, 3), "female") == "001301001234"
    # Genders other than male/female are not cross-checked.
    assert validate_vn_cccd("001301001234", gender="other") == "001301001234"


@pytest.mark.parametrize(
    ("number", "length"), [("07909000123", 11), ("0790900012345", 13), ("", 0)]
)
def test_cccd_length(number, length):
    assert code_of(validate_vn_cccd, number) == ("cccd_length", {"number_length": length})


@pytest.mark.parametrize("number", ["07909000123A", "O79090001234", "079090001234.5"])
def test_cccd_digits(number):
    assert code_of(validate_vn_cccd, number)[0] == "cccd_digits"


def test_cccd_province():
    assert code_of(validate_vn_cccd, "003090001234") == ("cccd_province", {"province": "003"})


def test_cccd_birth_year_contradicts_birth_date():
    # 079 0 90 ...: born in 1990, male; a birth date in 2001 needs G = 2 or 3.
    assert code_of(validate_vn_cccd, "079090001234", date(2001, 3, 4)) == (
        "cccd_birth_year",
        {"expected": 2001, "found": 1990},
    )
    assert code_of(validate_vn_cccd, "079201001234", date(1901, 3, 4))[0] == "cccd_birth_year"


def test_cccd_gender_contradicts_gender():
    assert code_of(validate_vn_cccd, "079090001234", date(1990, 1, 1), "female") == (
        "cccd_gender",
        {"expected": "female", "found": "male"},
    )


# ------------------------------------------------------------------ China resident ID
def test_ric_valid():
    assert stdnum_is_valid(VALID_RIC)
    assert mod_11_2.is_valid(VALID_RIC)
    assert validate_cn_ric(VALID_RIC) == VALID_RIC
    assert validate_cn_ric("110105 19491231 002x", date(1949, 12, 31), "female") == VALID_RIC


@pytest.mark.parametrize("last", "0123456789")
def test_ric_checksum(last):
    number = VALID_RIC[:-1] + last
    assert not stdnum_is_valid(number)
    assert code_of(validate_cn_ric, number) == ("ric_checksum", {"expected": "X", "found": last})


def test_ric_length_and_format():
    assert code_of(validate_cn_ric, VALID_RIC[:-1]) == ("ric_length", {"number_length": 17})
    assert code_of(validate_cn_ric, "A1010519491231002X")[0] == "ric_format"
    assert code_of(validate_cn_ric, "11010519491231002Y")[0] == "ric_format"


def test_ric_birth_date():
    invalid_day = with_check("11010519490231002")  # 31 February
    assert not stdnum_is_valid(invalid_day)
    assert code_of(validate_cn_ric, invalid_day)[0] == "ric_birth_date"
    assert code_of(validate_cn_ric, VALID_RIC, date(1949, 12, 30)) == (
        "ric_birth_date",
        {"expected": "1949-12-30", "found": "19491231"},
    )


def test_ric_gender():
    male = with_check("11010519491231001")
    assert validate_cn_ric(male, gender="male") == male
    assert code_of(validate_cn_ric, male, gender="female") == (
        "ric_gender",
        {"expected": "female", "found": "male"},
    )
    assert code_of(validate_cn_ric, VALID_RIC, gender="male")[0] == "ric_gender"


@given(body=st.text(alphabet="0123456789", min_size=17, max_size=17))
def test_ric_check_char_matches_stdnum(body):
    check = ric_check_char(body)
    assert check == stdnum_ric.calc_check_digit(body + "0")
    assert mod_11_2.is_valid(body + check)


@given(
    birth=st.dates(min_value=date(1900, 1, 1), max_value=date(2025, 12, 31)),
    sequence=st.integers(min_value=0, max_value=999),
    check=st.sampled_from("0123456789X"),
)
def test_ric_validation_agrees_with_stdnum(birth, sequence, check):
    number = f"110105{birth:%Y%m%d}{sequence:03d}{check}"
    try:
        validate_cn_ric(number, birth, "male" if sequence % 2 else "female")
    except EngineError as exc:
        assert exc.code == "ric_checksum"
        assert not stdnum_is_valid(number)
    else:
        assert stdnum_is_valid(number)


# ------------------------------------------------------------------ passport, dispatch
@pytest.mark.parametrize("number", ["C1234567", "b12345", "AB1234567", "n 1234-567"])
def test_passport_ok(number):
    assert validate_passport(number) == normalise_identity(PASSPORT, number)


@pytest.mark.parametrize("number", ["C1234", "AB12345678", "C123456/7", "Ç1234567"])
def test_passport_format(number):
    assert code_of(validate_passport, number)[0] == "passport_format"


def test_validate_identity_dispatch():
    assert validate_identity(VN_CCCD, "079090001234", date(1990, 1, 1), "male") == "079090001234"
    assert validate_identity(CN_RIC, VALID_RIC.lower(), date(1949, 12, 31)) == VALID_RIC
    assert validate_identity(PASSPORT, "c1234567") == "C1234567"
    assert validate_identity(OTHER, "dl-77/12 a") == "DL77/12A"
    assert code_of(validate_identity, VN_CCCD, "079090001234", date(2001, 1, 1))[0] == (
        "cccd_birth_year"
    )
    assert code_of(validate_identity, CN_RIC, VALID_RIC, None, "male")[0] == "ric_gender"


@pytest.mark.parametrize("number", [None, "", "  ", " - "])
def test_validate_identity_empty(number):
    assert code_of(validate_identity, OTHER, number) == ("identity_empty", {})


def test_validate_identity_unknown_type():
    assert code_of(validate_identity, "ssn", "123-45-6789")[0] == "identity_type"


def test_validate_identity_other():
    assert validate_identity(OTHER, "x" * 32) == "X" * 32
    assert code_of(validate_identity, OTHER, "x" * 33)[0] == "identity_format"
    assert code_of(validate_identity, OTHER, "AB\x07CD")[0] == "identity_format"
