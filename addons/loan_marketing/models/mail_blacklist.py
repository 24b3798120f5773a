from odoo import api, models


class MailBlacklist(models.Model):
    """An e-mail address added to Odoo's blacklist (the unsubscribe link of a mailing, or by
    hand) is a refusal of marketing by the lending persons of that address."""

    _inherit = "mail.blacklist"

    @api.model_create_multi
    def create(self, vals_list):
        records = super().create(vals_list)
        records._loan_refuse()
        return records

    def _add(self, email, message=None):
        record = super()._add(email, message=message)
        record._loan_refuse()
        return record

    def _loan_refuse(self):
        emails = [email for email in self.sudo().mapped("email") if email]
        if not emails:
            return
        partners = (
            self.env["res.partner"]
            .sudo()
            .search([("email_normalized", "in", emails)])
            .filtered(lambda p: p.loan_is_prospect or p.loan_is_borrower)
        )
        for partner in partners:
            self.env["loan.nurture.enrolment"].sudo()._loan_record_refusal(partner, "email")
