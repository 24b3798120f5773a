from odoo import fields, models
from odoo.tools import SQL


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
    """Per instalment falling due: what was due (principal, interest, fees) and what was
    collected on it by the end of its due month. Summed per month, collection efficiency
    is collected over due."""

    _name = "report.loan.collection.efficiency"
    _inherit = "loan.report.sql.view"
    _description = "Collection Efficiency"
    _auto = False
    _order = "month desc"
    _depends = {
        "loan.contract.line": ["due_date", "principal", "interest", "fee"],
        "loan.receipt": ["date", "state"],
        "loan.receipt.line": ["amount", "component", "contract_line_id"],
    }

    month = fields.Date("Due Month", readonly=True)
    contract_id = fields.Many2one("loan.contract", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    currency_id = fields.Many2one("res.currency", readonly=True)
    product_id = fields.Many2one("loan.product", readonly=True)
    team_id = fields.Many2one("loan.team", readonly=True)
    due_amount = fields.Monetary("Due", readonly=True)
    collected_amount = fields.Monetary(
        "Collected by Month End", readonly=True, help="Penalties excluded."
    )

    def _view_sql(self):
        return SQL(
            """
            SELECT l.id, date_trunc('month', l.due_date)::date AS month, l.contract_id,
                   c.company_id, c.currency_id, c.product_id, c.team_id,
                   COALESCE(l.principal, 0) + COALESCE(l.interest, 0) + COALESCE(l.fee, 0)
                       AS due_amount,
                   COALESCE((
                       SELECT SUM(rl.amount)
                         FROM loan_receipt_line rl
                         JOIN loan_receipt r ON r.id = rl.receipt_id
                        WHERE rl.contract_line_id = l.id AND r.state = 'posted'
                          AND rl.component <> 'penalty'
                          AND r.date < date_trunc('month', l.due_date) + interval '1 month'
                   ), 0) AS collected_amount
              FROM loan_contract_line l
              JOIN loan_contract c ON c.id = l.contract_id
             WHERE c.disbursed_date IS NOT NULL AND l.due_date <= CURRENT_DATE
            """
        )


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
