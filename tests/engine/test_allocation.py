import itertools
from datetime import date, timedelta
from decimal import Decimal

import pytest
from engine.allocation import (
    COMPONENTS,
    DPD_BUCKETS,
    VN_GROUP_BOUNDS,
    Due,
    allocate,
    bucket,
    days_past_due,
    vn_loan_group,
)
from engine.exceptions import EngineError
from hypothesis import given
from hypothesis import strategies as st

D = Decimal

DUES = [
    Due("L2", date(2025, 3, 15), penalty=0, fees=10_000, interest=138_498, principal=778_302),
    Due("L1", date(2025, 2, 15), penalty=20_000, fees=10_000, interest=150_000, principal=766_800),
    Due("L3", date(2025, 4, 15), interest=126_823, principal=789_977),
]


def code_of(function, *args, **kwargs):
    with pytest.raises(EngineError) as info:
        function(*args, **kwargs)
    return info.value.code, info.value.params


# ------------------------------------------------------------------ Due
def test_due_normalises_amounts():
    due = Due(1, date(2025, 1, 1), "1.50", 2, D("3"), 0.1)
    assert (due.penalty, due.fees, due.interest, due.principal) == (
        D("1.50"),
        D(2),
        D(3),
        D("0.1"),
    )
    assert due.total == D("6.60")
    assert Due(1, date(2025, 1, 1)).total == 0


@pytest.mark.parametrize("field", COMPONENTS)
def test_due_refuses_negative_amounts(field):
    assert code_of(Due, 1, date(2025, 1, 1), **{field: -1}) == ("invalid_amount", {"value": -1})


# ------------------------------------------------------------------ allocate
def test_oldest_first_default_order():
    result = allocate(1_000_000, DUES)
    assert result.lines == [
        ("L1", "penalty", D(20_000)),
        ("L1", "fees", D(10_000)),
        ("L1", "interest", D(150_000)),
        ("L1", "principal", D(766_800)),
        ("L2", "fees", D(10_000)),
        ("L2", "interest", D(43_200)),
    ]
    assert result.remaining == 0
    assert result.prepayment == 0


def test_newest_first():
    result = allocate(1_000_000, DUES, instalment_order="newest_first")
    assert [line[0] for line in result.lines] == ["L3", "L3", "L2", "L2"]
    # L3: 126,823 + 789,977 = 916,800; L2: fees 10,000, then 73,200 of its interest.
    assert result.lines[-2:] == [("L2", "fees", D(10_000)), ("L2", "interest", D(73_200))]


def test_component_order_interest_first():
    order = ("interest", "principal", "fees", "penalty")
    result = allocate(400_000, DUES, component_order=order)
    assert result.lines == [
        ("L1", "interest", D(150_000)),
        ("L1", "principal", D(250_000)),
    ]
    # Lists are accepted as well as tuples.
    assert allocate(400_000, DUES, component_order=list(order)) == result


def test_overpayment_advance_and_prepay():
    total_due = sum(due.total for due in DUES)
    assert total_due == D(2_790_400)
    advance = allocate(3_000_000, DUES)
    assert advance.remaining == D(209_600)
    assert advance.prepayment == 0
    prepay = allocate(3_000_000, DUES, overpayment="prepay")
    assert prepay.lines == advance.lines
    assert prepay.remaining == prepay.prepayment == D(209_600)


def test_exact_payment_leaves_nothing():
    result = allocate(D("2790400"), DUES, overpayment="prepay")
    assert result.remaining == result.prepayment == 0
    assert len(result.lines) == 9  # L2 has no penalty, L3 neither penalty nor fees


def test_no_dues_everything_remains():
    result = allocate("150.25", [], overpayment="prepay")
    assert result.lines == []
    assert result.remaining == result.prepayment == D("150.25")


