from odoo import api, fields, models
from odoo.exceptions import ValidationError


class ResCompany(models.Model):
    _inherit = "res.company"

    loan_general_provision_rate = fields.Float(
        "General Provision (%)",
        digits=(5, 2),
        default=0.75,
        help="Of the outstanding principal of the classes that bear it (Circular 11/2021: "
        "0.75% of groups 1 to 4).",
    )

    @api.constrains("loan_general_provision_rate")
    def _check_loan_general_provision_rate(self):
        for company in self:
            if not 0 <= company.loan_general_provision_rate <= 100:
                raise ValidationError(
                    self.env._(
                        "The general provision rate of %s must lie between 0 and 100%%.",
                        company.name,
                    )
                )
