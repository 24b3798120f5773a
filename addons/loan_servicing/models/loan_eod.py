import logging
from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL, format_date

_logger = logging.getLogger(__name__)

# one request closes at most this many dates (a year and a day): a larger catch-up is a
# mistake or a misuse, and its jobs would flood the queue
MAX_CATCH_UP_DAYS = 366

# open amount of an instalment, without and with its penalty
OPEN_DUE = SQL(
    "(COALESCE(l.principal, 0) - COALESCE(l.principal_paid, 0)"
    " + COALESCE(l.interest, 0) - COALESCE(l.interest_paid, 0) - COALESCE(l.interest_waived, 0)"
    " + COALESCE(l.fee, 0) - COALESCE(l.fee_paid, 0) - COALESCE(l.fee_waived, 0))"
)
OPEN_PI = SQL(
    "(COALESCE(l.principal, 0) - COALESCE(l.principal_paid, 0)"
    " + COALESCE(l.interest, 0) - COALESCE(l.interest_paid, 0) - COALESCE(l.interest_waived, 0))"
)


class LoanEodRun(models.Model):
    """The end of one business date for the whole portfolio: interest of instalments
    falling due recognised, late penalties accrued, days past due per instalment and
    contract, status, classification and the day's history row per contract.

    Idempotent (a date run twice writes the same rows), dates run in order (missed ones
    are caught up first), and the portfolio is cut into chunks run as queue_job jobs, so
    that several Odoo servers share the work. A chunk locks its contracts: a receipt for
    one of them waits until the chunk commits. The hot paths are set-based SQL."""

    _name = "loan.eod.run"
    _description = "End of Day Run"
    _order = "business_date desc"
    _rec_name = "business_date"

    business_date = fields.Date(required=True, readonly=True)
    state = fields.Selection(
        [("running", "Running"), ("done", "Done")],
        required=True,
        default="running",
        readonly=True,
    )
    chunk_count = fields.Integer("Chunks", readonly=True)
    chunks_done = fields.Integer(readonly=True, default=0)
    contract_count = fields.Integer("Contracts", readonly=True)
    progress = fields.Float(compute="_compute_progress")
    started_at = fields.Datetime(readonly=True)
    finished_at = fields.Datetime(readonly=True)

    _date_unique = models.Constraint(
        "UNIQUE(business_date)", "There is one end-of-day run per business date."
    )

    @api.depends("state", "chunk_count", "chunks_done")
    def _compute_progress(self):
        """Share of the date's chunks done, 0 to 100: a chunk run again (a retried job, a
        date closed again by hand) never counts twice, and a closed date is complete."""
        for run in self:
            if run.state == "done" or not run.chunk_count:
                run.progress = 100.0 if run.state == "done" else 0.0
            else:
                run.progress = min(100.0, 100.0 * run.chunks_done / run.chunk_count)

    # ---------------------------------------------------------------- scheduling
    @api.model
    def _cron_end_of_day(self):
        """Nightly: close yesterday, and any missed date before it."""
        self.run_to(fields.Date.context_today(self) - timedelta(days=1))

    @api.model
    def run_to(self, business_date, chunk_size=None):
        """Close every business date up to ``business_date`` not closed yet, in order. Each
        date's chunks run as a group of jobs; the groups are chained date after date."""
        if not self.env.user.has_group("loan_base.group_loan_accountant") and not self.env.su:
            raise UserError(self.env._("Only a Loan Accountant may run the end of day."))
        try:
            business_date = fields.Date.to_date(business_date)
        except (TypeError, ValueError):
            business_date = None
        if not business_date:
            raise UserError(self.env._("The end of day needs a business date to close."))
        if chunk_size is not None and not (
            isinstance(chunk_size, int) and not isinstance(chunk_size, bool) and chunk_size > 0
        ):
            raise UserError(
                self.env._("The end of day's chunk size must be a positive whole number.")
            )
        last = self.search([("state", "=", "done")], order="business_date desc", limit=1)
        if last:
            start = last.business_date + timedelta(days=1)
        else:
            first = (
                self.env["loan.contract"]
                .sudo()
                .search([("disbursed_date", "!=", False)], order="disbursed_date", limit=1)
            )
            start = first.disbursed_date or business_date
        if start > business_date:
            return self.browse()
        if (business_date - start).days >= MAX_CATCH_UP_DAYS:
            raise UserError(
                self.env._(
                    "The end of day catches up at most %(days)s dates at once: closing "
                    "%(start)s to %(end)s is too many. Close an earlier date first.",
                    days=MAX_CATCH_UP_DAYS,
                    start=start,
                    end=business_date,
                )
            )
        dates = [start + timedelta(days=n) for n in range((business_date - start).days + 1)]
        chunk_size = chunk_size or int(
            self.env["ir.config_parameter"].sudo().get_param("loan.eod_chunk_size", 5000)
        )
        self.env["loan.contract"].flush_model(["state"])
        key = self._eod_chunk_key()
        self.env.cr.execute(
            SQL(
                "SELECT id, %s FROM loan_contract WHERE state IN ('active', 'overdue')"
                " ORDER BY %s, id",
                key,
                key,
            )
        )
        rows = self.env.cr.fetchall()
        ids = [row[0] for row in rows]
        # contracts of one key never split across chunks (see _eod_chunk_key)
        chunks = []
        current = []
        for n, (cid, group_key) in enumerate(rows):
            current.append(cid)
            following = rows[n + 1][1] if n + 1 < len(rows) else None
            if len(current) >= chunk_size and following != group_key:
                chunks.append(current)
                current = []
        if current or not chunks:
            chunks.append(current)
        runs = self.browse()
        steps = []
        for day in dates:
            run = self.search([("business_date", "=", day)]) or self.create({"business_date": day})
            run.write(
                {
                    "state": "running",
                    "chunk_count": len(chunks),
                    "chunks_done": 0,
                    "contract_count": len(ids),
                    "started_at": fields.Datetime.now(),
                    "finished_at": False,
                }
            )
            runs |= run
            steps.append([run, chunks])
        self.env.flush_all()
        self._enqueue(steps)
        return runs.sorted("business_date")

    def _eod_chunk_key(self):
        """The loan_contract column whose contracts stay together in one chunk (an
        ``odoo.tools.SQL``): by default none, each contract alone (its id).

        Extension point: a module whose per-chunk step works per borrower returns
        ``SQL.identifier("partner_id")`` so that the step sees the whole borrower and two
        chunks never race on one."""
        return SQL.identifier("id")

    def _enqueue(self, steps):
        """One group of chunk jobs per date, the groups chained in date order."""
        from odoo.addons.queue_job.delay import chain, group  # noqa: PLC0415

        groups = [
            group(
                *(
                    run.delayable(
                        channel="root.loan_eod",
                        description=self.env._(
                            "End of day %(date)s, chunk %(n)s", date=run.business_date, n=n + 1
                        ),
                    )._run_chunk(chunk)
                    for n, chunk in enumerate(chunks)
                )
            )
            for run, chunks in steps
        ]
        chain(*groups).delay()

    # ---------------------------------------------------------------- the work
    def _run_chunk(self, contract_ids):
        """Everything the end of ``business_date`` does, for ``contract_ids``: a system
        process across companies, run as superuser whoever queued it."""
        self.ensure_one()
        self = self.sudo()
        self.env.flush_all()  # the SQL below reads what the ORM may still hold
        if contract_ids:
            cr = self.env.cr
            cr.execute(
                "SELECT id FROM loan_contract WHERE id = ANY(%s) ORDER BY id FOR NO KEY UPDATE",
                [list(contract_ids)],
            )
            day = self.business_date
            self._recognise_due(contract_ids, day)
            self._accrue_daily(contract_ids, day)
            self._accrue_penalties(contract_ids, day)
            self._classify(contract_ids, day)
            self.env["loan.write.off"]._request_for_dpd(contract_ids, day)
            self.env["loan.contract"].invalidate_model()
            self.env["loan.contract.line"].invalidate_model()
            self.env["loan.write.off"]._refresh_pending(contract_ids)
        self.env.cr.execute(
            "UPDATE loan_eod_run"
            " SET chunks_done = LEAST(COALESCE(chunks_done, 0) + 1, GREATEST(chunk_count, 1)),"
            " state = CASE WHEN COALESCE(chunks_done, 0) + 1 >= COALESCE(chunk_count, 0)"
            "   THEN 'done' ELSE state END,"
            " finished_at = CASE WHEN COALESCE(chunks_done, 0) + 1 >= COALESCE(chunk_count, 0)"
            "   THEN (now() AT TIME ZONE 'UTC') ELSE finished_at END"
            " WHERE id = %s",
            [self.id],
        )
        self.invalidate_recordset()

    def _recognise_due(self, contract_ids, day):
        """Interest and fees of instalments falling due on or before ``day`` go to income
        (accrual at period end). The instalments keep the detail (their ``recognised``
        flag); the ledger gets one summary entry per company, journal and currency."""
        cr = self.env.cr
        cr.execute(
            """
            SELECT c.company_id, p.journal_id, c.currency_id,
                   p.account_charges_receivable_id, p.account_interest_income_id,
                   p.account_fee_income_id, array_agg(DISTINCT p.id),
                   SUM(COALESCE(l.interest, 0) - COALESCE(l.interest_recognised, 0)),
                   SUM(COALESCE(l.fee, 0)), array_agg(l.id)
            FROM loan_contract_line l
            JOIN loan_contract c ON c.id = l.contract_id
            JOIN loan_product p ON p.id = c.product_id
            WHERE l.contract_id = ANY(%s) AND l.due_date <= %s
              AND NOT COALESCE(l.recognised, false)
              AND c.state IN ('active', 'overdue')
            GROUP BY 1, 2, 3, 4, 5, 6
            """,
            [list(contract_ids), day],
        )
        line_ids = []
        for (
            company,
            journal,
            cur,
            receivable,
            interest_acc,
            fee_acc,
            products,
            interest,
            fee,
            ids,
        ) in cr.fetchall():
            self._check_products(products)
            self._post_summary(
                company,
                journal,
                cur,
                day,
                self.env._("Interest recognised, end of day %s", day),
                receivable,
                [
                    (interest_acc, interest, self.env._("Interest")),
                    (fee_acc, fee, self.env._("Service fees")),
                ],
            )
            line_ids += ids
        if line_ids:
            cr.execute(
                "UPDATE loan_contract_line SET recognised = true, interest_recognised = interest"
                " WHERE id = ANY(%s)",
                [line_ids],
            )

    def _accrue_daily(self, contract_ids, day):
        """Products that accrue daily: the interest of each running instalment is
        recognised day by day, pro rata of the days elapsed in its period (rounded; its due
        date recognises the rest). A rerun of a day recognises nothing more."""
        cr = self.env.cr
        cr.execute(
            """
            WITH periods AS (
                SELECT l.id, l.due_date, COALESCE(l.interest, 0) AS interest,
                       COALESCE(l.interest_recognised, 0) AS done,
                       COALESCE(l.recognised, false) AS recognised,
                       COALESCE(l.period_start,
                                LAG(l.due_date) OVER (PARTITION BY l.contract_id
                                                      ORDER BY l.sequence),
                                c.start_date) AS period_start,
                       c.company_id, p.journal_id, c.currency_id,
                       p.account_charges_receivable_id AS receivable,
                       p.account_interest_income_id AS income, p.id AS product_id,
                       cur.rounding
                FROM loan_contract_line l
                JOIN loan_contract c ON c.id = l.contract_id
                JOIN loan_product p ON p.id = c.product_id
                JOIN res_currency cur ON cur.id = c.currency_id
                WHERE l.contract_id = ANY(%(ids)s) AND c.accrual_method = 'daily'
                  AND c.state IN ('active', 'overdue')
            ), targets AS (
                SELECT *, LEAST(interest, ROUND(interest * (%(day)s - period_start)
                              / GREATEST(due_date - period_start, 1) / rounding) * rounding)
                          AS target
                FROM periods
                WHERE NOT recognised AND due_date > %(day)s AND period_start < %(day)s
            )
            SELECT company_id, journal_id, currency_id, receivable, income,
                   array_agg(DISTINCT product_id), SUM(target - done),
                   array_agg(id), array_agg(target)
            FROM targets WHERE target > done
            GROUP BY 1, 2, 3, 4, 5
            """,
            {"ids": list(contract_ids), "day": day},
        )
        for (
            company,
            journal,
            cur,
            receivable,
            income,
            products,
            amount,
            ids,
            targets,
        ) in cr.fetchall():
            self._check_products(products)
            self._post_summary(
                company,
                journal,
                cur,
                day,
                self.env._("Interest accrued, end of day %s", day),
                receivable,
                [(income, amount, self.env._("Interest accrued"))],
            )
            cr.execute(
                """
                UPDATE loan_contract_line l SET interest_recognised = t.target
                FROM unnest(%s::int[], %s::numeric[]) AS t(id, target) WHERE l.id = t.id
                """,
                [ids, targets],
            )

    def _check_products(self, product_ids):
        for product in self.env["loan.product"].sudo().browse(product_ids):
            product._loan_check_accounting()

    def _post_summary(self, company_id, journal_id, currency_id, day, ref, debit_account, credits):
        """Post one entry: ``debit_account`` for the total of ``credits``, a list of
        (account id, amount in the currency, label)."""
        company = self.env["res.company"].browse(company_id)
        cur = self.env["res.currency"].browse(currency_id)
        lines = []
        total = 0.0
        total_balance = 0.0
        for account, amount, label in credits:
            amount = cur.round(float(amount))
            if cur.is_zero(amount):
                continue
            balance = company.currency_id.round(
                cur._convert(amount, company.currency_id, company, day)
            )
            total += amount
            total_balance += balance
            lines.append(
                {
                    "name": label,
                    "account_id": account,
                    "currency_id": cur.id,
                    "amount_currency": -amount,
                    "balance": -balance,
                }
            )
        if not lines:
            return self.env["account.move"]
        lines.append(
            {
                "name": ref,
                "account_id": debit_account,
                "currency_id": cur.id,
                "amount_currency": cur.round(total),
                "balance": company.currency_id.round(total_balance),
            }
        )
        return self.env["account.move"]._loan_post_entry(company, journal_id, day, ref, lines)

    def _accrue_penalties(self, contract_ids, day):
        """The day's penalty on each overdue instalment: rate per day on its open principal
        and interest, rounded to the currency, never beyond the cap; one row per instalment
        and day (a rerun inserts nothing), then one summary entry for the new rows."""
        cr = self.env.cr
        # the line's penalty grows by the rows inserted now only: a restructure that
        # capitalised penalties lowered it, and the accrual rows (posted) stay as history
        cr.execute(
            SQL(
                """
            WITH new AS (
            INSERT INTO loan_penalty_accrual
                (line_id, contract_id, company_id, currency_id, date, amount)
            SELECT l.id, l.contract_id, c.company_id, c.currency_id, %(day)s, a.amount
            FROM loan_contract_line l
            JOIN loan_contract c ON c.id = l.contract_id
            JOIN res_currency cur ON cur.id = c.currency_id
            CROSS JOIN LATERAL (
                SELECT ROUND(%(open_pi)s * c.penalty_rate / 100 / cur.rounding) * cur.rounding
                    AS daily,
                    CASE WHEN COALESCE(c.penalty_cap, 0) > 0
                        THEN ROUND((COALESCE(l.principal, 0) + COALESCE(l.interest, 0))
                                   * c.penalty_cap / 100 / cur.rounding) * cur.rounding
                             - COALESCE(l.penalty, 0)
                    END AS room
            ) d
            CROSS JOIN LATERAL (
                SELECT CASE WHEN d.room IS NULL THEN d.daily ELSE LEAST(d.daily, d.room) END
                    AS amount
            ) a
            WHERE l.contract_id = ANY(%(ids)s)
              AND c.state IN ('active', 'overdue')
              AND COALESCE(c.penalty_rate, 0) > 0
              AND l.due_date < %(day)s
              AND %(open_pi)s > 0
              AND a.amount > 0
            ON CONFLICT (line_id, date) DO NOTHING
            RETURNING line_id, amount
            )
            UPDATE loan_contract_line l SET penalty = COALESCE(l.penalty, 0) + s.total
            FROM (SELECT line_id, SUM(amount) AS total FROM new GROUP BY line_id) s
            WHERE l.id = s.line_id
            """,
                open_pi=OPEN_PI,
                day=day,
                ids=list(contract_ids),
            )
        )
        cr.execute(
            """
            SELECT c.company_id, p.journal_id, c.currency_id,
                   p.account_charges_receivable_id, p.account_penalty_income_id,
                   array_agg(DISTINCT p.id), SUM(a.amount), array_agg(a.id)
            FROM loan_penalty_accrual a
            JOIN loan_contract c ON c.id = a.contract_id
            JOIN loan_product p ON p.id = c.product_id
            WHERE a.contract_id = ANY(%s) AND a.date = %s AND a.move_id IS NULL
            GROUP BY 1, 2, 3, 4, 5
            """,
            [list(contract_ids), day],
        )
        for company, journal, cur, receivable, income, products, amount, ids in cr.fetchall():
            self._check_products(products)
            move = self._post_summary(
                company,
                journal,
                cur,
                day,
                self.env._("Late penalties, end of day %s", day),
                receivable,
                [(income, amount, self.env._("Late penalties"))],
            )
            cr.execute(
                "UPDATE loan_penalty_accrual SET move_id = %s WHERE id = ANY(%s)", [move.id, ids]
            )

    def _classify(self, contract_ids, day):
        """Days past due per instalment and contract, overdue amount, status,
        classification and the day's history row, in four statements."""
        cr = self.env.cr
        params = {"day": day, "ids": list(contract_ids), "open_due": OPEN_DUE}
        cr.execute(
            SQL(
                """
            UPDATE loan_contract_line l
            SET dpd = CASE WHEN l.due_date < %(day)s AND %(open_due)s > 0
                           THEN %(day)s - l.due_date ELSE 0 END
            WHERE l.contract_id = ANY(%(ids)s)
              AND (l.due_date < %(day)s OR COALESCE(l.dpd, 0) <> 0)
              AND COALESCE(l.dpd, 0) IS DISTINCT FROM
                  (CASE WHEN l.due_date < %(day)s AND %(open_due)s > 0
                        THEN %(day)s - l.due_date ELSE 0 END)
            """,
                **params,
            )
        )
        # only the instalments already due count; a contract row is rewritten only when
        # one of its values changes (most loans are current and stay so)
        cr.execute(
            SQL(
                """
            WITH agg AS (
                SELECT ids.id AS contract_id,
                       COALESCE(MAX(CASE WHEN %(open_due)s > 0
                                         THEN %(day)s - l.due_date ELSE 0 END), 0) AS dpd,
                       COALESCE(SUM(%(open_due)s + COALESCE(l.penalty, 0)
                                    - COALESCE(l.penalty_paid, 0)
                                    - COALESCE(l.penalty_waived, 0)), 0) AS overdue
                FROM unnest(%(ids)s::int[]) AS ids(id)
                LEFT JOIN loan_contract_line l
                       ON l.contract_id = ids.id AND l.due_date < %(day)s
                GROUP BY ids.id
            ), target AS (
                SELECT agg.*,
                       CASE WHEN agg.dpd > 0 THEN 'overdue' ELSE 'active' END AS state,
                       (SELECT k.id FROM loan_classification k
                        WHERE k.min_dpd <= agg.dpd AND (k.max_dpd = -1 OR k.max_dpd >= agg.dpd)
                        ORDER BY k.min_dpd DESC LIMIT 1) AS classification_id
                FROM agg
            )
            UPDATE loan_contract c
            SET dpd = t.dpd, overdue_amount = t.overdue, state = t.state,
                classification_id = t.classification_id
            FROM target t
            WHERE c.id = t.contract_id AND c.state IN ('active', 'overdue')
              AND (c.dpd IS DISTINCT FROM t.dpd
                   OR c.overdue_amount IS DISTINCT FROM t.overdue
                   OR c.state IS DISTINCT FROM t.state
                   OR c.classification_id IS DISTINCT FROM t.classification_id)
            """,
                **params,
            )
        )
        cr.execute(
            """
            INSERT INTO loan_contract_dpd
                (contract_id, company_id, currency_id, partner_id, date, dpd, overdue_amount,
                 outstanding_principal, classification_id, state)
            SELECT c.id, c.company_id, c.currency_id, c.partner_id, %(day)s, c.dpd,
                   c.overdue_amount, c.outstanding_principal, c.classification_id, c.state
            FROM loan_contract c
            WHERE c.id = ANY(%(ids)s) AND c.state IN ('active', 'overdue')
            ON CONFLICT (contract_id, date) DO UPDATE
            SET dpd = EXCLUDED.dpd, overdue_amount = EXCLUDED.overdue_amount,
                outstanding_principal = EXCLUDED.outstanding_principal,
                classification_id = EXCLUDED.classification_id, state = EXCLUDED.state
            """,
            {"day": day, "ids": list(contract_ids)},
        )


