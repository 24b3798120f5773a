from odoo.exceptions import UserError
from odoo.tests import freeze_time, tagged

from .common import CollectionWorkCommon


@tagged("post_install", "-at_install")
class TestPromise(CollectionWorkCommon):
    """Promises in instalments, kept or broken one by one."""

    def test_a_promise_in_instalments_is_kept_or_broken_instalment_by_instalment(self):
        contract = self._active_contract()
        self._run_to("2026-12-21")
        case = self._case(contract)
        call = (
            self.env["loan.collection.activity"]
            .with_user(self.collector)
            .create(
                {
                    "case_id": case.id,
                    "channel": "call",
                    "outcome": "promise",
                    "promise_amount": 300_000,
                    "promise_date": "2026-12-24",
                    "promise_count": 2,
                    "promise_every_days": 10,
                }
            )
        )
        with freeze_time("2026-12-22 03:00:00"):
            call.action_done()
        first, second = case.promise_ids.sorted("sequence")
        self.assertEqual(
            [(str(p.date), p.amount, p.plan_first_id) for p in (first, second)],
            [("2026-12-24", 300_000, first), ("2027-01-03", 300_000, first)],
        )
        # 300,000 paid: the first instalment is kept, it does not count for the second
        self._pay(contract, 300_000, "2026-12-23")
        self._run_to("2026-12-24")
        self.assertEqual((first.state, second.state), ("kept", "pending"))
        self.assertEqual(case.state, "promise", "still a promise while an instalment is due")
        self._run_to("2027-01-04")
        self.assertEqual((second.state, second.received), ("broken", 300_000))
        self.assertEqual(case.state, "broken_promise")
        zero = (
            self.env["loan.collection.activity"]
            .with_user(self.collector)
            .create(
                {
                    "case_id": case.id,
                    "channel": "call",
                    "outcome": "promise",
                    "promise_amount": 100_000,
                    "promise_date": "2027-01-10",
                    "promise_count": 0,
                }
            )
        )
        with self.assertRaises(UserError):
            zero.action_done()
