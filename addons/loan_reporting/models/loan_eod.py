from odoo import models

from .loan_portfolio import month_end


class LoanEodRun(models.Model):
    _inherit = "loan.eod.run"

    def _run_chunk(self, contract_ids):
        """After the chunk's own work, once the date's last chunk is done (the chunks of a
        date all run before the next date's, see run_to): on a month's last date, the
        month-end snapshot of every contract in one statement (faster than one per chunk:
        bench/reporting_bench.py), the month's roll rates and the entry that brings the
        loan loss allowance to the month's provisions; on every date, the date's aggregate
        and its month's collection efficiency, and the finance figures of the date (and of
        the earlier dates whose receipts or entries changed since)."""
        result = super()._run_chunk(contract_ids)
        day = self.business_date
        self.env.cr.execute("SELECT state FROM loan_eod_run WHERE id = %s", [self.id])
        if self.env.cr.fetchone()[0] == "done":
            if day == month_end(day):
                self.env["loan.portfolio.snapshot"].sudo()._take(day)
                self.env["report.loan.roll.rate"].sudo()._fill([day])
            self.env["loan.portfolio.daily"].sudo()._aggregate(
                day, from_snapshot=day == month_end(day)
            )
            self.env["report.loan.collection.efficiency"].sudo()._fill([day])
            if day == month_end(day):
                self.env["res.company"].sudo()._loan_post_provisions(day)
            self.env["report.loan.finance.daily"].sudo()._refresh(day)
        return result
