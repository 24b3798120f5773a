from odoo import fields, models


class MailTemplate(models.Model):
    _inherit = "mail.template"

    loan_zns_template_ref = fields.Char(
        "Zalo ZNS Template ID",
        help="Template registered with Zalo; the rendered text is passed as its data.",
    )
