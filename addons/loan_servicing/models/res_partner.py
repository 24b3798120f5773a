from odoo import api, fields, models

CONTRACT_READERS = (
    "loan_base.group_loan_officer,loan_base.group_loan_accountant,loan_base.group_loan_compliance"
)
RECEIPT_READERS = "loan_base.group_loan_accountant,loan_base.group_loan_compliance"


class ResPartner(models.Model):
    """Borrower 360: the borrower's contracts and receipts from the partner form, counted
    and listed as the reader's record rules let them see."""

    _inherit = "res.partner"

    loan_contract_count = fields.Integer(
        "Number of Loan Contracts", compute="_compute_loan_contract_count", groups=CONTRACT_READERS
    )
    loan_receipt_count = fields.Integer(
        "Number of Loan Receipts", compute="_compute_loan_receipt_count", groups=RECEIPT_READERS
    )

    def _loan_count(self, model, domain=()):
        """Records of ``model`` per partner of ``self`` that the current user may read.

        Extension point: the modules above count their own records with it."""
        return dict(
            self.env[model]._read_group(
                [("partner_id", "in", self.ids), *domain], ["partner_id"], ["__count"]
            )
        )

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
        """The list action ``xmlid`` filtered on this borrower.

        Extension point: the modules above open their own lists with it."""
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(xmlid)
        action["domain"] = [("partner_id", "=", self.id)]
        action["context"] = {"default_partner_id": self.id, "create": False}
        return action

    def action_loan_view_contracts(self):
        return self._loan_open_related("loan_servicing.loan_contract_action")

    def action_loan_view_receipts(self):
        return self._loan_open_related("loan_servicing.loan_receipt_action")
