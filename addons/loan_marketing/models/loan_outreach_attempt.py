from odoo import api, fields, models

from ..tools.text import normalise_header

# replies that refuse marketing, in the markets' languages (accents and case ignored)
REFUSALS = ("stop", "tu choi", "huy", "unsubscribe", "退订", "td", "取消")


def is_refusal(text):
    """Whether an inbound reply refuses further messages.

    >>> is_refusal("  Từ chối "), is_refusal("退订"), is_refusal("stop!"), is_refusal("ok")
    (True, True, True, False)
    """
    plain = normalise_header(text)
    return plain in REFUSALS


class LoanOutreachAttempt(models.Model):
    """A consultant's contact with a lead's person (a call, or a message from the lead)
    is the lead's first contact; an inbound "STOP" refuses marketing on every channel."""

    _inherit = "loan.outreach.attempt"

    @api.model_create_multi
    def create(self, vals_list):
        attempts = super().create(vals_list)
        lead_id = self.env.context.get("loan_lead_contact")
        for attempt in attempts:
            if attempt.direction != "outbound" or attempt.state != "sent":
                continue
            user = attempt.user_id
            if not user or user._is_superuser() or not user._is_internal():
                continue
            leads = self.env["crm.lead"].browse()
            if lead_id:
                leads = self.env["crm.lead"].browse(lead_id)
            elif attempt.res_model == "crm.lead" and attempt.channel in ("call", "visit"):
                leads = self.env["crm.lead"].browse(attempt.res_id)
            if leads:
                leads.sudo().exists()._loan_first_contact(attempt.attempted_at)
        return attempts

    @api.model
    def loan_inbound_message(self, partner, channel, text, when=None):
        """Log a message the person sent us; a refusal withdraws their marketing consent
        (every channel honours it: the gate asks for that consent) and ends their
        journeys."""
        attempt = self.sudo().gate_log_contact(
            partner, channel, purpose="service", note=text, direction="inbound", when=when
        )
        if is_refusal(text):
            self.env["loan.nurture.enrolment"].sudo()._loan_record_refusal(
                partner, channel, when or fields.Datetime.now()
            )
        return attempt
