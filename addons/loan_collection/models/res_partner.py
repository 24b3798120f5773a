from odoo import fields, models

STAFF = "loan_base.group_loan_staff"


class ResPartner(models.Model):
    """A borrower's collection cases, and the borrowers a person is related to: the record
    rules that let collectors and team leads read the borrowers (and their references) of
    their teams' cases go through these."""

    _inherit = "res.partner"

    loan_collection_case_ids = fields.One2many(
        "loan.collection.case", "partner_id", "Collection Cases", groups=STAFF
    )
    loan_related_to_ids = fields.One2many(
        "loan.related.person",
        "person_id",
        "Related to Borrowers",
        groups=STAFF,
        help="The borrowers this person is a co-borrower, guarantor, spouse, relative, "
        "reference or employer contact of.",
    )
