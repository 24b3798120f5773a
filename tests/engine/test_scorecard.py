import dataclasses
import itertools
from decimal import Decimal

import pytest
from engine.exceptions import EngineError
from engine.scorecard import (
    MAX_REASONS,
    RECOMMENDATIONS,
    Attribute,
    Bin,
    Grade,
    Scorecard,
    ScoreResult,
    evaluate,
    max_score,
    min_score,
)
from hypothesis import given
from hypothesis import strategies as st

D = Decimal

AGE = Attribute(
    "age",
    "Age",
    (Bin(10, high=25), Bin(20, 25, 35), Bin(30, 35, 50), Bin(25, 50)),
)
INCOME = Attribute(
    "income",
    "Monthly income",
    (
        Bin(5, high=10_000_000),
        Bin(15, 10_000_000, 20_000_000),
        Bin(25, 20_000_000, 40_000_000),
        Bin(35, 40_000_000),
    ),
)
EMPLOYMENT = Attribute(
    "employment",
    "Employment",
    (
        Bin(30, value="permanent"),
        Bin(20, value="contract"),
        Bin(15, value="self_employed"),
        Bin(0, value="unemployed"),
    ),
    missing_points=5,
)
DTI = Attribute(
    "dti",
    "Debt to income",
    (Bin(40, high="0.3"), Bin(25, "0.3", "0.4"), Bin(10, "0.4", "0.5"), Bin(0, "0.5")),
    weight=2,
)
GRADES = (
    Grade(240, "A", "approve"),
    Grade(210, "B", "approve"),
    Grade(180, "C", "refer"),
    Grade(150, "D", "decline"),
)
CARD = Scorecard((AGE, INCOME, EMPLOYMENT, DTI), GRADES, base_points=100)


def code_of(function, *args, **kwargs):
    with pytest.raises(EngineError) as info:
        function(*args, **kwargs)
    return info.value.code, info.value.params


# ------------------------------------------------------------------ worked example
def test_worked_example():
    values = {"age": 29, "income": 15_000_000, "employment": "contract", "dti": 0.42}
    result = evaluate(CARD, values)
    # 100 + 20 (age 25-35) + 15 (income 10-20M) + 20 (contract) + 2 x 10 (DTI 40-50 %)
    assert result.score == 175
    assert (result.grade, result.recommendation) == ("D", "decline")
    assert result.contributions == (
        ("age", 20, 30),
        ("income", 15, 35),
        ("employment", 20, 30),
        ("dti", 10, 40),
    )
    # Shortfalls: DTI 2 x 30 = 60, income 20, age 10, employment 10 (age comes first).
    assert result.reason_codes == ("dti", "income", "age", "employment")


def test_best_applicant_has_no_reasons():
    values = {"age": 42, "income": D("45000000"), "employment": "permanent", "dti": D("0.25")}
    result = evaluate(CARD, values)
    assert result == ScoreResult(
        score=275,
        grade="A",
        recommendation="approve",
        contributions=(
            ("age", 30, 30),
            ("income", 35, 35),
            ("employment", 30, 30),
            ("dti", 40, 40),
        ),
        reason_codes=(),
    )
    assert result.score == max_score(CARD) == 275


def test_middle_grade():
    values = {"age": 38, "income": 25_000_000, "employment": "self_employed", "dti": 0.35}
    result = evaluate(CARD, values)
    assert result.score == 100 + 30 + 25 + 15 + 2 * 25 == 220
    assert (result.grade, result.recommendation) == ("B", "approve")
    assert result.reason_codes == ("dti", "employment", "income")


@pytest.mark.parametrize(
    ("score_points", "grade"),
    [(0, "D"), (49, "D"), (50, "D"), (79, "D"), (80, "C"), (109, "C"), (110, "B"), (140, "A")],
)
def test_grade_thresholds(score_points, grade):
    # A single free-form attribute: the score is 100 + the points of the only bin.
    card = Scorecard((Attribute("x", "X", (Bin(score_points),)),), GRADES, base_points=100)
    assert evaluate(card, {"x": 1}).grade == grade


def test_score_below_every_grade_gets_the_lowest():
    result = evaluate(CARD, {})
    assert result.score == 100 + 0 + 0 + 5 + 0 == 105
    assert result.score < min(grade.min_score for grade in GRADES)
    assert (result.grade, result.recommendation) == ("D", "decline")
    assert result.reason_codes == ("dti", "income", "age", "employment")


