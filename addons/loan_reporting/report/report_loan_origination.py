from odoo import api, fields, models
from odoo.tools import SQL

from ..models.loan_portfolio import HistoryMany2one, month_end, month_ends


class ReportLoanOrigination(models.Model):
    """Each application: where it stands, who works it, whether and how fast it was
    decided, and whether it was paid out. Summed: the funnel by stage, approvals and
    declines (approval rate = approved / decided), turnaround and workload per consultant,
    appraiser and team."""

    _name = "report.loan.origination"
    _inherit = "loan.report.sql.view"
    _description = "Origination"
    _auto = False
    _order = "date desc"
    _depends = {
        "loan.application": [
            "company_id",
            "decided_at",
            "decision",
            "product_id",
            "stage_id",
            "team_id",
            "user_id",
            "appraiser_id",
            "amount",
        ],
        "loan.contract": ["application_id", "disbursed_date"],
    }

    date = fields.Date("Created On", readonly=True)
    application_id = fields.Many2one("loan.application", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    currency_id = fields.Many2one("res.currency", readonly=True)
    product_id = fields.Many2one("loan.product", readonly=True)
    team_id = fields.Many2one("loan.team", readonly=True)
    user_id = fields.Many2one("res.users", "Consultant", readonly=True)
    appraiser_id = fields.Many2one("res.users", readonly=True)
    stage_id = fields.Many2one("loan.application.stage", readonly=True)
    decision = fields.Selection([("approved", "Approved"), ("declined", "Declined")], readonly=True)
    application_count = fields.Integer("Applications", readonly=True)
    decided_count = fields.Integer("Decided", readonly=True)
    approved_count = fields.Integer("Approved", readonly=True)
    declined_count = fields.Integer("Declined", readonly=True)
    disbursed_count = fields.Integer("Disbursed", readonly=True)
    amount = fields.Monetary("Amount Asked", readonly=True)
    approved_amount = fields.Monetary(readonly=True)
    turnaround_hours = fields.Float(
        "Turnaround (hours)",
        readonly=True,
        aggregator="avg",
        digits=(16, 1),
        help="From the application's creation to its decision.",
    )

    def _view_sql(self):
        return SQL(
            """
            SELECT a.id, a.create_date::date AS date, a.id AS application_id, a.company_id,
                   a.currency_id, a.product_id, a.team_id, a.user_id, a.appraiser_id,
                   a.stage_id, a.decision, 1 AS application_count,
                   (a.decision IS NOT NULL)::int AS decided_count,
                   (a.decision = 'approved')::int AS approved_count,
                   (a.decision = 'declined')::int AS declined_count,
                   EXISTS (SELECT 1 FROM loan_contract k
                            WHERE k.application_id = a.id AND k.disbursed_date IS NOT NULL)::int
                       AS disbursed_count,
                   a.amount,
                   CASE WHEN a.decision = 'approved' THEN a.amount ELSE 0 END
                       AS approved_amount,
                   CASE WHEN a.decided_at IS NOT NULL
                        THEN EXTRACT(EPOCH FROM a.decided_at - a.create_date) / 3600.0
                   END AS turnaround_hours
              FROM loan_application a
            """
        )


class ReportLoanCollectionEfficiency(models.Model):
    """Per month of due dates: what fell due (principal, interest, fees) and what was
    collected on those instalments by the month's end, summed per company, product and
    team; collection efficiency is collected over due. Written by the end of day for
    the month of the date it closes (so a month stands as its last date closed it), or
    from the history when it is rebuilt."""

    _name = "report.loan.collection.efficiency"
    _description = "Collection Efficiency"
    _order = "month desc"
    _log_access = False
    _rec_name = "month"

    month = fields.Date("Due Month", required=True, readonly=True)
    company_id = HistoryMany2one("res.company", required=True, readonly=True)
    currency_id = HistoryMany2one("res.currency", required=True, readonly=True)
    product_id = HistoryMany2one("loan.product", readonly=True)
    team_id = fields.Many2one("loan.team", readonly=True)
    instalment_count = fields.Integer("Instalments Due", readonly=True)
    due_amount = fields.Monetary("Due", readonly=True)
    collected_amount = fields.Monetary(
        "Collected by Month End", readonly=True, help="Penalties excluded."
    )
    efficiency = fields.Float(
        "Efficiency (%)",
        compute="_compute_efficiency",
        digits=(5, 2),
        help="Collected over due.",
    )

    _month_company_idx = models.Index("(month, company_id)")

    @api.depends("due_amount", "collected_amount")
    def _compute_efficiency(self):
        for row in self:
            row.efficiency = (
                100.0 * row.collected_amount / row.due_amount if row.due_amount else 0.0
            )

    def init(self):
        # before 19.0.1.1.0 a view (see migrations): the months closed so far are
        # written the first time
        cr = self.env.cr
        cr.execute("SELECT 1 FROM report_loan_collection_efficiency LIMIT 1")
        if not cr.rowcount:
            cr.execute("SELECT MAX(date) FROM loan_contract_dpd")
            last = cr.fetchone()[0]
            if last:
                self._fill_until(last)

    @api.model
    def _fill_until(self, day):
        """Write again every month with instalments due up to ``day``."""
        self.env.cr.execute(
            "SELECT MIN(l.due_date) FROM loan_contract_line l"
            " JOIN loan_contract c ON c.id = l.contract_id"
            " WHERE c.disbursed_date IS NOT NULL AND l.due_date <= %s",
            [day],
        )
        first = self.env.cr.fetchone()[0]
        if first:
            days = [end for end in month_ends(first, day) if end < day] + [day]
            self._fill(days)

    @api.model
    def _fill(self, days):
        """Write again the month of each of ``days``: the instalments due from its first
        day to that day, collected by receipts dated in the month or before. One
        statement per month."""
        cr = self.env.cr
        for day in days:
            first = day.replace(day=1)
            cr.execute("DELETE FROM report_loan_collection_efficiency WHERE month = %s", [first])
            cr.execute(
                SQL(
                    """
                    INSERT INTO report_loan_collection_efficiency
                        (month, company_id, currency_id, product_id, team_id,
                         instalment_count, due_amount, collected_amount)
                    SELECT %(first)s, c.company_id, c.currency_id, c.product_id, c.team_id,
                           COUNT(*),
                           SUM(COALESCE(l.principal, 0) + COALESCE(l.interest, 0)
                               + COALESCE(l.fee, 0)),
                           COALESCE(SUM(k.amount), 0)
                      FROM loan_contract_line l
                      JOIN loan_contract c ON c.id = l.contract_id
                      -- each instalment's receipt lines through their index, not a hash
                      -- of every receipt line (bench/reporting_bench.py)
                      LEFT JOIN LATERAL (
                            SELECT SUM(rl.amount) AS amount
                              FROM loan_receipt_line rl
                              JOIN loan_receipt r ON r.id = rl.receipt_id
                             WHERE rl.contract_line_id = l.id AND r.state = 'posted'
                               AND rl.component <> 'penalty' AND r.date <= %(last)s
                      ) k ON TRUE
                     WHERE l.due_date BETWEEN %(first)s AND %(day)s
                       AND c.disbursed_date IS NOT NULL
                     GROUP BY c.company_id, c.currency_id, c.product_id, c.team_id
                    """,
                    first=first,
                    day=day,
                    last=month_end(day),
                )
            )
        self.invalidate_model()


class ReportLoanDecisionReason(models.Model):
    """Each reason given for an application's decision: counted per reason, the
    declines (or approvals) by why, per month, product, consultant, appraiser and team."""

    _name = "report.loan.decision.reason"
    _inherit = "loan.report.sql.view"
    _description = "Decisions by Reason"
    _auto = False
    _order = "date desc"
    _depends = {
        "loan.application": [
            "company_id",
            "decided_at",
            "decision",
            "decision_reason_ids",
            "product_id",
            "team_id",
            "user_id",
            "appraiser_id",
        ],
    }

    date = fields.Date("Decided On", readonly=True)
    application_id = fields.Many2one("loan.application", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    product_id = fields.Many2one("loan.product", readonly=True)
    team_id = fields.Many2one("loan.team", readonly=True)
    user_id = fields.Many2one("res.users", "Consultant", readonly=True)
    appraiser_id = fields.Many2one("res.users", readonly=True)
    decision = fields.Selection([("approved", "Approved"), ("declined", "Declined")], readonly=True)
    reason_id = fields.Many2one("loan.decision.reason", readonly=True)
    application_count = fields.Integer("Applications", readonly=True)

    def _view_sql(self):
        return SQL(
            """
            SELECT ROW_NUMBER() OVER (ORDER BY a.id, r.loan_decision_reason_id) AS id,
                   a.decided_at::date AS date, a.id AS application_id, a.company_id,
                   a.product_id, a.team_id, a.user_id, a.appraiser_id, a.decision,
                   r.loan_decision_reason_id AS reason_id, 1 AS application_count
              FROM loan_application a
              JOIN loan_application_loan_decision_reason_rel r ON r.loan_application_id = a.id
             WHERE a.decision IS NOT NULL
            """
        )
