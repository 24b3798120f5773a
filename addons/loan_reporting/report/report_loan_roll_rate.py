from odoo import fields, models
from odoo.tools import SQL


class ReportLoanRollRate(models.Model):
    """Each contract open at a month end, and where it stood at the next one: its bucket
    then and now, or closed (repaid or written off). Summed, the bucket-to-bucket
    transition matrix month over month (count and amount); the flow rate of a bucket is
    its amount rolled to a worse bucket over its amount, its cure rate the amount back to
    the first bucket over its amount."""

    _name = "report.loan.roll.rate"
    _description = "Roll Rates"
    _inherit = "loan.report.sql.view"
    _auto = False
    _order = "date desc"

    date = fields.Date("Month End", readonly=True, help="The later of the two month ends.")
    company_id = fields.Many2one("res.company", readonly=True)
    currency_id = fields.Many2one("res.currency", readonly=True)
    contract_id = fields.Many2one("loan.contract", readonly=True)
    product_id = fields.Many2one("loan.product", readonly=True)
    team_id = fields.Many2one("loan.team", readonly=True)
    from_bucket_id = fields.Many2one("loan.collection.bucket", readonly=True)
    to_bucket_id = fields.Many2one("loan.collection.bucket", readonly=True)
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

    def _view_sql(self):
        return SQL(
            """
                WITH ends AS (
                    SELECT DISTINCT date FROM loan_portfolio_snapshot
                ), first_bucket AS (
                    SELECT id FROM loan_collection_bucket ORDER BY min_dpd, id LIMIT 1
                )
                SELECT s0.id AS id, e.date, s0.company_id, s0.currency_id, s0.contract_id,
                       s0.product_id, s0.team_id, s0.bucket_id AS from_bucket_id,
                       s1.bucket_id AS to_bucket_id,
                       CASE WHEN s1.id IS NULL THEN 'closed'
                            WHEN s1.bucket_id = (SELECT id FROM first_bucket)
                                 AND s0.bucket_id IS DISTINCT FROM s1.bucket_id THEN 'cured'
                            WHEN b1.min_dpd > b0.min_dpd THEN 'worse'
                            WHEN b1.min_dpd < b0.min_dpd THEN 'better'
                            ELSE 'same' END AS movement,
                       1 AS contract_count, s0.outstanding_principal AS amount,
                       (b1.min_dpd > b0.min_dpd)::int AS rolled_count,
                       CASE WHEN b1.min_dpd > b0.min_dpd
                            THEN s0.outstanding_principal ELSE 0 END AS rolled_amount,
                       (s1.id IS NOT NULL AND s1.bucket_id = (SELECT id FROM first_bucket)
                        AND s0.bucket_id IS DISTINCT FROM s1.bucket_id)::int AS cured_count,
                       CASE WHEN s1.id IS NOT NULL
                                 AND s1.bucket_id = (SELECT id FROM first_bucket)
                                 AND s0.bucket_id IS DISTINCT FROM s1.bucket_id
                            THEN s0.outstanding_principal ELSE 0 END AS cured_amount
                  FROM loan_portfolio_snapshot s0
                  JOIN ends e ON e.date = (date_trunc('month', s0.date)
                                           + interval '2 month' - interval '1 day')::date
                  LEFT JOIN loan_portfolio_snapshot s1
                         ON s1.contract_id = s0.contract_id AND s1.date = e.date
                  LEFT JOIN loan_collection_bucket b0 ON b0.id = s0.bucket_id
                  LEFT JOIN loan_collection_bucket b1 ON b1.id = s1.bucket_id
            """
        )
