from decimal import Decimal

import pytest
from engine.exceptions import EngineError
from engine.fees import (
    FEE_TYPES,
    INSURANCE_PERCENT,
    SERVICE_INSTALMENT,
    UPFRONT_FIXED,
    UPFRONT_PERCENT,
    fee_amount,
    loan_fees,
)
from engine.money import round_money
from hypothesis import given
from hypothesis import strategies as st

D = Decimal


def code_of(function, *args, **kwargs):
    with pytest.raises(EngineError) as info:
        function(*args, **kwargs)
    return info.value.code, info.value.params


def test_fee_types():
    assert set(FEE_TYPES) == {UPFRONT_PERCENT, UPFRONT_FIXED, INSURANCE_PERCENT, SERVICE_INSTALMENT}


@pytest.mark.parametrize(
    ("fee_type", "value", "amount", "rounding", "expected"),
    [
        # 3 % of VND 15,000,000 = 450,000; 0.55 % of it = 82,500
        (UPFRONT_PERCENT, 3, 15_000_000, 1, D(450_000)),
        (INSURANCE_PERCENT, "0.55", 15_000_000, 1, D(82_500)),
        # 1.25 % of 999.99 = 12.499875, rounded half-up to the cent
        (UPFRONT_PERCENT, "1.25", "999.99", "0.01", D("12.50")),
        # fixed amounts are rounded to the currency, whatever the loan amount
        (UPFRONT_FIXED, "49999.6", 1, 1, D(50_000)),
        (SERVICE_INSTALMENT, "12.345", 1000, "0.01", D("12.35")),
        # the float noise of an Odoo float field does not reach the amount
        (UPFRONT_PERCENT, 0.1 + 0.2, 1_000_000, 1, D(3000)),
    ],
)
def test_fee_amount(fee_type, value, amount, rounding, expected):
    assert fee_amount(fee_type, value, amount, rounding) == expected


def test_rounding_mode():
    # 1.5 % of 1,000,033 VND = 15,000.495
    assert fee_amount(UPFRONT_PERCENT, "1.5", 1_000_033, 1) == D(15_000)
    assert fee_amount(UPFRONT_PERCENT, "1.5", 1_000_033, 1, "up") == D(15_001)


def test_loan_fees_sums_each_rounded_fee():
    # each fee is rounded on its own: 0.005 + 0.005 would round to 0.01 as a sum
    fees = [(UPFRONT_PERCENT, "0.5"), (INSURANCE_PERCENT, "0.5")]
    assert loan_fees("1.01", fees) == (D("0.02"), D(0))
    assert loan_fees(
        20_000_000,
        [
            (UPFRONT_PERCENT, 2),
            (UPFRONT_FIXED, 100_000),
            (INSURANCE_PERCENT, 1),
            (SERVICE_INSTALMENT, 10_000),
            (SERVICE_INSTALMENT, 5_000),
        ],
        1,
    ) == (D(700_000), D(15_000))


def test_invalid_fees():
    assert code_of(fee_amount, "monthly", 1, 100) == ("invalid_fee_type", {"fee_type": "monthly"})
    assert code_of(fee_amount, UPFRONT_FIXED, -1, 100)[0] == "invalid_fee"
    assert code_of(fee_amount, INSURANCE_PERCENT, "100.01", 100)[0] == "invalid_fee"
    assert fee_amount(UPFRONT_PERCENT, 100, 100) == D(100)
    assert code_of(loan_fees, 100, [(UPFRONT_PERCENT, "x")])[0] == "invalid_amount"


fee_lists = st.lists(
    st.tuples(
        st.sampled_from(FEE_TYPES),
        st.decimals(min_value=0, max_value=100, places=4, allow_nan=False),
    ),
    max_size=6,
)


@given(
    amount=st.decimals(min_value=1, max_value=10**9, places=2, allow_nan=False),
    fees=fee_lists,
    rounding=st.sampled_from([D("0.01"), D("1"), D("1000")]),
)
def test_loan_fees_properties(amount, fees, rounding):
    upfront, per_instalment = loan_fees(amount, fees, rounding)
    expected_upfront = sum(
        (
            round_money(amount * value / 100, rounding)
            if kind != UPFRONT_FIXED
            else round_money(value, rounding)
        )
        for kind, value in fees
        if kind != SERVICE_INSTALMENT
    )
    expected_service = sum(
        round_money(value, rounding) for kind, value in fees if kind == SERVICE_INSTALMENT
    )
    assert (upfront, per_instalment) == (expected_upfront, expected_service)
    for total in (upfront, per_instalment):
        assert total >= 0
        assert total % rounding == 0
    # a percentage fee is within half a unit of the exact percentage
    for kind, value in fees:
        if kind in (UPFRONT_PERCENT, INSURANCE_PERCENT):
            exact = amount * value / 100
            assert abs(fee_amount(kind, value, amount, rounding) - exact) <= rounding / 2
