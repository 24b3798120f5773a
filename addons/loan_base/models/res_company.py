from odoo import fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    loan_contact_policy_id = fields.Many2one(
        "loan.contact.policy",
        string="Default Contact Policy",
        help="Contact policy for persons whose country has no policy of its own.",
    )
