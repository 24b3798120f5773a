"""Points scorecards: score an applicant, grade the score, give the reasons for a low one.

A :class:`Scorecard` is data: :class:`Attribute` records (age, income, employment...), each
cut into :class:`Bin` records worth a number of points, plus :class:`Grade` records that turn
the total into a grade and a recommendation (``'approve'``, ``'refer'``, ``'decline'``).
:func:`evaluate` scores one set of values:

* an attribute scores the points of its **first** matching bin; a missing value (``None`` or
  absent from ``values``) or a value no bin matches scores the attribute's ``missing_points``;
* ``score = base_points + sum(weight x points)`` over the attributes;
* the grade is the one with the highest ``min_score`` not above the score; a score below
  every grade gets the lowest grade;
* the reason codes ("adverse action" reasons, as shown with a decline) are the codes of up
  to :data:`MAX_REASONS` attributes with the largest shortfall
  ``weight x (max_points - points)``, largest first, ties in attribute order; attributes
  scoring their maximum are never reasons.

Bins: a numeric bin matches ``low <= value < high`` (``None`` leaves that side open), for
values that are ints, floats (read through ``str()``, as :func:`~.money.to_decimal` does) or
Decimals; a categorical bin matches a value whose ``str()`` equals its ``value``. Strings and
booleans never match a numeric bin. An attribute's ``max_points`` and ``min_points`` take its
``missing_points`` into account, since any attribute can be missing.
"""

import bisect
from dataclasses import dataclass
from decimal import Decimal

from .exceptions import EngineError
from .money import to_decimal

APPROVE = "approve"
REFER = "refer"
DECLINE = "decline"
RECOMMENDATIONS = (APPROVE, REFER, DECLINE)

# Regulation B (12 CFR 1002.9(b)(2)) guidance: no more than four principal reasons.
MAX_REASONS = 4


def _is_int(value):
    return isinstance(value, int) and not isinstance(value, bool)


def _bound(value):
    """``value`` as a Decimal bound, or ``None``; ``ValueError`` when it is not a number."""
    if value is None:
        return None
    if isinstance(value, bool):
        raise ValueError(value)
    try:
        return to_decimal(value)
    except EngineError:
        raise ValueError(value) from None


def _number(value):
    """``value`` as a Decimal when it is a finite int, float or Decimal, else ``None``."""
    if isinstance(value, bool) or not isinstance(value, (int, float, Decimal)):
        return None
    if isinstance(value, (float, Decimal)) and not Decimal(value).is_finite():
        return None
    return to_decimal(value)


@dataclass(frozen=True)
class Bin:
    """A range or a category of an attribute, worth ``points``.

    Numeric when ``value`` is ``None``: matches ``low <= x < high``, a ``None`` bound being
    open (so ``Bin(5)`` matches every number). ``low`` and ``high`` accept anything
    :func:`~.money.to_decimal` does and are stored as Decimals. Categorical when ``value``
    (a string) is given: matches values whose ``str()`` is ``value``. Error ``invalid_bin``:
    ``points`` not an integer, a bound not a number, ``low >= high``, ``value`` not a string
    or given together with a bound.

    >>> Bin(20, low=25, high="35.5")
    Bin(points=20, low=Decimal('25'), high=Decimal('35.5'), value=None)
    >>> try:
    ...     Bin(10, low=35, high=25)
    ... except EngineError as exc:
    ...     print(exc.code, exc.params)
    invalid_bin {'points': 10, 'low': 35, 'high': 25, 'value': None}
    """

    points: int
    low: Decimal | None = None
    high: Decimal | None = None
    value: str | None = None

    def __post_init__(self):
        def invalid():
            return EngineError(
                "invalid_bin", points=self.points, low=self.low, high=self.high, value=self.value
            )

        if not _is_int(self.points):
            raise invalid()
        try:
            low, high = _bound(self.low), _bound(self.high)
        except ValueError:
            raise invalid() from None
        if self.value is not None and (
            not isinstance(self.value, str) or low is not None or high is not None
        ):
            raise invalid()
        if low is not None and high is not None and low >= high:
            raise invalid()
        object.__setattr__(self, "low", low)
        object.__setattr__(self, "high", high)

    @property
    def categorical(self):
        """Whether the bin matches a category (``value``) rather than a range."""
        return self.value is not None

    def matches(self, value):
        """Whether ``value`` falls in this bin; ``None`` matches no bin.

        >>> band = Bin(20, low=25, high=35)
        >>> band.matches(25), band.matches(34.99), band.matches(35), band.matches("30")
        (True, True, False, False)
        >>> Bin(30, value="permanent").matches("permanent"), Bin(5, value="1").matches(1)
        (True, True)
        """
        if value is None:
            return False
        if self.categorical:
            return str(value) == self.value
        number = _number(value)
        if number is None:
            return False
        return (self.low is None or self.low <= number) and (
            self.high is None or number < self.high
        )


