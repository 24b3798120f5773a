"""A seeded random portfolio driven through the real servicing methods, for the tests that
hold the end of day's SQL equal to the engine (see test_eod_engine.py).

Contracts are disbursed over several weeks (and some long before the first business date
closed, never paid: deep arrears); between two closings of the end of day, which skip
dates that the next closing catches up, borrowers pay in full, in part or ahead, and
waivers and restructures are approved. Every event is dated the next business date to
close, so that the state the end of day reads is the state of each date it closes.
"""

import base64
from datetime import date, timedelta
from decimal import Decimal

from odoo.addons.loan_base.engine import allocation
from odoo.tests import freeze_time
from odoo.tools import SQL

FIRST_DATE = date(2027, 1, 4)  # the first business date the tests close
# (step in days to the next closing, weight): mostly day by day, sometimes a catch-up
STEPS = [1] * 6 + [2, 3, 4, 7, 12]

LINE_COLUMNS = (
    "id",
    "contract_id",
    "sequence",
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
    "recognised",
    "interest_recognised",
    "dpd",
)


def _exact(value):
    """Odoo reads numeric columns as floats: their shortest repr is the stored decimal."""
    return Decimal(str(value)) if value is not None else Decimal(0)


class PortfolioLine(dict):
    """A schedule line as the database holds it, amounts as exact Decimals."""

    def __getattr__(self, name):
        return self[name]

    @property
    def open_due(self):
        """Open principal, interest and fees (what makes an instalment past due)."""
        return self.open_pi + self.fee - self.fee_paid - self.fee_waived

    @property
    def open_pi(self):
        """Open principal and interest (what bears the late penalty)."""
        return (
            self.principal
            - self.principal_paid
            + self.interest
            - self.interest_paid
            - self.interest_waived
        )

    @property
    def open_penalty(self):
        return self.penalty - self.penalty_paid - self.penalty_waived


