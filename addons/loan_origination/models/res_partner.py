from odoo import api, fields, models

APPLICATION_READERS = (
    "loan_base.group_loan_officer,loan_base.group_loan_accountant,loan_base.group_loan_compliance"
)

STAFF = "loan_base.group_loan_staff"


class ResPartner(models.Model):
    """Borrower 360: the borrower's applications from the partner form; the record rules
    that let consultants and appraisers read the borrowers of the applications they work go
    through ``loan_application_ids``."""

    _inherit = "res.partner"

    loan_application_ids = fields.One2many(
        "loan.application", "partner_id", "Loan Applications", groups=STAFF
    )

    loan_application_count = fields.Integer(
        "Number of Loan Applications",
        compute="_compute_loan_origination_counts",
        groups=APPLICATION_READERS,
    )

    @api.depends_context("uid", "allowed_company_ids")
    def _compute_loan_origination_counts(self):
        counts = self._loan_count("loan.application")
        for partner in self:
            partner.loan_application_count = counts.get(partner, 0)

    def action_loan_view_applications(self):
        return self._loan_open_related("loan_origination.loan_application_action")
