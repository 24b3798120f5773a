from lxml import etree

from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, freeze_time, tagged
from odoo.tools.safe_eval import safe_eval

from .common import CollectionCommon

# Ho Chi Minh City is UTC+7; the Vietnamese policy allows contacts from 07:00 to 21:00
NIGHT = "2026-12-21 14:30:00"  # 21:30
MORNING = "2026-12-21 02:00:00"  # 09:00
AFTERNOON = "2026-12-21 07:00:00"  # 14:00
EVENING = "2026-12-21 14:19:00"  # 21:19
BEFORE_NINE = "2026-12-21 13:55:00"  # 20:55


@tagged("post_install", "-at_install")
class TestContactDialog(CollectionCommon):
    """The contact dialog of a case: the policy's verdict first (blocking or allowed), a
    script greeting for the time of day, inbound contacts, references contacted under
    the third-party rules, promises recorded from the case, and QA reviews of contacts."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.team_a.leader_id = cls.teamlead
        cls.case = cls._cases_for(cls.borrower)
        cls.guarantor = cls.env["res.partner"].create(
            {
                "name": "Test Guarantor",
                "tz": "Asia/Ho_Chi_Minh",
                "loan_phone_ids": [(0, 0, {"number": "0976333444", "is_primary": True})],
            }
        )
        Related = cls.env["loan.related.person"]
        cls.rel_reference = Related.search(
            [("partner_id", "=", cls.borrower.id), ("person_id", "=", cls.reference.id)]
        )
        cls.rel_guarantor = Related.create(
            {"partner_id": cls.borrower.id, "person_id": cls.guarantor.id, "role": "guarantor"}
        )

    @classmethod
    def _cases_for(cls, partner):
        return (
            cls.env["loan.collection.case"]
            .sudo()
            .create(
                {
                    "partner_id": partner.id,
                    "company_id": cls.company.id,
                    "queue_id": cls.early.id,
                    "bucket_id": cls.env.ref("loan_collection.loan_collection_bucket_1_30").id,
                    "dpd": 10,
                    "overdue_amount": 1_000_000,
                    "opened_on": "2026-12-11",
                }
            )
        )

    def _dialog(self, user=None, **vals):
        """The dialog the case's Contact button opens, as ``user`` (the collector)."""
        case = self.case.with_user(user or self.collector)
        action = case.action_log_contact()
        Activity = (
            self.env["loan.collection.activity"]
            .with_user(user or self.collector)
            .with_context(**action["context"])
        )
        # as the web client opens it: the defaults, then what the collector fills in
        return Activity.new({**Activity.default_get(list(Activity._fields)), **vals})

    def _record(self, user=None, **vals):
        activity = (
            self.env["loan.collection.activity"]
            .with_user(user or self.collector)
            .create({"case_id": self.case.id, **vals})
        )
        activity.action_done()
        return activity

    # ---------------------------------------------------------------- verdict
    def test_blocking_verdict_reads_as_blocking_and_hides_record(self):
        with freeze_time(NIGHT):
            night = self._dialog(channel="call")
            self.assertFalse(night.gate_allowed)
            self.assertIn("21:30", night.gate_verdict)
        with freeze_time(MORNING):
            morning = self._dialog(channel="call")
            self.assertTrue(morning.gate_allowed)
            self.assertEqual(morning.gate_verdict, "Allowed by the contact policy.")
        # the dialog shows a blocking verdict in a danger alert and offers no Record button
        arch = etree.fromstring(
            self.env["loan.collection.activity"]
            .with_user(self.collector)
            .get_views([(False, "form")])["views"]["form"]["arch"]
        )
        blocked = arch.xpath("//div[contains(@class, 'o_loan_gate_blocked')]")[0]
        allowed = arch.xpath("//div[contains(@class, 'o_loan_gate_allowed')]")[0]
        self.assertIn("alert-danger", blocked.get("class"))
        self.assertIn("alert-success", allowed.get("class"))
        self.assertIn("gate_allowed", blocked.get("invisible"))
        self.assertIn("not gate_allowed", allowed.get("invisible"))
        record = arch.xpath("//button[@name='action_done']")[0]
        self.assertIn("not gate_allowed", record.get("invisible"))
        # forced through anyway, the contact is recorded as blocked, never as made
        with freeze_time(NIGHT):
            forced = self._record(channel="call", outcome="no_answer")
        self.assertEqual((forced.state, forced.attempt_id.state), ("blocked", "blocked"))
        # compliance reads contacts but does not make them
        with self.assertRaises(AccessError):
            self._record(user=self.compliance, channel="call")

    def test_a_call_asks_the_gate_when_it_is_placed_not_when_it_is_recorded(self):
        Activity = self.env["loan.collection.activity"].with_user(self.collector)
        # placed at 20:55, inside the window: allowed and logged as made then
        with freeze_time(BEFORE_NINE):
            call = Activity.create({"case_id": self.case.id, "channel": "call"})
            action = call.action_call()
        self.assertEqual(action["res_id"], call.id, "the dialog stays open for the outcome")
        attempt = call.attempt_id
        self.assertEqual((call.state, attempt.state), ("draft", "sent"))
        self.assertEqual(str(attempt.attempted_at), BEFORE_NINE)
        with self.assertRaises(UserError):
            call.action_call()  # one call, one attempt
        # recorded at 21:30, after the window closed: the call was allowed when placed
        with freeze_time(NIGHT):
            call.write({"outcome": "refused", "note": "Says they cannot pay"})
            call.action_done()
        self.assertEqual((call.state, call.attempt_id), ("done", attempt))
        self.assertEqual((attempt.answered, attempt.conversation), (True, True))
        # placed at 21:30: refused before it happens, logged as blocked, nothing to record
        with freeze_time(NIGHT):
            late = Activity.create({"case_id": self.case.id, "channel": "call"})
            refusal = late.action_call()
        self.assertEqual(refusal["params"]["type"], "danger")
        self.assertEqual((late.state, late.attempt_id.state), ("blocked", "blocked"))
        with self.assertRaises(UserError):
            late.action_done()
        # an inbound call at night is recorded, never placed nor blocked
        with freeze_time(NIGHT):
            inbound = Activity.create(
                {"case_id": self.case.id, "channel": "call", "direction": "inbound"}
            )
            with self.assertRaises(UserError):
                inbound.action_call()
            inbound.write({"outcome": "dispute"})
            inbound.action_done()
        self.assertEqual((inbound.state, inbound.attempt_id.direction), ("done", "inbound"))

    def test_script_greets_for_the_time_of_day_where_the_person_is(self):
        for when, greeting in (
            (MORNING, "Good morning"),
            (AFTERNOON, "Good afternoon"),
            (EVENING, "Good evening"),
        ):
            with freeze_time(when):
                dialog = self._dialog(channel="call")
                self.assertEqual(dialog.script_id.situation, "first_reminder")
                self.assertIn(greeting, dialog.script_body)
                self.assertNotIn("[greeting]", dialog.script_body)
                self.assertIn(self.borrower.name, dialog.script_body)
        # a borrower without a time zone: the collector's (Paris, UTC+1 in winter)
        self.borrower.tz = False
        self.collector.tz = "Europe/Paris"
        with freeze_time(AFTERNOON):  # 08:00 in Paris
            self.assertIn("Good morning", self._dialog(channel="call").script_body)

    # ---------------------------------------------------------------- inbound
    def test_inbound_contact_is_recorded_as_inbound_and_never_blocked(self):
        with freeze_time(NIGHT):
            self.assertFalse(self._dialog(channel="call").gate_allowed)
            dialog = self._dialog(channel="call", direction="inbound")
            self.assertTrue(dialog.gate_allowed)
            called = self._record(
                channel="call",
                direction="inbound",
                outcome="promise",
                promise_amount=400_000,
                promise_date="2026-12-24",
            )
        self.assertEqual(called.state, "done")
        attempt = called.attempt_id
        self.assertEqual(
            (attempt.direction, attempt.state, attempt.reason_code, attempt.partner_id),
            ("inbound", "sent", "inbound", self.borrower),
        )
        self.assertTrue(attempt.conversation)
        self.assertEqual(self.case.promise_ids.amount, 400_000)
        # inbound contacts do not use up the policy's daily cap (5 contacts a day)
        with freeze_time("2026-12-22 02:00:00"):
            for _n in range(5):
                self._record(channel="sms", direction="inbound", body="Tôi sẽ trả", outcome="paid")
            self.assertTrue(self._dialog(channel="call").gate_allowed)
        # the case's dialog button for it, refused to another team's collector
        self.assertEqual(
            self.case.with_user(self.collector).action_log_inbound()["context"][
                "default_direction"
            ],
            "inbound",
        )
        with self.assertRaises(AccessError):
            self.case.with_user(self.collector_b).action_log_inbound()

    # ---------------------------------------------------------------- references
    def test_reference_contacted_with_reference_script_under_third_party_rules(self):
        with freeze_time(MORNING):
            dialog = self._dialog(channel="call", related_person_id=self.rel_reference.id)
            self.assertEqual(dialog.contact_partner_id, self.reference)
            self.assertEqual(dialog.related_person_id.display_name, "Test Reference (Reference)")
            self.assertEqual(dialog.situation, "reference_contact")
            self.assertEqual(dialog.script_id.situation, "reference_contact")
            self.assertFalse(dialog.discuss_debt, "a reference is not told about the debt")
            self.assertTrue(dialog.gate_allowed)
            # speaking of the debt to someone not obliged to pay: the gate forbids it
            dialog.discuss_debt = True
            self.assertFalse(dialog.gate_allowed)
            self.assertEqual(
                dialog.gate_verdict,
                "Debt information may not be given to a person who is not obliged to pay.",
            )
            asked = self._record(
                channel="call", related_person_id=self.rel_reference.id, outcome="third_party"
            )
            told = self._record(
                channel="call",
                related_person_id=self.rel_reference.id,
                discuss_debt=True,
                outcome="third_party",
            )
            with self.assertRaises(UserError):
                self._record(
                    channel="call",
                    related_person_id=self.rel_reference.id,
                    outcome="promise",
                    promise_amount=100_000,
                    promise_date="2026-12-24",
                )
            # a guarantor is obliged to pay: spoken to about the debt
            guarantor = self._record(
                channel="call", related_person_id=self.rel_guarantor.id, outcome="refused"
            )
        self.assertEqual(asked.state, "done")
        attempt = asked.attempt_id
        self.assertEqual(
            (attempt.partner_id, attempt.debtor_id, attempt.recipient_role, attempt.purpose),
            (self.reference, self.borrower, "third_party", "locate"),
        )
        self.assertEqual(asked.contact_partner_id, self.reference)
        self.assertEqual(told.state, "blocked")
        self.assertEqual(told.attempt_id.reason_code, "third_party_disclosure")
        self.assertEqual(guarantor.state, "done")
        self.assertEqual(
            (guarantor.attempt_id.recipient_role, guarantor.attempt_id.purpose), ("obligor", "debt")
        )
        # the case's collector reads the borrower's related persons, another team's does not
        Related = self.env["loan.related.person"]
        self.assertEqual(
            Related.with_user(self.collector).search([("partner_id", "=", self.borrower.id)]),
            self.rel_reference | self.rel_guarantor,
        )
        self.assertFalse(
            Related.with_user(self.collector_b).search([("partner_id", "=", self.borrower.id)])
        )

    # ---------------------------------------------------------------- promises
    def test_promise_recorded_from_the_case(self):
        action = self.case.with_user(self.collector).action_log_promise()
        self.assertEqual(action["context"]["default_outcome"], "promise")
        Activity = self.env["loan.collection.activity"].with_user(self.collector)
        with freeze_time(MORNING):
            form = Form(Activity.with_context(**action["context"]))
            self.assertEqual(form.outcome, "promise")
            form.promise_amount = 750_000
            form.promise_date = "2026-12-28"
            activity = form.save()
            activity.action_done()
        self.assertEqual(activity.state, "done")
        promise = self.case.promise_ids
        self.assertEqual(promise.amount, 750_000)
        self.assertEqual((str(promise.date), promise.state), ("2026-12-28", "pending"))
        self.assertEqual(self.case.state, "promise")
        self.assertEqual(
            self.case.with_user(self.collector).promise_ids, promise, "on the case's Promises tab"
        )
        with self.assertRaises(AccessError):
            self.case.with_user(self.collector_b).action_log_promise()

    # ---------------------------------------------------------------- QA
    def test_team_lead_reviews_a_sampled_contact(self):
        with freeze_time(MORNING):
            call = self._record(channel="call", outcome="refused")
        Activity = self.env["loan.collection.activity"]
        action = self.env.ref("loan_collection.loan_collection_activity_action_qa")
        to_review = Activity.with_user(self.teamlead).search(
            safe_eval(action.domain, {"uid": self.teamlead.id})
        )
        self.assertIn(call, to_review)
        opened = call.with_user(self.teamlead).action_qa_review()
        review = self.env["loan.qa.review"].browse(opened["res_id"])
        self.assertEqual((review.activity_id, review.collector_id), (call, self.collector))
        self.assertEqual(len(review.line_ids), len(review.scorecard_id.criterion_ids))
        self.assertEqual(call.with_user(self.teamlead).action_qa_review()["res_id"], review.id)
        review.with_user(self.teamlead).action_done()
        self.assertEqual(review.reviewer_id, self.teamlead)
        # the collector does not review their own calls, nor anyone's
        with self.assertRaises(AccessError):
            call.with_user(self.collector).action_qa_review()
        own = self._record(user=self.teamlead, channel="call", outcome="refused")
        with self.assertRaises(UserError):
            own.with_user(self.teamlead).action_qa_review()
        # leads keep the scorecards and violation types; collectors only read them
        Scorecard = self.env["loan.qa.scorecard"]
        card = Scorecard.with_user(self.teamlead).create(
            {"name": "Visit", "criterion_ids": [(0, 0, {"name": "Showed the staff card"})]}
        )
        self.assertEqual(card.criterion_ids.name, "Showed the staff card")
        self.env["loan.qa.violation.type"].with_user(self.teamlead).create(
            {"name": "Came at night", "severity": "major"}
        )
        with self.assertRaises(AccessError):
            Scorecard.with_user(self.collector).create({"name": "Mine"})
        with self.assertRaises(AccessError):
            self.env["loan.qa.violation.type"].with_user(self.collector).create({"name": "x"})