def test_equal_due_dates_keep_the_given_order():
    same = [Due(n, date(2025, 1, 1), interest=10) for n in ("a", "b", "c")]
    assert [x[0] for x in allocate(25, same).lines] == ["a", "b", "c"]
    assert [x[0] for x in allocate(25, same, instalment_order="newest_first").lines] == [
        "a",
        "b",
        "c",
    ]


@pytest.mark.parametrize("amount", [0, -1, "-0.01", D(0)])
def test_invalid_amount(amount):
    assert code_of(allocate, amount, DUES) == ("invalid_amount", {"value": amount})


@pytest.mark.parametrize(
    "order",
    [
        ("penalty", "fees", "interest"),
        ("penalty", "fees", "interest", "interest"),
        ("penalty", "fees", "interest", "principal", "tax"),
        ("penalty", "fees", "interest", "capital"),
        "penalty,fees,interest,principal",
        (),
    ],
)
def test_invalid_component_order(order):
    assert code_of(allocate, 100, DUES, component_order=order)[0] == "invalid_component_order"


def test_invalid_instalment_order_and_overpayment():
    assert code_of(allocate, 100, DUES, instalment_order="largest_first")[0] == (
        "invalid_instalment_order"
    )
    assert code_of(allocate, 100, DUES, overpayment="refund")[0] == "invalid_overpayment"


money = st.decimals(min_value=0, max_value=D("1e9"), places=2)
due_lists = st.lists(
    st.builds(
        Due,
        line_id=st.integers(),
        due_date=st.dates(min_value=date(2020, 1, 1), max_value=date(2030, 12, 31)),
        penalty=money,
        fees=money,
        interest=money,
        principal=money,
    ),
    max_size=12,
)


@given(
    amount=st.decimals(min_value=D("0.01"), max_value=D("1e10"), places=2),
    dues=due_lists,
    instalment_order=st.sampled_from(["oldest_first", "newest_first"]),
    component_order=st.permutations(COMPONENTS),
    overpayment=st.sampled_from(["advance", "prepay"]),
)
def test_allocation_properties(amount, dues, instalment_order, component_order, overpayment):
    result = allocate(amount, dues, instalment_order, component_order, overpayment)
    allocated = sum((line[2] for line in result.lines), D(0))
    assert allocated + result.remaining == amount
    assert result.remaining >= 0
    assert result.prepayment == (result.remaining if overpayment == "prepay" else 0)
    assert all(line[2] > 0 for line in result.lines)
    # No component receives more than its open amount, nor twice.
    by_due = {id(due): due for due in dues}
    paid = {}
    for due in dues:
        for component in COMPONENTS:
            paid[id(due), component] = D(0)
    index = 0
    ordered = sorted(dues, key=lambda d: d.due_date, reverse=instalment_order == "newest_first")
    for due in ordered:
        for component in component_order:
            if index < len(result.lines) and result.lines[index][:2] == (due.line_id, component):
                paid[id(due), component] += result.lines[index][2]
                index += 1
    assert index == len(result.lines)  # every line follows the waterfall order
    for (due_id, component), value in paid.items():
        assert value <= getattr(by_due[due_id], component)
    # Anything left over means every open amount was paid in full.
    if result.remaining:
        assert allocated == sum((due.total for due in dues), D(0))


@given(dues=due_lists, order=st.permutations(COMPONENTS))
def test_allocation_is_a_waterfall(dues, order):
    # Paying the dues one unit of cash at a time: a component is touched only when every
    # component before it (in instalment then component order) is settled.
    total = sum((due.total for due in dues), D(0))
    if not total:
        return
    half = (total / 2).quantize(D("0.01"))
    if half <= 0:
        return
    result = allocate(half, dues, component_order=order)
    ordered = sorted(dues, key=lambda d: d.due_date)
    flat = [getattr(due, c) for due in ordered for c in order]
    settled = [line[2] for line in result.lines]
    opened = [amount for amount in flat if amount > 0]
    assert settled[:-1] == opened[: len(settled) - 1]
    assert settled[-1] <= opened[len(settled) - 1]


