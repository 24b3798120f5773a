from odoo import fields, models
from odoo.tools import SQL

# the kinds of revenue, each an income account of the product
REVENUE_KINDS = [
    ("interest", "Interest"),
    ("fee", "Fees"),
    ("penalty", "Penalties"),
    ("recovery", "Recoveries"),
]


def income_kinds_sql():
    """The body of a WITH clause naming ``one_kind``: each income account of a product
    with its kind (interest, fee, penalty or recovery)."""
    return SQL(
        """
        kinds AS (
            SELECT DISTINCT account_interest_income_id AS account_id, 'interest' AS kind
              FROM loan_product WHERE account_interest_income_id IS NOT NULL
            UNION
            SELECT DISTINCT account_fee_income_id, 'fee'
              FROM loan_product WHERE account_fee_income_id IS NOT NULL
            UNION
            SELECT DISTINCT account_penalty_income_id, 'penalty'
              FROM loan_product WHERE account_penalty_income_id IS NOT NULL
            UNION
            SELECT DISTINCT account_recovery_income_id, 'recovery'
              FROM loan_product WHERE account_recovery_income_id IS NOT NULL
        ), one_kind AS (
            SELECT account_id, MIN(kind) AS kind FROM kinds GROUP BY account_id
        )
        """
    )


