from odoo import models

from .loan_portfolio import month_end


class LoanEodRun(models.Model):
    _inherit = "loan.eod.run"

    def _run_chunk(self, contract_ids):
        """After the chunk's own work: on a month's last date, the month-end snapshot of
        the chunk's contracts; once the date's last chunk is done, the date's aggregate
        (the chunks of a date all run before the next date's, see run_to) and, on a month
        end, the entry that brings the loan loss allowance to the month's provisions."""
        result = super()._run_chunk(contract_ids)
        day = self.business_date
        Snapshot = self.env["loan.portfolio.snapshot"].sudo()
        if contract_ids and day == month_end(day):
            Snapshot._take(day, contract_ids)
        self.env.cr.execute("SELECT state FROM loan_eod_run WHERE id = %s", [self.id])
        if self.env.cr.fetchone()[0] == "done":
            self.env["loan.portfolio.daily"].sudo()._aggregate(day)
            if day == month_end(day):
                self.env["res.company"].sudo()._loan_post_provisions(day)
        return result