# ------------------------------------------------------------------ days past due and buckets
def test_days_past_due():
    today = date(2025, 5, 1)
    assert days_past_due([date(2025, 4, 15), date(2025, 3, 15)], today) == 47
    assert days_past_due([date(2025, 5, 1)], today) == 0  # due today is not late
    assert days_past_due([date(2025, 4, 30)], today) == 1
    assert days_past_due([date(2025, 6, 15)], today) == 0
    assert days_past_due([], today) == 0
    assert days_past_due(iter([date(2025, 4, 1)]), today) == 30


@given(
    dates=st.lists(st.dates(min_value=date(2020, 1, 1), max_value=date(2030, 1, 1)), max_size=10),
    today=st.dates(min_value=date(2020, 1, 1), max_value=date(2030, 1, 1)),
)
def test_days_past_due_properties(dates, today):
    dpd = days_past_due(dates, today)
    assert dpd >= 0
    assert dpd == max([0] + [(today - d).days for d in dates])


@pytest.mark.parametrize(
    ("dpd", "expected"),
    [(0, 0), (1, 1), (30, 1), (31, 2), (60, 2), (61, 3), (90, 3), (91, 4), (180, 4), (181, 5)],
)
def test_default_buckets(dpd, expected):
    assert DPD_BUCKETS == (0, 30, 60, 90, 180)
    assert bucket(dpd) == expected


def test_custom_buckets():
    assert [bucket(d, [7, 14]) for d in (0, 7, 8, 14, 15, 400)] == [0, 0, 1, 1, 2, 2]
    assert bucket(5, [10]) == 0 and bucket(11, [10]) == 1


@pytest.mark.parametrize("bounds", [[], [30, 10], [0, 0], [-1, 5], [1.5, 3], None, [True, 5]])
def test_invalid_bounds(bounds):
    assert code_of(bucket, 5, bounds)[0] == "invalid_bounds"


@pytest.mark.parametrize("dpd", [-1, 1.5, None, "3", True])
def test_invalid_dpd(dpd):
    assert code_of(bucket, dpd) == ("invalid_dpd", {"dpd": dpd})


@pytest.mark.parametrize(
    ("dpd", "group"),
    [
        (0, 1),
        (9, 1),
        (10, 2),
        (90, 2),
        (91, 3),
        (180, 3),
        (181, 4),
        (360, 4),
        (361, 5),
        (5000, 5),
    ],
)
def test_vn_loan_group_circular_11_2021(dpd, group):
    assert VN_GROUP_BOUNDS == (9, 90, 180, 360)
    assert vn_loan_group(dpd) == group


def test_vn_loan_group_editable_bounds():
    # A stricter internal preset: group 2 from 1 day past due.
    assert [vn_loan_group(d, (0, 90, 180, 360)) for d in (0, 1, 9)] == [1, 2, 2]


@given(
    dpd=st.integers(min_value=0, max_value=10_000),
    bounds=st.lists(st.integers(min_value=0, max_value=2_000), min_size=1, max_size=8, unique=True),
)
def test_bucket_properties(dpd, bounds):
    bounds = sorted(bounds)
    index = bucket(dpd, bounds)
    assert 0 <= index <= len(bounds)
    if index < len(bounds):
        assert dpd <= bounds[index]
    if index:
        assert dpd > bounds[index - 1]


def test_bucket_is_monotonic():
    groups = [vn_loan_group(d) for d in range(0, 800)]
    assert groups == sorted(groups)
    assert [len(list(g)) for _k, g in itertools.groupby(groups)] == [10, 81, 90, 180, 439]
    assert all(bucket(d) <= bucket(d + 1) for d in range(400))
    assert days_past_due([date(2025, 1, 1)], date(2025, 1, 1) + timedelta(days=400)) == 400
