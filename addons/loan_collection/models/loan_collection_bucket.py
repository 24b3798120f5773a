from odoo import api, fields, models
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

    @api.model
    def _for_dpd(self, dpd):
        return self.search(
            [("min_dpd", "<=", dpd), "|", ("max_dpd", ">=", dpd), ("max_dpd", "=", -1)],
            order="min_dpd desc",
            limit=1,
        )
