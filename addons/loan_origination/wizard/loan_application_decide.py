from odoo import api, fields, models


class LoanApplicationDecide(models.TransientModel):
    """The approver's credit decision: the score and what is missing shown first, then the
    decision with coded reasons; a Lending Manager may approve an incomplete application
    with a reason that is logged."""

    _name = "loan.application.decide"
    _description = "Credit Decision"

    application_id = fields.Many2one("loan.application", required=True, readonly=True)
    currency_id = fields.Many2one(related="application_id.currency_id")
    amount = fields.Monetary(related="application_id.amount")
    score = fields.Integer(related="application_id.score")
    grade = fields.Char(related="application_id.grade")
    recommendation = fields.Selection(related="application_id.recommendation")
    reason_labels = fields.Char(related="application_id.reason_labels")
    dti = fields.Float(related="application_id.dti")
    fraud_signals = fields.Text(related="application_id.fraud_signals")
    missing_items = fields.Text(
        "Missing",
        compute="_compute_missing_items",
        help="What an approval would go ahead without.",
    )
    decision = fields.Selection(
        [("approved", "Approve"), ("declined", "Decline")], required=True, default="approved"
    )
    reason_ids = fields.Many2many(
        "loan.decision.reason", string="Reasons", domain="[('kind', '=', decision_kind)]"
    )
    decision_kind = fields.Char(compute="_compute_decision_kind")
    note = fields.Text()
    override_reason = fields.Text(
        "Reason to Approve Anyway",
        help="Lending Managers only: why the application is approved although something is "
        "missing. Kept on the application and posted in its chatter.",
    )

    @api.depends("decision")
    def _compute_decision_kind(self):
        for wizard in self:
            wizard.decision_kind = "approve" if wizard.decision == "approved" else "decline"

    @api.depends("application_id")
    def _compute_missing_items(self):
        for wizard in self:
            missing = wizard.application_id._missing_for_decision()
            wizard.missing_items = "\n".join("- %s" % item for item in missing) or False

    def action_confirm(self):
        self.ensure_one()
        self.application_id._decide(
            self.decision, self.reason_ids, self.note, override_reason=self.override_reason
        )
        return {"type": "ir.actions.act_window_close"}