def test_max_and_min_score():
    assert max_score(CARD) == 100 + 30 + 35 + 30 + 2 * 40
    assert min_score(CARD) == 100 + 0 + 0 + 0 + 0
    negative = Attribute("late", "Late payments", (Bin(-20, low=1), Bin(10, high=1)), -5, 3)
    card = Scorecard((negative,), GRADES, base_points=50)
    assert (min_score(card), max_score(card)) == (50 - 60, 50 + 30)
    assert evaluate(card, {"late": 2}).score == -10


def test_at_most_four_reasons_ties_in_attribute_order():
    attributes = tuple(Attribute(code, code, (Bin(10, low=1), Bin(0, high=1))) for code in "abcde")
    card = Scorecard(attributes, GRADES)
    result = evaluate(card, dict.fromkeys("abcde", 0))
    assert MAX_REASONS == 4
    assert result.reason_codes == ("a", "b", "c", "d")
    result = evaluate(card, {"a": 5, "b": 0, "c": 5, "d": 0, "e": 0})
    assert result.reason_codes == ("b", "d", "e")


def test_zero_weight_is_never_a_reason():
    card = Scorecard(
        (Attribute("a", "A", (Bin(10, low=1), Bin(0, high=1)), weight=0),),
        (Grade(0, "A", "refer"),),
    )
    result = evaluate(card, {"a": 0})
    assert (result.score, result.contributions, result.reason_codes) == (0, (("a", 0, 10),), ())


# ------------------------------------------------------------------ bins and boundaries
@pytest.mark.parametrize(
    ("age", "points"),
    [
        (18, 10),
        (D("24.999"), 10),
        (24.99, 10),
        (25, 20),
        (25.0, 20),
        (D("25.00"), 20),
        (34, 20),
        (35, 30),
        (49, 30),
        (50, 25),
        (10**9, 25),
        (-3, 10),
    ],
)
def test_numeric_bins_low_inclusive_high_exclusive(age, points):
    assert AGE.points(age) == points


@pytest.mark.parametrize(
    ("dti", "points"),
    [
        (0.29, 40),
        (0.3, 25),  # read as Decimal('0.3'), not the binary 0.299999...
        (D("0.3"), 25),
        (0.1 + 0.2, 25),  # 0.30000000000000004
        (D("0.39999"), 25),
        (0.4, 10),
        (0.5, 0),
        (5, 0),
    ],
)
def test_float_values_read_through_str(dti, points):
    assert DTI.points(dti) == points


def test_bin_bounds_stored_as_decimals():
    assert Bin(1, 0.1, "0.2") == Bin(1, D("0.1"), D("0.2"))
    assert Bin(1, low=0).low == D(0) and Bin(1, low=0).high is None
    assert Bin(1).matches(D("-1e20")) and Bin(1).matches(0)
    assert not Bin(1).categorical and Bin(1, value="x").categorical


def test_categorical_values_compared_as_str():
    assert EMPLOYMENT.points("permanent") == 30
    assert EMPLOYMENT.points("Permanent") == 5  # exact match only
    codes = Attribute("branch", "Branch", (Bin(7, value="1"), Bin(3, value="2.5")))
    assert codes.points(1) == 7
    assert codes.points(2.5) == 3
    assert codes.points(D("2.5")) == 3
    assert codes.points("1") == 7


def test_first_matching_bin_wins():
    attribute = Attribute("x", "X", (Bin(1, low=0, high=10), Bin(2, low=5), Bin(3, value="5")))
    assert [attribute.points(v) for v in (5, 12, "5", -1)] == [1, 2, 3, 0]


# ------------------------------------------------------------------ missing values
@pytest.mark.parametrize(
    "values",
    [
        {},
        {"employment": None},
        {"employment": "student"},
        {"employment": ""},
        {"other": "permanent"},
    ],
)
def test_missing_or_unmatched_category(values):
    result = evaluate(CARD, values)
    assert {c: p for c, p, _m in result.contributions}["employment"] == 5


@pytest.mark.parametrize("age", [None, "29", "abc", True, False, [29], float("nan")])
def test_missing_or_non_numeric_age(age):
    if isinstance(age, float):
        assert code_of(evaluate, CARD, {"age": age}) == (
            "invalid_value",
            {"attribute": "age", "value": age},
        )
    else:
        assert AGE.points(age) == 0
        assert evaluate(CARD, {"age": age}).contributions[0] == ("age", 0, 30)


@pytest.mark.parametrize("value", [float("inf"), float("-inf"), D("NaN"), D("Infinity")])
def test_non_finite_values_refused(value):
    assert code_of(DTI.points, value)[0] == "invalid_value"
    assert not Bin(1).matches(value)


