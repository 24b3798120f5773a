from odoo import api, fields, models
from odoo.tools import SQL


class ReportLoanVintage(models.Model):
    """Per company, disbursement month (the cohort) and month end: the cohort's principal
    disbursed, and the outstanding principal of its loans more than 30 and more than 90
    days past due then. One row per product, cohort and months on book: its share is
    exact for that row; for a selection of rows, ``_triangle`` sums numerators and
    denominators."""

    _name = "report.loan.vintage"
    _description = "Vintages"
    _inherit = "loan.report.sql.view"
    _auto = False
    _order = "cohort desc, months_on_book"

    company_id = fields.Many2one("res.company", readonly=True)
    currency_id = fields.Many2one("res.currency", readonly=True)
    product_id = fields.Many2one("loan.product", readonly=True)
    cohort = fields.Date("Disbursement Month", readonly=True)
    date = fields.Date("Month End", readonly=True)
    months_on_book = fields.Integer("Months on Book", readonly=True, aggregator="max")
    cohort_count = fields.Integer("Loans Disbursed", readonly=True)
    cohort_amount = fields.Monetary("Principal Disbursed", readonly=True)
    amount_30 = fields.Monetary("Outstanding 30+", readonly=True)
    amount_90 = fields.Monetary("Outstanding 90+", readonly=True)
    share_30 = fields.Float("30+ (%)", readonly=True, aggregator="avg", digits=(16, 2))
    share_90 = fields.Float("90+ (%)", readonly=True, aggregator="avg", digits=(16, 2))

    def _view_sql(self):
        return SQL(
            """
                WITH cohorts AS (
                    SELECT company_id, currency_id, product_id,
                           date_trunc('month', disbursed_date)::date AS cohort,
                           COUNT(*) AS n, SUM(amount) AS amount
                      FROM loan_contract
                     WHERE disbursed_date IS NOT NULL
                     GROUP BY 1, 2, 3, 4
                ), bad AS (
                    SELECT company_id, currency_id, product_id, disbursed_month AS cohort, date,
                           MAX(months_on_book) AS months_on_book,
                           SUM(outstanding_principal) FILTER (WHERE dpd > 30) AS amount_30,
                           SUM(outstanding_principal) FILTER (WHERE dpd > 90) AS amount_90
                      FROM loan_portfolio_snapshot
                     GROUP BY 1, 2, 3, 4, 5
                )
                SELECT ROW_NUMBER() OVER (ORDER BY b.company_id, b.product_id, b.cohort, b.date)
                           AS id,
                       b.company_id, b.currency_id, b.product_id, b.cohort, b.date,
                       b.months_on_book,
                       c.n AS cohort_count, c.amount AS cohort_amount,
                       COALESCE(b.amount_30, 0) AS amount_30, COALESCE(b.amount_90, 0) AS amount_90,
                       ROUND(100.0 * COALESCE(b.amount_30, 0) / NULLIF(c.amount, 0), 2) AS share_30,
                       ROUND(100.0 * COALESCE(b.amount_90, 0) / NULLIF(c.amount, 0), 2) AS share_90
                  FROM bad b
                  JOIN cohorts c ON c.company_id = b.company_id
                                AND c.currency_id = b.currency_id
                                AND c.product_id = b.product_id AND c.cohort = b.cohort
            """
        )

    @api.model
    def _triangle(self, domain=None, threshold=30):
        """The vintage triangle of the rows the user may read within ``domain``: a dict
        {cohort: {months on book: share in %}} where each share sums numerators and
        denominators (never averages shares), rounded to 2 decimals."""
        field = "amount_90" if threshold == 90 else "amount_30"
        groups = self._read_group(
            domain or [],
            ["cohort:month", "months_on_book"],
            [f"{field}:sum", "cohort_amount:sum"],
        )
        totals = {}
        for cohort, mob, bad, base in groups:
            cell = totals.setdefault(cohort, {}).setdefault(mob, [0.0, 0.0])
            cell[0] += bad
            cell[1] += base
        return {
            cohort: {
                mob: round(100.0 * bad / base, 2) if base else 0.0
                for mob, (bad, base) in sorted(row.items())
            }
            for cohort, row in sorted(totals.items())
        }
