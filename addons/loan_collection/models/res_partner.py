from odoo import fields, models


class ResPartner(models.Model):
    _inherit = "res.partner"

    loan_collection_case_ids = fields.One2many(
        "loan.collection.case",
        "partner_id",
        "Collection Cases",
        groups="loan_base.group_loan_staff",
    )
