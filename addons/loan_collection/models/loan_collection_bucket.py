from odoo import api, fields, models
from odoo.addons.loan_base.tools.dpd_bands import band_for_dpd, overlapping
from odoo.exceptions import ValidationError


class LoanCollectionBucket(models.Model):
    """A delinquency bucket by days past due (editable: current, 1-30, 31-60, 61-90,
    91-180, over 180 by default)."""

    _name = "loan.collection.bucket"
    _description = "Delinquency Bucket"
    _order = "sequence, min_dpd"

    name = fields.Char(required=True, translate=True)
    code = fields.Char(required=True)
    sequence = fields.Integer(default=10)
    min_dpd = fields.Integer("From (days past due)", required=True)
    max_dpd = fields.Integer("To (days past due)", required=True, help="-1: no upper limit.")
    color = fields.Integer()

    _code_unique = models.Constraint("UNIQUE(code)", "A bucket code must be unique.")

    @api.constrains("min_dpd", "max_dpd")
    def _check_range(self):
        for bucket in self:
            if bucket.min_dpd < 0 or (bucket.max_dpd != -1 and bucket.max_dpd < bucket.min_dpd):
                raise ValidationError(
                    self.env._("The day range of the bucket %s is not valid.", bucket.name)
                )

    @api.constrains("min_dpd", "max_dpd")
    def _check_overlap(self):
        pair = overlapping(self.search([]))
        if pair:
            raise ValidationError(
                self.env._(
                    "The buckets %(first)s and %(second)s overlap: a day past due must fall "
                    "in one bucket only.",
                    first=pair[0].name,
                    second=pair[1].name,
                )
            )

    @api.model
    def _for_dpd(self, dpd, buckets=None):
        """The bucket of ``dpd`` days past due among ``buckets`` (all by default): the
        engine's bucket rule on their day ranges."""
        return band_for_dpd(self.search([]) if buckets is None else buckets, dpd)
