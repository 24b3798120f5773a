from odoo import models

from .mail_mail import MAIL_PURPOSES


class SmsSms(models.Model):
    """An SMS of Odoo's SMS app (the composer, a chatter SMS, an automated action) to a
    person of the lending business is handed to the outreach gate instead: the gate judges
    it, sends it through the lending SMS provider to the person's own (encrypted) number or
    holds it for their contact window, and logs the attempt. The SMS app's copy is
    cancelled."""

    _inherit = "sms.sms"

    def _send(self, *args, **kwargs):
        leaving = self._loan_gate()
        if not leaving:
            return True
        return super(SmsSms, leaving)._send(*args, **kwargs)

    def _loan_gate(self):
        persons = self.env["mail.mail"]._loan_persons(self.partner_id)
        handed = self.filtered(lambda sms: sms.state == "outgoing" and sms.partner_id in persons)
        if not handed:
            return self
        Gate = self.env["loan.outreach.attempt"].sudo()
        for sms in handed:
            message = sms.mail_message_id.sudo()
            origin = self.env["mail.mail"]._loan_record(message.model, message.res_id)
            partner = sms.partner_id
            Gate.gate_send(
                partner,
                "sms",
                purpose=MAIL_PURPOSES.get(message.model, "service"),
                body=sms.body,
                debtor=Gate._gate_debtor_of(partner),
                origin=origin,
                defer=True,
            )
        handed.write({"state": "canceled"})
        return self - handed