class EodPortfolioMixin:
    """Builds the portfolio on top of ``LoanOriginationCommon`` (its product, users and
    team) and closes business dates with the end of day's real entry point."""

    def _skip_with_demo_data(self):
        """The seeded portfolio is its own: the comparison runs once, in the database
        without demo data, where the end of day closes nothing else (with the demo's loans
        each closing costs a third more and compares nothing more)."""
        if self.env.ref("loan_base.user_accountant_demo", raise_if_not_found=False):
            self.skipTest("runs on the database without demo data")

    def _portfolio_setup(self):
        self.env["loan.eod.run"].sudo().search([]).unlink()
        self.env["loan.eod.run"].sudo().create(
            {"business_date": FIRST_DATE - timedelta(days=1), "state": "done"}
        )
        base = self.product
        base.write(
            {
                "fee_ids": [
                    (0, 0, {"name": "Service", "fee_type": "service_instalment", "value": 12000})
                ]
            }
        )
        variants = [
            {"penalty_rate": 0.05, "penalty_cap": 1.0},
            {
                "penalty_rate": 0.1,
                "penalty_cap": 0.0,
                "accrual_method": "daily",
                "component_order": "interest,principal,fees,penalty",
            },
            {
                "penalty_rate": 0.0333,
                "penalty_cap": 2.5,
                "accrual_method": "daily",
                "overpayment": "prepay",
                "prepayment_fee": 2.0,
                "rounding_mode": "half_even",
            },
            {"penalty_rate": 0.0, "instalment_order": "newest_first"},
            {
                "penalty_rate": 0.0271,
                "penalty_cap": 8.0,
                "overpayment": "prepay",
                "component_order": "principal,interest,fees,penalty",
            },
        ]
        self.portfolio_products = self.env["loan.product"]
        for n, vals in enumerate(variants):
            self.portfolio_products |= base.copy(
                dict(vals, name="EOD variant %s" % n, code="T-EOD%s" % n)
            )
        self.programme = self.env["loan.waiver.programme"].create(
            {
                "name": "Portfolio relief",
                "monthly_budget": 1e12,
                "limit_ids": [
                    (
                        0,
                        0,
                        {
                            "group_id": self.env.ref("loan_base.group_loan_approver").id,
                            "max_amount": 1e11,
                        },
                    )
                ],
            }
        )
        # contract id -> [(first sequence, date its schedule runs from)], see _period_start
        self.schedule_starts = {}

    def _build_portfolio(self, size, rng, legacy_share=0.15):
        """``size`` contracts on the variant products, disbursed between the first
        business date and six weeks after it, a ``legacy_share`` of them 1.5 to 15 months
        before it. Applications and contracts are created in batches; each disbursement
        is the real one (a posted payment)."""
        partners = (
            self.env["res.partner"]
            .sudo()
            .create(
                [
                    {"name": "Portfolio borrower %s" % n, "loan_is_borrower": True}
                    for n in range(max(size // 3, 1))
                ]
            )
        )
        plans = []
        for _n in range(size):
            if rng.random() < legacy_share:
                start = FIRST_DATE - timedelta(days=rng.randrange(45, 460))
            else:
                start = FIRST_DATE + timedelta(days=rng.randrange(0, 42))
            plans.append(
                {
                    "partner": rng.choice(partners),
                    "product": rng.choice(self.portfolio_products),
                    "amount": rng.randrange(5_000_000, 70_000_001, 250_000),
                    "term": rng.choice([6, 9, 12, 18, 24]),
                    "start": start,
                }
            )
        apps = (
            self.env["loan.application"]
            .sudo()
            .create(
                [
                    {
                        "partner_id": plan["partner"].id,
                        "product_id": plan["product"].id,
                        "amount": plan["amount"],
                        "term": plan["term"],
                        "team_id": self.sales_team.id,
                    }
                    for plan in plans
                ]
            )
        )
        Contract = self.env["loan.contract"].sudo()
        contracts = Contract.create(
            [
                dict(
                    Contract._prepare_contract_vals(app, plan["start"]),
                    state="signed",
                    signed_date=plan["start"],
                    signed_file=base64.b64encode(b"%PDF-1.4"),
                    signed_filename="signed.pdf",
                )
                for app, plan in zip(apps, plans, strict=True)
            ]
        )
        for contract, plan in zip(contracts, plans, strict=True):
            contract.with_user(self.accountant)._disburse(plan["start"])
            self.schedule_starts[contract.id] = [(1, plan["start"])]
        self.legacy = contracts.filtered(lambda c: c.start_date < FIRST_DATE)
        self._analyze()
        return contracts

    def _analyze(self):
        """Fresh planner statistics on the tables the portfolio fills: on a test database
        installed minutes ago they say "empty", and the receipts' reconciliation queries
        then take seconds each instead of milliseconds."""
        self.env.flush_all()
        self.env.cr.execute(
            "ANALYZE account_move, account_move_line, account_partial_reconcile,"
            " account_payment, loan_contract, loan_contract_line, loan_penalty_accrual"
        )

    # ---------------------------------------------------------------- the end of day
    def _close_to(self, day, chunk_size=None):
        return (
            self.env["loan.eod.run"]
            .with_user(self.accountant)
            .with_context(queue_job__no_delay=True)
            .run_to(day, chunk_size=chunk_size)
        )

    def _snapshot(self, contracts):
        """Contracts and schedule lines as stored, read in SQL (exact numerics):
        {contract id: (contract row, [PortfolioLine by sequence])}."""
        self.env.flush_all()
        cr = self.env.cr
        cr.execute(
            """
            SELECT c.id, c.state, c.dpd, c.overdue_amount, k.code, c.accrual_method,
                   c.penalty_rate, c.penalty_cap, c.start_date, cur.rounding
            FROM loan_contract c
            JOIN res_currency cur ON cur.id = c.currency_id
            LEFT JOIN loan_classification k ON k.id = c.classification_id
            WHERE c.id = ANY(%s)
            ORDER BY c.id
            """,
            [contracts.ids],
        )
        keys = (
            "id",
            "state",
            "dpd",
            "overdue_amount",
            "classification",
            "accrual_method",
            "penalty_rate",
            "penalty_cap",
            "start_date",
            "rounding",
        )
        result = {}
        for row in cr.fetchall():
            contract = dict(zip(keys, row, strict=True))
            for key in ("overdue_amount", "penalty_rate", "penalty_cap", "rounding"):
                contract[key] = _exact(contract[key])
            result[contract["id"]] = (contract, [])
        cr.execute(
            SQL(
                "SELECT %s FROM loan_contract_line WHERE contract_id = ANY(%s)"
                " ORDER BY contract_id, sequence",
                SQL(", ").join(SQL.identifier(column) for column in LINE_COLUMNS),
                contracts.ids,
            )
        )
        for row in cr.fetchall():
            line = PortfolioLine(zip(LINE_COLUMNS, row, strict=True))
            for key in LINE_COLUMNS[4:15] + ("interest_recognised",):
                line[key] = _exact(line[key])
            line["recognised"] = bool(line["recognised"])
            result[line["contract_id"]][1].append(line)
        return result

    @staticmethod
    def _engine_dpd(lines, day):
        """Days past due of the contract by the engine, from its stored lines."""
        return allocation.days_past_due([line.due_date for line in lines if line.open_due > 0], day)

    def _period_start(self, contract, lines, line):
        """Where the accrual period of ``line`` starts: the previous due date of its
        schedule, or the date that schedule runs from (disbursement or restructure)."""
        first, start = max(s for s in self.schedule_starts[contract["id"]] if s[0] <= line.sequence)
        if line.sequence == first:
            return start
        previous = [other for other in lines if other.sequence == line.sequence - 1]
        return previous[0].due_date

    # ---------------------------------------------------------------- events
    def _events(self, rng, snapshot, day, odds=(0.3, 0.15, 0.1)):
        """Receipts, waivers and restructures dated ``day`` on the open contracts of
        ``snapshot``; waivers and restructures for loans in arrears. Returns how many of
        each."""
        pay_odds, waive_odds, restructure_odds = odds
        receipts, waivers, restructures = [], [], []
        for cid, (contract, lines) in snapshot.items():
            if contract["state"] not in ("active", "overdue") or contract["start_date"] >= day:
                continue  # closed, or not paid out yet on that date
            if contract["id"] in self.legacy.ids:
                draw = rng.random()
                if draw < 0.03:  # a rare token payment of a deep arrear
                    receipts.append((cid, rng.randrange(100_000, 2_000_000, 1000)))
                elif draw < 0.08 and len(self.schedule_starts[cid]) == 1:
                    capitalise = rng.random() < 0.7 or all(line.due_date <= day for line in lines)
                    restructures.append((cid, capitalise, rng.choice([6, 12, 18])))
                continue
            due = [line for line in lines if line.due_date <= day]
            owed = sum(line.open_due + line.open_penalty for line in due)
            draw = rng.random()
            if draw < pay_odds:
                kind = rng.choice(["all", "all", "part", "part", "ahead", "payoff"])
                upcoming = [line for line in lines if line.due_date > day and line.open_due > 0]
                if kind == "part" and owed > 1000:
                    amount = int(owed * Decimal(rng.uniform(0.1, 0.9)) / 1000) * 1000
                elif kind == "payoff":
                    amount = sum(line.open_due + line.open_penalty for line in lines)
                elif kind == "ahead" or owed <= 0:
                    amount = owed + (upcoming[0].open_due if upcoming else 0)
                    amount += rng.choice([0, 0, 500_000, 3_000_000])
                else:
                    amount = owed
                if amount > 0:
                    receipts.append((cid, int(amount)))
                continue
            if not contract["dpd"]:
                continue
            draw = rng.random()
            if draw < waive_odds:
                lines_due = [line for line in due if line.recognised]
                penalty = sum(line.open_penalty for line in lines_due)
                interest = sum(
                    line.interest - line.interest_paid - line.interest_waived for line in lines_due
                )
                component, open_amount = (
                    ("penalty", penalty) if penalty > 0 else ("interest", interest)
                )
                if open_amount >= 2:
                    waivers.append(
                        (cid, component, int(open_amount * Decimal(rng.uniform(0.2, 1))) or 1)
                    )
            elif draw < waive_odds + restructure_odds and contract["dpd"] > 15:
                # with nothing left to fall due, only capitalising the arrears reschedules
                capitalise = rng.random() < 0.6 or all(line.due_date <= day for line in lines)
                restructures.append((cid, capitalise, rng.choice([6, 12, 18])))
        if day.toordinal() % 7 == 0:
            self._analyze()
        with freeze_time(day.isoformat() + " 04:00:00"):
            self._receipts(receipts, day)
            self._waivers(waivers, day)
            self._restructures(restructures, day)
        return len(receipts), len(waivers), len(restructures)

    def _receipts(self, receipts, day):
        if not receipts:
            return
        records = (
            self.env["loan.receipt"]
            .with_user(self.accountant)
            .create(
                [{"contract_id": cid, "amount": amount, "date": day} for cid, amount in receipts]
            )
        )
        records.action_post()

    def _waivers(self, waivers, day):
        reason = self.env.ref("loan_servicing.loan_decision_reason_waiver_hardship")
        for cid, component, amount in waivers:
            waiver = (
                self.env["loan.waiver"]
                .with_user(self.accountant)
                .create(
                    {
                        "contract_id": cid,
                        "programme_id": self.programme.id,
                        "component": component,
                        "amount": amount,
                        "reason_id": reason.id,
                        "date": day,
                    }
                )
            )
            waiver.action_submit()
            waiver.with_user(self.approver).action_approve()

    def _restructures(self, restructures, day):
        reason = self.env.ref("loan_servicing.loan_decision_reason_restructure_hardship")
        for cid, capitalise, term in restructures:
            contract = self.env["loan.contract"].sudo().browse(cid)
            first = max(contract.line_ids.mapped("sequence")) + 1
            plan = (
                self.env["loan.restructure"]
                .with_user(self.accountant)
                .create(
                    {
                        "contract_id": cid,
                        "date": day,
                        "term": term,
                        "capitalise_arrears": capitalise,
                        "reason_id": reason.id,
                    }
                )
            )
            plan.action_submit()
            plan.with_user(self.approver).action_approve()
            self.schedule_starts[cid].append((first, day))

    def _checkpoints(self, rng, last):
        """The dates the tests close to, from the first business date to ``last``."""
        day = FIRST_DATE
        dates = []
        while day <= last:
            dates.append(day)
            day += timedelta(days=rng.choice(STEPS))
        return dates
