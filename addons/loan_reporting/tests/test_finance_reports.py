import base64
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from dateutil.relativedelta import relativedelta

from odoo.exceptions import AccessError
from odoo.tests import freeze_time, tagged

from .common import ReportingCommon, dec

# (field, first day past due, last day or None), written out here, apart from the report
BANDS = [
    ("days_1_30", 1, 30),
    ("days_31_60", 31, 60),
    ("days_61_90", 61, 90),
    ("days_91_180", 91, 180),
    ("days_over_180", 181, None),
]


def open_amounts(line):
    """(open principal, open principal + interest + fees + penalty) of a schedule line."""
    principal = max(dec(line.principal) - dec(line.principal_paid), Decimal(0))
    charges = sum(
        max(dec(line[amount]) - dec(line[paid]) - dec(line[waived]), Decimal(0))
        for amount, paid, waived in (
            ("interest", "interest_paid", "interest_waived"),
            ("fee", "fee_paid", "fee_waived"),
            ("penalty", "penalty_paid", "penalty_waived"),
        )
    )
    return principal, principal + charges


@tagged("post_install", "-at_install")
class TestFinanceReports(ReportingCommon):
    """Receivables ageing equals the contracts' schedule lines, aged here from the
    database's today; the waiver budget report equals the programme's own count."""

    def _today(self):
        # the report ages by the database's date: the test ages by the same one
        self.env.cr.execute("SELECT CURRENT_DATE")
        return self.env.cr.fetchone()[0]

    def _contract_due(self, first_due, term=12):
        """A contract of ours disbursed a month before ``first_due``, nothing paid."""
        start = first_due - relativedelta(months=1)
        Contract = self.env["loan.contract"].sudo()
        with freeze_time(datetime.combine(start, time(5))):
            contract = Contract.create(
                Contract._loan_contract_vals(
                    self.borrower,
                    self.product,
                    10_000_000,
                    term,
                    start,
                    first_due_date=first_due,
                    user_id=self.officer.id,
                    team_id=self.sales_team.id,
                )
            )
            contract.write({"signed_file": base64.b64encode(b"%PDF-1.4"), "signed_filename": "s"})
            contract.with_user(self.officer).action_mark_signed()
            contract.with_user(self.accountant).action_disburse()
        self.assertEqual(contract.line_ids.sorted("sequence")[0].due_date, first_due)
        return contract

    def _expected_ageing(self, contract, today):
        expected = dict.fromkeys([band for band, _low, _high in BANDS], Decimal(0))
        expected.update(not_due=Decimal(0), total_overdue=Decimal(0), days_past_due=0)
        for line in contract.line_ids:
            principal, amount = open_amounts(line)
            age = (today - line.due_date).days
            if age <= 0:
                expected["not_due"] += principal
                continue
            band = next(b for b, low, high in BANDS if age >= low and (not high or age <= high))
            expected[band] += amount
            expected["total_overdue"] += amount
            if amount:
                expected["days_past_due"] = max(expected["days_past_due"], age)
        return expected

    def test_ageing_equals_the_overdue_unpaid_schedule_lines(self):
        today = self._today()
        # first instalments due today and on each side of every band's bounds
        aged = {
            age: self._contract_due(today - timedelta(days=age))
            for age in (0, 1, 30, 31, 45, 60, 61, 90, 91, 180, 181, 200)
        }
        late_45, old = aged[45], aged[200]
        written_off = self._contract_due(today + timedelta(days=10))
        written_off.write({"state": "written_off"})  # no longer open: not aged
        self.env.flush_all()
        Ageing = self.env["report.loan.receivable.ageing"].with_user(self.accountant)
        contracts = self.mine | written_off
        for contract in aged.values():
            contracts |= contract
        rows = Ageing.search([("contract_id", "in", contracts.ids)])
        self.assertNotIn(written_off, rows.contract_id)
        self.assertEqual(
            set(rows.contract_id.ids),
            set(contracts.filtered(lambda c: c.state in ("active", "overdue")).ids),
        )
        # the data ages: something past due, and the bands far apart are all reached
        self.assertTrue(any(rows.mapped("total_overdue")))
        for row in rows:
            want = self._expected_ageing(row.contract_id, today)
            got = {key: dec(row[key]) for key in want if key != "days_past_due"}
            got["days_past_due"] = row.days_past_due
            self.assertEqual(got, want, row.contract_id.name)
            self.assertEqual(dec(row.total), want["not_due"] + want["total_overdue"])
            self.assertEqual(row.partner_id, row.contract_id.partner_id)
            self.assertEqual(row.team_id, self.sales_team)
            self.assertEqual(row.currency_id, self.company.currency_id)
        # an instalment 45 days late lands in 31-60, the next (a month later) in 1-30
        first, second = late_45.line_ids.sorted("sequence")[:2]
        row = rows.filtered(lambda r: r.contract_id == late_45)
        self.assertEqual(row.days_past_due, 45)
        self.assertEqual(dec(row.days_31_60), open_amounts(first)[1])
        self.assertEqual(dec(row.days_1_30), open_amounts(second)[1])
        self.assertGreater(row.days_31_60, 0)
        self.assertFalse(row.days_61_90 or row.days_91_180 or row.days_over_180)
        # the bounds: a first instalment of that age is in that band, none older (the
        # next ones, a month or more younger, may share it)
        bounds = {1: "days_1_30", 30: "days_1_30", 31: "days_31_60", 60: "days_31_60"}
        bounds |= {61: "days_61_90", 90: "days_61_90", 91: "days_91_180"}
        bounds |= {180: "days_91_180", 181: "days_over_180"}
        for age, band in bounds.items():
            row = rows.filtered(lambda r, c=aged[age]: r.contract_id == c)
            first = aged[age].line_ids.sorted("sequence")[0]
            self.assertEqual(row.days_past_due, age)
            self.assertGreaterEqual(dec(row[band]), open_amounts(first)[1], age)
            self.assertGreater(open_amounts(first)[1], 0)
            older = [name for name, _low, _high in BANDS]
            older = older[older.index(band) + 1 :]
            self.assertFalse(any(row[name] for name in older), age)
        row = rows.filtered(lambda r: r.contract_id == aged[0])
        self.assertFalse(row.total_overdue)
        self.assertEqual(dec(row.not_due), dec(aged[0].amount))
        row = rows.filtered(lambda r: r.contract_id == old)
        self.assertEqual(row.days_past_due, 200)
        for band, _low, _high in BANDS:
            self.assertGreater(row[band], 0, band)
        # per borrower: the pivot's sums are the contracts' sums
        groups = Ageing._read_group(
            [("contract_id", "in", contracts.ids)], ["partner_id"], ["total_overdue:sum"]
        )
        self.assertEqual(
            dec(groups[0][1]),
            sum(self._expected_ageing(c, today)["total_overdue"] for c in rows.contract_id),
        )

    def _programme(self, budget):
        return (
            self.env["loan.waiver.programme"]
            .sudo()
            .create(
                {
                    "name": "T relief",
                    "monthly_budget": budget,
                    "limit_ids": [
                        (
                            0,
                            0,
                            {
                                "group_id": self.env.ref("loan_base.group_loan_manager").id,
                                "max_amount": budget,
                            },
                        )
                    ],
                }
            )
        )

    def test_waiver_budget_equals_the_programme_remaining(self):
        programme = self._programme(1_000_000)
        contract = self.loans["never"]
        reason = self.env.ref("loan_servicing.loan_decision_reason_waiver_hardship")
        Waiver = self.env["loan.waiver"].with_user(self.accountant)
        waivers = Waiver.browse()
        for amount, day, decision in [
            (200_000, date(2026, 12, 10), "approve"),
            (100_000, date(2026, 12, 12), "approve"),
            (50_000, date(2026, 12, 15), None),
            (70_000, date(2026, 12, 16), "refuse"),
            (150_000, date(2027, 1, 15), "approve"),
        ]:
            waiver = Waiver.create(
                {
                    "contract_id": contract.id,
                    "programme_id": programme.id,
                    "component": "interest",
                    "amount": amount,
                    "reason_id": reason.id,
                    "date": day,
                }
            )
            waiver.action_submit()
            if decision:
                getattr(waiver.with_user(self.manager), f"action_{decision}")()
            waivers |= waiver
        self.assertEqual(
            waivers.mapped("state"), ["approved", "approved", "to_approve", "refused", "approved"]
        )
        self.env.flush_all()
        Budget = self.env["report.loan.waiver.budget"].with_user(self.accountant)
        rows = Budget.search([("programme_id", "=", programme.id)])
        current = self._today().replace(day=1)
        months = {date(2026, 12, 1), date(2027, 1, 1), current}
        self.assertEqual(set(rows.mapped("month")), months)
        for row in rows:
            month = row.month

            def of_month(waiver, month=month):
                return waiver.date.replace(day=1) == month

            approved = waivers.filtered(lambda w, m=of_month: m(w) and w.state == "approved")
            pending = waivers.filtered(lambda w, m=of_month: m(w) and w.state == "to_approve")
            used = sum(dec(w.amount_company) for w in approved)
            self.assertEqual(dec(row.approved_amount), used, month)
            self.assertEqual(dec(row.approved_amount), programme._used_in_month(month))
            self.assertEqual(dec(row.remaining), dec(1_000_000) - used, month)
            self.assertEqual(row.waiver_count, len(approved))
            self.assertEqual(dec(row.pending_amount), sum(dec(w.amount_company) for w in pending))
            self.assertEqual(row.pending_count, len(pending))
            self.assertAlmostEqual(row.used_share, float(used) / 10_000, places=2)
            self.assertEqual(row.monthly_budget, 1_000_000)
            self.assertEqual(row.company_id, programme.company_id)
        december = rows.filtered(lambda r: r.month == date(2026, 12, 1))
        self.assertEqual(december.approved_amount, 300_000)
        self.assertEqual(december.pending_amount, 50_000)
        # this month's row is what the programme itself says remains this month
        this_month = rows.filtered(lambda r: r.month == current)
        programme.invalidate_recordset()
        self.assertEqual(this_month.remaining, programme.remaining_this_month)

    def test_finance_reports_refused_without_a_finance_role(self):
        for model in ("report.loan.receivable.ageing", "report.loan.waiver.budget"):
            self.env[model].with_user(self.compliance).search([], limit=1)
            for user in (self.appraiser, self.officer, self.collector, self.teamlead):
                with self.subTest(model=model, user=user.login), self.assertRaises(AccessError):
                    self.env[model].with_user(user).search([], limit=1)
