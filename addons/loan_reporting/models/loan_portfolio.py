import calendar
from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import SQL

# the dimensions of the daily aggregate, in its table's column order
DIMENSIONS = (
    "company_id",
    "currency_id",
    "product_id",
    "team_id",
    "user_id",
    "state_id",
    "campaign_id",
    "bucket_id",
    "classification_id",
)


def month_end(day):
    """The last day of ``day``'s month."""
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def month_ends(date_from, date_to):
    """Every month end from ``date_from`` to ``date_to``, both included."""
    ends = []
    day = month_end(date_from)
    while day <= date_to:
        ends.append(day)
        day = month_end(day + timedelta(days=1))
    return ends


class HistoryMany2one(fields.Many2one):
    """A Many2one of a history table with no foreign key in the database: the end of
    day inserts a row per open contract at every month end, and each foreign key costs a
    lookup per row (about 0.9 s a key for 200,000 rows, measured by
    bench/reporting_bench.py). Used for references whose rows are never deleted while a
    contract names them (company, currency, product and borrower are required on the
    contract and restricted), for reference data (province, bucket, classification), and
    for those whose deletion the ORM carries to the history as the key would have:
    contract, team, officer and campaign (see ``forget_history``)."""

    def update_db_foreign_key(self, model, column):
        return


def forget_history(records):
    """Before ``records`` are deleted: what a foreign key would do to the history rows
    that name them through a HistoryMany2one. The rows go with them (``ondelete``
    cascade) or their reference is cleared (set null); a restricted reference is left
    to the contract, which names the same record."""
    if not records:
        return
    cr = records.env.cr
    for model in records.env.registry.models.values():
        if model._abstract or not model._auto:
            continue
        for field in model._fields.values():
            if not (
                isinstance(field, HistoryMany2one)
                and field.store
                and field.comodel_name == records._name
                and field.ondelete in ("cascade", "set null")
            ):
                continue
            records.env[model._name].flush_model([field.name])
            if field.ondelete == "cascade":
                query = SQL(
                    "DELETE FROM %s WHERE %s = ANY(%s)",
                    SQL.identifier(model._table),
                    SQL.identifier(field.name),
                    records.ids,
                )
            else:
                query = SQL(
                    "UPDATE %s SET %s = NULL WHERE %s = ANY(%s)",
                    SQL.identifier(model._table),
                    SQL.identifier(field.name),
                    SQL.identifier(field.name),
                    records.ids,
                )
            cr.execute(query)
            records.env[model._name].invalidate_model([field.name])


