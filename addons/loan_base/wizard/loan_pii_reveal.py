from odoo import api, fields, models
from odoo.exceptions import UserError


class LoanPiiReveal(models.TransientModel):
    """Ask why before showing a plain personal value. The value is shown in a notification
    and never stored in this wizard's table."""

    _name = "loan.pii.reveal"
    _description = "Reveal Personal Data"

    partner_id = fields.Many2one("res.partner", "Person", required=True, readonly=True)
    target = fields.Selection(
        [
            ("loan_id_number", "Identity number"),
            ("loan_bank_account", "Bank account number"),
            ("phone", "Phone number"),
        ],
        "Value",
        required=True,
        default="loan_id_number",
    )
    phone_id = fields.Many2one("loan.partner.phone", domain="[('partner_id', '=', partner_id)]")
    reason = fields.Text(required=True, help="Why you need the plain value; it is logged.")

    @api.model
    def action_open(self, partner):
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Reveal personal data"),
            "res_model": self._name,
            "view_mode": "form",
            "target": "new",
            "context": {"default_partner_id": partner.id},
        }

    def action_reveal(self):
        self.ensure_one()
        if self.target == "phone":
            if not self.phone_id:
                raise UserError(self.env._("Choose the phone to reveal."))
            record, fname = self.phone_id, "number"
        else:
            record, fname = self.partner_id, self.target
        value = record.loan_pii_reveal(fname, self.reason)
        label = dict(self._fields["target"]._description_selection(self.env))[self.target]
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "title": "%s: %s" % (self.partner_id.display_name, label),
                "message": value or self.env._("(empty)"),
                "sticky": True,
                "type": "warning",
                "next": {"type": "ir.actions.act_window_close"},
            },
        }
