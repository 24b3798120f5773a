from odoo import fields, models
from odoo.tools import SQL


class ReportLoanWaiverBudget(models.Model):
    """Waivers against each relief programme's monthly budget: per programme and calendar
    month of the waivers' dates, the budget, the approved waivers (in the company
    currency) and what remains of it, as ``loan.waiver.programme._used_in_month`` counts
    them; beside them the waivers awaiting approval. Every active programme has a row for
    the current month, waivers or not."""

    _name = "report.loan.waiver.budget"
    _inherit = "loan.report.sql.view"
    _description = "Waivers against the Budget"
    _auto = False
    _rec_name = "programme_id"
    _order = "month desc, programme_id"
    _depends = {
        "loan.waiver": ["amount_company", "date", "programme_id", "state"],
        "loan.waiver.programme": ["active", "company_id", "monthly_budget"],
    }

    month = fields.Date(readonly=True)
    programme_id = fields.Many2one("loan.waiver.programme", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    currency_id = fields.Many2one("res.currency", readonly=True)
    monthly_budget = fields.Monetary("Budget", readonly=True)
    approved_amount = fields.Monetary("Approved", readonly=True)
    remaining = fields.Monetary(readonly=True, help="The budget less the approved waivers.")
    used_share = fields.Float(
        "Used (%)", readonly=True, aggregator="avg", digits=(16, 2), help="Approved / budget."
    )
    waiver_count = fields.Integer("Waivers Approved", readonly=True)
    pending_amount = fields.Monetary("Awaiting Approval", readonly=True)
    pending_count = fields.Integer("Waivers Awaiting Approval", readonly=True)

    def _view_sql(self):
        return SQL(
            """
            WITH months AS (
                SELECT w.programme_id, date_trunc('month', w.date)::date AS month
                  FROM loan_waiver w
                 WHERE w.state IN ('approved', 'to_approve')
                 UNION
                SELECT p.id, date_trunc('month', CURRENT_DATE)::date
                  FROM loan_waiver_programme p
                 WHERE p.active
            ), figures AS (
                SELECT m.programme_id, m.month,
                       COALESCE(SUM(w.amount_company) FILTER (WHERE w.state = 'approved'), 0)
                           AS approved_amount,
                       COUNT(w.id) FILTER (WHERE w.state = 'approved') AS waiver_count,
                       COALESCE(SUM(w.amount_company) FILTER (WHERE w.state = 'to_approve'), 0)
                           AS pending_amount,
                       COUNT(w.id) FILTER (WHERE w.state = 'to_approve') AS pending_count
                  FROM months m
                  LEFT JOIN loan_waiver w ON w.programme_id = m.programme_id
                        AND w.date >= m.month AND w.date < m.month + INTERVAL '1 month'
                 GROUP BY m.programme_id, m.month
            )
            SELECT p.id::bigint * 100000
                       + (EXTRACT(YEAR FROM f.month) * 12 + EXTRACT(MONTH FROM f.month))::int
                       AS id,
                   f.month, f.programme_id, p.company_id, co.currency_id,
                   p.monthly_budget, f.approved_amount,
                   p.monthly_budget - f.approved_amount AS remaining,
                   ROUND(100.0 * f.approved_amount / NULLIF(p.monthly_budget, 0), 2)
                       AS used_share,
                   f.waiver_count, f.pending_amount, f.pending_count
              FROM figures f
              JOIN loan_waiver_programme p ON p.id = f.programme_id
              JOIN res_company co ON co.id = p.company_id
            """
        )
