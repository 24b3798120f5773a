from odoo import api, models


class ReportBorrowerStatement(models.AbstractModel):
    _name = "report.loan_servicing.report_loan_borrower_statement"
    _description = "Borrower Loan Statement"

    @api.model
    def _get_report_values(self, docids, data=None):
        partners = self.env["res.partner"].browse(docids)
        contracts = self.env["loan.contract"].search(
            [
                ("partner_id", "in", partners.ids),
                ("state", "in", ("active", "overdue", "closed", "written_off")),
            ],
            order="start_date",
        )
        return {
            "doc_ids": docids,
            "doc_model": "res.partner",
            "docs": partners,
            "contracts_by_partner": {
                partner.id: contracts.filtered(lambda c, p=partner: c.partner_id == p)
                for partner in partners
            },
        }
