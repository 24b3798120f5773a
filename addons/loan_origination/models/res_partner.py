from odoo import fields, models

STAFF = "loan_base.group_loan_staff"


class ResPartner(models.Model):
    """A borrower's applications: the record rules that let consultants and appraisers read
    the borrowers of the applications they work go through them."""

    _inherit = "res.partner"

    loan_application_ids = fields.One2many(
        "loan.application", "partner_id", "Loan Applications", groups=STAFF
    )
