from datetime import datetime

from odoo import fields
from odoo.addons.queue_job.tests.common import trap_jobs
from odoo.exceptions import AccessError, UserError
from odoo.tests import freeze_time, new_test_user, tagged

from .common import CollectionCommon


@tagged("post_install", "-at_install")
class TestCollectionWork(CollectionCommon):
    """Field visits, training sessions, assignment by team leads, reminders before the
    due date, hardship trials and team KPIs."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.team_a.leader_id = cls.teamlead
        # demo strategies would send their own messages: these tests bring theirs
        cls.env["loan.collection.strategy"].search([]).active = False
        # a code-of-conduct course, with or without demo data
        cls.conduct = cls.env["loan.training.course"].create(
            {"name": "Debt collection code of conduct", "code_of_conduct": True}
        )
        cls.conduct_courses = cls.env["loan.training.course"].search(
            [("code_of_conduct", "=", True)]
        )
        cls._train(cls.collector | cls.collector_b)

    @classmethod
    def _train(cls, users, day="2026-11-02"):
        cls.env["loan.training.attendance"].create(
            [
                {"course_id": course.id, "user_id": user.id, "date": day}
                for course in cls.conduct_courses
                for user in users
            ]
        )

    def _cases(self, partners, **vals):
        return (
            self.env["loan.collection.case"]
            .sudo()
            .create(
                [
                    {
                        "partner_id": partner.id,
                        "company_id": self.company.id,
                        "queue_id": self.early.id,
                        "bucket_id": self.env.ref("loan_collection.loan_collection_bucket_1_30").id,
                        "dpd": 10,
                        "overdue_amount": 1_000_000,
                        "priority": 100.0 * (len(partners) - n),
                        **vals,
                    }
                    for n, partner in enumerate(partners)
                ]
            )
        )

    def test_field_visit_is_a_gated_contact_and_its_cash_a_receipt(self):
        contract = self._active_contract()
        self._run_to("2026-12-25")
        case = self._case(contract)
        # collectors read the contracts of their teams' cases only
        self.assertEqual(
            contract.with_user(self.collector).read(["name"])[0]["name"], contract.name
        )
        with self.assertRaises(AccessError):
            contract.with_user(self.collector_b).read(["name"])
        self.assertTrue(contract.with_user(self.compliance).read(["name"]))
        # and so their schedules
        lines = contract.line_ids
        self.assertEqual(len(lines.with_user(self.collector).read(["due_date"])), len(lines))
        with self.assertRaises(AccessError):
            lines.with_user(self.collector_b).read(["due_date"])

        action = case.with_user(self.collector).action_plan_field_visit()
        visit = (
            self.env["loan.field.visit"]
            .with_user(self.collector)
            .with_context(**action["context"])
            .create({"appointment": "2026-12-26 02:00:00", "address": "120 CMT8, Quận 3"})
        )
        self.assertEqual(visit.purpose, "collection")
        self.assertEqual((visit.partner_id, visit.user_id), (contract.partner_id, self.collector))
        with self.assertRaises(AccessError):
            visit.with_user(self.collector_b).read(["address"])
        visit.write({"result": "paid", "latitude": 10.7769, "longitude": 106.6869})
        with self.assertRaises(UserError):
            visit.action_done()  # paid, but how much and for which contract?
        visit.write({"amount_collected": 1_000_000, "contract_id": contract.id})
        # at 22:30 in Ho Chi Minh City the gate refuses the visit: it stays planned
        with freeze_time("2026-12-26 15:30:00"):
            visit.action_done()
        self.assertEqual((visit.state, visit.activity_id.state), ("planned", "blocked"))
        self.assertFalse(visit.receipt_id)
        with freeze_time("2026-12-26 03:00:00"):
            visit.action_done()
        contact = visit.activity_id
        self.assertEqual((visit.state, contact.channel, contact.outcome), ("done", "visit", "paid"))
        self.assertEqual((contact.state, contact.attempt_id.state), ("done", "sent"))
        receipt = visit.receipt_id
        self.assertEqual(
            (receipt.state, receipt.amount, receipt.contract_id), ("draft", 1_000_000, contract)
        )
        # the accountant posts it when the cash is handed in: a real receipt in servicing
        with freeze_time("2026-12-26"):
            receipt.with_user(self.accountant).action_post()
        self.assertEqual(receipt.state, "posted")
        self.assertEqual(receipt.payment_id.amount, 1_000_000)
        self.assertEqual(receipt.payment_id.state, "in_process")
        with self.assertRaises(UserError):
            visit.action_done()

    def test_training_sessions_record_attendance_that_expires(self):
        course = self.env["loan.training.course"].create(
            {"name": "Code of conduct 2027", "code_of_conduct": True, "validity_months": 12}
        )
        newbie = new_test_user(self.env, "t_newbie", "loan_base.group_loan_collector")
        failed = new_test_user(self.env, "t_failed", "loan_base.group_loan_collector")
        self.team_a.member_ids = [(4, newbie.id), (4, failed.id)]
        Session = self.env["loan.training.session"]
        with self.assertRaises(AccessError):
            Session.with_user(self.collector).create({"course_id": course.id})
        session = Session.with_user(self.teamlead).create(
            {
                "course_id": course.id,
                "date": "2026-11-02",
                "attendee_ids": [(6, 0, (newbie | failed).ids)],
                "failed_ids": [(6, 0, failed.ids)],
            }
        )
        with self.assertRaises(UserError):
            Session.with_user(self.teamlead).create({"course_id": course.id}).action_done()
        session.action_done()
        self.assertEqual(session.state, "done")
        attendance = {a.user_id: a for a in session.attendance_ids}
        self.assertTrue(attendance[newbie].passed)
        self.assertFalse(attendance[failed].passed)
        self.assertEqual(str(attendance[newbie].expiry_date), "2027-11-02")
        self._train(newbie | failed)  # the other code-of-conduct courses of the database
        case = self._cases(self.env["res.partner"].create([{"name": "Debtor T"}]))
        case.with_user(self.teamlead).user_id = newbie
        with self.assertRaises(UserError) as err:
            case.with_user(self.teamlead).user_id = failed
        self.assertIn(course.name, str(err.exception))
        with freeze_time("2027-11-03"), self.assertRaises(UserError):
            case.with_user(self.teamlead).user_id = newbie

    def test_lead_balances_cases_by_load_region_and_skill(self):
        hcm = self.env.ref("base.state_vn_VN-SG")
        hanoi = self.env.ref("base.state_vn_VN-HN")
        north = new_test_user(self.env, "t_collector_north", "loan_base.group_loan_collector")
        untrained = new_test_user(self.env, "t_collector_new", "loan_base.group_loan_collector")
        self._train(north)
        self.team_a.member_ids = [(4, north.id), (4, untrained.id)]
        north.loan_collection_state_ids = hanoi
        self.collector.loan_collection_capacity = 2
        partners = self.env["res.partner"].create(
            [
                {"name": "Debtor %s" % n, "state_id": state.id, "country_id": self.vn.id}
                for n, state in enumerate((hcm, hanoi, hcm, hanoi, hcm))
            ]
        )
        cases = self._cases(partners)
        Assign = self.env["loan.collection.assign"].with_context(
            active_model="loan.collection.case", active_ids=cases.ids
        )
        with self.assertRaises(AccessError):
            Assign.with_user(self.collector).create({"mode": "balance"})
        Assign.with_user(self.teamlead).create({"mode": "balance"}).action_apply()
        # highest priority first, to the least loaded collector who fits
        self.assertEqual(
            cases.mapped("user_id"),
            self.collector | north,
        )
        self.assertEqual(
            [c.user_id for c in cases],
            [self.collector, north, self.collector, north, self.env["res.users"]],
            "Hanoi borrowers can go north; the fifth finds the others full or out of region",
        )
        self.assertNotIn(untrained, cases.user_id, "no case without current training")
        # skills: a collector skilled for later buckets only gets no early case
        north.loan_collection_bucket_ids = self.env.ref(
            "loan_collection.loan_collection_bucket_31_60"
        )
        Assign.with_user(self.teamlead).create({"mode": "balance"}).action_apply()
        self.assertNotIn(north, cases.user_id)
        self.assertEqual(len(cases.filtered(lambda c: c.user_id == self.collector)), 2)
        # to one collector: refused for the untrained and for another team's collector
        with self.assertRaises(UserError):
            Assign.with_user(self.teamlead).create(
                {"mode": "assign", "user_id": untrained.id}
            ).action_apply()
        with self.assertRaises(UserError):
            Assign.with_user(self.teamlead).create(
                {"mode": "assign", "user_id": self.collector_b.id}
            ).action_apply()
        Assign.with_user(self.teamlead).create(
            {"mode": "assign", "user_id": north.id}
        ).action_apply()
        self.assertEqual(cases.user_id, north, "a lead's explicit assignment is not balanced")
        Assign.with_user(self.teamlead).create({"mode": "release"}).action_apply()
        self.assertFalse(cases.user_id)

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

    def test_hardship_holiday_has_a_trial_then_cure_or_redefault(self):
        contract = self._active_contract()
        self._run_to("2026-12-25")
        case = self._case(contract)
        programme = self.env["loan.waiver.programme"].create(
            {
                "name": "Hardship",
                "monthly_budget": 10_000_000,
                "hardship_max_dpd": 3,
                "hardship_trial_months": 1,
                "limit_ids": [
                    (
                        0,
                        0,
                        {
                            "group_id": self.env.ref("loan_base.group_loan_approver").id,
                            "max_amount": 1_000_000,
                        },
                    )
                ],
            }
        )
        Request = self.env["loan.hardship.request"].with_user(self.collector)
        request = Request.create(
            {
                "case_id": case.id,
                "contract_id": contract.id,
                "situation": "In hospital for a month.",
                "programme_id": programme.id,
                "proposal": "holiday",
                "holiday_months": 2,
            }
        )
        with freeze_time("2026-12-25"), self.assertRaises(UserError) as err:
            request.action_submit()
        self.assertIn("5 days past due", str(err.exception))
        programme.hardship_max_dpd = 30
        with freeze_time("2026-12-25"):
            request.action_submit()
        restructure = request.restructure_id
        self.assertEqual((request.state, restructure.state), ("submitted", "to_approve"))
        self.assertEqual((restructure.term, restructure.grace_principal), (14, 2))
        self.assertTrue(restructure.capitalise_arrears)
        with freeze_time("2026-12-25"), self.assertRaises(UserError):
            restructure.with_user(self.collector).action_approve()
        with freeze_time("2026-12-25"):
            restructure.with_user(self.approver).action_approve()
        self.assertEqual(request.state, "trial")
        self.assertEqual(str(request.trial_until), "2027-01-25")
        self.assertEqual(case.state, "in_progress")
        # one relief a year
        second = Request.create(
            {
                "case_id": case.id,
                "contract_id": contract.id,
                "situation": "Still in hospital.",
                "programme_id": programme.id,
                "component": "penalty",
                "amount": 10_000,
            }
        )
        with freeze_time("2026-12-26"), self.assertRaises(UserError) as err:
            second.action_submit()
        self.assertIn("12 months", str(err.exception))
        # nothing missed until the trial ends: cured; the first new instalment missed later
        # is a re-default
        self._run_to("2027-01-24")
        self.assertEqual(request.state, "trial")
        self._run_to("2027-01-25")
        self.assertEqual((request.state, str(request.outcome_on)), ("cured", "2027-01-25"))
        self._run_to("2027-01-26")
        self.assertEqual((request.state, str(request.outcome_on)), ("re_defaulted", "2027-01-26"))

    def test_kpis_per_collector_team_and_bucket_against_targets(self):
        contract = self._active_contract()
        self._run_to("2026-12-25")
        case = self._case(contract)
        case.sudo().user_id = self.collector
        outcomes = ("promise", "no_answer", "refused", "third_party")
        calls = (
            self.env["loan.collection.activity"]
            .sudo()
            .create(
                [
                    {
                        "case_id": case.id,
                        "channel": "call",
                        "user_id": self.collector.id,
                        "outcome": outcome,
                        "state": "done",
                    }
                    for outcome in outcomes
                ]
            )
        )
        self.env.flush_all()
        self.env.cr.execute(
            "UPDATE loan_collection_activity SET create_date = %s WHERE id = ANY(%s)",
            ["2026-12-26 03:00", calls.ids],
        )
        self.env["loan.promise"].sudo().create(
            {
                "case_id": case.id,
                "user_id": self.collector.id,
                "amount": 500_000,
                "date_from": "2026-12-26",
                "date": "2027-01-05",
            }
        )
        self._pay(contract, 500_000, "2026-12-30")
        self._run_to("2027-01-15")
        Target = self.env["loan.collection.kpi.target"]
        Target.search([]).unlink()  # demo targets
        with self.assertRaises(AccessError):
            Target.with_user(self.teamlead).create({"kpi": "contact_rate", "target": 80})
        Target.create(
            [
                {"kpi": "contact_rate", "target": 80},
                {"kpi": "rpc_rate", "target": 40, "team_id": self.team_a.id},
                {"kpi": "rpc_rate", "target": 90},
                {"kpi": "roll_rate", "target": 10},
            ]
        )
        Report = self.env["loan.collection.kpi.report"]
        with self.assertRaises(AccessError):
            Report.with_user(self.collector).create({"date_from": "2026-12-01"})

        def kpis(dimension, date_from, date_to, user=self.teamlead):
            report = Report.with_user(user).create(
                {"date_from": date_from, "date_to": date_to, "dimension": dimension}
            )
            report.action_compute()
            return {(line.name, line.kpi): line for line in report.line_ids}

        by_user = kpis("user", "2026-12-01", "2027-01-15")
        name = self.collector.name
        expected = {
            "contact_rate": 75.0,  # 3 of 4 calls reached someone
            "rpc_rate": 50.0,  # 2 of 4 reached the borrower
            "promise_rate": 50.0,  # 1 promise in 2 right-party contacts
            "kept_rate": 100.0,
            "collected": 500_000.0,
            "cure_rate": 0.0,
            "first_contact_sla": 0.0,  # opened on 21 December, first called on the 26th
        }
        for kpi, value in expected.items():
            line = by_user[name, kpi]
            self.assertAlmostEqual(line.amount if line.is_amount else line.value, value, msg=kpi)
        # the amount collected is money in the company's currency, not a rate
        collected = by_user[name, "collected"]
        self.assertTrue(collected.is_amount)
        self.assertEqual(collected.value, 0.0)
        self.assertEqual(collected.currency_id, self.env.company.currency_id)
        self.assertEqual(collected._fields["amount"].type, "monetary")
        self.assertFalse(by_user[name, "contact_rate"].is_amount)
        self.assertNotIn((name, "roll_rate"), by_user, "nothing was late on 1 December")
        line = by_user[name, "contact_rate"]
        self.assertEqual((line.target, line.has_target, line.met), (80.0, True, False))
        self.assertTrue(by_user[name, "rpc_rate"].has_target)
        self.assertFalse(by_user[name, "rpc_rate"].met, "the general 90% target applies")
        by_team = kpis("team", "2026-12-01", "2027-01-15")
        line = by_team[self.team_a.display_name, "rpc_rate"]
        self.assertEqual((line.value, line.target, line.met), (50.0, 40.0, True))
        # a lead sees the teams they are in, compliance all of them
        self.team_b.member_ids = [(4, self.compliance.id)]
        case_b = self._cases(self.env["res.partner"].create([{"name": "Debtor B"}]))
        case_b.sudo().write({"queue_id": self.late.id, "opened_on": "2026-12-10"})
        by_team = kpis("team", "2026-12-01", "2027-01-15")
        self.assertNotIn(self.team_b.display_name, {n for n, _k in by_team})
        by_team_all = kpis("team", "2026-12-01", "2027-01-15", user=self.compliance)
        self.assertIn((self.team_b.display_name, "cure_rate"), by_team_all)
        # roll rate: late on 25 December, a bucket worse by 21 January
        self._run_to("2027-01-21")
        by_user = kpis("user", "2026-12-25", "2027-01-21", user=self.compliance)
        line = by_user[name, "roll_rate"]
        self.assertEqual((line.value, line.target, line.met), (100.0, 10.0, False))
        by_bucket = kpis("bucket", "2026-12-25", "2027-01-21", user=self.compliance)
        early = self.env.ref("loan_collection.loan_collection_bucket_1_30").display_name
        line = by_bucket[early, "roll_rate"]  # with demo data, other loans roll or not
        self.assertTrue(0 < line.value <= 100 and not line.met)

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
            self.env["loan.collection.case"].with_user(self.collector)._next_case(),
            other,
            "a case with legal is out of the worklist",
        )
        with self.assertRaises(UserError):
            tagged.with_user(self.teamlead).action_close()
        other.sudo().state = "resolved"
        other.with_user(self.teamlead).action_close()
        self.assertEqual(other.state, "closed")
        self.assertTrue(other.closed_on, "a closed case has its closing date")

    def _fraud_queue(self):
        team = self.env["loan.team"].create(
            {"name": "Fraud", "kind": "collection", "leader_id": self.teamlead.id}
        )
        return self.env["loan.collection.queue"].create(
            {"name": "Fraud review", "team_id": team.id, "fraud_queue": True}
        )

    def test_first_payment_default_is_referred_for_fraud_by_rule(self):
        queue = self._fraud_queue()
        self.env["ir.config_parameter"].sudo().set_param("loan.fraud_fpd_days", "30")
        contract = self._active_contract()
        self._run_to("2027-01-18")
        case = self._case(contract)
        self.assertEqual((case.dpd, case.fraud_referral_ids), (29, self.env["loan.fraud.referral"]))
        self._run_to("2027-01-19")
        referral = case.fraud_referral_ids
        self.assertEqual(
            (referral.reason, case.state, case.queue_id), ("first_payment_default", "fraud", queue)
        )
        self.assertIn(contract.name, referral.note)
        self.assertTrue(
            contract.application_id.activity_ids.filtered(lambda a: a.user_id == self.appraiser)
        )

    def test_origination_fraud_signals_refer_the_case_when_it_opens(self):
        queue = self._fraud_queue()
        contract = self._active_contract()
        contract.application_id.sudo().fraud_signals = "The same ID number is on 2 other person(s)."
        self._run_to("2026-12-21")
        case = self._case(contract)
        self.assertFalse(case.fraud_referral_ids, "the rule is off unless configured")
        self.env["ir.config_parameter"].sudo().set_param("loan.fraud_flag_signals", "1")
        self._run_to("2026-12-22")
        self.assertEqual((case.fraud_referral_ids.reason, case.queue_id), ("shared_contact", queue))
        self.assertIn("same ID number", case.fraud_referral_ids.note)

    def test_a_day_of_field_visits_is_planned_in_priority_order(self):
        self.collector.tz = "Asia/Ho_Chi_Minh"
        partners = self.env["res.partner"].create(
            [
                {"name": "Debtor %s" % n, "street": "%s Lê Lợi" % n, "city": "Hồ Chí Minh"}
                for n in range(3)
            ]
        )
        cases = self._cases(partners)
        Plan = self.env["loan.field.visit.plan"].with_user(self.collector)
        Plan.with_context(active_model="loan.collection.case", active_ids=cases[2].ids).create(
            {"date": "2026-12-27"}
        ).action_plan()
        action = (
            Plan.with_context(active_model="loan.collection.case", active_ids=cases.ids)
            .create({"date": "2026-12-28", "start_hour": 9.0, "minutes_between": 45})
            .action_plan()
        )
        visits = self.env["loan.field.visit"].with_user(self.collector).search(action["domain"])
        self.assertEqual(visits.case_id, cases[:2], "a case with a planned visit is skipped")
        planned = visits.sorted("appointment")
        self.assertEqual(planned.case_id.ids, cases[:2].ids, "highest priority first")
        self.assertEqual(
            [str(v.appointment) for v in planned],
            ["2026-12-28 02:00:00", "2026-12-28 02:45:00"],  # 9:00 and 9:45 in Ho Chi Minh City
        )
        self.assertEqual(planned[0].address, "0 Lê Lợi, Hồ Chí Minh")
        with self.assertRaises(AccessError):
            Plan.with_user(self.collector_b).with_context(
                active_model="loan.collection.case", active_ids=cases.ids
            ).create({"date": "2026-12-28"}).action_plan()

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

    def test_night_end_of_day_sends_its_messages_in_the_morning(self):
        self.company.partner_id.tz = "Asia/Ho_Chi_Minh"
        Strategy = self.env["loan.collection.strategy"]
        with freeze_time("2026-12-17 07:00:00"):  # 14:00 in Ho Chi Minh City
            self.assertIsNone(Strategy._outreach_eta())
        with freeze_time("2026-12-17 14:30:00"):  # 21:30: tomorrow at 9:00
            self.assertEqual(str(Strategy._outreach_eta()), "2026-12-18 02:00:00")
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
        # the end of 16 December runs at 00:30 on the 17th in Ho Chi Minh City: the
        # messages wait for 9:00, and "due in 3 days" counts from the 17th
        with freeze_time("2026-12-16 17:30:00"), trap_jobs() as trap:
            run._run_chunk(contract.ids)
            trap.assert_jobs_count(1, only=Strategy._run_outreach)
            trap.assert_enqueued_job(
                Strategy._run_outreach,
                args=(contract.ids, fields.Date.to_date("2026-12-16")),
                properties={"eta": datetime(2026, 12, 17, 2, 0)},
            )
        Attempt = self.env["loan.outreach.attempt"]
        domain = [("res_model", "=", "loan.contract"), ("res_id", "=", contract.id)]
        self.assertFalse(Attempt.search(domain), "nothing sent at night")
        with freeze_time("2026-12-17 02:00:05"):
            trap.perform_enqueued_jobs()
        sent = Attempt.search(domain)
        self.assertEqual(sent.mapped("state"), ["sent"])
        self.assertIn("3 days", sent.body)
        self.assertEqual(contract.line_ids.sorted("sequence")[0].reminded_days, 3)
