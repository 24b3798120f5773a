from odoo import api, models


class MailMail(models.Model):
    """Prospects reached by e-mail (a mailing, the lead's chatter) pass the outreach gate
    like borrowers do."""

    _inherit = "mail.mail"

    @api.model
    def _loan_persons(self, partners):
        persons = super()._loan_persons(partners)
        return persons | partners.sudo().filtered("loan_is_prospect")
