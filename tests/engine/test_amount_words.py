from decimal import Decimal

import pytest
from engine.amount_words import (
    chinese_amount,
    chinese_number,
    vietnamese_amount,
    vietnamese_number,
)
from engine.exceptions import EngineError
from hypothesis import given
from hypothesis import strategies as st

ZH_VALUES = dict(zip("零壹贰叁肆伍陆柒捌玖", range(10), strict=True))
ZH_PLACES = {"拾": 10, "佰": 100, "仟": 1000}


def _parse_chinese(text):
    """Read capital numerals back (the inverse of chinese_number), to check it."""
    total = 0
    for big, factor in (("亿", 10**8), ("万", 10**4)):
        if big in text:
            head, text = text.split(big, 1)
            total += _parse_chinese(head) * factor
    section = digit = 0
    for char in text:
        if char in ZH_VALUES:
            digit = ZH_VALUES[char]
        else:
            section += digit * ZH_PLACES[char]
            digit = 0
    return total + section + digit


@pytest.mark.parametrize(
    ("number", "words"),
    [
        (1, "một"),
        (10, "mười"),
        (15, "mười lăm"),
        (21, "hai mươi mốt"),
        (105, "một trăm lẻ năm"),
        (1_000, "một nghìn"),
        (1_010, "một nghìn không trăm mười"),
        (750_000, "bảy trăm năm mươi nghìn"),
        (30_000_000, "ba mươi triệu"),
        (1_000_000_000, "một tỷ"),
        (1_000_000_000_000, "một nghìn tỷ"),
    ],
)
def test_vietnamese_number(number, words):
    assert vietnamese_number(number) == words


def test_vietnamese_amount_vnd_and_cents():
    assert vietnamese_amount(Decimal("12277281"), "đồng") == (
        "Mười hai triệu hai trăm bảy mươi bảy nghìn hai trăm tám mươi mốt đồng"
    )
    assert vietnamese_amount(Decimal("0.05"), "đô la", "xu", 2) == "Không đô la và năm xu"


@pytest.mark.parametrize(
    ("amount", "words"),
    [
        (Decimal("10"), "壹拾元整"),
        (Decimal("101"), "壹佰零壹元整"),
        (Decimal("1010.10"), "壹仟零壹拾元壹角整"),
        (Decimal("100000000"), "壹亿元整"),
        (Decimal("100010000"), "壹亿零壹万元整"),
        (Decimal("0.07"), "柒分"),
    ],
)
def test_chinese_amount(amount, words):
    assert chinese_amount(amount) == words


@given(st.integers(min_value=0, max_value=10**16 - 1))
def test_chinese_number_reads_back(number):
    text = chinese_number(number)
    assert "零零" not in text
    assert not (number and text.endswith("零"))
    assert _parse_chinese(text) == number


@given(st.integers(min_value=0, max_value=10**15))
def test_vietnamese_number_is_well_formed(number):
    text = vietnamese_number(number)
    assert "  " not in text and text == text.strip()
    assert not (number and text.endswith("không"))


def test_negative_amounts_refused():
    with pytest.raises(EngineError):
        vietnamese_amount(-1, "đồng")
    with pytest.raises(EngineError):
        chinese_amount(Decimal("-0.01"))
