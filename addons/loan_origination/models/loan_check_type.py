from odoo import fields, models


class LoanCheckType(models.Model):
    """A check an application must pass: a verification call, a reference or employer
    check, a field visit. Stages list the checks they require before moving on."""

    _name = "loan.check.type"
    _description = "Loan Check Type"
    _order = "sequence, name"

    name = fields.Char(required=True, translate=True)
    code = fields.Char(required=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    kind = fields.Selection(
        [
            ("phone", "Phone verification"),
            ("reference", "Reference check"),
            ("employer", "Employer check"),
            ("field", "Field verification"),
            ("other", "Other"),
        ],
        required=True,
        default="other",
    )
    description = fields.Text(translate=True, help="What the appraiser must confirm.")

    _code_unique = models.Constraint("UNIQUE(code)", "A check type code must be unique.")
