from odoo import fields, models


class LoanMarketingChannel(models.Model):
    """Where a campaign reaches people: the company website, a landing page, Facebook, a Zalo
    Official Account, SMS brandname, e-mail, referrals, sales agents and partners."""

    _name = "loan.marketing.channel"
    _description = "Marketing Channel"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    code = fields.Char(required=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    medium_id = fields.Many2one(
        "utm.medium", help="The utm medium a touch through this channel carries by default."
    )

    _code_uniq = models.Constraint("UNIQUE(code)", "A channel code must be unique.")