class LoanPortfolioSnapshot(models.Model):
    """Each open contract as it stood at a month end: balances, days past due, bucket,
    classification and provisions. Written by the end of day closing a month's last date
    (see loan.eod.run), or rebuilt from the days-past-due history; reports read these
    rows, never the contracts' current state."""

    _name = "loan.portfolio.snapshot"
    _description = "Portfolio Snapshot"
    _order = "date desc, contract_id"
    _log_access = False
    _rec_name = "contract_id"

    # indexes: (contract_id, date) unique, (date, company_id) and the rows whose books
    # differ (the sub-ledger's differences, few), nothing more: the end of day writes a
    # row per open contract each month. No foreign key (see HistoryMany2one).
    date = fields.Date("Month End", required=True, readonly=True)
    contract_id = HistoryMany2one("loan.contract", required=True, readonly=True, ondelete="cascade")
    company_id = HistoryMany2one("res.company", required=True, readonly=True)
    currency_id = HistoryMany2one("res.currency", required=True, readonly=True)
    product_id = HistoryMany2one("loan.product", readonly=True)
    partner_id = HistoryMany2one("res.partner", "Borrower", readonly=True)
    team_id = HistoryMany2one("loan.team", readonly=True, ondelete="set null")
    user_id = HistoryMany2one("res.users", "Loan Officer", readonly=True, ondelete="set null")
    state_id = HistoryMany2one("res.country.state", "Province", readonly=True)
    campaign_id = HistoryMany2one("utm.campaign", readonly=True, ondelete="set null")
    disbursed_month = fields.Date(readonly=True, help="The first day of the disbursement month.")
    months_on_book = fields.Integer(readonly=True, aggregator="max")
    disbursed_amount = fields.Monetary("Principal Disbursed", readonly=True)
    dpd = fields.Integer("Days Past Due", readonly=True, aggregator="max")
    bucket_id = HistoryMany2one("loan.collection.bucket", readonly=True)
    classification_id = HistoryMany2one("loan.classification", readonly=True)
    non_performing = fields.Boolean(readonly=True)
    outstanding_principal = fields.Monetary(readonly=True)
    overdue_amount = fields.Monetary(readonly=True)
    interest_receivable = fields.Monetary(readonly=True)
    charges_receivable = fields.Monetary(
        readonly=True, help="Fees and late penalties due and unpaid."
    )
    provision_rate = fields.Float("Provision Rate (%)", digits=(5, 2), readonly=True)
    specific_provision = fields.Monetary(readonly=True)
    general_provision = fields.Monetary(readonly=True)
    books_principal = fields.Monetary(
        "Principal in the Books",
        readonly=True,
        help="The balance of the contract's lines on its product's loan receivable "
        "account, posted and dated by the month end: the sub-ledger against the books.",
    )
    estimated = fields.Boolean(
        "Receivables Estimated",
        readonly=True,
        help="Rebuilt from the history after the fact: principal, days past due, "
        "classification and provisions are those of the history; interest and charges "
        "receivable are estimated from the schedule (unpaid instalments due by then).",
    )

    _contract_date_unique = models.UniqueIndex("(contract_id, date)")
    _date_company_idx = models.Index("(date, company_id)")
    _books_differ_idx = models.Index(
        "(date) WHERE COALESCE(books_principal, 0) <> COALESCE(outstanding_principal, 0)"
    )

    def init(self):
        # databases installed before the books were kept on the rows: read them once,
        # a month end at a time, as _take does
        cr = self.env.cr
        cr.execute(
            "SELECT DISTINCT date FROM loan_portfolio_snapshot WHERE books_principal IS NULL"
        )
        for (day,) in cr.fetchall():
            cr.execute(
                SQL(
                    "UPDATE loan_portfolio_snapshot s SET books_principal = bk.balance"
                    " FROM (%s) bk WHERE bk.contract_id = s.contract_id AND s.date = %s",
                    self._books_sql(day),
                    day,
                )
            )
            cr.execute(
                "UPDATE loan_portfolio_snapshot SET books_principal = 0"
                " WHERE date = %s AND books_principal IS NULL",
                [day],
            )
        # databases installed before HistoryMany2one: their foreign keys go
        for fname, field in self._fields.items():
            if isinstance(field, HistoryMany2one):
                self.env.cr.execute(
                    SQL(
                        "ALTER TABLE %s DROP CONSTRAINT IF EXISTS %s",
                        SQL.identifier(self._table),
                        SQL.identifier("%s_%s_fkey" % (self._table, fname)),
                    )
                )

    # ------------------------------------------------------------------ the rows
    @api.model
    def _rows_sql(self, day, contract_ids=None, receivables=None):
        """A SELECT of one row per contract open at the end of ``day`` (its history row
        of that date) with the snapshot's columns. ``receivables``: None to leave them out
        (the daily aggregate), "exact" to read them from the schedule now (the end of day
        of that date), "estimated" for a date long closed."""
        if receivables == "exact":
            interest = SQL(
                "GREATEST(COALESCE(l.interest_recognised, 0) - COALESCE(l.interest_paid, 0)"
                " - COALESCE(l.interest_waived, 0), 0)"
            )
            charges = SQL(
                "CASE WHEN l.due_date <= %(day)s THEN GREATEST(COALESCE(l.fee, 0)"
                " - COALESCE(l.fee_paid, 0) - COALESCE(l.fee_waived, 0), 0) ELSE 0 END"
                " + GREATEST(COALESCE(l.penalty, 0) - COALESCE(l.penalty_paid, 0)"
                " - COALESCE(l.penalty_waived, 0), 0)",
                day=day,
            )
        else:
            unpaid = SQL(
                "l.due_date <= %(day)s AND (l.paid_date IS NULL OR l.paid_date > %(day)s)",
                day=day,
            )
            interest = SQL(
                "CASE WHEN %s THEN GREATEST(COALESCE(l.interest, 0)"
                " - COALESCE(l.interest_waived, 0), 0) ELSE 0 END",
                unpaid,
            )
            charges = SQL(
                "CASE WHEN %s THEN GREATEST(COALESCE(l.fee, 0) - COALESCE(l.fee_waived, 0), 0)"
                " + COALESCE((SELECT SUM(pa.amount) FROM loan_penalty_accrual pa"
                " WHERE pa.line_id = l.id AND pa.date <= %s), 0)"
                " - COALESCE(l.penalty_waived, 0) ELSE 0 END",
                unpaid,
                day,
            )
        if receivables:
            # only the instalments that can hold a receivable: due by then, or with
            # interest recognised (accrued daily) before their due date
            lines = SQL("l.due_date <= %(day)s OR COALESCE(l.interest_recognised, 0) <> 0", day=day)
            if receivables == "exact":
                # and open now: a paid instalment holds none, nor one a restructure
                # closed (its arrears were capitalised into the new principal, and the
                # books moved their interest to the loan receivable)
                lines = SQL("l.paid_date IS NULL AND (%s)", lines)
            if contract_ids is not None:
                source = SQL(
                    "FROM loan_contract_line l WHERE l.contract_id = ANY(%s) AND (%s)",
                    list(contract_ids),
                    lines,
                )
            elif receivables == "exact":
                # the open instalments are few: read them all rather than those of each
                # contract of the date (bench/reporting_bench.py)
                source = SQL("FROM loan_contract_line l WHERE (%s)", lines)
            else:
                source = SQL(
                    "FROM loan_contract_line l JOIN loan_contract_dpd hh"
                    " ON hh.contract_id = l.contract_id AND hh.date = %s WHERE (%s)",
                    day,
                    lines,
                )
            receivable_join = SQL(
                """
                LEFT JOIN (
                    SELECT l.contract_id, SUM(%(interest)s) AS interest,
                           SUM(%(charges)s) AS charges
                      %(source)s
                     GROUP BY l.contract_id
                ) r ON r.contract_id = h.contract_id
                """,
                interest=interest,
                charges=charges,
                source=source,
            )
            receivable_cols = SQL(
                "COALESCE(r.interest, 0) AS interest_receivable,"
                " COALESCE(r.charges, 0) AS charges_receivable"
            )
        else:
            receivable_join = SQL("")
            receivable_cols = SQL("0 AS interest_receivable, 0 AS charges_receivable")
        return SQL(
            """
            SELECT h.date, h.contract_id, c.company_id, c.currency_id, c.product_id,
                   c.partner_id, c.team_id, c.user_id, p.state_id, lead.campaign_id,
                   date_trunc('month', c.disbursed_date)::date AS disbursed_month,
                   ((EXTRACT(YEAR FROM h.date) - EXTRACT(YEAR FROM c.disbursed_date)) * 12
                    + EXTRACT(MONTH FROM h.date) - EXTRACT(MONTH FROM c.disbursed_date))::int
                       AS months_on_book,
                   c.amount AS disbursed_amount, COALESCE(h.dpd, 0) AS dpd, b.id AS bucket_id,
                   h.classification_id, COALESCE(k.non_performing, FALSE) AS non_performing,
                   COALESCE(h.outstanding_principal, 0) AS outstanding_principal,
                   COALESCE(h.overdue_amount, 0) AS overdue_amount,
                   %(receivable_cols)s,
                   COALESCE(k.provision_rate, 0) AS provision_rate,
                   ROUND(COALESCE(h.outstanding_principal, 0) * COALESCE(k.provision_rate, 0)
                         / 100 / cur.rounding) * cur.rounding AS specific_provision,
                   CASE WHEN COALESCE(k.general_provision, TRUE)
                        THEN ROUND(COALESCE(h.outstanding_principal, 0)
                                   * COALESCE(co.loan_general_provision_rate, 0)
                                   / 100 / cur.rounding) * cur.rounding
                        ELSE 0 END AS general_provision
              FROM loan_contract_dpd h
              JOIN loan_contract c ON c.id = h.contract_id
              JOIN res_currency cur ON cur.id = c.currency_id
              JOIN res_company co ON co.id = c.company_id
              LEFT JOIN res_partner p ON p.id = c.partner_id
              LEFT JOIN loan_application a ON a.id = c.application_id
              LEFT JOIN crm_lead lead ON lead.id = a.lead_id
              LEFT JOIN loan_classification k ON k.id = h.classification_id
              LEFT JOIN LATERAL (
                    SELECT bk.id FROM loan_collection_bucket bk
                     WHERE bk.min_dpd <= COALESCE(h.dpd, 0)
                       AND (bk.max_dpd = -1 OR bk.max_dpd >= COALESCE(h.dpd, 0))
                     ORDER BY bk.min_dpd DESC, bk.id LIMIT 1
              ) b ON TRUE
              %(receivable_join)s
             WHERE h.date = %(day)s AND %(scope)s
               -- a row before the payout, or without balances, was not written by the
               -- end of day: it is no day of the portfolio
               AND h.date >= c.disbursed_date AND h.outstanding_principal IS NOT NULL
            """,
            receivable_cols=receivable_cols,
            receivable_join=receivable_join,
            day=day,
            scope=SQL("h.contract_id = ANY(%s)", list(contract_ids))
            if contract_ids is not None
            else SQL("TRUE"),
        )

    @api.model
    def _books_sql(self, day, contract_ids=None):
        """A SELECT of each contract's balance on its product's loan receivable account
        (posted lines dated by ``day``)."""
        return SQL(
            """
            SELECT ml.loan_contract_id AS contract_id, SUM(ml.balance) AS balance
              FROM account_move_line ml
              JOIN loan_contract c ON c.id = ml.loan_contract_id
              JOIN loan_product p ON p.id = c.product_id
             WHERE ml.account_id = p.account_receivable_id
               AND ml.account_id IN (SELECT account_receivable_id FROM loan_product)
               AND ml.parent_state = 'posted' AND ml.date <= %s AND %s
             GROUP BY ml.loan_contract_id
            """,
            day,
            SQL("ml.loan_contract_id = ANY(%s)", list(contract_ids))
            if contract_ids is not None
            else SQL("TRUE"),
        )

    @api.model
    def _take(self, day, contract_ids=None, estimated=False):
        """Write (or write again) the snapshot of ``day`` for ``contract_ids`` (all the
        contracts open that day when None). Returns the number of rows written."""
        columns = SQL(
            "date, contract_id, company_id, currency_id, product_id, partner_id, team_id,"
            " user_id, state_id, campaign_id, disbursed_month, months_on_book,"
            " disbursed_amount, dpd, bucket_id, classification_id, non_performing,"
            " outstanding_principal, overdue_amount, interest_receivable, charges_receivable,"
            " provision_rate, specific_provision, general_provision, books_principal, estimated"
        )
        query = SQL(
            """
            SELECT rows.*, COALESCE(bk.balance, 0) AS books_principal,
                   %(estimated)s AS estimated
              FROM (%(rows)s) rows
              LEFT JOIN (%(books)s) bk ON bk.contract_id = rows.contract_id
            """,
            estimated=bool(estimated),
            rows=self._rows_sql(
                day, contract_ids, receivables="estimated" if estimated else "exact"
            ),
            books=self._books_sql(day, contract_ids),
        )
        cr = self.env.cr
        # the SQL below reads contracts, instalments and journal items as the database
        # holds them
        self.env.flush_all()
        # compiling the statement (JIT) costs more than it saves
        cr.execute("SET LOCAL jit = off")
        if contract_ids is not None:
            # a chunk's few thousand rows: no parallel workers (they cost more to start)
            cr.execute("SET LOCAL max_parallel_workers_per_gather = 0")
            cr.execute(
                SQL(
                    "DELETE FROM loan_portfolio_snapshot WHERE date = %s AND contract_id = ANY(%s)",
                    day,
                    list(contract_ids),
                )
            )
            cr.execute(
                SQL(
                    "INSERT INTO loan_portfolio_snapshot (%s) SELECT %s FROM (%s) q",
                    columns,
                    columns,
                    query,
                )
            )
            count = cr.rowcount
            cr.execute("RESET max_parallel_workers_per_gather")
        else:
            # every contract: the rows are read first into a temporary table, which
            # PostgreSQL fills with parallel workers (an INSERT ... SELECT runs in one
            # process: bench/reporting_bench.py), then the date's rows are replaced,
            # which also drops those of contracts no longer open
            cr.execute("DROP TABLE IF EXISTS loan_snapshot_rows")
            cr.execute(SQL("CREATE TEMP TABLE loan_snapshot_rows AS %s", query))
            cr.execute("DELETE FROM loan_portfolio_snapshot WHERE date = %s", [day])
            cr.execute(
                SQL(
                    "INSERT INTO loan_portfolio_snapshot (%s) SELECT %s FROM loan_snapshot_rows",
                    columns,
                    columns,
                )
            )
            count = cr.rowcount
            cr.execute("DROP TABLE loan_snapshot_rows")
        cr.execute("RESET jit")
        self.invalidate_model()
        return count

    # ------------------------------------------------------------------ rebuild
    @api.model
    def _check_rebuild_rights(self):
        if not (self.env.su or self.env.user.has_group("loan_base.group_loan_admin")):
            raise AccessError(self.env._("Only a Lending Administrator may rebuild history."))

    @api.model
    def _rebuild(self, date_from, date_to):
        """Snapshots of every month end and daily aggregates of every date from
        ``date_from`` to ``date_to`` written again from the days-past-due history: for a
        database that kept the history before this module, or after a correction. The
        month-end rows are marked as estimated (their receivables come from the
        schedule). Returns (month ends, dates) written."""
        self._check_rebuild_rights()
        date_from = fields.Date.to_date(date_from)
        date_to = fields.Date.to_date(date_to)
        if not date_from or not date_to or date_from > date_to:
            raise UserError(self.env._("Give a first date on or before the last date."))
        self = self.sudo()
        self.env.flush_all()
        cr = self.env.cr
        cr.execute(
            "SELECT DISTINCT h.date FROM loan_contract_dpd h"
            " JOIN loan_contract c ON c.id = h.contract_id"
            " WHERE h.date BETWEEN %s AND %s AND h.date >= c.disbursed_date"
            " AND h.outstanding_principal IS NOT NULL ORDER BY h.date",
            [date_from, date_to],
        )
        dates = [row[0] for row in cr.fetchall()]
        ends = [day for day in month_ends(date_from, date_to) if day in set(dates)]
        for day in ends:
            self._take(day, estimated=True)
        Daily = self.env["loan.portfolio.daily"]
        for day in dates:
            # a month end's aggregate reads the snapshot just written, the same rows
            Daily._aggregate(day, from_snapshot=day in ends)
        # the roll rates into each month end, and out of the last one
        following = month_end(date_to + timedelta(days=1))
        self.env["report.loan.roll.rate"]._fill(ends + [following])
        # each month's collection efficiency, as of its last date rebuilt
        lasts = {}
        for day in dates:
            lasts[day.replace(day=1)] = day
        self.env["report.loan.collection.efficiency"]._fill(sorted(lasts.values()))
        self.env["report.loan.finance.daily"]._fill(date_from, date_to)
        self.env.registry.clear_cache()
        self.invalidate_model()
        Daily.invalidate_model()
        return ends, dates

    @api.model
    def _loan_demo_history(self):
        """Demo data: the history of every date the demo's end of day closed, and the
        month-end provisions its end of day would have posted."""
        self.env.cr.execute("SELECT MIN(date), MAX(date) FROM loan_contract_dpd")
        first, last = self.env.cr.fetchone()
        if first:
            ends, _dates = self._rebuild(first, last)
            for day in ends:
                self.env["res.company"].sudo()._loan_post_provisions(day)


