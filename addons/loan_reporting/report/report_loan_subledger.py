from odoo import fields, models
from odoo.tools import SQL

REASONS = [
    ("ok", "Agrees"),
    ("no_entry", "No entry in the books"),
    ("unlinked", "Entry without a contract"),
    ("closed", "Closed contract with a balance"),
    ("difference", "Amounts differ"),
]


class ReportLoanSubledger(models.Model):
    """The loan sub-ledger against the books: for each disbursed contract, today and at
    each month end, its outstanding principal against the balance of its lines on its
    product's loan receivable account; and the lines of those accounts that belong to no
    contract. Grouped by account, the sub-ledger and the books give the account's
    balance both ways; the rows that differ say why. A month end's books are those its
    snapshot read when the month was closed (``books_principal``): an entry dated back
    into a closed month shows today, not in the month end's figures."""

    _name = "report.loan.subledger"
    _description = "Sub-ledger against the Books"
    _inherit = "loan.report.sql.view"
    _auto = False
    _order = "date desc, difference desc"
    _depends = {
        "account.move.line": [
            "account_id",
            "balance",
            "company_id",
            "date",
            "loan_contract_id",
            "parent_state",
        ],
        "loan.contract": ["disbursed_date", "outstanding_principal", "product_id", "state"],
        "loan.product": ["account_receivable_id"],
        "loan.portfolio.snapshot": ["books_principal", "outstanding_principal"],
    }

    date = fields.Date(readonly=True)
    kind = fields.Selection([("current", "Today"), ("month_end", "Month End")], readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    currency_id = fields.Many2one("res.currency", readonly=True)
    contract_id = fields.Many2one("loan.contract", readonly=True)
    product_id = fields.Many2one("loan.product", readonly=True)
    team_id = fields.Many2one("loan.team", readonly=True)
    account_id = fields.Many2one("account.account", readonly=True)
    subledger_amount = fields.Monetary("Sub-ledger", readonly=True)
    books_amount = fields.Monetary("Books", readonly=True)
    difference = fields.Monetary(readonly=True)
    reason = fields.Selection(REASONS, readonly=True)

    def _view_sql(self):
        # each part gives its rows' reason: a filter on the reason (the differences) then
        # leaves out the parts that cannot match, and a month end's rows that differ are
        # read through their partial index (bench/reporting_bench.py)
        return SQL(
            """
                WITH accounts AS (
                    SELECT DISTINCT account_receivable_id AS account_id
                      FROM loan_product WHERE account_receivable_id IS NOT NULL
                ), booked AS (
                    SELECT ml.loan_contract_id AS contract_id, ml.account_id,
                           SUM(ml.balance) AS balance
                      FROM account_move_line ml
                      JOIN accounts a ON a.account_id = ml.account_id
                     WHERE ml.parent_state = 'posted' AND ml.loan_contract_id IS NOT NULL
                     GROUP BY 1, 2
                ), rows AS (
                    SELECT cur.*, CASE WHEN books_amount = subledger_amount THEN 'ok'
                                       WHEN closed THEN 'closed'
                                       WHEN books_amount = 0 THEN 'no_entry'
                                       ELSE 'difference' END AS reason
                      FROM (
                        SELECT c.id * 2 AS id, CURRENT_DATE AS date, 'current' AS kind,
                               c.company_id, c.currency_id, c.id AS contract_id, c.product_id,
                               c.team_id, p.account_receivable_id AS account_id,
                               CASE WHEN c.state IN ('active', 'overdue')
                                    THEN COALESCE(c.outstanding_principal, 0) ELSE 0 END
                                   AS subledger_amount,
                               COALESCE(b.balance, 0) AS books_amount,
                               c.state NOT IN ('active', 'overdue') AS closed
                          FROM loan_contract c
                          JOIN loan_product p ON p.id = c.product_id
                          LEFT JOIN booked b ON b.contract_id = c.id
                                            AND b.account_id = p.account_receivable_id
                         WHERE c.disbursed_date IS NOT NULL
                      ) cur
                    UNION ALL
                    SELECT s.id * 2 + 1, s.date, 'month_end', s.company_id, s.currency_id,
                           s.contract_id, s.product_id, s.team_id, p.account_receivable_id,
                           COALESCE(s.outstanding_principal, 0),
                           COALESCE(s.books_principal, 0), FALSE, 'ok'
                      FROM loan_portfolio_snapshot s
                      JOIN loan_product p ON p.id = s.product_id
                     WHERE COALESCE(s.books_principal, 0) = COALESCE(s.outstanding_principal, 0)
                    UNION ALL
                    SELECT s.id * 2 + 1, s.date, 'month_end', s.company_id, s.currency_id,
                           s.contract_id, s.product_id, s.team_id, p.account_receivable_id,
                           COALESCE(s.outstanding_principal, 0),
                           COALESCE(s.books_principal, 0), FALSE,
                           CASE WHEN COALESCE(s.books_principal, 0) = 0 THEN 'no_entry'
                                ELSE 'difference' END
                      FROM loan_portfolio_snapshot s
                      JOIN loan_product p ON p.id = s.product_id
                     WHERE COALESCE(s.books_principal, 0) <> COALESCE(s.outstanding_principal, 0)
                    UNION ALL
                    SELECT -MIN(ml.id), CURRENT_DATE, 'current', ml.company_id,
                           MIN(ml.company_currency_id), NULL, NULL, NULL, ml.account_id,
                           0, SUM(ml.balance), FALSE,
                           CASE WHEN SUM(ml.balance) = 0 THEN 'ok' ELSE 'unlinked' END
                      FROM account_move_line ml
                      JOIN accounts a ON a.account_id = ml.account_id
                     WHERE ml.parent_state = 'posted' AND ml.loan_contract_id IS NULL
                     GROUP BY ml.company_id, ml.account_id
                )
                SELECT id, date, kind, company_id, currency_id, contract_id, product_id,
                       team_id, account_id, subledger_amount, books_amount,
                       books_amount - subledger_amount AS difference, reason
                  FROM rows
            """
        )
