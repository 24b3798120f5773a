from odoo import fields, models


class LoanClassification(models.Model):
    _inherit = "loan.classification"

    non_performing = fields.Boolean(
        help="Loans of this class count as non-performing (NPL): groups 3 to 5 of Circular 11/2021."
    )
    general_provision = fields.Boolean(
        default=True,
        help="The company's general provision rate applies to the outstanding principal of "
        "loans of this class (groups 1 to 4 of Circular 11/2021).",
    )