class LoanPortfolioDaily(models.Model):
    """The portfolio of each business date, summed per company, product, team, officer,
    province, campaign, bucket and classification: written by the end of day when a date
    is closed. Stocks (outstanding, PAR, provisions) are read on one date at a time: the
    latest, or the month ends for trends."""

    _name = "loan.portfolio.daily"
    _description = "Portfolio by Day"
    _order = "date desc"
    _log_access = False
    _rec_name = "date"

    date = fields.Date(required=True, readonly=True, index=True)
    is_latest = fields.Boolean("Latest Date", readonly=True, index=True)
    is_month_end = fields.Boolean(readonly=True, index=True)
    company_id = fields.Many2one("res.company", required=True, readonly=True, index=True)
    currency_id = fields.Many2one("res.currency", required=True, readonly=True)
    product_id = fields.Many2one("loan.product", readonly=True)
    team_id = fields.Many2one("loan.team", readonly=True, index=True)
    user_id = fields.Many2one("res.users", "Loan Officer", readonly=True)
    state_id = fields.Many2one("res.country.state", "Province", readonly=True)
    campaign_id = fields.Many2one("utm.campaign", readonly=True)
    bucket_id = fields.Many2one("loan.collection.bucket", readonly=True)
    classification_id = fields.Many2one("loan.classification", readonly=True)
    contract_count = fields.Integer("Contracts", readonly=True)
    outstanding_principal = fields.Monetary("Outstanding", readonly=True)
    overdue_amount = fields.Monetary(readonly=True)
    par1_amount = fields.Monetary(
        "PAR 1", readonly=True, help="Outstanding principal of loans one day or more past due."
    )
    par30_amount = fields.Monetary(
        "PAR 30", readonly=True, help="Outstanding principal of loans more than 30 days past due."
    )
    par60_amount = fields.Monetary(
        "PAR 60", readonly=True, help="Outstanding principal of loans more than 60 days past due."
    )
    par90_amount = fields.Monetary(
        "PAR 90", readonly=True, help="Outstanding principal of loans more than 90 days past due."
    )
    npl_amount = fields.Monetary(
        "Non-performing",
        readonly=True,
        help="Outstanding principal of loans in a non-performing classification.",
    )
    specific_provision = fields.Monetary(readonly=True)
    general_provision = fields.Monetary(readonly=True)
    provision = fields.Monetary("Total Provision", readonly=True)

    _date_company_idx = models.Index("(date, company_id)")

    @api.model
    def _aggregate(self, day, from_snapshot=False):
        """Write the aggregate of ``day`` again from its history rows, in two statements;
        ``from_snapshot``: from the month-end snapshot of ``day`` just written, which holds
        the same rows with their columns already joined (faster)."""
        cr = self.env.cr
        dims = ", ".join(DIMENSIONS)
        if from_snapshot:
            rows = SQL(
                "SELECT %s, dpd, non_performing, outstanding_principal, overdue_amount,"
                " specific_provision, general_provision"
                " FROM loan_portfolio_snapshot WHERE date = %s",
                SQL(dims),
                day,
            )
        else:
            rows = self.env["loan.portfolio.snapshot"]._rows_sql(day)
        cr.execute("DELETE FROM loan_portfolio_daily WHERE date = %s", [day])
        cr.execute(
            SQL(
                """
                INSERT INTO loan_portfolio_daily
                    (date, is_month_end, %(dims)s, contract_count, outstanding_principal,
                     overdue_amount, par1_amount, par30_amount, par60_amount, par90_amount,
                     npl_amount, specific_provision, general_provision, provision)
                SELECT %(day)s, %(month_end)s, %(dims)s, COUNT(*), SUM(outstanding_principal),
                       SUM(overdue_amount),
                       COALESCE(SUM(outstanding_principal) FILTER (WHERE dpd > 0), 0),
                       COALESCE(SUM(outstanding_principal) FILTER (WHERE dpd > 30), 0),
                       COALESCE(SUM(outstanding_principal) FILTER (WHERE dpd > 60), 0),
                       COALESCE(SUM(outstanding_principal) FILTER (WHERE dpd > 90), 0),
                       COALESCE(SUM(outstanding_principal) FILTER (WHERE non_performing), 0),
                       SUM(specific_provision), SUM(general_provision),
                       SUM(specific_provision + general_provision)
                  FROM (%(rows)s) rows
                 GROUP BY %(dims)s
                """,
                dims=SQL(dims),
                day=day,
                month_end=day == month_end(day),
                rows=rows,
            )
        )
        cr.execute(
            """
            UPDATE loan_portfolio_daily d SET is_latest = (d.date = m.latest)
              FROM (SELECT MAX(date) AS latest FROM loan_portfolio_daily) m
             WHERE d.is_latest OR d.date = m.latest
            """
        )
