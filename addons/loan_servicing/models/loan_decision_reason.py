from odoo import fields, models


class LoanDecisionReason(models.Model):
    """A coded reason for a credit or servicing decision, for the file and for reporting."""

    _name = "loan.decision.reason"
    _description = "Decision Reason"
    _order = "kind, sequence, id"
    _rec_names_search = ["name", "code"]

    name = fields.Char(required=True, translate=True)
    code = fields.Char(required=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    kind = fields.Selection(
        [
            ("waiver", "Waiver"),
            ("restructure", "Restructure"),
            ("write_off", "Write-off"),
        ],
        required=True,
    )

    _code_unique = models.Constraint("UNIQUE(code)", "A decision reason code must be unique.")
