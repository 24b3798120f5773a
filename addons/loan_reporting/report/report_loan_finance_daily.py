from datetime import timedelta

from odoo import api, fields, models
from odoo.tools import SQL

from .report_loan_finance import REVENUE_KINDS, income_kinds_sql

REFRESHED_AT = "loan_reporting.finance_daily_refreshed_at"


class ReportLoanFinanceDaily(models.Model):
    """Money received and revenue recognised, summed per date, company, product, journal
    and kind: a table the end of day writes (the date it closes, and every earlier date
    of a receipt or journal entry written since its last run), so that charts over months
    read a few rows a day instead of every receipt and journal item."""

    _name = "report.loan.finance.daily"
    _description = "Finance by Day"
    _order = "date desc"
    _log_access = False
    _rec_name = "date"

    date = fields.Date(required=True, readonly=True, index=True)
    company_id = fields.Many2one("res.company", required=True, readonly=True, index=True)
    currency_id = fields.Many2one("res.currency", required=True, readonly=True)
    product_id = fields.Many2one("loan.product", readonly=True)
    journal_id = fields.Many2one("account.journal", readonly=True)
    kind = fields.Selection(
        [("received", "Received"), *REVENUE_KINDS],
        required=True,
        readonly=True,
        help="Received: the posted receipts. The others: revenue recognised on the "
        "products' income accounts.",
    )
    line_count = fields.Integer("Documents", readonly=True, help="Receipts or journal items.")
    amount = fields.Monetary(readonly=True)

    def init(self):
        # every date again on install and update: the statement may have changed
        self._fill()
        self._set_refreshed()

    def _set_refreshed(self):
        # the transaction's start, as write_date is
        self.env["ir.config_parameter"].sudo().set_param(
            REFRESHED_AT, fields.Datetime.to_string(self.env.cr.now())
        )

    @api.model
    def _fill(self, date_from=None, date_to=None, dates=None):
        """Write again the rows of the dates from ``date_from`` to ``date_to`` (open ends
        when None), or of the list ``dates``, from the receipts and journal items."""
        if dates is not None:
            scope = SQL("x.date = ANY(%s)", list(dates))
        else:
            scope = SQL(
                "(%s::date IS NULL OR x.date >= %s) AND (%s::date IS NULL OR x.date <= %s)",
                date_from,
                date_from,
                date_to,
                date_to,
            )
        self.env.flush_all()
        cr = self.env.cr
        cr.execute(SQL("DELETE FROM report_loan_finance_daily x WHERE %s", scope))
        cr.execute(
            SQL(
                """
                WITH %(kinds)s
                INSERT INTO report_loan_finance_daily
                    (date, company_id, currency_id, product_id, journal_id, kind,
                     line_count, amount)
                SELECT x.date, x.company_id, x.currency_id, c.product_id, x.journal_id,
                       'received', COUNT(*), SUM(x.amount)
                  FROM loan_receipt x
                  JOIN loan_contract c ON c.id = x.contract_id
                 WHERE x.state = 'posted' AND %(scope)s
                 GROUP BY x.date, x.company_id, x.currency_id, c.product_id, x.journal_id
                UNION ALL
                SELECT x.date, x.company_id, x.company_currency_id, c.product_id,
                       x.journal_id, k.kind, COUNT(*), SUM(-x.balance)
                  FROM account_move_line x
                  JOIN one_kind k ON k.account_id = x.account_id
                  LEFT JOIN loan_contract c ON c.id = x.loan_contract_id
                 WHERE x.parent_state = 'posted' AND %(scope)s
                 GROUP BY x.date, x.company_id, x.company_currency_id, c.product_id,
                          x.journal_id, k.kind
                """,
                kinds=income_kinds_sql(),
                scope=scope,
            )
        )
        self.invalidate_model()

    @api.model
    def _refresh(self, day):
        """The end of day of ``day``: write that date, and every earlier date of a receipt
        or journal entry written since the last refresh (dated back, posted, reversed or
        cancelled since); an hour's margin covers transactions still open then."""
        cr = self.env.cr
        since = self.env["ir.config_parameter"].sudo().get_param(REFRESHED_AT)
        if not since:
            self._fill(date_to=day)
        else:
            since = fields.Datetime.to_datetime(since) - timedelta(hours=1)
            self.env.flush_all()
            cr.execute(
                """
                SELECT date FROM loan_receipt WHERE write_date >= %(since)s AND date < %(day)s
                 UNION
                SELECT date FROM account_move WHERE write_date >= %(since)s AND date < %(day)s
                """,
                {"since": since, "day": day},
            )
            self._fill(dates=sorted({row[0] for row in cr.fetchall()} | {day}))
        self._set_refreshed()
