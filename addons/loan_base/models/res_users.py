from odoo import fields, models


class ResUsers(models.Model):
    _inherit = "res.users"

    loan_team_ids = fields.Many2many(
        "loan.team",
        "loan_team_res_users_rel",
        "user_id",
        "team_id",
        string="Lending Teams",
    )
