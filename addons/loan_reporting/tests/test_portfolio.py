from decimal import Decimal

from odoo.tests import tagged

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
        for before, day in zip(MONTH_ENDS, MONTH_ENDS[1:], strict=False):
            rows = Roll.search([("date", "=", day), ("contract_id", "in", self.mine.ids)])
            got = {}
            for row in rows:
                key = (row.from_bucket_id.id, row.to_bucket_id.id)
                count, amount = got.get(key, (0, Decimal(0)))
                got[key] = (count + row.contract_count, amount + dec(row.amount))
                if row.movement == "worse":
                    self.assertGreater(row.to_bucket_id.min_dpd, row.from_bucket_id.min_dpd)
                    self.assertEqual(row.rolled_amount, row.amount)
            self.assertEqual(got, self._expected_roll(day, before), day)
        # something rolled forward along the way
        self.assertTrue(
            Roll.search_count([("contract_id", "in", self.mine.ids), ("movement", "=", "worse")])
        )

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
