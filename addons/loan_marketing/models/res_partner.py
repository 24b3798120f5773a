from odoo import fields, models

STAFF = "loan_base.group_loan_staff"


class ResPartner(models.Model):
    """A person who left their number through a lead source becomes a prospect: not yet a
    borrower, but somebody the business contacts only through the outreach gate, with the
    consents given on capture and the phone kept encrypted."""

    _inherit = "res.partner"

    loan_is_prospect = fields.Boolean("Lending Prospect", index=True, copy=False, groups=STAFF)
    loan_zalo_uid = fields.Char(
        "Zalo User ID", copy=False, groups=STAFF, help="The follower id of the Official Account."
    )
