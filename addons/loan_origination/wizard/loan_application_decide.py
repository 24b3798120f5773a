from odoo import api, fields, models


class LoanApplicationDecide(models.TransientModel):
    _name = "loan.application.decide"
    _description = "Credit Decision"

    application_id = fields.Many2one("loan.application", required=True, readonly=True)
    recommendation = fields.Selection(related="application_id.recommendation")
    decision = fields.Selection(
        [("approved", "Approve"), ("declined", "Decline")], required=True, default="approved"
    )
    reason_ids = fields.Many2many(
        "loan.decision.reason", string="Reasons", domain="[('kind', '=', decision_kind)]"
    )
    decision_kind = fields.Char(compute="_compute_decision_kind")
    note = fields.Text()

    @api.depends("decision")
    def _compute_decision_kind(self):
        for wizard in self:
            wizard.decision_kind = "approve" if wizard.decision == "approved" else "decline"

    def action_confirm(self):
        self.ensure_one()
        self.application_id._decide(self.decision, self.reason_ids, self.note)
        return {"type": "ir.actions.act_window_close"}
