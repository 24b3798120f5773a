from odoo import fields, models


class LoanDecisionReason(models.Model):
    _inherit = "loan.decision.reason"

    kind = fields.Selection(
        selection_add=[("approve", "Approval"), ("decline", "Decline"), ("waiver",)],
        ondelete={"approve": "cascade", "decline": "cascade"},
    )
