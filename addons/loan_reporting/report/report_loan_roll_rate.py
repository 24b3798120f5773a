from datetime import timedelta

from odoo import api, fields, models
from odoo.tools import SQL

from ..models.loan_portfolio import HistoryMany2one


class ReportLoanRollRate(models.Model):
    """The contracts open at a month end, by where they stood at the next one: their
    bucket then and now, or closed (repaid or written off), summed per company, product,
    team and pair of buckets (count and amount). Written from the month-end snapshots
    when a month end is closed (or its history rebuilt): a dashboard reads a few
    thousand rows, not a join of two snapshots of every contract. The flow rate of a
    bucket is its amount rolled to a worse bucket over its amount, its cure rate the
    amount back to the first bucket over its amount."""

    _name = "report.loan.roll.rate"
    _description = "Roll Rates"
    _order = "date desc"
    _log_access = False
    _rec_name = "date"

    date = fields.Date(
        "Month End", required=True, readonly=True, help="The later of the two month ends."
    )
    company_id = HistoryMany2one("res.company", required=True, readonly=True)
    currency_id = HistoryMany2one("res.currency", required=True, readonly=True)
    product_id = HistoryMany2one("loan.product", readonly=True)
    team_id = fields.Many2one("loan.team", readonly=True)
    from_bucket_id = HistoryMany2one("loan.collection.bucket", readonly=True)
    to_bucket_id = HistoryMany2one("loan.collection.bucket", readonly=True)
    movement = fields.Selection(
        [
            ("cured", "Cured"),
            ("better", "Improved"),
            ("same", "Stayed"),
            ("worse", "Rolled forward"),
            ("closed", "Closed"),
        ],
        readonly=True,
    )
    contract_count = fields.Integer("Contracts", readonly=True)
    amount = fields.Monetary(readonly=True, help="Outstanding principal at the earlier month end.")
    rolled_count = fields.Integer("Rolled Forward", readonly=True)
    rolled_amount = fields.Monetary("Amount Rolled Forward", readonly=True)
    cured_count = fields.Integer("Cured", readonly=True)
    cured_amount = fields.Monetary("Amount Cured", readonly=True)

    _date_company_idx = models.Index("(date, company_id)")

    def init(self):
        # before 19.0.1.1.0 a view over the snapshots (see migrations): its rows are
        # written again from the snapshots the first time
        self.env.cr.execute("SELECT 1 FROM report_loan_roll_rate LIMIT 1")
        if not self.env.cr.rowcount:
            self.env.cr.execute("SELECT DISTINCT date FROM loan_portfolio_snapshot ORDER BY date")
            self._fill([row[0] for row in self.env.cr.fetchall()])

    @api.model
    def _fill(self, days):
        """Write again the roll rates into each of ``days`` (month ends), from the
        snapshots of the month end before and of that day; a day without both has no
        rows. One statement per day."""
        cr = self.env.cr
        for day in days:
            before = day.replace(day=1) - timedelta(days=1)
            cr.execute("DELETE FROM report_loan_roll_rate WHERE date = %s", [day])
            cr.execute(
                SQL(
                    """
                    WITH first_bucket AS (
                        SELECT id FROM loan_collection_bucket ORDER BY min_dpd, id LIMIT 1
                    ), moves AS (
                        SELECT s0.company_id, s0.currency_id, s0.product_id, s0.team_id,
                               s0.bucket_id AS from_bucket_id, s1.bucket_id AS to_bucket_id,
                               s0.outstanding_principal AS amount,
                               CASE WHEN s1.contract_id IS NULL THEN 'closed'
                                    WHEN s1.bucket_id = (SELECT id FROM first_bucket)
                                         AND s0.bucket_id IS DISTINCT FROM s1.bucket_id
                                        THEN 'cured'
                                    WHEN b1.min_dpd > b0.min_dpd THEN 'worse'
                                    WHEN b1.min_dpd < b0.min_dpd THEN 'better'
                                    ELSE 'same' END AS movement
                          FROM loan_portfolio_snapshot s0
                          LEFT JOIN loan_portfolio_snapshot s1
                                 ON s1.contract_id = s0.contract_id AND s1.date = %(day)s
                          LEFT JOIN loan_collection_bucket b0 ON b0.id = s0.bucket_id
                          LEFT JOIN loan_collection_bucket b1 ON b1.id = s1.bucket_id
                         WHERE s0.date = %(before)s
                           AND EXISTS (SELECT 1 FROM loan_portfolio_snapshot x
                                        WHERE x.date = %(day)s)
                    )
                    INSERT INTO report_loan_roll_rate
                        (date, company_id, currency_id, product_id, team_id, from_bucket_id,
                         to_bucket_id, movement, contract_count, amount, rolled_count,
                         rolled_amount, cured_count, cured_amount)
                    SELECT %(day)s, company_id, currency_id, product_id, team_id,
                           from_bucket_id, to_bucket_id, movement, COUNT(*), SUM(amount),
                           COUNT(*) FILTER (WHERE movement = 'worse'),
                           COALESCE(SUM(amount) FILTER (WHERE movement = 'worse'), 0),
                           COUNT(*) FILTER (WHERE movement = 'cured'),
                           COALESCE(SUM(amount) FILTER (WHERE movement = 'cured'), 0)
                      FROM moves
                     GROUP BY company_id, currency_id, product_id, team_id, from_bucket_id,
                              to_bucket_id, movement
                    """,
                    day=day,
                    before=before,
                )
            )
        self.invalidate_model()
