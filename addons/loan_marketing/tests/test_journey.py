from datetime import timedelta

from odoo import fields
from odoo.tests import tagged

from .common import LoanMarketingCase


@tagged("post_install", "-at_install")
class TestJourney(LoanMarketingCase):
    def setUp(self):
        super().setUp()
        self.journey = self.env["loan.nurture.journey"].create(
            {
                "name": "Test welcome",
                "trigger": "captured",
                "step_ids": [
                    fields.Command.create(
                        {"sequence": 1, "name": "Hello", "kind": "sms", "body": "Hi"}
                    ),
                    fields.Command.create(
                        {"sequence": 2, "name": "Wait", "kind": "wait", "wait_hours": 24}
                    ),
                    fields.Command.create(
                        {
                            "sequence": 3,
                            "name": "Still no app",
                            "kind": "condition",
                            "condition": "no_application",
                        }
                    ),
                    fields.Command.create({"sequence": 4, "name": "Call", "kind": "call"}),
                ],
            }
        )

    def _enrolment(self, **row):
        [result] = self.capture({"phone": "0381236000", **row})
        lead = self.env["crm.lead"].browse(result["lead_id"])
        return lead, lead.loan_enrolment_ids

    def test_journey_sends_through_the_gate_and_waits(self):
        lead, enrolment = self._enrolment(consent_marketing=True)
        self.assertEqual(enrolment.journey_id, self.journey)
        enrolment._run()
        attempt = self.env["loan.outreach.attempt"].search(
            [("res_model", "=", "loan.nurture.enrolment"), ("res_id", "=", enrolment.id)]
        )
        self.assertEqual(attempt.purpose, "marketing")
        self.assertEqual(attempt.state, "sent")
        self.assertEqual(enrolment.step_id.name, "Still no app")
        self.assertGreater(enrolment.next_run_at, fields.Datetime.now())
        enrolment.next_run_at = fields.Datetime.now()
        enrolment._run()
        self.assertEqual(enrolment.exit_reason, "completed")
        self.assertTrue(lead.activity_ids, "the call step left a call task")

    def test_without_marketing_consent_nothing_is_sent(self):
        _lead, enrolment = self._enrolment()
        enrolment._run()
        self.assertEqual(enrolment.exit_reason, "opted_out")
        self.assertFalse(
            self.env["loan.outreach.attempt"].search_count(
                [("res_model", "=", "loan.nurture.enrolment"), ("res_id", "=", enrolment.id)]
            )
        )

    def test_inbound_stop_is_a_refusal_every_channel_honours(self):
        lead, enrolment = self._enrolment(consent_marketing=True)
        Attempt = self.env["loan.outreach.attempt"]
        Attempt.loan_inbound_message(
            lead.partner_id, "sms", " Từ chối ", when=self.morning - timedelta(minutes=5)
        )
        self.assertEqual(enrolment.exit_reason, "opted_out")
        self.assertFalse(self.env["loan.consent"]._has_consent(lead.partner_id, "marketing"))
        for channel in ("sms", "zalo"):
            verdict = Attempt.gate_check(lead.partner_id, channel, purpose="marketing")
            self.assertFalse(verdict["allowed"], channel)
        # a service message still goes
        self.assertTrue(Attempt.gate_check(lead.partner_id, "sms", purpose="service")["allowed"])

    def test_unsubscribe_link_is_a_refusal(self):
        lead, enrolment = self._enrolment(consent_marketing=True, email="hoa@example.com")
        self.env["mail.blacklist"]._add("hoa@example.com")
        self.assertEqual(enrolment.exit_reason, "opted_out")
        self.assertFalse(self.env["loan.consent"]._has_consent(lead.partner_id, "marketing"))

    def test_converted_lead_leaves(self):
        lead, enrolment = self._enrolment(
            consent_marketing=True, amount=20_000_000, term=12, income=15_000_000
        )
        lead.loan_birth_date = "1990-01-01"
        lead.with_user(lead.user_id).action_loan_create_application()
        enrolment._run()
        self.assertEqual(enrolment.exit_reason, "converted")

    def test_split_runs_one_variant(self):
        self.journey.step_ids.unlink()
        self.journey.step_ids = [
            fields.Command.create(
                {"sequence": 1, "name": "Split", "kind": "split", "split_percent": 50}
            ),
            fields.Command.create(
                {"sequence": 2, "name": "A", "kind": "sms", "body": "A", "variant": "a"}
            ),
            fields.Command.create(
                {"sequence": 3, "name": "B", "kind": "sms", "body": "B", "variant": "b"}
            ),
        ]
        _lead, enrolment = self._enrolment(consent_marketing=True)
        enrolment._run()
        attempts = self.env["loan.outreach.attempt"].search(
            [("res_model", "=", "loan.nurture.enrolment"), ("res_id", "=", enrolment.id)]
        )
        self.assertEqual(len(attempts), 1)
        self.assertTrue(attempts.body.startswith(enrolment.variant.upper() + " "))
