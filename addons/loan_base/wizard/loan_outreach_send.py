from odoo import api, fields, models

from ..models.loan_outreach_attempt import PURPOSES
from ..models.loan_outreach_provider import CHANNELS


class LoanOutreachSend(models.TransientModel):
    """Contact a person through the gate: the verdict is shown before anything is sent
    or logged as made."""

    _name = "loan.outreach.send"
    _description = "Contact through the Gate"

    partner_id = fields.Many2one("res.partner", "Person", required=True)
    debtor_id = fields.Many2one("res.partner", "About the Borrower")
    channel = fields.Selection(CHANNELS, required=True, default="sms")
    purpose = fields.Selection(PURPOSES, required=True, default="service")
    phone_id = fields.Many2one("loan.partner.phone", domain="[('partner_id', '=', partner_id)]")
    template_id = fields.Many2one("mail.template", domain="[('model', '=', 'res.partner')]")
    body = fields.Text("Message / Note")
    verdict_allowed = fields.Boolean(compute="_compute_verdict")
    verdict_reason = fields.Char("Gate", compute="_compute_verdict")

    @api.depends("partner_id", "debtor_id", "channel", "purpose", "phone_id")
    def _compute_verdict(self):
        attempts = self.env["loan.outreach.attempt"]
        for wizard in self:
            if not wizard.partner_id:
                wizard.verdict_allowed, wizard.verdict_reason = False, False
                continue
            verdict = attempts.gate_check(
                wizard.partner_id,
                wizard.channel,
                wizard.purpose,
                debtor=wizard.debtor_id or None,
                phone=wizard.phone_id or None,
            )
            wizard.verdict_allowed = verdict["allowed"]
            wizard.verdict_reason = verdict["reason"]

    def action_send(self):
        self.ensure_one()
        attempts = self.env["loan.outreach.attempt"]
        common = {
            "purpose": self.purpose,
            "debtor": self.debtor_id or None,
            "phone": self.phone_id or None,
        }
        if self.channel in ("sms", "zalo", "email"):
            attempt = attempts.gate_send(
                self.partner_id,
                self.channel,
                template=self.template_id or None,
                body=self.body,
                **common,
            )
        else:
            attempt = attempts.gate_log_contact(
                self.partner_id, self.channel, note=self.body, **common
            )
        labels = dict(attempt._fields["state"]._description_selection(self.env))
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "title": labels[attempt.state],
                "message": attempt.reason,
                "type": "success" if attempt.state == "sent" else "danger",
                "next": {"type": "ir.actions.act_window_close"},
            },
        }
