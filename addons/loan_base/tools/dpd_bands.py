"""Records of day ranges past due (delinquency buckets, loan classifications) classified by
the engine's rules.

Such a record has ``min_dpd`` and ``max_dpd`` (inclusive, -1 for no upper end). Sorted by
``min_dpd``, the upper ends of all but the last are the ``bounds`` of
:func:`~odoo.addons.loan_base.engine.allocation.bucket`: the engine decides, the records
only name its answer.
"""

from odoo.exceptions import UserError

from ..engine import allocation
from ..engine.exceptions import EngineError
from .engine_messages import engine_message


def _ordered(bands):
    return bands.sorted(lambda band: (band.min_dpd, band.id))


def band_for_dpd(bands, dpd, rule=allocation.bucket):
    """The record of ``bands`` holding ``dpd`` days past due, by the engine's ``rule``
    (:func:`~..engine.allocation.bucket`, or :func:`~..engine.allocation.vn_loan_group`
    whose groups count from 1). An empty recordset when ``dpd`` falls in no range (a gap,
    or below the first)."""
    bands = _ordered(bands)
    if not bands:
        return bands
    try:
        index = rule(dpd, [band.max_dpd for band in bands[:-1]])
    except EngineError as exc:
        raise UserError(engine_message(bands.env, exc.code, exc.params)) from exc
    if rule is allocation.vn_loan_group:
        index -= 1
    found = bands[index]
    if found.min_dpd <= dpd and (found.max_dpd == -1 or dpd <= found.max_dpd):
        return found
    return bands.browse()


def overlapping(bands):
    """The first two records of ``bands`` whose ranges overlap (an open end counts as
    overlapping whatever follows), or None: the engine needs increasing bounds."""
    previous = None
    for band in _ordered(bands):
        if previous and (previous.max_dpd == -1 or band.min_dpd <= previous.max_dpd):
            return previous, band
        previous = band
    return None
