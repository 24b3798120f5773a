from odoo import fields
from odoo.addons.queue_job.tests.common import trap_jobs
from odoo.exceptions import UserError
from odoo.tests import freeze_time, tagged

from .common import CollectionWorkCommon


@tagged("post_install", "-at_install")
class TestCollectionStrategy(CollectionWorkCommon):
    """Strategies: reminders before the due date, segments, steps, scripts and queues,
    the legal hand-off, and messages of a night end of day sent in the morning."""

    def test_reminders_before_the_due_date_for_current_loans(self):
        Strategy = self.env["loan.collection.strategy"]
        Strategy.create(
            {
                "name": "Before the due date",
                "kind": "pre_due",
                "step_ids": [
                    (0, 0, {"sequence": 1, "name": "Three days", "channel": "sms",
                            "delay_days": 3, "message": "Your instalment is due in 3 days."}),
                    (0, 0, {"sequence": 2, "name": "Due today", "channel": "sms",
                            "delay_days": 0, "message": "Your instalment is due today."}),
                ],
            }
        )  # fmt: skip
        contract = self._active_contract()

        def reminders():
            return self.env["loan.outreach.attempt"].search(
                [
                    ("res_model", "=", "loan.contract"),
                    ("res_id", "=", contract.id),
                    ("purpose", "=", "reminder"),
                ],
                order="id",
            )

        with freeze_time("2026-12-16 03:00:00"):
            self._run_to("2026-12-16")
        self.assertFalse(reminders())
        with freeze_time("2026-12-17 03:00:00"):
            self._run_to("2026-12-17")
            self.assertEqual(len(reminders()), 1)
            self.assertEqual(reminders().state, "sent")
            self.assertIn("3 days", reminders().body)
            # the same day again sends nothing twice
            Strategy._send_pre_due_reminders(contract.ids, fields.Date.to_date("2026-12-17"))
        self.assertEqual(len(reminders()), 1)
        with freeze_time("2026-12-20 03:00:00"):
            self._run_to("2026-12-20")
        self.assertEqual(len(reminders()), 2)
        self.assertIn("due today", reminders()[1].body)
        # once late, the loan is collection's: no reminder before the next due date
        with freeze_time("2027-01-17 03:00:00"):
            self._run_to("2027-01-17")
        self.assertEqual(contract.state, "overdue")
        self.assertEqual(len(reminders()), 2)

    def test_strategy_segments_step_scripts_and_queues_and_legal_hand_off(self):
        Strategy = self.env["loan.collection.strategy"]
        salaried = self.env["res.partner.category"].create({"name": "Salaried"})
        script = self.env["loan.collection.script"].create(
            {"name": "Soft reminder", "situation": "first_reminder", "body": "<p>Chào anh</p>"}
        )
        field = self.env["loan.collection.queue"].create(
            {"name": "Field team", "team_id": self.team_a.id, "sequence": 50}
        )
        strategy = Strategy.create(
            {
                "name": "Salaried borrowers",
                "segment_ids": [(6, 0, salaried.ids)],
                "step_ids": [
                    (0, 0, {"sequence": 1, "name": "Call", "channel": "call",
                            "script_id": script.id}),
                    (0, 0, {"sequence": 2, "name": "To the field", "channel": "visit",
                            "delay_days": 5, "queue_id": field.id}),
                ],
            }
        )  # fmt: skip
        partners = self.env["res.partner"].create(
            [{"name": "Debtor S", "category_id": [(6, 0, salaried.ids)]}, {"name": "Debtor O"}]
        )
        tagged, other = self._cases(partners)
        day = fields.Date.to_date("2026-12-25")
        Strategy._assign(tagged | other, day)
        self.assertEqual(tagged.strategy_id, strategy)
        self.assertFalse(other.strategy_id, "no strategy for another segment")
        Strategy._run_steps(tagged, day)
        self.assertEqual((tagged.next_action, tagged.script_id), ("Call", script))
        call = (
            self.env["loan.collection.activity"]
            .with_user(self.collector)
            .create({"case_id": tagged.id, "channel": "call"})
        )
        self.assertEqual(call.script_id, script, "the step's script is shown for the call")
        Strategy._run_steps(tagged, fields.Date.to_date("2026-12-30"))
        self.assertEqual(tagged.queue_id, field)
        # legal: only a team lead sends a case there; closing needs the money settled
        with self.assertRaises(UserError):
            tagged.with_user(self.collector).action_send_to_legal()
        tagged.with_user(self.teamlead).action_send_to_legal()
        self.assertEqual(tagged.state, "legal")
        self.assertEqual(
            self._next_case_as(self.collector),
            other,
            "a case with legal is out of the worklist",
        )
        with self.assertRaises(UserError):
            tagged.with_user(self.teamlead).action_close()
        other.sudo().state = "resolved"
        other.with_user(self.teamlead).action_close()
        self.assertEqual(other.state, "closed")
        self.assertTrue(other.closed_on, "a closed case has its closing date")

    def test_night_end_of_day_sends_its_messages_in_the_persons_window(self):
        self.company.partner_id.tz = "Asia/Ho_Chi_Minh"
        Strategy = self.env["loan.collection.strategy"]
        Strategy.create(
            {
                "name": "Before the due date",
                "kind": "pre_due",
                "step_ids": [(0, 0, {"name": "Three days", "channel": "sms", "delay_days": 3,
                                     "message": "Your instalment is due in 3 days."})],
            }
        )  # fmt: skip
        contract = self._active_contract()
        run = (
            self.env["loan.eod.run"]
            .sudo()
            .create({"business_date": "2026-12-16", "chunk_count": 1})
        )
        # the end of 16 December runs at 00:30 on the 17th in Ho Chi Minh City: its
        # messages pass the gate at once, "due in 3 days" counts from the 17th
        with freeze_time("2026-12-16 17:30:00"), trap_jobs() as trap:
            run._run_chunk(contract.ids)
            trap.assert_jobs_count(1, only=Strategy._run_outreach)
            trap.assert_enqueued_job(
                Strategy._run_outreach, args=(contract.ids, fields.Date.to_date("2026-12-16"))
            )
            trap.perform_enqueued_jobs()
        Attempt = self.env["loan.outreach.attempt"]
        domain = [("res_model", "=", "loan.contract"), ("res_id", "=", contract.id)]
        waiting = Attempt.search(domain)
        # the Vietnamese policy's window opens at 07:00 where the borrower lives
        self.assertEqual(
            (waiting.state, str(waiting.scheduled_for)), ("scheduled", "2026-12-17 00:00:00")
        )
        self.assertEqual(contract.line_ids.sorted("sequence")[0].reminded_days, 3)
        Gate = Attempt.sudo()
        with freeze_time("2026-12-16 23:59:00"):  # 06:59: not yet
            Gate._cron_send_scheduled()
        self.assertEqual(waiting.state, "scheduled")
        with freeze_time("2026-12-17 00:00:30"):
            Gate._cron_send_scheduled()
        with freeze_time("2026-12-17 00:05:30"):
            Gate._cron_send_scheduled()  # the next run: nothing more to send
        self.assertEqual(Attempt.search(domain), waiting, "the same attempt, sent once")
        self.assertEqual((waiting.state, waiting.scheduled_for), ("sent", False))
        self.assertEqual(str(waiting.attempted_at), "2026-12-17 00:00:30")
        self.assertIn("3 days", waiting.body)
        # a borrower living in Tokyo gets it at 07:00 in Tokyo, the night before in UTC
        self.borrower.tz = "Asia/Tokyo"
        with freeze_time("2026-12-17 17:30:00"):  # 02:30 in Tokyo
            late = Gate.gate_send(
                self.borrower, "sms", purpose="reminder", body="Due soon", defer=True
            )
        self.assertEqual(
            (late.state, str(late.scheduled_for)), ("scheduled", "2026-12-17 22:00:00")
        )
        # a cap reached in the meantime blocks it when the window opens, never sends it
        self.env["loan.contact.policy"]._for_partner(self.borrower).daily_cap = 1
        with freeze_time("2026-12-17 22:00:00"):
            Gate.gate_send(self.borrower, "sms", purpose="service", body="Hello")
            Gate._cron_send_scheduled()
        self.assertEqual((late.state, late.reason_code), ("blocked", "daily_cap"))
