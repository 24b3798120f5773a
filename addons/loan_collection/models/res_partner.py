from odoo import api, fields, models

CASE_READERS = (
    "loan_base.group_loan_collector,loan_base.group_loan_compliance,loan_base.group_loan_manager"
)

STAFF = "loan_base.group_loan_staff"
CONTRACT_READERS = (
    "loan_base.group_loan_officer,loan_base.group_loan_accountant,loan_base.group_loan_compliance,"
    "loan_base.group_loan_collector"
)


class ResPartner(models.Model):
    """Borrower 360 and collection access: the borrower's collection cases from the partner
    form (tickets come from helpdesk_mgmt's own button), and the borrowers a person is
    related to; the record rules that let collectors and team leads read the borrowers (and
    their references) of their teams' cases go through these."""

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

    # collectors count the contracts their record rules let them read
    loan_contract_count = fields.Integer(groups=CONTRACT_READERS)
    loan_case_count = fields.Integer(
        "Number of Collection Cases", compute="_compute_loan_case_count", groups=CASE_READERS
    )

    @api.depends_context("uid", "allowed_company_ids")
    def _compute_loan_case_count(self):
        counts = self._loan_count("loan.collection.case")
        for partner in self:
            partner.loan_case_count = counts.get(partner, 0)

    def action_loan_view_cases(self):
        action = self._loan_open_related("loan_collection.loan_collection_case_action")
        action["context"] = {**action["context"], "search_default_open": 0}
        return action
