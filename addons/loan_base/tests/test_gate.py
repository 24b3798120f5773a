from unittest.mock import patch

import requests

from odoo import fields
from odoo.exceptions import AccessError
from odoo.tests import freeze_time, tagged

from .common import LoanBaseCommon

# 21:05 and 20:55 in Asia/Ho_Chi_Minh (UTC+7)
AFTER_HOURS = "2026-11-20 14:05:00"
IN_HOURS = "2026-11-20 13:55:00"


@tagged("post_install", "-at_install")
class TestGate(LoanBaseCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Attempt = cls.env["loan.outreach.attempt"].with_user(cls.collector)
        cls.borrower.loan_user_id = cls.collector

    def _sms(self, partner=None, **kw):
        return self.Attempt.gate_send(
            partner or self.borrower, "sms", purpose="reminder", body="Reminder", **kw
        )

    def test_blocked_after_hours_and_allowed_inside(self):
        with freeze_time(AFTER_HOURS):
            verdict = self.Attempt.gate_check(self.borrower, "sms", "reminder")
            self.assertFalse(verdict["allowed"])
            attempt = self._sms()
        self.assertEqual(attempt.state, "blocked")
        self.assertEqual(attempt.reason_code, "outside_window")
        self.assertIn("21:05", attempt.reason)
        self.assertFalse(attempt.provider_id, "a blocked message never reaches a provider")
        with freeze_time(IN_HOURS):
            attempt = self._sms()
        self.assertEqual(attempt.state, "sent")
        self.assertEqual(
            attempt.provider_id, self.env.ref("loan_base.loan_outreach_provider_sandbox_sms")
        )
        self.assertIn("STOP", attempt.body, "every SMS carries the opt-out")
        history = self.borrower.with_user(self.collector).loan_outreach_attempt_ids
        self.assertEqual(sorted(history.mapped("state")), ["blocked", "sent"])

    def test_sixth_reminder_of_the_day_is_blocked(self):
        times = ["2026-11-20 01:%02d:00" % m for m in range(0, 60, 10)]  # 08:00-08:50 local
        results = []
        for i, when in enumerate(times):
            with freeze_time(when):
                if i % 2:
                    results.append(
                        self.Attempt.gate_log_contact(self.borrower, "call", purpose="reminder")
                    )
                else:
                    results.append(self._sms())
        self.assertEqual([a.state for a in results], ["sent"] * 5 + ["blocked"])
        self.assertEqual(results[-1].reason_code, "daily_cap")
        # the next local day starts a new count
        with freeze_time("2026-11-21 01:00:00"):
            self.assertEqual(self._sms().state, "sent")

    def test_inbound_contact_is_logged_never_blocked_nor_counted(self):
        with freeze_time("2026-11-19 23:30:00"):  # 06:30 on the 20th, before the window
            self.assertFalse(self.Attempt.gate_check(self.borrower, "call", "debt")["allowed"])
            inbound = [
                self.Attempt.gate_log_contact(
                    self.borrower, channel, conversation=True, direction="inbound"
                )
                for channel in ("call", "sms", "call", "zalo", "visit", "call")
            ]
        self.assertEqual({a.state for a in inbound}, {"sent"})
        self.assertEqual({a.direction for a in inbound}, {"inbound"})
        self.assertEqual(inbound[0].reason_code, "inbound")
        self.assertTrue(inbound[0].answered and inbound[0].conversation)
        # six inbound contacts earlier today, yet the daily cap of five is not used up
        with freeze_time(IN_HOURS):
            call = self.Attempt.gate_log_contact(self.borrower, "call")
        self.assertEqual((call.state, call.direction), ("sent", "outbound"))
        # the gate's clock is one method a test can set
        with patch.object(
            type(self.env["loan.outreach.attempt"]),
            "_gate_now",
            lambda _self: fields.Datetime.to_datetime(AFTER_HOURS),
        ):
            verdict = self.Attempt.gate_check(self.borrower, "call", "debt")
        self.assertEqual(verdict["code"], "outside_window")

    def test_no_debt_content_to_reference(self):
        with freeze_time(IN_HOURS):
            blocked = self.Attempt.gate_log_contact(
                self.reference, "call", purpose="debt", debtor=self.borrower
            )
            self.assertEqual(blocked.state, "blocked")
            self.assertEqual(blocked.reason_code, "third_party_disclosure")
            self.assertEqual(blocked.recipient_role, "third_party")
            self.assertFalse(blocked.answered)
            # asking a reference to pass on a contact request is not debt content
            allowed = self.Attempt.gate_log_contact(
                self.reference, "call", purpose="service", debtor=self.borrower
            )
            self.assertEqual(allowed.state, "sent")

    def test_refused_channel_and_do_not_call(self):
        self.mobile.refuse_sms = True
        with freeze_time(IN_HOURS):
            attempt = self._sms()
            self.assertEqual((attempt.state, attempt.reason_code), ("blocked", "channel_refused"))
            self.mobile.do_not_call = True
            call = self.Attempt.gate_log_contact(self.borrower, "call", purpose="reminder")
            self.assertEqual(call.state, "blocked")
            self.assertIn(call.reason_code, ("channel_refused", "do_not_call"))

    def test_marketing_needs_consent(self):
        with freeze_time(IN_HOURS):
            attempt = self.Attempt.gate_send(
                self.borrower, "sms", purpose="marketing", body="Offer"
            )
            self.assertEqual(attempt.reason_code, "no_consent")
            consent = self.env["loan.consent"].create(
                {
                    "partner_id": self.borrower.id,
                    "purpose": "marketing",
                    "text_version": "MKT-1",
                    "given_at": "2026-11-01 00:00:00",
                }
            )
            attempt = self.Attempt.gate_send(
                self.borrower, "sms", purpose="marketing", body="Offer"
            )
            self.assertEqual(attempt.state, "sent")
            consent.action_withdraw()
            attempt = self.Attempt.gate_send(
                self.borrower, "sms", purpose="marketing", body="Offer"
            )
            self.assertEqual(attempt.reason_code, "no_consent")

    def test_template_rendered_in_partner_language(self):
        template = self.env.ref("loan_base.mail_template_loan_payment_reminder")
        with freeze_time(IN_HOURS):
            attempt = self.Attempt.gate_send(
                self.borrower, "email", purpose="reminder", template=template
            )
        self.assertEqual(attempt.state, "sent")
        self.assertIn(self.borrower.name, attempt.body)

    def test_template_in_vietnamese_and_chinese(self):
        self.env["res.lang"]._activate_lang("vi_VN")
        self.env["res.lang"]._activate_lang("zh_CN")
        self.env["ir.module.module"]._load_module_terms(["loan_base"], ["vi_VN", "zh_CN"])
        template = self.env.ref("loan_base.mail_template_loan_payment_reminder")
        expected = {"vi_VN": "Kỳ trả góp", "zh_CN": "分期还款"}
        for lang, words in expected.items():
            self.borrower.lang = lang
            with freeze_time(IN_HOURS):
                attempt = self.Attempt.gate_send(
                    self.borrower, "sms", purpose="reminder", template=template
                )
            self.assertEqual(attempt.state, "sent")
            self.assertIn(words, attempt.subject)
            self.assertNotIn("<p>", attempt.body, "SMS text is plain")

    def test_mail_and_zalo_providers(self):
        self.env.ref("loan_base.loan_outreach_provider_sandbox_email").provider_type = "mail"
        template = self.env.ref("loan_base.mail_template_loan_contact_request")
        with freeze_time(IN_HOURS):
            attempt = self.Attempt.gate_send(
                self.borrower, "email", purpose="service", template=template
            )
        self.assertEqual(attempt.state, "sent")
        mail = self.env["mail.mail"].browse(int(attempt.provider_ref.split("-")[1]))
        self.assertEqual(mail.recipient_ids, self.borrower)
        self.assertIn(self.borrower.name, str(mail.body_html))

        self.env["loan.outreach.provider"].create(
            {
                "name": "Zalo OA",
                "channel": "zalo",
                "provider_type": "zalo_zns",
                "url": "http://127.0.0.1:9/zns",
                "api_token": "secret",
                "sequence": 1,
            }
        )
        answer = {"error": 0, "data": {"msg_id": "z42"}}
        ok = type("R", (), {"status_code": 200, "json": lambda self: answer})
        with freeze_time(IN_HOURS), patch.object(requests, "post", return_value=ok()) as post:
            attempt = self.Attempt.gate_send(self.borrower, "zalo", purpose="reminder", body="Hi")
        self.assertEqual((attempt.state, attempt.provider_ref), ("sent", "z42"))
        self.assertEqual(post.call_args.kwargs["json"]["phone"], "84901111567")
        self.assertEqual(post.call_args.kwargs["headers"]["access_token"], "secret")
        refused = {"error": -124, "message": "Invalid template"}
        bad = type("R", (), {"status_code": 200, "json": lambda self: refused})
        with freeze_time(IN_HOURS), patch.object(requests, "post", return_value=bad()):
            attempt = self.Attempt.gate_send(self.borrower, "zalo", purpose="reminder", body="Hi")
        self.assertEqual((attempt.state, attempt.reason_code), ("failed", "rejected"))
        self.assertIn("Invalid template", attempt.reason)

    def test_send_wizard_shows_verdict_first(self):
        Wizard = self.env["loan.outreach.send"].with_user(self.collector)
        with freeze_time(AFTER_HOURS):
            wizard = Wizard.create(
                {"partner_id": self.borrower.id, "channel": "call", "purpose": "debt"}
            )
            self.assertFalse(wizard.verdict_allowed)
            self.assertIn("21:05", wizard.verdict_reason)
            action = wizard.action_send()
        self.assertEqual(action["params"]["type"], "danger")
        Attempt = self.env["loan.outreach.attempt"]
        logged = Attempt.search([("partner_id", "=", self.borrower.id)])
        self.assertEqual(logged.state, "blocked", "a blocked call is never logged as made")
        with freeze_time(IN_HOURS):
            wizard = Wizard.create(
                {
                    "partner_id": self.borrower.id,
                    "channel": "call",
                    "purpose": "debt",
                    "body": "PTP",
                }
            )
            self.assertTrue(wizard.verdict_allowed)
            wizard.action_send()
        logged = Attempt.search([("partner_id", "=", self.borrower.id)])
        self.assertEqual(sorted(logged.mapped("state")), ["blocked", "sent"])

    def test_provider_failure_is_a_logged_failed_attempt(self):
        provider = self.env["loan.outreach.provider"].create(
            {
                "name": "Brandname gateway",
                "channel": "sms",
                "provider_type": "sms_http",
                "url": "http://127.0.0.1:9/sms",
                "sender": "SENVANG",
                "timeout": 3,
                "sequence": 1,
            }
        )
        with freeze_time(IN_HOURS), patch.object(requests, "post", side_effect=requests.Timeout):
            attempt = self._sms()
        self.assertEqual(attempt.provider_id, provider)
        self.assertEqual((attempt.state, attempt.reason_code), ("failed", "timeout"))
        ok = type("R", (), {"status_code": 200, "json": lambda self: {"status": "ok", "id": "m1"}})
        with freeze_time(IN_HOURS), patch.object(requests, "post", return_value=ok()) as post:
            attempt = self._sms()
        self.assertEqual((attempt.state, attempt.provider_ref), ("sent", "m1"))
        self.assertEqual(post.call_args.kwargs["timeout"], 3)
        self.assertEqual(post.call_args.kwargs["json"]["to"], "+84901111567")

    def test_attempts_cannot_be_forged(self):
        with self.assertRaises(AccessError):
            self.env["loan.outreach.attempt"].with_user(self.collector).create(
                {
                    "partner_id": self.borrower.id,
                    "channel": "call",
                    "purpose": "debt",
                    "state": "sent",
                    "attempted_at": "2026-11-20 13:00:00",
                    "company_id": self.company.id,
                }
            )
