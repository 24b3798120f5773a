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
