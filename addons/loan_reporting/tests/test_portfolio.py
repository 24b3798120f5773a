import contextlib
import io
from datetime import date
from decimal import Decimal

from dateutil.relativedelta import relativedelta

from odoo.exceptions import AccessError
from odoo.tests import freeze_time, new_test_user, tagged

from .common import MONTH_ENDS, ReportingCommon, dec


@tagged("post_install", "-at_install")
class TestPortfolio(ReportingCommon):
    """The end of day writes month-end snapshots and daily figures; PAR, NPL, provisions,
    roll rates and a vintage cell equal what the contracts held then, computed here."""

    def test_month_end_snapshots_hold_each_contract_as_it_stood(self):
        Snapshot = self.env["loan.portfolio.snapshot"].with_user(self.accountant)
        for day in MONTH_ENDS:
            rows = Snapshot.search([("date", "=", day), ("contract_id", "in", self.mine.ids)])
            expected = self.states[day]
            self.assertEqual(set(rows.contract_id.ids), set(expected), day)
            for row in rows:
                want = expected[row.contract_id.id]
                where = (str(day), row.contract_id.name)
                self.assertEqual(row.dpd, want["dpd"], where)
                self.assertEqual(row.bucket_id.id, want["bucket"], where)
                self.assertEqual(row.classification_id.code, str(want["group"]), where)
                self.assertEqual(dec(row.outstanding_principal), want["outstanding"], where)
                self.assertEqual(dec(row.interest_receivable), want["interest"], where)
                self.assertEqual(dec(row.specific_provision), want["specific"], where)
                self.assertEqual(dec(row.general_provision), want["general"], where)
                self.assertFalse(row.estimated)
                self.assertEqual(row.team_id, self.sales_team)
        # the portfolio moved: somebody is past due, and non-performing by January
        last = self.states[MONTH_ENDS[-1]]
        self.assertTrue(any(r["dpd"] > 30 for r in last.values()))
        self.assertTrue(any(r["group"] >= 3 for r in last.values()), "a loan 91+ days late")
        self.assertTrue(any(r["dpd"] == 0 for r in last.values()))

    def test_par_npl_and_provisions_per_date(self):
        Daily = self.env["loan.portfolio.daily"].with_user(self.accountant)
        for day in MONTH_ENDS:
            rows = Daily.search([("date", "=", day), ("product_id", "=", self.product.id)])
            want = self._expected_portfolio(day)
            self.assertTrue(all(rows.mapped("is_month_end")), day)
            got = {
                "count": sum(rows.mapped("contract_count")),
                "outstanding": sum(dec(v) for v in rows.mapped("outstanding_principal")),
                "par1": sum(dec(v) for v in rows.mapped("par1_amount")),
                "par30": sum(dec(v) for v in rows.mapped("par30_amount")),
                "par60": sum(dec(v) for v in rows.mapped("par60_amount")),
                "par90": sum(dec(v) for v in rows.mapped("par90_amount")),
                "npl": sum(dec(v) for v in rows.mapped("npl_amount")),
                "specific": sum(dec(v) for v in rows.mapped("specific_provision")),
                "general": sum(dec(v) for v in rows.mapped("general_provision")),
            }
            self.assertEqual(got, want, day)
            total = sum(dec(v) for v in rows.mapped("provision"))
            self.assertEqual(total, want["specific"] + want["general"])
        self.assertGreater(self._expected_portfolio(MONTH_ENDS[-1])["npl"], 0)
        # every closed date has its figures; only the last is the latest
        days = Daily.search([("product_id", "=", self.product.id)]).mapped("date")
        self.assertEqual(len(set(days)), (MONTH_ENDS[-1] - MONTH_ENDS[0]).days + 1 + 30)
        latest = Daily.search([("is_latest", "=", True)])
        self.assertEqual(set(latest.mapped("date")), {MONTH_ENDS[-1]})

    def test_roll_rates_month_over_month(self):
        Roll = self.env["report.loan.roll.rate"].with_user(self.accountant)
        ours = [("product_id", "=", self.product.id)]
        for before, day in zip(MONTH_ENDS, MONTH_ENDS[1:], strict=False):
            rows = Roll.search([("date", "=", day), *ours])
            got = {}
            for row in rows:
                key = (row.from_bucket_id.id, row.to_bucket_id.id)
                count, amount = got.get(key, (0, Decimal(0)))
                got[key] = (count + row.contract_count, amount + dec(row.amount))
                if row.movement == "worse":
                    self.assertGreater(row.to_bucket_id.min_dpd, row.from_bucket_id.min_dpd)
                    self.assertEqual(row.rolled_amount, row.amount)
                    self.assertEqual(row.rolled_count, row.contract_count)
                else:
                    self.assertFalse(row.rolled_count)
                if row.movement == "closed":
                    self.assertFalse(row.to_bucket_id)
            self.assertEqual(got, self._expected_roll(day, before), day)
            self.assertEqual(set(rows.team_id), {self.sales_team}, day)
        # something rolled forward along the way
        self.assertTrue(Roll.search_count([*ours, ("movement", "=", "worse")]))
        # nothing rolls into the first month end: no month end before it
        self.assertFalse(Roll.search_count([*ours, ("date", "=", MONTH_ENDS[0])]))

    def test_month_end_figures_written_again_from_the_history(self):
        """Rebuilding a period writes its roll rates and collection efficiency again:
        rows lost or altered come back as the end of day wrote them."""
        Roll = self.env["report.loan.roll.rate"]
        Efficiency = self.env["report.loan.collection.efficiency"]
        ours = [("product_id", "=", self.product.id)]
        roll_fields = ["date", "from_bucket_id", "to_bucket_id", "movement"]
        roll_fields += ["contract_count", "amount", "rolled_amount", "cured_amount"]
        eff_fields = ["month", "instalment_count", "due_amount", "collected_amount"]

        def read(Model, fnames):
            return sorted(
                tuple(sorted((k, v) for k, v in r.items() if k != "id"))
                for r in Model.search(ours).read(fnames)
            )

        roll_before = read(Roll, roll_fields)
        eff_before = read(Efficiency, eff_fields)
        self.assertTrue(roll_before)
        self.assertTrue(eff_before)
        self.env.cr.execute(
            "DELETE FROM report_loan_roll_rate WHERE product_id = %s", [self.product.id]
        )
        self.env.cr.execute(
            "UPDATE report_loan_collection_efficiency SET collected_amount = 0"
            " WHERE product_id = %s",
            [self.product.id],
        )
        Roll.invalidate_model()
        Efficiency.invalidate_model()
        self.env["loan.portfolio.snapshot"].with_user(self.lending_admin)._rebuild(
            "2026-10-01", "2027-01-31"
        )
        self.assertEqual(read(Roll, roll_fields), roll_before)
        self.assertEqual(read(Efficiency, eff_fields), eff_before)

    def test_vintage_cell(self):
        """October's cohort at three months on book: the outstanding principal of its
        loans more than 30 days late over the principal it disbursed."""
        day = MONTH_ENDS[-1]
        october = [c for c in self.mine if c.disbursed_date.month == 10]
        base = sum(dec(c.amount) for c in october)
        bad = sum(
            self.states[day][c.id]["outstanding"]
            for c in october
            if c.id in self.states[day] and self.states[day][c.id]["dpd"] > 30
        )
        expected = float((100 * bad / base).quantize(Decimal("0.01")))
        self.assertGreater(expected, 0)
        Vintage = self.env["report.loan.vintage"].with_user(self.accountant)
        triangle = Vintage._triangle([("product_id", "=", self.product.id)], threshold=30)
        cohort = min(triangle)
        self.assertEqual(cohort.month, 10)
        self.assertEqual(triangle[cohort][3], expected)
        row = Vintage.search(
            [("product_id", "=", self.product.id), ("cohort", "=", cohort), ("date", "=", day)]
        )
        self.assertEqual(row.months_on_book, 3)
        self.assertEqual(dec(row.cohort_amount), base)
        self.assertEqual(row.share_30, expected)

    def test_rebuild_from_history_gives_the_same_figures(self):
        """Rebuilt from the days-past-due history, the month ends and days hold the same
        principal, classification and provisions as the end of day wrote."""
        Snapshot = self.env["loan.portfolio.snapshot"]
        Daily = self.env["loan.portfolio.daily"]
        fields_ = ["dpd", "bucket_id", "classification_id", "outstanding_principal"]
        fields_ += ["specific_provision", "general_provision"]
        domain = [("contract_id", "in", self.mine.ids)]

        def read(rows):
            return {(r.contract_id.id, r.date): r.read(fields_)[0] for r in rows}

        before = read(Snapshot.search(domain))
        for values in before.values():
            values.pop("id")
        daily_domain = [("product_id", "=", self.product.id)]
        daily_fields = ["date", "contract_count", "par30_amount", "npl_amount", "provision"]
        daily_before = sorted(
            tuple(sorted(r.items())) for r in Daily.search(daily_domain).read(daily_fields)
        )
        ends, dates = Snapshot.with_user(self.lending_admin)._rebuild("2026-10-01", "2027-01-31")
        self.assertEqual(ends, MONTH_ENDS)
        self.assertGreaterEqual(len(dates), 120)
        after = read(Snapshot.search(domain))
        for values in after.values():
            values.pop("id")
        self.assertEqual(after, before)
        self.assertTrue(all(Snapshot.search(domain).mapped("estimated")))
        daily_after = sorted(
            tuple(sorted((k, v) for k, v in r.items() if k != "id"))
            for r in Daily.search(daily_domain).read(daily_fields)
        )
        daily_before = sorted(tuple((k, v) for k, v in r if k != "id") for r in daily_before)
        self.assertEqual(daily_after, daily_before)

    def test_deleting_what_the_history_names(self):
        """The snapshot names contracts, teams, officers and campaigns without a foreign
        key (a key costs the end of day a lookup per row); deleting one does to the
        snapshot what the key would have: a contract's rows go with it, the reference to
        the others is cleared, and the other rows keep theirs."""
        Snapshot = self.env["loan.portfolio.snapshot"]
        ours = Snapshot.search([("contract_id", "in", self.mine.ids)])
        row, others = ours[0], ours[1:]
        team = self.env["loan.team"].create({"name": "Team to delete"})
        officer = new_test_user(self.env, "t_gone_officer", "base.group_user")
        campaign = self.env["utm.campaign"].create({"name": "Campaign to delete"})
        Contract = self.env["loan.contract"].sudo()
        draft = Contract.create(
            Contract._loan_contract_vals(
                self.borrower, self.product, 10_000_000, 12, date(2026, 10, 1)
            )
        )
        self.env.cr.execute(
            "UPDATE loan_portfolio_snapshot SET team_id = %s, user_id = %s, campaign_id = %s"
            " WHERE id = %s",
            [team.id, officer.id, campaign.id, row.id],
        )
        self.env.cr.execute(
            "INSERT INTO loan_portfolio_snapshot (date, contract_id, company_id, currency_id)"
            " SELECT date, %s, company_id, currency_id FROM loan_portfolio_snapshot"
            " WHERE id = %s",
            [draft.id, row.id],
        )
        Snapshot.invalidate_model()
        self.assertEqual(row.team_id, team)
        self.assertEqual(Snapshot.search_count([("contract_id", "=", draft.id)]), 1)
        team.unlink()
        officer.unlink()
        campaign.unlink()
        draft.unlink()
        self.env.cr.execute(
            "SELECT team_id, user_id, campaign_id FROM loan_portfolio_snapshot WHERE id = %s",
            [row.id],
        )
        self.assertEqual(self.env.cr.fetchone(), (None, None, None))
        self.assertFalse(row.team_id or row.user_id or row.campaign_id)
        self.assertEqual(others.team_id, self.sales_team)
        self.assertEqual(others.user_id, self.officer)
        self.env.cr.execute(
            "SELECT count(*) FROM loan_portfolio_snapshot WHERE contract_id = %s", [draft.id]
        )
        self.assertEqual(self.env.cr.fetchone()[0], 0)
        self.assertEqual(len(ours.exists()), len(ours))

    def test_subledger_against_the_books(self):
        """Each contract's outstanding principal equals its lines on the loan receivable
        account, today and at every month end; an entry without a contract, or one that
        moves a contract's receivable outside servicing, is listed with its reason."""
        Sub = self.env["report.loan.subledger"].with_user(self.accountant)
        ours = Sub.search([("contract_id", "in", self.mine.ids)])
        self.assertEqual(set(ours.mapped("reason")), {"ok"})
        self.assertEqual(len(ours.filtered(lambda r: r.kind == "current")), len(self.mine))
        self.assertEqual(
            len(ours.filtered(lambda r: r.kind == "month_end")),
            sum(len(state) for state in self.states.values()),
        )
        account = self.product.account_receivable_id
        current = Sub.search([("kind", "=", "current"), ("account_id", "=", account.id)])
        balance = sum(
            self.env["account.move.line"]
            .sudo()
            .search([("account_id", "=", account.id), ("parent_state", "=", "posted")])
            .mapped("balance")
        )
        self.assertAlmostEqual(sum(current.mapped("books_amount")), balance)
        self.assertAlmostEqual(sum(current.mapped("subledger_amount")), balance)
        # a manual entry on the receivable: one line without a contract, one on ours
        contract = self.loans["payer"]
        other = self.product.account_fee_income_id
        move = (
            self.env["account.move"]
            .sudo()
            .create(
                {
                    "move_type": "entry",
                    "journal_id": self.product.journal_id.id,
                    "line_ids": [
                        (0, 0, {"account_id": account.id, "debit": 1000.0}),
                        (
                            0,
                            0,
                            {
                                "account_id": account.id,
                                "debit": 500.0,
                                "loan_contract_id": contract.id,
                            },
                        ),
                        (0, 0, {"account_id": other.id, "credit": 1500.0}),
                    ],
                }
            )
        )
        move.action_post()
        Sub.invalidate_model()
        unlinked = Sub.search([("reason", "=", "unlinked"), ("account_id", "=", account.id)])
        self.assertEqual(sum(unlinked.mapped("books_amount")), 1000.0)
        row = Sub.search([("kind", "=", "current"), ("contract_id", "=", contract.id)])
        self.assertEqual(row.reason, "difference")
        self.assertEqual(row.difference, 500.0)
        # a month end whose books differ, or had no entry: each with its reason, and the
        # month end's differences are those rows only
        snapshots = (
            self.env["loan.portfolio.snapshot"]
            .search([("contract_id", "in", self.mine.ids)], order="date, contract_id")
            .filtered("outstanding_principal")
        )
        short, missing = snapshots[0], snapshots[-1]
        self.env.cr.execute(
            "UPDATE loan_portfolio_snapshot SET books_principal = CASE id"
            " WHEN %s THEN books_principal - 100 ELSE 0 END WHERE id IN %s",
            [short.id, (short.id, missing.id)],
        )
        Sub.invalidate_model()
        differences = Sub.search(
            [
                ("kind", "=", "month_end"),
                ("reason", "!=", "ok"),
                ("contract_id", "in", self.mine.ids),
            ]
        )
        self.assertEqual(
            {(r.contract_id, r.date, r.reason, r.difference) for r in differences},
            {
                (short.contract_id, short.date, "difference", -100.0),
                (
                    missing.contract_id,
                    missing.date,
                    "no_entry",
                    -missing.outstanding_principal,
                ),
            },
        )

    def test_finance_reports(self):
        """Receipts book, disbursements, revenue and expected cash-in add up to what the
        receipts, contracts, schedules and books hold."""
        env = self.env(user=self.accountant)
        receipts = self.env["loan.receipt"].search(
            [("contract_id", "in", self.mine.ids), ("state", "=", "posted")]
        )
        book = env["report.loan.receipt.book"].search([("contract_id", "in", self.mine.ids)])
        self.assertEqual(len(book), len(receipts))
        self.assertEqual(
            sum(dec(v) for v in book.mapped("amount")), sum(dec(r.amount) for r in receipts)
        )
        for row in book:
            parts = [row.principal, row.interest, row.fees, row.penalty, row.advance]
            self.assertEqual(sum(dec(v) for v in parts), dec(row.amount), row.receipt_id.name)
            self.assertEqual(row.user_id, self.accountant)
        paid = env["report.loan.disbursement"].search([("contract_id", "in", self.mine.ids)])
        self.assertEqual(sum(paid.mapped("contract_count")), len(self.mine))
        self.assertEqual(
            sum(dec(v) for v in paid.mapped("amount")), sum(dec(c.amount) for c in self.mine)
        )
        for row in paid:
            self.assertEqual(dec(row.net_disbursed), dec(row.amount) - dec(row.upfront_fees))
        # cash expected: every open instalment of ours due within twelve weeks
        self.env.cr.execute("SELECT CURRENT_DATE")
        today = self.env.cr.fetchone()[0]
        expected = Decimal(0)
        for line in self.mine.line_ids:
            if line.contract_id.state not in ("active", "overdue"):
                continue
            if (line.due_date - today).days >= 84:
                continue
            expected += max(dec(line.principal) - dec(line.principal_paid), 0)
            expected += max(
                dec(line.interest) - dec(line.interest_paid) - dec(line.interest_waived), 0
            )
            expected += max(dec(line.fee) - dec(line.fee_paid) - dec(line.fee_waived), 0)
            expected += max(
                dec(line.penalty) - dec(line.penalty_paid) - dec(line.penalty_waived), 0
            )
        cash = env["report.loan.cash"].search([("contract_id", "in", self.mine.ids)])
        self.assertGreater(expected, 0)
        self.assertEqual(sum(dec(v) for v in cash.mapped("amount")), expected)
        self.assertTrue(all(row.week.weekday() == 0 for row in cash), "weeks start on Monday")
        # interest income in the books equals the interest the schedules recognised
        if self.env.ref("loan_base.user_accountant_demo", raise_if_not_found=False):
            return  # the demo's other loans share the accounts
        account = self.product.account_interest_income_id
        revenue = env["report.loan.revenue"].search(
            [("account_id", "=", account.id), ("kind", "=", "interest")]
        )
        contracts = self.env["loan.contract"].search(
            [("product_id.account_interest_income_id", "=", account.id)]
        )
        recognised = sum(dec(v) for v in contracts.line_ids.mapped("interest_recognised"))
        self.assertGreater(recognised, 0)
        self.assertEqual(sum(dec(v) for v in revenue.mapped("amount")), recognised)

    def test_capitalised_arrears_are_no_interest_receivable(self):
        """A restructure that capitalises the arrears closes their instalments: their
        interest is now principal (the books moved it to the loan receivable), and the
        snapshot no longer counts it as interest receivable, for one contract or all."""
        Snapshot = self.env["loan.portfolio.snapshot"].sudo()
        contract = self.loans["never"]
        day = MONTH_ENDS[-1]

        def receivable():
            row = Snapshot.search([("date", "=", day), ("contract_id", "=", contract.id)])
            return dec(row.interest_receivable)

        def open_interest():
            return sum(
                max(
                    dec(ln.interest_recognised) - dec(ln.interest_paid) - dec(ln.interest_waived), 0
                )
                for ln in contract.line_ids
                if not ln.paid_date
            )

        self.assertGreater(receivable(), 0, "three months of interest in arrears")
        self.assertEqual(receivable(), open_interest())
        plan = self._capitalise_arrears(contract, day, 24)
        self.assertGreater(dec(plan.capitalised), 0)
        self.assertEqual(open_interest(), 0, "the new schedule has recognised nothing yet")
        Snapshot._take(day, contract.ids)
        self.assertEqual(receivable(), 0)
        Snapshot._take(day)
        self.assertEqual(receivable(), 0)

    def test_finance_by_day_as_the_documents(self):
        """Finance by Day, as the end of day wrote it, holds month by month what the
        receipts book and the revenue report read from the documents; a receipt dated
        back after its date was closed is counted at the next end of day."""
        env = self.env(user=self.accountant)
        contracts = self.env["loan.contract"].search([("product_id", "=", self.product.id)])

        def by_month(records, key):
            sums = {}
            for rec in records:
                month = (rec.date.replace(day=1), key(rec))
                sums[month] = sums.get(month, Decimal(0)) + dec(rec.amount)
            return sums

        daily = env["report.loan.finance.daily"].search([("product_id", "=", self.product.id)])
        received = daily.filtered(lambda r: r.kind == "received")
        book = env["report.loan.receipt.book"].search([("contract_id", "in", contracts.ids)])
        self.assertTrue(book)
        self.assertEqual(
            by_month(received, lambda r: r.journal_id.id),
            by_month(book, lambda r: r.journal_id.id),
        )
        self.assertEqual(sum(received.mapped("line_count")), len(book))
        revenue = env["report.loan.revenue"].search([("contract_id", "in", contracts.ids)])
        self.assertTrue(revenue.filtered(lambda r: r.kind == "interest"))
        self.assertEqual(
            by_month(daily - received, lambda r: r.kind), by_month(revenue, lambda r: r.kind)
        )
        # a receipt dated back into January, posted on 1 February
        Daily = self.env["report.loan.finance.daily"].sudo()
        back = date(2027, 1, 20)

        def received_on(day):
            rows = Daily.search(
                [
                    ("date", "=", day),
                    ("kind", "=", "received"),
                    ("product_id", "=", self.product.id),
                ]
            )
            return sum(dec(v) for v in rows.mapped("amount"))

        before = received_on(back)
        with freeze_time(date(2027, 2, 1)):
            receipt = (
                self.env["loan.receipt"]
                .with_user(self.accountant)
                .create({"contract_id": self.loans["never"].id, "amount": 1_000_000, "date": back})
            )
            receipt.action_post()
        self.assertEqual(received_on(back), before, "written by the end of day, not live")
        Daily._refresh(date(2027, 2, 1))
        self.assertEqual(received_on(back), before + 1_000_000)

    def test_collection_efficiency(self):
        """Due per month, up to the last date the end of day closed, against what was
        collected on those instalments by the month's end (penalties excluded)."""
        closed = MONTH_ENDS[-1]
        expected = {}
        for line in self.mine.line_ids.filtered(lambda ln: ln.due_date <= closed):
            month = line.due_date.replace(day=1)
            end = month + relativedelta(months=1)
            collected = sum(
                dec(rl.amount)
                for rl in self.env["loan.receipt.line"].search(
                    [("contract_line_id", "=", line.id), ("component", "!=", "penalty")]
                )
                if rl.receipt_id.state == "posted" and rl.receipt_id.date < end
            )
            due, got = expected.get(month, (Decimal(0), Decimal(0)))
            expected[month] = (
                due + dec(line.principal) + dec(line.interest) + dec(line.fee),
                got + collected,
            )
        rows = (
            self.env["report.loan.collection.efficiency"]
            .with_user(self.accountant)
            .search([("product_id", "=", self.product.id)])
        )
        got = {}
        for row in rows:
            due, collected = got.get(row.month, (Decimal(0), Decimal(0)))
            got[row.month] = (due + dec(row.due_amount), collected + dec(row.collected_amount))
            if row.due_amount:
                self.assertAlmostEqual(
                    row.efficiency, 100 * row.collected_amount / row.due_amount, places=2
                )
        self.assertEqual(got, expected)
        # the first instalments fall due in November; January's too, closed by then
        self.assertEqual(set(got), {day.replace(day=1) for day in MONTH_ENDS[1:]})
        self.assertTrue(any(c < d for d, c in got.values()), "somebody did not pay")

    def test_origination_funnel(self):
        Application = self.env["loan.application"].sudo()
        apps = Application.create(
            [
                {
                    "partner_id": self.borrower.id,
                    "product_id": self.product.id,
                    "amount": amount,
                    "term": 12,
                    "team_id": self.sales_team.id,
                    "user_id": self.officer.id,
                }
                for amount in (10_000_000, 20_000_000, 30_000_000)
            ]
        )
        self.env.flush_all()
        self.env.cr.execute(
            "UPDATE loan_application SET decision = %s, decided_at = create_date + interval "
            "'36 hours' WHERE id = %s",
            ["approved", apps[0].id],
        )
        self.env.cr.execute(
            "UPDATE loan_application SET decision = %s, decided_at = create_date + interval "
            "'12 hours' WHERE id = %s",
            ["declined", apps[1].id],
        )
        Report = self.env["report.loan.origination"]
        for user in (self.compliance, self.appraiser):  # all; the team the appraiser leads
            rows = Report.with_user(user).search([("application_id", "in", apps.ids)])
            self.assertEqual(sum(rows.mapped("application_count")), 3)
            self.assertEqual(sum(rows.mapped("decided_count")), 2)
            self.assertEqual(sum(rows.mapped("approved_count")), 1)
            self.assertEqual(sum(rows.mapped("declined_count")), 1)
            self.assertEqual(sum(rows.mapped("approved_amount")), 10_000_000)
            groups = Report.with_user(user)._read_group(
                [("application_id", "in", apps.ids)], [], ["turnaround_hours:avg"]
            )
            self.assertAlmostEqual(groups[0][0], 24.0, places=3)
        self.assertFalse(
            Report.with_user(self.other_lead).search([("application_id", "in", apps.ids)])
        )
        with self.assertRaises(AccessError):
            Report.with_user(self.officer).search([])
        # declines by reason: one row per reason given
        reasons = self.env["loan.decision.reason"].search([("kind", "=", "decline")], limit=2)
        self.assertEqual(len(reasons), 2)
        apps[1].decision_reason_ids = reasons
        self.env.flush_all()
        Reasons = self.env["report.loan.decision.reason"]
        for user in (self.compliance, self.appraiser):
            rows = Reasons.with_user(user).search([("application_id", "in", apps.ids)])
            self.assertEqual(rows.reason_id, reasons)
            self.assertEqual(set(rows.mapped("decision")), {"declined"})
            groups = Reasons.with_user(user)._read_group(
                [("application_id", "in", apps.ids)], ["reason_id"], ["application_count:sum"]
            )
            self.assertEqual(dict(groups), dict.fromkeys(reasons, 1))
        self.assertFalse(
            Reasons.with_user(self.other_lead).search([("application_id", "in", apps.ids)])
        )
        with self.assertRaises(AccessError):
            Reasons.with_user(self.officer).search([])

    # ------------------------------------------------------------ provisions and statement
    def _allowance_balance(self, day):
        allowance = self.env.company.loan_provision_account_id
        lines = self.env["account.move.line"].search(
            [
                ("account_id", "=", allowance.id),
                ("date", "<=", day),
                ("parent_state", "=", "posted"),
            ]
        )
        return sum(dec(v) for v in lines.mapped("balance"))

    def _provisions_on(self, day):
        rows = self.env["loan.portfolio.daily"].search(
            [("date", "=", day), ("company_id", "=", self.env.company.id)]
        )
        return sum(dec(v) for v in rows.mapped("provision"))

    def test_month_end_provisions_are_posted(self):
        company = self.env.company
        self.assertTrue(
            company.loan_provision_account_id and company.loan_provision_expense_account_id
        )
        for day in MONTH_ENDS:
            # the allowance holds the month's provisions (a credit on the contra-asset)
            self.assertEqual(-self._allowance_balance(day), self._provisions_on(day), day)
        self.assertGreater(self._provisions_on(MONTH_ENDS[-1]), self._provisions_on(MONTH_ENDS[0]))
        # posting again changes nothing
        Company = self.env["res.company"].sudo()
        self.assertFalse(Company._loan_post_provisions(MONTH_ENDS[-1]))
        # a company that does not want them gets none
        company.loan_post_provisions = False
        self.env.cr.execute(
            "UPDATE loan_portfolio_daily SET provision = provision + 1000"
            " WHERE date = %s AND company_id = %s",
            [MONTH_ENDS[-1], company.id],
        )
        self.env["loan.portfolio.daily"].invalidate_model()
        self.assertFalse(Company._loan_post_provisions(MONTH_ENDS[-1]))
        company.loan_post_provisions = True
        moves = Company._loan_post_provisions(MONTH_ENDS[-1])
        self.assertEqual(len(moves), 1)
        self.assertEqual(moves.date, MONTH_ENDS[-1])
        self.assertEqual(moves.journal_id, company.loan_journal_id)
        self.assertEqual(
            -self._allowance_balance(MONTH_ENDS[-1]), self._provisions_on(MONTH_ENDS[-1])
        )

    def _role_accounts(self, company_field, product_field):
        """The accounts of one lending role, read here from the company and the products."""
        company = self.env.company
        accounts = company[company_field]
        if product_field:
            accounts |= self.env["loan.product"].sudo().search([]).mapped(product_field)
        return accounts

    def _sum(self, accounts, date_from, date_to):
        lines = self.env["account.move.line"].search(
            [
                ("account_id", "in", accounts.ids),
                ("date", ">=", date_from),
                ("date", "<=", date_to),
                ("parent_state", "=", "posted"),
                ("company_id", "=", self.env.company.id),
            ]
        )
        return sum(dec(v) for v in lines.mapped("balance"))

    def test_lending_statement(self):
        """The shipped mis_builder statement, for November and December 2026, equals the
        balances of the lending accounts summed here from the entries."""
        reader = self.env["res.users"].create(
            {
                "name": "Statement reader",
                "login": "t_statement_reader",
                "group_ids": [
                    (4, self.env.ref("loan_base.group_loan_accountant").id),
                    (4, self.env.ref("account.group_account_readonly").id),
                ],
            }
        )
        report = self.env.ref("loan_reporting.mis_report_lending_statement")
        periods = [
            (MONTH_ENDS[1].replace(day=1), MONTH_ENDS[1]),
            (MONTH_ENDS[2].replace(day=1), MONTH_ENDS[2]),
        ]
        instance = self.env["mis.report.instance"].create(
            {
                "name": "Statement under test",
                "report_id": report.id,
                "company_id": self.env.company.id,
                "period_ids": [
                    (
                        0,
                        0,
                        {
                            "name": str(start),
                            "mode": "fix",
                            "manual_date_from": start,
                            "manual_date_to": end,
                        },
                    )
                    for start, end in periods
                ],
            }
        )
        matrix = instance.with_user(reader)._compute_matrix()
        got = {
            row.kpi.name: [cell.val for cell in row.iter_cells()]
            for row in matrix.iter_rows()
            if not row.account_id
        }
        roles = {
            "interest": ("loan_interest_income_account_id", "account_interest_income_id", -1),
            "fees": ("loan_fee_income_account_id", "account_fee_income_id", -1),
            "penalties": ("loan_penalty_income_account_id", "account_penalty_income_id", -1),
            "provisions": ("loan_provision_expense_account_id", None, 1),
            "write_offs": ("loan_write_off_account_id", "account_write_off_id", 1),
            "recoveries": ("loan_recovery_income_account_id", "account_recovery_income_id", -1),
        }
        receivable = self._role_accounts("loan_receivable_account_id", "account_receivable_id")
        for column, (start, end) in enumerate(periods):
            want = {
                name: sign * self._sum(self._role_accounts(cf, pf), start, end)
                for name, (cf, pf, sign) in roles.items()
            }
            for name, value in want.items():
                self.assertEqual(
                    dec(got[name][column] or 0).quantize(Decimal(1)), value, (name, start)
                )
            # the month's provision expense is the change of the portfolio's provisions
            before = start - relativedelta(days=1)
            self.assertEqual(
                want["provisions"], self._provisions_on(end) - self._provisions_on(before)
            )
            income = want["interest"] + want["fees"] + want["penalties"]
            self.assertGreater(income, 0)
            net = income - want["provisions"] - want["write_offs"] + want["recoveries"]
            self.assertEqual(dec(got["net_income"][column]).quantize(Decimal(1)), net)
            opening = self._sum(receivable, date(2000, 1, 1), before)
            closing = self._sum(receivable, date(2000, 1, 1), end)
            self.assertAlmostEqual(
                got["net_yield"][column], float(net / ((opening + closing) / 2)), places=9
            )
        # the shipped instance (relative months) computes for the reader too
        shipped = self.env.ref("loan_reporting.mis_instance_lending_statement").with_user(reader)
        self.assertTrue(shipped.compute()["body"])
        # a collector, who has no access to the books, is refused
        collector = self.env["res.users"].create(
            {
                "name": "No books",
                "login": "t_no_books",
                "group_ids": [(4, self.env.ref("loan_base.group_loan_collector").id)],
            }
        )
        with self.assertRaises(AccessError):
            instance.with_user(collector)._compute_matrix()

    def test_rebuild_command(self):
        """``odoo-bin loan_rebuild`` is found on the addons path and refuses bad dates."""
        from odoo.cli.command import find_command  # noqa: PLC0415

        command = find_command("loan_rebuild")
        self.assertTrue(command)
        with self.assertRaises(SystemExit), contextlib.redirect_stderr(io.StringIO()) as err:
            command().run(["2026-13-01", "2026-12-31"])
        self.assertIn("is not a date", err.getvalue())
