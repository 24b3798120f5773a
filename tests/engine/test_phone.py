import pytest
from engine.exceptions import EngineError
from engine.phone import mask, mask_phone, national_digits, normalise_phone
from hypothesis import given
from hypothesis import strategies as st


@pytest.mark.parametrize(
    ("raw", "region", "expected"),
    [
        ("0901234678", "VN", "+84901234678"),
        ("090 123 4678", "VN", "+84901234678"),
        ("090.123.4678", "vn", "+84901234678"),
        ("+84 901 234 678", "VN", "+84901234678"),
        ("+84901234678", None, "+84901234678"),
        ("84901234678", "VN", "+84901234678"),
        ("024 3825 3232", "VN", "+842438253232"),
        ("138 1234 5678", "CN", "+8613812345678"),
        ("+86 138-1234-5678", "VN", "+8613812345678"),
        ("(212) 555-0123", "US", "+12125550123"),
    ],
)
def test_normalise_phone(raw, region, expected):
    assert normalise_phone(raw, region) == expected


@pytest.mark.parametrize("raw", ["abc", "", None, "0901234678", "++"])
def test_normalise_phone_unparseable(raw):
    region = None if raw == "0901234678" else "VN"  # no region and no + sign
    with pytest.raises(EngineError) as info:
        normalise_phone(raw, region)
    assert info.value.code == "phone_unparseable"
    assert info.value.params == {"raw": raw}


@pytest.mark.parametrize("raw", ["0901234", "0001234567", "+84123", "0123456789012"])
def test_normalise_phone_invalid(raw):
    with pytest.raises(EngineError) as info:
        normalise_phone(raw, "VN")
    assert info.value.code == "phone_invalid"
    assert info.value.params == {"raw": raw}


@pytest.mark.parametrize(
    ("e164", "expected"),
    [
        ("+84901234678", "0901234678"),
        ("+842438253232", "02438253232"),
        ("+8613812345678", "13812345678"),
        ("+12125550123", "2125550123"),
    ],
)
def test_national_digits(e164, expected):
    assert national_digits(e164) == expected


def test_mask_phone():
    assert mask_phone("+84901234678") == "090****678"
    assert mask_phone(normalise_phone("0901234678")) == "090****678"
    assert mask_phone("+8613812345678") == "138*****678"


@pytest.mark.parametrize(
    ("value", "kwargs", "expected"),
    [
        ("0901234678", {}, "090****678"),
        ("0901234678", {"char": "x"}, "090xxxx678"),
        ("001234567890", {"head": 0, "tail": 4}, "********7890"),
        ("ABCDEFG", {"head": 2, "tail": 0}, "AB*****"),
        ("1234567", {}, "123*567"),
        ("123456", {}, "****56"),
        ("1234", {"tail": 1}, "***4"),
        ("123", {}, "**3"),
        ("12", {}, "*2"),
        ("1", {}, "*"),
        ("", {}, ""),
        (None, {}, ""),
    ],
)
def test_mask(value, kwargs, expected):
    assert mask(value, **kwargs) == expected


@given(
    value=st.text(alphabet=st.characters(blacklist_characters="*"), min_size=1, max_size=40),
    head=st.integers(min_value=0, max_value=5),
    tail=st.integers(min_value=0, max_value=5),
)
def test_mask_properties(value, head, tail):
    masked = mask(value, head=head, tail=tail)
    assert len(masked) == len(value)
    stars = masked.count("*")
    assert stars >= 1
    if len(value) > head + tail:
        assert masked == value[:head] + "*" * stars + value[len(value) - tail :]
    else:
        # Too short: only an end of at most half the value stays visible.
        assert len(value) - stars <= len(value) // 2
        assert masked == "*" * stars + value[stars:]
