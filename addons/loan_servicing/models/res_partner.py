from odoo import api, fields, models

APPLICATION_READERS = (
    "loan_base.group_loan_officer,loan_base.group_loan_accountant,loan_base.group_loan_compliance"
)
CONTRACT_READERS = APPLICATION_READERS + ",loan_base.group_loan_collector"
RECEIPT_READERS = "loan_base.group_loan_accountant,loan_base.group_loan_compliance"

STAFF = "loan_base.group_loan_staff"


class ResPartner(models.Model):
    """Borrower 360: the borrower's applications, contracts and receipts from the partner
    form, counted and listed as the reader's record rules let them see; the record rules that
    let consultants and appraisers read the borrowers of the applications they work go
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
    loan_contract_count = fields.Integer(
        "Number of Loan Contracts", compute="_compute_loan_contract_count", groups=CONTRACT_READERS
    )
    loan_receipt_count = fields.Integer(
        "Number of Loan Receipts", compute="_compute_loan_receipt_count", groups=RECEIPT_READERS
    )

    def _loan_count(self, model, domain=()):
        """Records of ``model`` per partner of ``self`` that the current user may read."""
        return dict(
            self.env[model]._read_group(
                [("partner_id", "in", self.ids), *domain], ["partner_id"], ["__count"]
            )
        )

    @api.depends_context("uid", "allowed_company_ids")
    def _compute_loan_origination_counts(self):
        counts = self._loan_count("loan.application")
        for partner in self:
            partner.loan_application_count = counts.get(partner, 0)

    @api.depends_context("uid", "allowed_company_ids")
    def _compute_loan_contract_count(self):
        counts = self._loan_count("loan.contract")
        for partner in self:
            partner.loan_contract_count = counts.get(partner, 0)

    @api.depends_context("uid", "allowed_company_ids")
    def _compute_loan_receipt_count(self):
        counts = self._loan_count("loan.receipt")
        for partner in self:
            partner.loan_receipt_count = counts.get(partner, 0)

    def _loan_open_related(self, xmlid):
        """The list action ``xmlid`` filtered on this borrower."""
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(xmlid)
        action["domain"] = [("partner_id", "=", self.id)]
        action["context"] = {"default_partner_id": self.id, "create": False}
        return action

    def action_loan_view_applications(self):
        return self._loan_open_related("loan_origination.loan_application_action")

    def action_loan_view_contracts(self):
        return self._loan_open_related("loan_origination.loan_contract_action")

    def action_loan_view_receipts(self):
        return self._loan_open_related("loan_origination.loan_receipt_action")
