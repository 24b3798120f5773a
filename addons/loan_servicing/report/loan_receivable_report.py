from odoo import fields, models, tools
from odoo.tools import SQL


class LoanReceivableReport(models.Model):
    """Receivables per customer: one line per borrower, company and currency over the
    borrower's running contracts (outstanding principal, everything owed, overdue amount,
    days past due, next instalment). A SQL view read as the reader's company rules allow."""

    _name = "loan.receivable.report"
    _description = "Loan Receivables per Customer"
    _auto = False
    _order = "dpd desc, overdue_amount desc, partner_id"
    _rec_name = "partner_id"
    # what the view reads: the ORM flushes these before querying it
    _depends = {
        "loan.contract": [
            "partner_id",
            "company_id",
            "currency_id",
            "user_id",
            "state",
            "outstanding_principal",
            "overdue_amount",
            "dpd",
        ],
        "loan.contract.line": [
            "contract_id",
            "due_date",
            "principal",
            "principal_paid",
            "interest",
            "interest_paid",
            "interest_waived",
            "fee",
            "fee_paid",
            "fee_waived",
            "penalty",
            "penalty_paid",
            "penalty_waived",
        ],
    }

    partner_id = fields.Many2one("res.partner", "Borrower", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    currency_id = fields.Many2one("res.currency", readonly=True)
    user_id = fields.Many2one("res.users", "Loan Officer", readonly=True)
    contract_count = fields.Integer("Contracts", readonly=True)
    outstanding_principal = fields.Monetary(readonly=True)
    total_outstanding = fields.Monetary(
        readonly=True,
        help="Principal not repaid, plus the interest, fees and penalties of the instalments "
        "already due and not paid.",
    )
    overdue_amount = fields.Monetary(readonly=True)
    dpd = fields.Integer("Days Past Due", readonly=True, aggregator="max")
    next_due_date = fields.Date(readonly=True, aggregator="min")
    next_due_amount = fields.Monetary(
        readonly=True, help="Open amount of the instalments due on the next due date."
    )

    def _query(self):
        open_principal = SQL("(COALESCE(l.principal, 0) - COALESCE(l.principal_paid, 0))")
        open_charges = SQL(
            "(COALESCE(l.interest, 0) - COALESCE(l.interest_paid, 0)"
            " - COALESCE(l.interest_waived, 0)"
            " + COALESCE(l.fee, 0) - COALESCE(l.fee_paid, 0) - COALESCE(l.fee_waived, 0))"
        )
        open_penalty = SQL(
            "(COALESCE(l.penalty, 0) - COALESCE(l.penalty_paid, 0) - COALESCE(l.penalty_waived, 0))"
        )
        return SQL(
            """
            WITH running AS (
                SELECT c.id, c.partner_id, c.company_id, c.currency_id, c.user_id,
                       COALESCE(c.outstanding_principal, 0) AS outstanding_principal,
                       COALESCE(c.overdue_amount, 0) AS overdue_amount,
                       COALESCE(c.dpd, 0) AS dpd
                FROM loan_contract c
                WHERE c.state IN ('active', 'overdue')
            ), owed AS (
                SELECT l.contract_id,
                       SUM(CASE WHEN l.due_date <= CURRENT_DATE
                                THEN %(charges)s ELSE 0 END + %(penalty)s) AS charges
                FROM loan_contract_line l
                JOIN running r ON r.id = l.contract_id
                GROUP BY l.contract_id
            ), upcoming AS (
                SELECT r.partner_id, r.company_id, r.currency_id, l.due_date,
                       SUM(%(principal)s + %(charges)s) AS amount,
                       RANK() OVER (PARTITION BY r.partner_id, r.company_id, r.currency_id
                                    ORDER BY l.due_date) AS rank
                FROM loan_contract_line l
                JOIN running r ON r.id = l.contract_id
                WHERE l.due_date >= CURRENT_DATE AND %(principal)s + %(charges)s > 0
                GROUP BY r.partner_id, r.company_id, r.currency_id, l.due_date
            )
            SELECT MIN(r.id) AS id, r.partner_id, r.company_id, r.currency_id,
                   (ARRAY_AGG(r.user_id ORDER BY r.id))[1] AS user_id,
                   COUNT(*) AS contract_count,
                   SUM(r.outstanding_principal) AS outstanding_principal,
                   SUM(r.outstanding_principal + COALESCE(o.charges, 0)) AS total_outstanding,
                   SUM(r.overdue_amount) AS overdue_amount,
                   MAX(r.dpd) AS dpd,
                   MIN(u.due_date) AS next_due_date,
                   MIN(u.amount) AS next_due_amount
            FROM running r
            LEFT JOIN owed o ON o.contract_id = r.id
            LEFT JOIN upcoming u ON u.partner_id = r.partner_id AND u.company_id = r.company_id
                 AND u.currency_id = r.currency_id AND u.rank = 1
            GROUP BY r.partner_id, r.company_id, r.currency_id
            """,
            principal=open_principal,
            charges=open_charges,
            penalty=open_penalty,
        )

    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(
            SQL("CREATE OR REPLACE VIEW %s AS (%s)", SQL.identifier(self._table), self._query())
        )