class LoanPenaltyAccrual(models.Model):
    _name = "loan.penalty.accrual"
    _description = "Late Penalty Accrual"
    _order = "date desc, id desc"
    _log_access = False

    line_id = fields.Many2one("loan.contract.line", required=True, ondelete="cascade")
    contract_id = fields.Many2one("loan.contract", required=True, index=True, ondelete="cascade")
    # the contract's (immutable) company and currency, written by the end of day's INSERT
    company_id = fields.Many2one(related="contract_id.company_id", store=True, index=True)
    currency_id = fields.Many2one(related="contract_id.currency_id", store=True)
    date = fields.Date(required=True)
    amount = fields.Monetary(required=True)
    move_id = fields.Many2one("account.move", readonly=True, index="btree_not_null")

    _line_date_unique = models.UniqueIndex("(line_id, date)")

    @api.depends("line_id", "date")
    def _compute_display_name(self):
        for accrual in self:
            accrual.display_name = self.env._(
                "%(line)s, penalty of %(date)s",
                line=accrual.line_id.display_name,
                date=format_date(self.env, accrual.date),
            )


class LoanContractDpd(models.Model):
    _name = "loan.contract.dpd"
    _description = "Days Past Due History"
    _order = "date desc, contract_id"
    _log_access = False

    contract_id = fields.Many2one("loan.contract", required=True, ondelete="cascade")
    # the contract's (immutable) company, currency and borrower, written by the end of
    # day's INSERT: the history is filtered, grouped and totalled by them
    company_id = fields.Many2one(related="contract_id.company_id", store=True, index=True)
    currency_id = fields.Many2one(related="contract_id.currency_id", store=True)
    partner_id = fields.Many2one(
        related="contract_id.partner_id", string="Borrower", store=True, index=True
    )
    product_id = fields.Many2one(related="contract_id.product_id")
    date = fields.Date(required=True, index=True)
    dpd = fields.Integer("Days Past Due", aggregator="max")
    overdue_amount = fields.Monetary()
    outstanding_principal = fields.Monetary()
    classification_id = fields.Many2one("loan.classification")
    state = fields.Selection(
        [
            ("active", "Active"),
            ("overdue", "Overdue"),
        ]
    )

    _contract_date_unique = models.UniqueIndex("(contract_id, date)")

    @api.depends("contract_id", "date")
    def _compute_display_name(self):
        for row in self:
            row.display_name = self.env._(
                "%(contract)s on %(date)s",
                contract=row.contract_id.display_name,
                date=format_date(self.env, row.date),
            )