@dataclass(frozen=True)
class Attribute:
    """One scored characteristic: its ``code`` (the key in ``values``, and the reason code),
    a ``label`` for people, its ``bins`` (tried in order) and the points of a missing value.

    ``bins`` is stored as a tuple. ``weight`` multiplies the attribute's points in the score.
    Error ``invalid_attribute``: ``code`` not a non-empty string, no bins, a bin that is not
    a :class:`Bin`, ``missing_points`` not an integer or ``weight`` not an integer >= 0.

    >>> age = Attribute("age", "Age", (Bin(10, high=25), Bin(20, 25, 35), Bin(30, 35)))
    >>> age.points(24), age.points(25), age.points(None), age.max_points, age.min_points
    (10, 20, 0, 30, 0)
    >>> try:
    ...     Attribute("age", "Age", ())
    ... except EngineError as exc:
    ...     print(exc.code, exc.params)
    invalid_attribute {'attribute': 'age', 'reason': 'no_bins'}
    """

    code: str
    label: str
    bins: tuple
    missing_points: int = 0
    weight: int = 1

    def __post_init__(self):
        code = self.code
        if not isinstance(code, str) or not code:
            raise EngineError("invalid_attribute", attribute=code, reason="code")
        try:
            bins = tuple(self.bins)
        except TypeError:
            raise EngineError("invalid_attribute", attribute=code, reason="bins") from None
        if not bins:
            raise EngineError("invalid_attribute", attribute=code, reason="no_bins")
        if not all(isinstance(item, Bin) for item in bins):
            raise EngineError("invalid_attribute", attribute=code, reason="bins")
        if not _is_int(self.missing_points):
            raise EngineError("invalid_attribute", attribute=code, reason="missing_points")
        if not _is_int(self.weight) or self.weight < 0:
            raise EngineError("invalid_attribute", attribute=code, reason="weight")
        object.__setattr__(self, "bins", bins)

    @property
    def max_points(self):
        """The most points the attribute can score, unweighted (``missing_points`` included)."""
        return max(self.missing_points, *(item.points for item in self.bins))

    @property
    def min_points(self):
        """The fewest points the attribute can score, unweighted (``missing_points`` included)."""
        return min(self.missing_points, *(item.points for item in self.bins))

    def points(self, value):
        """The unweighted points of ``value``: its first matching bin's, else ``missing_points``.

        A float or Decimal that is not finite (NaN, infinity) raises ``invalid_value``.

        >>> employment = Attribute("employment", "Employment",
        ...                        (Bin(30, value="permanent"), Bin(20, value="contract")),
        ...                        missing_points=5)
        >>> employment.points("contract"), employment.points("student"), employment.points(None)
        (20, 5, 5)
        >>> try:
        ...     Attribute("dti", "DTI", (Bin(40, high="0.3"),)).points(float("nan"))
        ... except EngineError as exc:
        ...     print(exc.code, exc.params)
        invalid_value {'attribute': 'dti', 'value': nan}
        """
        if isinstance(value, (float, Decimal)) and not Decimal(value).is_finite():
            raise EngineError("invalid_value", attribute=self.code, value=value)
        for item in self.bins:
            if item.matches(value):
                return item.points
        return self.missing_points


@dataclass(frozen=True)
class Grade:
    """A grade given to scores of at least ``min_score``, and what to do with the application.

    ``recommendation`` is one of :data:`RECOMMENDATIONS`. Error ``invalid_grade``:
    ``min_score`` not an integer, ``grade`` not a non-empty string, unknown recommendation.

    >>> Grade(180, "C", "refer").recommendation
    'refer'
    >>> try:
    ...     Grade(180, "C", "maybe")
    ... except EngineError as exc:
    ...     print(exc.code, exc.params)
    invalid_grade {'grade': 'C', 'min_score': 180, 'recommendation': 'maybe'}
    """

    min_score: int
    grade: str
    recommendation: str

    def __post_init__(self):
        valid = (
            _is_int(self.min_score)
            and isinstance(self.grade, str)
            and bool(self.grade)
            and self.recommendation in RECOMMENDATIONS
        )
        if not valid:
            raise EngineError(
                "invalid_grade",
                grade=self.grade,
                min_score=self.min_score,
                recommendation=self.recommendation,
            )


