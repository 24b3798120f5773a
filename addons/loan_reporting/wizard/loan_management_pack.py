from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import UserError

from ..models.loan_portfolio import month_end


class LoanManagementPack(models.TransientModel):
    """Asks for the period of the management pack, then downloads it in XLSX."""

    _name = "loan.management.pack"
    _description = "Management Pack"

    date_to = fields.Date("To", required=True, default=lambda self: self._default_date_to())
    date_from = fields.Date(
        "From",
        required=True,
        default=lambda self: self._default_date_to() - relativedelta(months=12, days=-1),
    )

    @api.model
    def _default_date_to(self):
        latest = self.env["loan.portfolio.daily"].search(
            [("is_month_end", "=", True)], order="date desc", limit=1
        )
        return latest.date or month_end(fields.Date.context_today(self))

    @api.model
    def _checked_data(self, data):
        """The period of a download, checked for the caller: they read the portfolio."""
        self.env["loan.portfolio.daily"].check_access("read")
        self.env["report.loan.receipt.book"].check_access("read")
        date_from = fields.Date.to_date((data or {}).get("date_from"))
        date_to = fields.Date.to_date((data or {}).get("date_to"))
        if not date_from or not date_to or date_from > date_to:
            raise UserError(self.env._("Give a period whose start is on or before its end."))
        return {
            "date_from": fields.Date.to_string(date_from),
            "date_to": fields.Date.to_string(date_to),
        }

    # ------------------------------------------------------------------ figures
    @api.model
    def _pack_portfolio_rows(self, date_from, date_to):
        """[month end, contracts, outstanding, PAR 30, PAR 90, NPL, provision, PAR 30 %,
        NPL %] for every month end of the period, read with the caller's rights."""
        groups = self.env["loan.portfolio.daily"]._read_group(
            [
                ("is_month_end", "=", True),
                ("date", ">=", date_from),
                ("date", "<=", month_end(date_to)),
            ],
            ["date:day"],
            [
                "contract_count:sum",
                "outstanding_principal:sum",
                "par30_amount:sum",
                "par90_amount:sum",
                "npl_amount:sum",
                "provision:sum",
            ],
            order="date:day",
        )
        rows = []
        for day, count, outstanding, par30, par90, npl, provision in groups:
            ratio = 100.0 * (par30 or 0) / outstanding if outstanding else 0.0
            npl_ratio = 100.0 * (npl or 0) / outstanding if outstanding else 0.0
            rows.append([day, count, outstanding, par30, par90, npl, provision, ratio, npl_ratio])
        return rows

    @api.model
    def _pack_finance_rows(self, date_from, date_to):
        """[month, disbursed, received, interest, fee, penalty and recovery income, revenue]
        per month of the period."""
        period = [("date", ">=", date_from), ("date", "<=", date_to)]
        months = {}

        def add(model, column, extra=()):
            for month, amount in self.env[model]._read_group(
                period + list(extra), ["date:month"], ["amount:sum"]
            ):
                months.setdefault(month, [0.0] * 7)[column] += amount or 0.0

        add("report.loan.disbursement", 0)
        add("report.loan.receipt.book", 1)
        for column, kind in enumerate(("interest", "fee", "penalty", "recovery"), start=2):
            add("report.loan.revenue", column, [("kind", "=", kind)])
        rows = []
        for month in sorted(months):
            values = months[month]
            values[6] = sum(values[2:6])
            rows.append([month, *values])
        return rows

    @api.model
    def _pack_cash_rows(self):
        """[week, principal, interest, fees, penalties, total] expected, 12 weeks."""
        groups = self.env["report.loan.cash"]._read_group(
            [],
            ["week:day"],
            ["principal:sum", "interest:sum", "fees:sum", "penalty:sum", "amount:sum"],
            order="week:day",
        )
        return [list(values) for values in groups]

    def action_download_pdf(self):
        self.ensure_one()
        data = self._checked_data(
            {
                "date_from": fields.Date.to_string(self.date_from),
                "date_to": fields.Date.to_string(self.date_to),
            }
        )
        return self.env.ref("loan_reporting.loan_management_summary_report").report_action(
            self, data=data
        )

    def action_download(self):
        self.ensure_one()
        data = self._checked_data(
            {
                "date_from": fields.Date.to_string(self.date_from),
                "date_to": fields.Date.to_string(self.date_to),
            }
        )
        return self.env.ref("loan_reporting.loan_management_pack_xlsx_report").report_action(
            self, data=data
        )
