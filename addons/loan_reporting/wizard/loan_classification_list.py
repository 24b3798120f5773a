from odoo import api, fields, models
from odoo.exceptions import UserError


class LoanClassificationList(models.TransientModel):
    """Asks for the month end of the classification list, then downloads it in XLSX."""

    _name = "loan.classification.list"
    _description = "Month-end Classification List"

    date = fields.Date("Month End", required=True, default=lambda self: self._latest_date())
    company_ids = fields.Many2many(
        "res.company", string="Companies", default=lambda self: self.env.companies
    )

    @api.model
    def _latest_date(self):
        latest = self.env["loan.portfolio.snapshot"].search([], order="date desc", limit=1)
        return latest.date

    @api.model
    def _checked_data(self, data):
        """``data`` of a download, checked for the caller: a month end with a snapshot
        they may read, and companies among their own."""
        Snapshot = self.env["loan.portfolio.snapshot"]
        Snapshot.check_access("read")
        day = fields.Date.to_date((data or {}).get("date"))
        if not day:
            raise UserError(self.env._("Choose the month end of the classification list."))
        company_ids = [cid for cid in (data.get("company_ids") or []) if isinstance(cid, int)]
        allowed = set(self.env.user.company_ids.ids)
        if set(company_ids) - allowed:
            raise UserError(self.env._("You may only list the contracts of your companies."))
        # whether the end of day closed that month end at all (the caller may see none of
        # its rows: then their list is empty)
        if not Snapshot.sudo().search_count([("date", "=", day)], limit=1):
            raise UserError(
                self.env._(
                    "There is no month-end snapshot on %s: choose a month end the end of "
                    "day has closed.",
                    day,
                )
            )
        return {"date": fields.Date.to_string(day), "company_ids": company_ids}

    def action_download(self):
        self.ensure_one()
        data = self._checked_data(
            {"date": fields.Date.to_string(self.date), "company_ids": self.company_ids.ids}
        )
        # not close_on_report_download: report_xlsx 19.0.1.0.2's handler then returns
        # nothing and the web client reports that it cannot handle the action
        return self.env.ref("loan_reporting.loan_classification_xlsx_report").report_action(
            self, data=data
        )