@dataclass(frozen=True)
class Scorecard:
    """Attributes, grades and the points every applicant starts with (``base_points``).

    ``attributes`` is stored as a tuple, ``grades`` as a tuple sorted by ``min_score``.
    Error ``invalid_scorecard`` (``reason`` says why): an attribute that is not an
    :class:`Attribute`, two attributes with the same code, no grade, a grade that is not a
    :class:`Grade`, two grades with the same ``min_score``, ``base_points`` not an integer.

    >>> card = Scorecard((Attribute("age", "Age", (Bin(10, high=25), Bin(30, low=25))),),
    ...                  (Grade(140, "A", "approve"), Grade(0, "B", "refer")), base_points=100)
    >>> [grade.grade for grade in card.grades]
    ['B', 'A']
    >>> try:
    ...     Scorecard(card.attributes * 2, card.grades)
    ... except EngineError as exc:
    ...     print(exc.code, exc.params)
    invalid_scorecard {'reason': 'duplicate_attribute', 'attribute': 'age'}
    """

    attributes: tuple
    grades: tuple
    base_points: int = 0

    def __post_init__(self):
        try:
            attributes, grades = tuple(self.attributes), tuple(self.grades)
        except TypeError:
            raise EngineError("invalid_scorecard", reason="not_a_sequence") from None
        seen = set()
        for attribute in attributes:
            if not isinstance(attribute, Attribute):
                raise EngineError("invalid_scorecard", reason="attribute", attribute=attribute)
            if attribute.code in seen:
                raise EngineError(
                    "invalid_scorecard", reason="duplicate_attribute", attribute=attribute.code
                )
            seen.add(attribute.code)
        if not grades:
            raise EngineError("invalid_scorecard", reason="no_grades")
        if not all(isinstance(grade, Grade) for grade in grades):
            raise EngineError("invalid_scorecard", reason="grade")
        grades = tuple(sorted(grades, key=lambda grade: grade.min_score))
        minimums = [grade.min_score for grade in grades]
        if len(set(minimums)) != len(minimums):
            raise EngineError("invalid_scorecard", reason="duplicate_min_score")
        if not _is_int(self.base_points):
            raise EngineError(
                "invalid_scorecard", reason="base_points", base_points=self.base_points
            )
        object.__setattr__(self, "attributes", attributes)
        object.__setattr__(self, "grades", grades)


@dataclass(frozen=True)
class ScoreResult:
    """The result of :func:`evaluate`.

    ``contributions`` holds one ``(code, points, max_points)`` tuple per attribute, in the
    scorecard's order, with the attribute's unweighted points and maximum, so that
    ``score == base_points + sum(weight x points)``. ``reason_codes`` are attribute codes,
    the largest shortfall first (see the module's rules).
    """

    score: int
    grade: str
    recommendation: str
    contributions: tuple
    reason_codes: tuple


def evaluate(scorecard, values):
    """Score ``values`` (attribute code to value) with ``scorecard``; a :class:`ScoreResult`.

    Keys of ``values`` that are not attribute codes are ignored; an absent code is a missing
    value. A float or Decimal that is not finite raises ``invalid_value``.

    >>> card = Scorecard(
    ...     (Attribute("age", "Age", (Bin(10, high=25), Bin(20, 25, 35), Bin(30, 35))),
    ...      Attribute("dti", "Debt to income", (Bin(40, high="0.3"), Bin(10, "0.3")), weight=2)),
    ...     (Grade(0, "C", "decline"), Grade(150, "B", "refer"), Grade(180, "A", "approve")),
    ...     base_points=100)
    >>> result = evaluate(card, {"age": 29, "dti": 0.35})
    >>> result.score, result.grade, result.recommendation
    (140, 'C', 'decline')
    >>> result.contributions
    (('age', 20, 30), ('dti', 10, 40))
    >>> result.reason_codes
    ('dti', 'age')
    >>> evaluate(card, {"age": 40, "dti": Decimal("0.1")}).reason_codes
    ()
    """
    contributions = []
    shortfalls = []
    score = scorecard.base_points
    for index, attribute in enumerate(scorecard.attributes):
        points = attribute.points(values.get(attribute.code))
        best = attribute.max_points
        score += attribute.weight * points
        contributions.append((attribute.code, points, best))
        shortfall = attribute.weight * (best - points)
        if shortfall > 0:
            shortfalls.append((-shortfall, index, attribute.code))
    shortfalls.sort()
    grades = scorecard.grades
    position = bisect.bisect_right([grade.min_score for grade in grades], score)
    grade = grades[max(position - 1, 0)]
    return ScoreResult(
        score=score,
        grade=grade.grade,
        recommendation=grade.recommendation,
        contributions=tuple(contributions),
        reason_codes=tuple(code for _shortfall, _index, code in shortfalls[:MAX_REASONS]),
    )


def max_score(scorecard):
    """The highest score ``scorecard`` can give: ``base_points + sum(weight x max_points)``.

    >>> card = Scorecard((Attribute("age", "Age", (Bin(10, high=25), Bin(30, low=25)),
    ...                             weight=2),), (Grade(0, "A", "approve"),), base_points=100)
    >>> max_score(card)
    160
    """
    return scorecard.base_points + sum(
        attribute.weight * attribute.max_points for attribute in scorecard.attributes
    )


def min_score(scorecard):
    """The lowest score ``scorecard`` can give: ``base_points + sum(weight x min_points)``.

    >>> card = Scorecard((Attribute("age", "Age", (Bin(10, high=25), Bin(30, low=25)),
    ...                             missing_points=-5),), (Grade(0, "A", "approve"),))
    >>> min_score(card)
    -5
    """
    return scorecard.base_points + sum(
        attribute.weight * attribute.min_points for attribute in scorecard.attributes
    )
