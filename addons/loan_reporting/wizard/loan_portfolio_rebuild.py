from odoo import fields, models


class LoanPortfolioRebuild(models.TransientModel):
    """Rebuilds the month-end snapshots and daily aggregates of a period from the
    days-past-due history (loan.portfolio.snapshot._rebuild)."""

    _name = "loan.portfolio.rebuild"
    _description = "Rebuild Portfolio History"

    date_from = fields.Date("From", required=True)
    date_to = fields.Date("To", required=True, default=fields.Date.context_today)

    def action_rebuild(self):
        self.ensure_one()
        ends, dates = self.env["loan.portfolio.snapshot"]._rebuild(self.date_from, self.date_to)
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "success",
                "message": self.env._(
                    "%(ends)s month-end snapshots and %(dates)s days rebuilt.",
                    ends=len(ends),
                    dates=len(dates),
                ),
                "next": {"type": "ir.actions.act_window_close"},
            },
        }
