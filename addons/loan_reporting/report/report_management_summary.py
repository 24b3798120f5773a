from odoo import api, fields, models


class ReportLoanManagementSummary(models.AbstractModel):
    """The management pack's PDF summary: portfolio and quality by month end, finance by
    month, expected cash by week and the vintage triangle, with bar charts, read with the
    caller's rights (the same figures as the XLSX pack)."""

    _name = "report.loan_reporting.management_summary"
    _description = "Management Summary (PDF)"

    @api.model
    def _get_report_values(self, docids, data=None):
        Pack = self.env["loan.management.pack"]
        data = Pack._checked_data(data)
        date_from = fields.Date.to_date(data["date_from"])
        date_to = fields.Date.to_date(data["date_to"])
        portfolio = Pack._pack_portfolio_rows(date_from, date_to)
        finance = Pack._pack_finance_rows(date_from, date_to)
        cash = Pack._pack_cash_rows()
        triangle = self.env["report.loan.vintage"]._triangle(threshold=30)
        horizon = max((max(row) for row in triangle.values() if row), default=0)
        top = max([row[2] or 0 for row in portfolio] + [1])
        top_cash = max([row[5] or 0 for row in cash] + [1])
        return {
            "doc_ids": docids,
            "doc_model": "loan.management.pack",
            "docs": Pack.browse(docids),
            "company": self.env.company,
            "currency": self.env.company.currency_id,
            "date_from": date_from,
            "date_to": date_to,
            "portfolio": portfolio,
            "finance": finance,
            "cash": cash,
            "triangle": triangle,
            "horizon": list(range(horizon + 1)),
            "bar": lambda value, most: round(100.0 * (value or 0) / most, 1) if most else 0,
            "top": top,
            "top_cash": top_cash,
        }
