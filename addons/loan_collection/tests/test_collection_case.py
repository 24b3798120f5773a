from datetime import timedelta

from odoo import fields
from odoo.exceptions import AccessError, UserError
from odoo.tests import freeze_time, tagged

from .common import CollectionCommon


@tagged("post_install", "-at_install")
class TestCollectionCase(CollectionCommon):
    """The end of day opens, escalates and resolves one case per delinquent borrower, and
    each collector sees only the cases of their team's queues."""

    def test_cases_open_escalate_and_resolve_with_the_end_of_day(self):
        contract = self._active_contract()
        self._run_to("2026-12-20")
        self.assertFalse(self._case(contract), "due today is not late")
        self._run_to("2026-12-21")
        case = self._case(contract)
        self.assertEqual((case.state, case.dpd, case.queue_id), ("open", 1, self.early))
        self.assertEqual(case.bucket_id.code, "B1")
        self.assertEqual(case.contract_ids, contract)
        self.assertEqual(case.overdue_amount, contract.overdue_amount)
        # the collector of the early team sees it, the late team's does not
        Case = self.env["loan.collection.case"]
        self.assertIn(case, Case.with_user(self.collector).search([]))
        as_collector = case.with_user(self.collector)
        self.assertEqual(as_collector.partner_id.name, contract.partner_id.name)
        self.assertEqual(as_collector.contract_ids.name, contract.name)
        self.assertNotIn(case, Case.with_user(self.collector_b).search([]))
        with self.assertRaises(AccessError):
            case.with_user(self.collector_b).read(["name"])
        # a month later it is escalated to the late queue
        self._run_to("2027-01-21")
        self.assertEqual(case.dpd, 32)
        self.assertEqual(case.bucket_id.code, "B2")
        self.assertEqual(case.queue_id, self.late)
        self.assertIn("Escalated", case.message_ids[0].body)
        self.assertNotIn(case, Case.with_user(self.collector).search([]))
        self.assertIn(case, Case.with_user(self.collector_b).search([]))
        self.assertEqual(len(Case.search([("partner_id", "=", contract.partner_id.id)])), 1)
        # paying the arrears resolves it at the next end of day
        self._pay(contract, contract.overdue_amount, "2027-01-22")
        self._run_to("2027-01-22")
        self.assertEqual((case.state, str(case.closed_on)), ("resolved", "2027-01-22"))

    def test_next_case_takes_and_holds_the_highest_priority(self):
        self._active_contract()
        self._run_to("2026-12-25")
        Case = self.env["loan.collection.case"]
        waiting = Case.search(
            [("queue_id", "=", self.early.id), ("state", "=", "open")],
            order="priority desc, dpd desc, id",
        )
        self.assertTrue(waiting)
        taken = self._next_case_as(self.collector)
        self.assertEqual(taken, waiting[0], "the highest priority first")
        self.assertEqual((taken.state, taken.held_by_id), ("in_progress", self.collector))
        # another member of the team never gets a case someone holds (only this team's
        # queue for them: demo cases may wait in the late queue)
        self.team_b.member_ids = [(3, self.collector_b.id)]
        self.team_a.member_ids = [(4, self.collector_b.id)]
        other = self._next_case_as(self.collector_b)
        self.assertNotEqual(other, taken)
        self.assertEqual(other, waiting[1:2])
        taken.with_user(self.collector).action_release()
        self.assertFalse(taken.held_by_id)
        # asking again moves on: the collector's held case is released for the others
        held = self._next_case_as(self.collector_b)
        self.assertEqual(held, taken, "released, the top case is free again")
        self.assertFalse(other.held_by_id)

    def test_contacts_pass_the_gate_and_promises_are_kept_or_broken(self):
        contract = self._active_contract()
        self._run_to("2026-12-21")
        case = self._case(contract)
        Activity = self.env["loan.collection.activity"].with_user(self.collector)

        def call(amount, by):
            activity = Activity.create(
                {
                    "case_id": case.id,
                    "channel": "call",
                    "outcome": "promise",
                    "promise_amount": amount,
                    "promise_date": by,
                }
            )
            activity.action_done()
            return activity

        # 22:30 in Ho Chi Minh City: the gate refuses the call, it is not recorded as made
        with freeze_time("2026-12-21 15:30:00"):
            late = call(500_000, "2026-12-24")
        self.assertEqual((late.state, late.outcome), ("blocked", False))
        self.assertEqual(late.attempt_id.state, "blocked")
        self.assertTrue(late.blocked_reason)
        self.assertFalse(case.promise_ids)
        # the next morning it goes through and the promise is recorded
        with freeze_time("2026-12-22 03:00:00"):
            made = call(500_000, "2026-12-24")
        self.assertEqual(made.state, "done")
        self.assertEqual(made.attempt_id.state, "sent")
        promise = made.promise_id
        self.assertEqual((promise.state, case.state), ("pending", "promise"))
        # paid on the 23rd: the end of day marks it kept
        self._pay(contract, 500_000, "2026-12-23")
        self._run_to("2026-12-23")
        self.assertEqual((promise.state, promise.received), ("kept", 500_000))
        self.assertEqual(case.state, "in_progress")
        # a promise nobody keeps is broken the day after its date
        with freeze_time("2026-12-24 03:00:00"):
            second = call(300_000, "2026-12-26").promise_id
        self._run_to("2026-12-26")
        self.assertEqual(second.state, "pending")
        self._run_to("2026-12-27")
        self.assertEqual((second.state, case.state), ("broken", "broken_promise"))
        # a collector sees masked numbers only
        # (the phones of their case's borrower are readable: "number" shows the mask, the
        # encrypted token is refused)
        phones = contract.partner_id.loan_phone_ids
        masks = phones.with_user(self.collector).mapped("number_mask")
        self.assertTrue(masks)
        shown = phones.with_user(self.collector).read(["number"])
        self.assertEqual([row["number"] for row in shown], masks)
        self.assertNotIn(phones[0]._loan_pii_plain("number"), [row["number"] for row in shown])
        with self.assertRaises(AccessError):
            phones.with_user(self.collector).read(["number_enc"])
        with self.assertRaises(AccessError):
            phones[:1].with_user(self.collector).loan_pii_reveal("number", "to call them back")

    def test_fraud_flag_moves_the_case_and_tells_the_appraiser(self):
        fraud_team = self.env["loan.team"].create(
            {"name": "Fraud", "kind": "collection", "member_ids": [(6, 0, self.teamlead.ids)]}
        )
        fraud_queue = self.env["loan.collection.queue"].create(
            {"name": "Fraud review", "team_id": fraud_team.id, "fraud_queue": True}
        )
        contract = self._active_contract()
        self._run_to("2026-12-21")
        case = self._case(contract)
        # reading the case is not enough (compliance), nor is collecting for another team
        for user in (self.compliance, self.collector_b):
            with self.assertRaises(AccessError):
                case.with_user(user).action_flag_fraud("identity_doubt", "Not theirs.")
        self.assertNotEqual(case.state, "fraud")
        self.assertFalse(self.env["loan.fraud.referral"].search([("case_id", "=", case.id)]))
        referral = case.with_user(self.collector).action_flag_fraud(
            "identity_doubt", "The person on the phone does not know the ID card's birth date."
        )
        self.assertEqual((case.state, case.queue_id), ("fraud", fraud_queue))
        self.assertTrue(referral.sla_deadline)
        app = contract.application_id
        self.assertTrue(
            app.activity_ids.filtered(lambda a: a.user_id == self.appraiser),
            "the application's appraiser is asked to look",
        )
        self.assertIn("identity", self.product.message_ids[0].body.lower())
        # the collector's queue no longer has it; the fraud team's does
        Case = self.env["loan.collection.case"]
        self.assertNotIn(case, Case.with_user(self.collector).search([]))
        self.assertIn(case, Case.with_user(self.teamlead).search([]))
        # it stays with the fraud team when its bucket changes
        self._run_to("2027-01-21")
        self.assertEqual(case.queue_id, fraud_queue)
        with self.assertRaises(UserError):
            referral.with_user(self.collector).action_confirm()
        referral.finding = "Identity confirmed stolen."
        referral.with_user(self.teamlead).action_confirm()
        self.assertEqual(referral.state, "confirmed")

    def test_hardship_waiver_over_budget_is_refused(self):
        contract = self._active_contract()
        self._run_to("2026-12-25")
        case = self._case(contract)
        programme = self.env["loan.waiver.programme"].create(
            {
                "name": "Hardship",
                "monthly_budget": 1_000,
                "limit_ids": [
                    (
                        0,
                        0,
                        {
                            "group_id": self.env.ref("loan_base.group_loan_approver").id,
                            "max_amount": 1_000_000,
                        },
                    ),
                ],
            }
        )
        request = (
            self.env["loan.hardship.request"]
            .with_user(self.collector)
            .create(
                {
                    "case_id": case.id,
                    "contract_id": contract.id,
                    "situation": "Lost her job in November.",
                    "programme_id": programme.id,
                    "component": "interest",
                    "amount": 100_000,
                }
            )
        )
        self.assertEqual(request.amount, 100_000)
        with freeze_time("2026-12-25"):
            request.action_submit()
        self.assertEqual(case.state, "hardship", "out of the worklists while it is decided")
        self.assertEqual(request.waiver_id.state, "to_approve")
        with freeze_time("2026-12-25"), self.assertRaises(UserError) as err:
            request.with_user(self.approver).action_approve_waiver()
        self.assertIn("budget", str(err.exception))
        self.assertEqual(request.waiver_id.state, "to_approve")
        # the collection team lead has no limit in the programme: not theirs to refuse
        self.team_a.leader_id = self.teamlead
        with self.assertRaisesRegex(UserError, "no approval limit"):
            request.with_user(self.teamlead).action_refuse()
        self.assertEqual((request.state, request.waiver_id.state), ("submitted", "to_approve"))
        request.with_user(self.approver).action_refuse()
        self.assertEqual((request.state, request.waiver_id.state), ("refused", "refused"))
        self.assertEqual(case.state, "in_progress", "back in the worklists")

    def test_cases_only_for_collectors_with_current_conduct_training(self):
        self._active_contract()
        self._run_to("2026-12-25")
        course = self.env["loan.training.course"].create(
            {"name": "Code of conduct", "code_of_conduct": True, "validity_months": 12}
        )
        Case = self.env["loan.collection.case"]
        with self.assertRaises(UserError) as err:
            self._next_case_as(self.collector)
        self.assertIn("code-of-conduct", str(err.exception))
        expired = self.env["loan.training.attendance"].create(
            {"course_id": course.id, "user_id": self.collector.id, "date": "2024-01-10"}
        )
        with self.assertRaises(UserError):
            self._next_case_as(self.collector)
        # a team lead cannot assign a case to them either
        case = Case.search([("queue_id", "=", self.early.id)], limit=1)
        with self.assertRaises(UserError):
            case.with_user(self.teamlead).sudo().write({"user_id": self.collector.id})
        expired.date = "2026-06-01"
        self.assertTrue(self._next_case_as(self.collector))
        case.write({"user_id": self.collector.id})
        self.assertEqual(case.user_id, self.collector)

    def test_champion_challenger_split_and_strategy_steps(self):
        bucket = self.env.ref("loan_collection.loan_collection_bucket_1_30")
        Strategy = self.env["loan.collection.strategy"]
        challenger = Strategy.create(
            {
                "name": "Call first",
                "step_ids": [(0, 0, {"sequence": 1, "name": "Call", "channel": "call"})],
            }
        )
        champion = Strategy.create(
            {
                "name": "SMS then call",
                "sequence": 1,
                "bucket_ids": [(6, 0, bucket.ids)],
                "challenger_id": challenger.id,
                "challenger_share": 30.0,
                "step_ids": [
                    (
                        0,
                        0,
                        {
                            "sequence": 1,
                            "name": "Reminder",
                            "channel": "sms",
                            "message": "Your instalment is overdue, please pay.",
                        },
                    ),
                    (0, 0, {"sequence": 2, "name": "Call", "channel": "call", "delay_days": 3}),
                ],
            }
        )
        self.assertTrue(challenger.is_challenger)
        partners = self.env["res.partner"].create(
            [{"name": "Debtor %s" % n, "loan_is_borrower": True} for n in range(400)]
        )
        cases = self.env["loan.collection.case"].create(
            [
                {
                    "partner_id": p.id,
                    "company_id": self.company.id,
                    "queue_id": self.early.id,
                    "bucket_id": bucket.id,
                    "dpd": 5,
                    "overdue_amount": 1_000_000,
                }
                for p in partners
            ]
        )
        day = fields.Date.to_date("2026-12-25")
        Strategy._assign(cases, day)
        share = len(cases.filtered(lambda c: c.strategy_variant == "challenger")) / len(cases)
        self.assertAlmostEqual(share, 0.30, delta=0.06, msg="within tolerance of 30%")
        self.assertEqual(set(cases.strategy_id.ids), {champion.id, challenger.id})
        before = [(c.strategy_id.id, c.strategy_variant) for c in cases]
        Strategy._assign(cases, day)
        self.assertEqual([(c.strategy_id.id, c.strategy_variant) for c in cases], before)
        # steps: the SMS goes through the gate at once, the call three days later
        case = cases.filtered(lambda c: c.strategy_id == champion)[0]
        case.partner_id.write(
            {"loan_phone_ids": [(0, 0, {"number": "0912 345 999", "phone_type": "mobile"})]}
        )
        with freeze_time("2026-12-25 03:00:00"):
            Strategy._run_steps(case, day)
        sms = case.collection_activity_ids
        self.assertEqual(sms.channel, "sms")
        self.assertIn(sms.state, ("done", "blocked"))
        self.assertEqual(sms.attempt_id.purpose, "debt")
        self.assertFalse(case.next_action)
        Strategy._run_steps(case, fields.Date.to_date("2026-12-28"))
        self.assertEqual((case.next_action, str(case.next_action_date)), ("Call", "2026-12-28"))
        self.assertEqual(len(case.collection_activity_ids), 1, "each step once")
        self.assertEqual(champion.case_count + challenger.case_count, 400)

    def test_tickets_land_on_the_case_with_their_deadline_and_scripts_follow_the_case(self):
        contract = self._active_contract()
        self._run_to("2026-12-21")
        case = self._case(contract)
        data_subject = self.env.ref("loan_collection.helpdesk_category_loan_data_subject")
        ticket = self.env["helpdesk.ticket"].create(
            {
                "name": "Which personal data do you hold about me?",
                "description": "<p>Please send me a copy.</p>",
                "partner_id": contract.partner_id.id,
                "category_id": data_subject.id,
            }
        )
        self.assertEqual(ticket.loan_case_id, case)
        self.assertEqual(ticket.loan_sla_deadline - ticket.create_date, timedelta(hours=72))
        self.assertIn(ticket, case.ticket_ids)
        complaint = self.env["helpdesk.ticket"].create(
            {
                "name": "The collector was rude",
                "description": "<p>He raised his voice.</p>",
                "partner_id": contract.partner_id.id,
                "category_id": self.env.ref(
                    "loan_collection.helpdesk_category_loan_collector_complaint"
                ).id,
                "loan_collector_id": self.collector.id,
            }
        )
        self.assertEqual(complaint.loan_kind, "collector_complaint")
        # the script shown to the collector follows the case's situation
        Activity = self.env["loan.collection.activity"].with_user(self.collector)
        first = Activity.new({"case_id": case.id, "channel": "call"})
        self.assertEqual(first.script_id.situation, "first_reminder")
        self.assertTrue(first.script_must_not_say)
        case.state = "broken_promise"
        again = Activity.new({"case_id": case.id, "channel": "call"})
        self.assertEqual(again.script_id.situation, "broken_promise")

    def test_calls_are_sampled_per_collector_and_reviewed(self):
        contract = self._active_contract()
        self._run_to("2026-12-21")
        case = self._case(contract)
        self.team_a.member_ids = [(4, self.collector_b.id)]
        Activity = self.env["loan.collection.activity"]
        for user in (self.collector, self.collector_b):
            Activity.create(
                [
                    {
                        "case_id": case.id,
                        "user_id": user.id,
                        "channel": "call",
                        "outcome": "no_answer",
                        "state": "done",
                    }
                    for _n in range(5)
                ]
            )
        scorecard = self.env.ref("loan_collection.loan_qa_scorecard_call")
        reviews = self.env["loan.qa.review"]._sample(
            scorecard, "2000-01-01", "2100-01-01", per_collector=3, seed=7
        )
        self.assertEqual(len(reviews), 6)
        self.assertEqual(
            sorted(reviews.mapped("collector_id").ids),
            sorted((self.collector | self.collector_b).ids),
        )
        self.assertEqual(len(reviews.filtered(lambda r: r.collector_id == self.collector)), 3)
        review = reviews[0]
        self.assertEqual(len(review.line_ids), 5)
        self.assertEqual((review.score, review.passed), (100.0, True))
        # a failed critical criterion fails the review whatever the score
        review.line_ids.filtered(lambda line: line.criterion_id.critical)[:1].passed = False
        self.assertFalse(review.passed)
        with self.assertRaises(UserError):
            review.with_user(review.collector_id).action_done()
        review.with_user(self.teamlead).action_done()
        self.assertEqual(review.reviewer_id, self.teamlead)
        # collectors read their own reviews only
        theirs = self.env["loan.qa.review"].with_user(self.collector).search([])
        self.assertEqual(theirs.collector_id, self.collector)