class ReportLoanReceiptBook(models.Model):
    """The receipts book: each posted receipt with its date, journal and cashier, split
    into principal, interest, fees, penalties and advance by its allocation."""

    _name = "report.loan.receipt.book"
    _inherit = "loan.report.sql.view"
    _description = "Receipts Book"
    _auto = False
    _depends = {
        "loan.receipt": ["advance_amount", "amount", "date", "journal_id", "state"],
        "loan.receipt.line": ["amount", "component", "receipt_id"],
    }
    _order = "date desc"

    date = fields.Date(readonly=True)
    receipt_id = fields.Many2one("loan.receipt", readonly=True)
    contract_id = fields.Many2one("loan.contract", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    currency_id = fields.Many2one("res.currency", readonly=True)
    journal_id = fields.Many2one("account.journal", readonly=True)
    user_id = fields.Many2one("res.users", "Cashier", readonly=True)
    product_id = fields.Many2one("loan.product", readonly=True)
    receipt_count = fields.Integer("Receipts", readonly=True)
    amount = fields.Monetary(readonly=True)
    principal = fields.Monetary(readonly=True)
    interest = fields.Monetary(readonly=True)
    fees = fields.Monetary(readonly=True)
    penalty = fields.Monetary(readonly=True)
    advance = fields.Monetary(readonly=True)

    def _view_sql(self):
        # each component a scalar subquery, not a join grouped by receipt: PostgreSQL
        # leaves out the outputs a query does not read, so a chart of amounts by month
        # reads the receipts alone
        parts = SQL(", ").join(
            SQL(
                "COALESCE((SELECT SUM(l.amount) FROM loan_receipt_line l"
                " WHERE l.receipt_id = r.id AND l.component = %s), 0) AS %s",
                component,
                SQL.identifier(column),
            )
            for component, column in (
                ("principal", "principal"),
                ("interest", "interest"),
                ("fees", "fees"),
                ("penalty", "penalty"),
            )
        )
        return SQL(
            """
            SELECT r.id, r.date, r.id AS receipt_id, r.contract_id, r.company_id,
                   r.currency_id, r.journal_id, r.create_uid AS user_id, c.product_id,
                   1 AS receipt_count, r.amount, %s,
                   COALESCE(r.advance_amount, 0) AS advance
              FROM loan_receipt r
              JOIN loan_contract c ON c.id = r.contract_id
             WHERE r.state = 'posted'
            """,
            parts,
        )


class ReportLoanDisbursement(models.Model):
    """Loans paid out: principal, fees withheld and the net paid, per date, product,
    team, officer and the accountant who paid."""

    _name = "report.loan.disbursement"
    _inherit = "loan.report.sql.view"
    _description = "Disbursements"
    _auto = False
    _depends = {
        "loan.contract": ["disbursed_by_id", "disbursed_date", "net_disbursed", "upfront_fees"]
    }
    _order = "date desc"

    date = fields.Date(readonly=True)
    contract_id = fields.Many2one("loan.contract", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    currency_id = fields.Many2one("res.currency", readonly=True)
    product_id = fields.Many2one("loan.product", readonly=True)
    team_id = fields.Many2one("loan.team", readonly=True)
    user_id = fields.Many2one("res.users", "Loan Officer", readonly=True)
    disbursed_by_id = fields.Many2one("res.users", "Paid by", readonly=True)
    contract_count = fields.Integer("Contracts", readonly=True)
    amount = fields.Monetary("Principal", readonly=True)
    upfront_fees = fields.Monetary("Fees Withheld", readonly=True)
    net_disbursed = fields.Monetary("Net Paid", readonly=True)

    def _view_sql(self):
        return SQL(
            """
            SELECT c.id, c.disbursed_date AS date, c.id AS contract_id, c.company_id,
                   c.currency_id, c.product_id, c.team_id, c.user_id, c.disbursed_by_id,
                   1 AS contract_count, c.amount, COALESCE(c.upfront_fees, 0) AS upfront_fees,
                   COALESCE(c.net_disbursed, c.amount - COALESCE(c.upfront_fees, 0))
                       AS net_disbursed
              FROM loan_contract c
             WHERE c.disbursed_date IS NOT NULL
            """
        )


class ReportLoanRevenue(models.Model):
    """Revenue recognised in the books: the posted lines of the products' interest, fee,
    penalty and recovery income accounts, per date and kind."""

    _name = "report.loan.revenue"
    _inherit = "loan.report.sql.view"
    _description = "Lending Revenue"
    _auto = False
    _depends = {
        "account.move.line": ["account_id", "balance", "date", "loan_contract_id", "parent_state"]
    }
    _order = "date desc"

    date = fields.Date(readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    currency_id = fields.Many2one("res.currency", readonly=True)
    account_id = fields.Many2one("account.account", readonly=True)
    move_id = fields.Many2one("account.move", "Entry", readonly=True)
    contract_id = fields.Many2one("loan.contract", readonly=True)
    kind = fields.Selection(REVENUE_KINDS, readonly=True)
    amount = fields.Monetary(readonly=True)

    def _view_sql(self):
        return SQL(
            """
            WITH %s
            SELECT ml.id, ml.date, ml.company_id, ml.company_currency_id AS currency_id,
                   ml.account_id, ml.move_id, ml.loan_contract_id AS contract_id, k.kind,
                   -ml.balance AS amount
              FROM account_move_line ml
              JOIN one_kind k ON k.account_id = ml.account_id
             WHERE ml.parent_state = 'posted'
            """,
            income_kinds_sql(),
        )


class ReportLoanCash(models.Model):
    """Cash expected from the schedules: what is open on every instalment due up to
    twelve weeks ahead, per week of its due date (instalments already past due count in
    the current week, flagged)."""

    _name = "report.loan.cash"
    _inherit = "loan.report.sql.view"
    _description = "Expected Cash-in"
    _auto = False
    _depends = {
        "loan.contract.line": [
            "due_date",
            "paid_date",
            "fee_paid",
            "interest_paid",
            "penalty",
            "penalty_paid",
            "principal_paid",
        ],
        "loan.contract": ["state"],
    }
    _order = "week"

    week = fields.Date(readonly=True, help="The Monday of the week it is expected.")
    due_date = fields.Date(readonly=True)
    past_due = fields.Boolean(readonly=True)
    contract_id = fields.Many2one("loan.contract", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    currency_id = fields.Many2one("res.currency", readonly=True)
    product_id = fields.Many2one("loan.product", readonly=True)
    team_id = fields.Many2one("loan.team", readonly=True)
    principal = fields.Monetary(readonly=True)
    interest = fields.Monetary(readonly=True)
    fees = fields.Monetary(readonly=True)
    penalty = fields.Monetary(readonly=True)
    amount = fields.Monetary("Expected", readonly=True)

    def _view_sql(self):
        return SQL(
            """
            SELECT l.id, date_trunc('week', GREATEST(l.due_date, CURRENT_DATE))::date AS week,
                   l.due_date, l.due_date < CURRENT_DATE AS past_due, l.contract_id,
                   c.company_id, c.currency_id, c.product_id, c.team_id, x.principal,
                   x.interest, x.fees, x.penalty,
                   x.principal + x.interest + x.fees + x.penalty AS amount
              FROM loan_contract_line l
              JOIN loan_contract c ON c.id = l.contract_id
             CROSS JOIN LATERAL (
                SELECT GREATEST(COALESCE(l.principal, 0) - COALESCE(l.principal_paid, 0), 0)
                           AS principal,
                       GREATEST(COALESCE(l.interest, 0) - COALESCE(l.interest_paid, 0)
                                - COALESCE(l.interest_waived, 0), 0) AS interest,
                       GREATEST(COALESCE(l.fee, 0) - COALESCE(l.fee_paid, 0)
                                - COALESCE(l.fee_waived, 0), 0) AS fees,
                       GREATEST(COALESCE(l.penalty, 0) - COALESCE(l.penalty_paid, 0)
                                - COALESCE(l.penalty_waived, 0), 0) AS penalty
             ) x
             WHERE c.state IN ('active', 'overdue')
               AND l.paid_date IS NULL AND l.due_date < CURRENT_DATE + 84
               AND x.principal + x.interest + x.fees + x.penalty > 0
            """
        )
