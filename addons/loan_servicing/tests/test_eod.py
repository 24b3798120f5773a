from decimal import Decimal

from odoo.addons.queue_job.tests.common import trap_jobs
from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import LoanServicingCommon


def dec(value):
    return Decimal(str(value))


@tagged("post_install", "-at_install")
class TestEndOfDay(LoanServicingCommon):
    """The end-of-day batch: days past due, status, penalties, classification, history;
    idempotent, in date order, in chunks of jobs."""

    def setUp(self):
        super().setUp()
        self.Run = self.env["loan.eod.run"].with_user(self.accountant)
        self.contract = self._active_contract(penalty_rate=0.05, penalty_cap=1.0)
        # the other demo contracts of the database are not ours to look at
        self.mine = [("contract_id", "=", self.contract.id)]
        # business dates up to the eve of our disbursement are closed (demo loans are older)
        self.env["loan.eod.run"].sudo().search([]).unlink()
        self.env["loan.eod.run"].sudo().create({"business_date": "2026-11-19", "state": "done"})

    def _run_to(self, day):
        return self.Run.with_context(queue_job__no_delay=True).run_to(day)

    def _rows(self):
        History = self.env["loan.contract.dpd"].sudo()
        Accrual = self.env["loan.penalty.accrual"].sudo()
        return (
            History.search(self.mine).read(
                ["date", "dpd", "overdue_amount", "outstanding_principal", "state"]
            ),
            Accrual.search(self.mine).read(["line_id", "date", "amount", "move_id"]),
            self.env["account.move"].sudo().search_count([]),
        )

    def test_days_past_due_penalties_classification_and_history(self):
        contract = self.contract
        first = contract.line_ids[0]
        runs = self._run_to("2026-12-25")
        self.assertEqual(str(min(runs.mapped("business_date"))), "2026-11-20")
        self.assertEqual(len(runs), 36, "every date since the first disbursement, in order")
        self.assertEqual(set(runs.mapped("state")), {"done"})
        self.assertEqual((first.dpd, contract.dpd, contract.state), (5, 5, "overdue"))
        self.assertEqual(contract.classification_id.code, "1")
        self.assertTrue(first.recognised, "interest recognised at the due date")
        self.assertFalse(contract.line_ids[1].recognised)
        # 0.05% a day of the open principal and interest, capped at 1% of them
        daily = round(dec(first.principal + first.interest) * dec("0.0005"))
        cap = round(dec(first.principal + first.interest) * dec("0.01"))
        expected = min(daily * 5, cap)
        self.assertEqual(dec(first.penalty), expected)
        overdue = dec(first.instalment) + expected
        self.assertEqual(dec(contract.overdue_amount), overdue)
        history, accruals, _moves = self._rows()
        self.assertEqual(len(history), 36)
        by_date = {str(h["date"]): h for h in history}
        self.assertEqual(by_date["2026-12-20"]["dpd"], 0, "due today is not late yet")
        self.assertEqual(by_date["2026-12-21"]["dpd"], 1)
        self.assertEqual(by_date["2026-12-25"]["state"], "overdue")
        self.assertEqual(sum(dec(a["amount"]) for a in accruals), expected)
        self.assertTrue(all(a["move_id"] for a in accruals), "every accrual is posted")
        # summary entries: their penalty income is the sum of the accruals they carry
        Accrual = self.env["loan.penalty.accrual"].sudo()
        moves = Accrual.search(self.mine).move_id
        self.assertEqual(set(moves.mapped("state")), {"posted"})
        income = moves.line_ids.filtered(
            lambda x: x.account_id == self.product.account_penalty_income_id
        )
        carried = Accrual.search([("move_id", "in", moves.ids)])
        self.assertEqual(
            -sum(dec(x) for x in income.mapped("amount_currency")),
            sum(dec(a) for a in carried.mapped("amount")),
        )
        # paying the arrears cures the loan at the next end of day
        self._pay(contract, float(overdue), "2026-12-26")
        self._run_to("2026-12-26")
        self.assertEqual((first.dpd, contract.dpd, contract.state), (0, 0, "active"))
        self.assertEqual(contract.overdue_amount, 0)
        self.assertEqual(dec(first.penalty), expected, "no penalty once paid")

    def test_a_date_run_twice_changes_nothing(self):
        runs = self._run_to("2026-12-24")
        before = self._rows()
        last = runs.filtered(lambda r: str(r.business_date) == "2026-12-24")
        state = (self.contract.dpd, self.contract.overdue_amount, self.contract.line_ids[0].penalty)
        last._run_chunk(self.contract.ids)
        self.env.invalidate_all()
        self.assertEqual(self._rows(), before)
        self.assertEqual(
            (self.contract.dpd, self.contract.overdue_amount, self.contract.line_ids[0].penalty),
            state,
        )
        self.assertFalse(self._run_to("2026-12-24"), "a closed date is not run again")

    def test_missed_dates_catch_up_in_order_as_chained_jobs(self):
        self._run_to("2026-12-21")
        with trap_jobs() as trap:
            runs = self.Run.run_to("2026-12-24", chunk_size=1)
            self.assertEqual(
                [str(run.business_date) for run in runs],
                ["2026-12-22", "2026-12-23", "2026-12-24"],
            )
            chunks = runs[0].chunk_count
            self.assertGreaterEqual(chunks, 1)
            trap.assert_jobs_count(3 * chunks)
            self.assertEqual(set(runs.mapped("state")), {"running"})
            trap.perform_enqueued_jobs()
        self.assertEqual(set(runs.mapped("state")), {"done"})
        self.assertEqual(set(runs.mapped("progress")), {100.0})
        history = self.env["loan.contract.dpd"].sudo().search(self.mine, order="date")
        self.assertEqual([h.dpd for h in history][-4:], [1, 2, 3, 4])
        accruals = self.env["loan.penalty.accrual"].sudo().search(self.mine, order="date")
        amounts = [dec(a.amount) for a in accruals]
        self.assertEqual(len(set(amounts[:-1])), 1, "the same daily penalty until the cap")

    def test_only_accountants_run_it(self):
        with self.assertRaises(UserError):
            self.env["loan.eod.run"].with_user(self.officer).run_to("2026-12-24")

    def test_daily_accrual_recognises_interest_day_by_day(self):
        contract = self._active_contract(accrual_method="daily")
        self.assertEqual(contract.accrual_method, "daily")
        first = contract.line_ids.sorted("sequence")[0]
        days = (first.due_date - contract.start_date).days
        self._run_to("2026-12-05")
        elapsed = 15
        expected = round(dec(first.interest) * elapsed / days)
        self.assertEqual(dec(first.interest_recognised), expected)
        self.assertFalse(first.recognised)
        before = self._rows()
        self.env["loan.eod.run"].sudo().search([("business_date", "=", "2026-12-05")])._run_chunk(
            contract.ids
        )
        self.env.invalidate_all()
        self.assertEqual(self._rows(), before, "a day accrued twice adds nothing")
        self.assertEqual(dec(first.interest_recognised), expected)
        self._run_to("2026-12-19")
        accrued = (
            self.env["account.move.line"]
            .sudo()
            .search(
                [
                    ("account_id", "=", self.product.account_interest_income_id.id),
                    ("name", "=", "Interest accrued"),
                ]
            )
        )
        self.assertEqual(
            -sum(dec(x) for x in accrued.mapped("amount_currency")),
            dec(first.interest_recognised),
            "the ledger has what the line says",
        )
        self.assertLess(first.interest_recognised, first.interest)
        self._run_to("2026-12-20")
        self.assertTrue(first.recognised)
        self.assertEqual(first.interest_recognised, first.interest, "the due date tops it up")