def test_missing_points_above_every_bin_counts_in_max():
    attribute = Attribute("x", "X", (Bin(1, high=0), Bin(2, low=0)), missing_points=9)
    assert (attribute.max_points, attribute.min_points) == (9, 1)
    card = Scorecard((attribute,), GRADES)
    assert evaluate(card, {}).score == max_score(card) == 9
    assert evaluate(card, {"x": -1}).reason_codes == ("x",)


# ------------------------------------------------------------------ errors
@pytest.mark.parametrize(
    "kwargs",
    [
        {"points": 1, "low": 1, "value": "a"},
        {"points": 1, "high": 1, "value": "a"},
        {"points": 1, "low": 0, "high": 10, "value": "a"},
        {"points": 1, "low": 5, "high": 5},
        {"points": 1, "low": 6, "high": "5.9"},
        {"points": 1, "low": "abc"},
        {"points": 1, "high": True},
        {"points": 1, "low": float("nan")},
        {"points": 1, "value": 3},
        {"points": 1.5},
        {"points": True},
        {"points": "1"},
    ],
)
def test_invalid_bin(kwargs):
    code, params = code_of(Bin, **kwargs)
    assert code == "invalid_bin"
    assert params["points"] == kwargs["points"]


def test_invalid_attribute():
    assert code_of(Attribute, "age", "Age", ()) == (
        "invalid_attribute",
        {"attribute": "age", "reason": "no_bins"},
    )
    assert code_of(Attribute, "age", "Age", [])[0] == "invalid_attribute"
    assert code_of(Attribute, "age", "Age", None)[1]["reason"] == "bins"
    assert code_of(Attribute, "age", "Age", (5,))[1]["reason"] == "bins"
    assert code_of(Attribute, "", "Age", (Bin(1),))[1]["reason"] == "code"
    assert code_of(Attribute, 7, "Age", (Bin(1),))[1]["reason"] == "code"
    assert code_of(Attribute, "a", "A", (Bin(1),), missing_points=0.5)[1]["reason"] == (
        "missing_points"
    )
    assert code_of(Attribute, "a", "A", (Bin(1),), weight=-1)[1]["reason"] == "weight"
    assert code_of(Attribute, "a", "A", (Bin(1),), weight=1.0)[1]["reason"] == "weight"
    assert Attribute("a", "A", [Bin(1), Bin(2)]).bins == (Bin(1), Bin(2))


@pytest.mark.parametrize(
    "args",
    [
        (100, "A", "accept"),
        (100, "A", None),
        (100, "", "approve"),
        (100, None, "approve"),
        ("100", "A", "approve"),
        (100.0, "A", "approve"),
    ],
)
def test_invalid_grade(args):
    assert code_of(Grade, *args)[0] == "invalid_grade"


def test_grade_recommendations():
    assert RECOMMENDATIONS == ("approve", "refer", "decline")
    assert [Grade(0, "X", r).recommendation for r in RECOMMENDATIONS] == list(RECOMMENDATIONS)


def test_invalid_scorecard():
    assert code_of(Scorecard, (AGE,), ()) == ("invalid_scorecard", {"reason": "no_grades"})
    assert code_of(Scorecard, (AGE, INCOME, AGE), GRADES) == (
        "invalid_scorecard",
        {"reason": "duplicate_attribute", "attribute": "age"},
    )
    assert code_of(Scorecard, (AGE,), (Grade(0, "A", "approve"), Grade(0, "B", "refer"))) == (
        "invalid_scorecard",
        {"reason": "duplicate_min_score"},
    )
    assert code_of(Scorecard, ("age",), GRADES)[1]["reason"] == "attribute"
    assert code_of(Scorecard, (AGE,), (150,))[1]["reason"] == "grade"
    assert code_of(Scorecard, (AGE,), GRADES, base_points=1.5)[1]["reason"] == "base_points"
    assert code_of(Scorecard, None, GRADES)[1]["reason"] == "not_a_sequence"


def test_scorecard_normalised():
    card = Scorecard([AGE], list(GRADES))
    assert card.attributes == (AGE,)
    assert [grade.min_score for grade in card.grades] == [150, 180, 210, 240]
    # Without attributes the score is the base points.
    assert evaluate(Scorecard((), GRADES, 200), {"age": 30}).score == 200


def test_records_are_frozen():
    result = evaluate(CARD, {})
    for record, field in ((result, "score"), (CARD, "base_points"), (AGE, "weight")):
        with pytest.raises(dataclasses.FrozenInstanceError):
            setattr(record, field, 0)
    assert hash(CARD) == hash(Scorecard((AGE, INCOME, EMPLOYMENT, DTI), GRADES, 100))


# ------------------------------------------------------------------ properties
CATEGORIES = ("a", "b", "c")
points = st.integers(min_value=-50, max_value=100)


