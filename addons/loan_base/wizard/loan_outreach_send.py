from odoo import api, fields, models
from odoo.exceptions import AccessError

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
            refusal = wizard._contact_refusal()
            if refusal:
                # the gate's verdict would tell something about a person the user may not see
                wizard.verdict_allowed, wizard.verdict_reason = False, refusal
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

    def _contact_refusal(self):
        """Why the user may not contact this person (None: they may). The borrower the
        contact is about must be one the user sees under their record rules (their own,
        their team's, their teams' collection cases); a related person (a reference, a
        relative) is contacted only about a borrower they are related to."""
        self.ensure_one()
        debtor = self.debtor_id or self.partner_id
        if not debtor.has_access("read"):
            return self.env._(
                "You may not contact this person: the borrower is outside your portfolio."
            )
        Related = self.env["loan.related.person"].sudo()
        if self.partner_id != debtor:
            if not Related.search_count(
                [("partner_id", "=", debtor.id), ("person_id", "=", self.partner_id.id)], limit=1
            ):
                return self.env._(
                    "%(person)s is not a related person of %(borrower)s.",
                    person=self.partner_id.display_name,
                    borrower=debtor.display_name,
                )
        elif not debtor.loan_is_borrower and Related.search_count(
            [("person_id", "=", debtor.id)], limit=1
        ):
            return self.env._(
                "%s is a related person of a borrower: choose the borrower the contact is about.",
                debtor.display_name,
            )
        return None

    def action_send(self):
        self.ensure_one()
        refusal = self._contact_refusal()
        if refusal:
            raise AccessError(refusal)
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
