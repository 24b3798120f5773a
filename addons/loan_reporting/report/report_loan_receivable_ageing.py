from odoo import fields, models
from odoo.tools import SQL

# (field, first day past due, last day past due or None): the ageing bands
AGE_BANDS = [
    ("days_1_30", 1, 30),
    ("days_31_60", 31, 60),
    ("days_61_90", 61, 90),
    ("days_91_180", 91, 180),
    ("days_over_180", 181, None),
]


def currency_rate_sql(currency, company):
    """SQL for the rate of ``currency`` (an SQL expression) in ``company`` (the company
    row's alias, an identifier) today, found as ``res.currency._get_rates`` finds it: the
    last rate on or before today of the company's root or of no company, else the first
    rate, else 1."""
    root = SQL("split_part(%s.parent_path, '/', 1)::int", company)
    rates = SQL(
        "FROM res_currency_rate r WHERE r.currency_id = %s"
        " AND (r.company_id IS NULL OR r.company_id = %s)",
        currency,
        root,
    )
    return SQL(
        "COALESCE((SELECT r.rate %s AND r.name <= CURRENT_DATE"
        " ORDER BY r.company_id, r.name DESC LIMIT 1),"
        " (SELECT r.rate %s ORDER BY r.company_id, r.name LIMIT 1), 1.0)",
        rates,
        rates,
    )


class ReportLoanReceivableAgeing(models.Model):
    """Receivables ageing: per open contract (and so per borrower, product, team and
    company), what is due and unpaid today on its schedule, in bands of days past the
    instalments' due dates, beside the principal not yet due. In the company currency
    (converted at today's rate when the contract is in another one)."""

    _name = "report.loan.receivable.ageing"
    _inherit = "loan.report.sql.view"
    _description = "Receivables Ageing"
    _auto = False
    _rec_name = "contract_id"
    _order = "days_past_due desc, total_overdue desc"
    _depends = {
        "loan.contract": [
            "company_id",
            "currency_id",
            "partner_id",
            "product_id",
            "state",
            "team_id",
            "user_id",
        ],
        "loan.contract.line": [
            "contract_id",
            "due_date",
            "fee",
            "fee_paid",
            "fee_waived",
            "interest",
            "interest_paid",
            "interest_waived",
            "penalty",
            "penalty_paid",
            "penalty_waived",
            "principal",
            "principal_paid",
        ],
    }

    contract_id = fields.Many2one("loan.contract", readonly=True)
    partner_id = fields.Many2one("res.partner", "Borrower", readonly=True)
    product_id = fields.Many2one("loan.product", readonly=True)
    team_id = fields.Many2one("loan.team", readonly=True)
    user_id = fields.Many2one("res.users", "Loan Officer", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    currency_id = fields.Many2one("res.currency", readonly=True)
    contract_count = fields.Integer("Contracts", readonly=True)
    days_past_due = fields.Integer(
        readonly=True,
        aggregator="max",
        help="Days since the due date of the oldest instalment still unpaid.",
    )
    not_due = fields.Monetary(
        "Not Yet Due",
        readonly=True,
        help="Principal of the instalments due today or later.",
    )
    days_1_30 = fields.Monetary("1-30 Days", readonly=True)
    days_31_60 = fields.Monetary("31-60 Days", readonly=True)
    days_61_90 = fields.Monetary("61-90 Days", readonly=True)
    days_91_180 = fields.Monetary("91-180 Days", readonly=True)
    days_over_180 = fields.Monetary("Over 180 Days", readonly=True)
    total_overdue = fields.Monetary(
        readonly=True,
        help="Principal, interest, fees and penalties of the instalments past their due "
        "date, less what was paid or waived.",
    )
    total = fields.Monetary("Total Receivable", readonly=True, help="Overdue and not yet due.")

    def _view_sql(self):
        open_principal = SQL(
            "GREATEST(COALESCE(l.principal, 0) - COALESCE(l.principal_paid, 0), 0)"
        )
        open_charges = SQL(
            "GREATEST(COALESCE(l.interest, 0) - COALESCE(l.interest_paid, 0)"
            " - COALESCE(l.interest_waived, 0), 0)"
            " + GREATEST(COALESCE(l.fee, 0) - COALESCE(l.fee_paid, 0)"
            " - COALESCE(l.fee_waived, 0), 0)"
            " + GREATEST(COALESCE(l.penalty, 0) - COALESCE(l.penalty_paid, 0)"
            " - COALESCE(l.penalty_waived, 0), 0)"
        )
        bands = SQL(", ").join(
            SQL(
                "COALESCE(SUM(o.amount) FILTER (WHERE o.age >= %s%s), 0) AS %s",
                low,
                SQL(" AND o.age <= %s", high) if high else SQL(),
                SQL.identifier(name),
            )
            for name, low, high in AGE_BANDS
        )
        converted = SQL(", ").join(
            SQL(
                "ROUND(a.%(f)s * x.factor / cur.rounding) * cur.rounding AS %(f)s",
                f=SQL.identifier(name),
            )
            for name in [band[0] for band in AGE_BANDS] + ["not_due"]
        )
        # the total is the sum of the bands as shown, each rounded in the company currency
        total_overdue = SQL(" + ").join(SQL("v.%s", SQL.identifier(band[0])) for band in AGE_BANDS)
        return SQL(
            """
            WITH owed AS (
                SELECT l.contract_id, CURRENT_DATE - l.due_date AS age,
                       %(principal)s AS principal, %(principal)s + %(charges)s AS amount
                  FROM loan_contract_line l
                  JOIN loan_contract c ON c.id = l.contract_id
                 WHERE c.state IN ('active', 'overdue')
            ), aged AS (
                SELECT o.contract_id,
                       COALESCE(SUM(o.principal) FILTER (WHERE o.age <= 0), 0) AS not_due,
                       %(bands)s,
                       COALESCE(MAX(o.age) FILTER (WHERE o.age > 0 AND o.amount > 0), 0)
                           AS days_past_due
                  FROM owed o
                 GROUP BY o.contract_id
            ), converted AS (
                SELECT c.id, c.partner_id, c.product_id, c.team_id, c.user_id, c.company_id,
                       co.currency_id, a.days_past_due, %(converted)s
                  FROM aged a
                  JOIN loan_contract c ON c.id = a.contract_id
                  JOIN res_company co ON co.id = c.company_id
                  JOIN res_currency cur ON cur.id = co.currency_id
                 CROSS JOIN LATERAL (
                    SELECT CASE WHEN c.currency_id = co.currency_id THEN 1.0
                                ELSE %(to_rate)s / %(from_rate)s END AS factor
                 ) x
            )
            SELECT v.*, v.id AS contract_id, 1 AS contract_count,
                   %(total_overdue)s AS total_overdue,
                   v.not_due + %(total_overdue)s AS total
              FROM converted v
             WHERE v.not_due + %(total_overdue)s > 0
            """,
            principal=open_principal,
            charges=open_charges,
            bands=bands,
            converted=converted,
            total_overdue=total_overdue,
            to_rate=currency_rate_sql(SQL("co.currency_id"), SQL.identifier("co")),
            from_rate=currency_rate_sql(SQL("c.currency_id"), SQL.identifier("co")),
        )