@st.composite
def attributes(draw, code):
    if draw(st.booleans()):
        cuts = sorted(draw(st.sets(st.integers(-100, 100), max_size=4)))
        edges = [None, *cuts, None]
        bins = [Bin(draw(points), low, high) for low, high in itertools.pairwise(edges)]
        if draw(st.booleans()):  # a gap: the bins no longer cover every number
            bins.pop(draw(st.integers(0, len(bins) - 1)))
        bins = bins or [Bin(draw(points), low=0)]
    else:
        chosen = draw(st.lists(st.sampled_from(CATEGORIES), min_size=1, unique=True))
        bins = [Bin(draw(points), value=value) for value in chosen]
    return Attribute(
        code,
        code.upper(),
        tuple(bins),
        missing_points=draw(points),
        weight=draw(st.integers(0, 3)),
    )


@st.composite
def scorecards(draw):
    codes = draw(st.lists(st.sampled_from("abcdefgh"), max_size=7, unique=True))
    minimums = draw(st.lists(st.integers(-300, 800), min_size=1, max_size=5, unique=True))
    grades = tuple(Grade(m, f"G{m}", draw(st.sampled_from(RECOMMENDATIONS))) for m in minimums)
    return Scorecard(
        tuple(draw(attributes(code)) for code in codes),
        grades,
        base_points=draw(st.integers(-100, 300)),
    )


values_of = st.one_of(
    st.none(),
    st.integers(-150, 150),
    st.floats(min_value=-150, max_value=150, allow_nan=False),
    st.decimals(min_value=-150, max_value=150, places=3, allow_nan=False),
    st.sampled_from(CATEGORIES + ("zzz",)),
)


@st.composite
def cards_and_values(draw):
    card = draw(scorecards())
    values = {}
    for attribute in card.attributes:
        if draw(st.integers(0, 3)):  # mostly present, sometimes absent
            values[attribute.code] = draw(values_of)
    return card, values


@given(cards_and_values())
def test_score_properties(card_values):
    card, values = card_values
    result = evaluate(card, values)
    assert min_score(card) <= result.score <= max_score(card)
    weights = {attribute.code: attribute.weight for attribute in card.attributes}
    assert [c[0] for c in result.contributions] == [a.code for a in card.attributes]
    assert result.score == card.base_points + sum(
        weights[code] * p for code, p, _m in result.contributions
    )
    for (code, p, best), attribute in zip(result.contributions, card.attributes, strict=True):
        assert attribute.min_points <= p <= best == attribute.max_points
        assert p == attribute.points(values.get(code))
    # Grade: the highest minimum not above the score, else the lowest grade.
    reached = [grade for grade in card.grades if grade.min_score <= result.score]
    expected = reached[-1] if reached else card.grades[0]
    assert (result.grade, result.recommendation) == (expected.grade, expected.recommendation)


@given(cards_and_values())
def test_reason_code_properties(card_values):
    card, values = card_values
    result = evaluate(card, values)
    order = [attribute.code for attribute in card.attributes]
    shortfall = {
        code: card.attributes[order.index(code)].weight * (best - p)
        for code, p, best in result.contributions
    }
    positive = [code for code in order if shortfall[code] > 0]
    reasons = result.reason_codes
    assert len(reasons) == min(MAX_REASONS, len(positive))
    assert len(set(reasons)) == len(reasons)
    assert all(shortfall[code] > 0 for code in reasons)
    # Largest shortfall first, ties in attribute order.
    keys = [(-shortfall[code], order.index(code)) for code in reasons]
    assert keys == sorted(keys)
    # No attribute left out has a larger shortfall than one given.
    if reasons:
        last = (-shortfall[reasons[-1]], order.index(reasons[-1]))
        for code in set(positive) - set(reasons):
            assert (-shortfall[code], order.index(code)) > last
    if result.score == max_score(card):
        assert reasons == ()


@given(cards_and_values(), st.data())
def test_score_monotone_in_bin_points(card_values, data):
    card, values = card_values
    if not card.attributes:
        return
    index = data.draw(st.integers(0, len(card.attributes) - 1))
    attribute = card.attributes[index]
    position = data.draw(st.integers(0, len(attribute.bins) - 1))
    delta = data.draw(st.integers(0, 100))
    bins = list(attribute.bins)
    bins[position] = dataclasses.replace(bins[position], points=bins[position].points + delta)
    attributes = list(card.attributes)
    attributes[index] = dataclasses.replace(attribute, bins=tuple(bins))
    richer = dataclasses.replace(card, attributes=tuple(attributes))
    before, after = evaluate(card, values).score, evaluate(richer, values).score
    assert after >= before
    assert after - before <= attribute.weight * delta
    assert max_score(richer) >= max_score(card)
