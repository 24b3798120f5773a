from odoo.exceptions import AccessError
from odoo.tests import freeze_time, tagged

from .common import LoanBaseCommon
from .http_common import WebClientCase

IN_HOURS = "2026-11-20 03:00:00"  # 10:00 in Asia/Ho_Chi_Minh


@tagged("post_install", "-at_install")
class TestPublicActions(WebClientCase, LoanBaseCommon):
    """The public methods of loan_base check the caller before acting with servicing's
    rights: a user reaches only the people of their portfolio, over the form and over
    JSON-RPC alike, and the gate's own methods are not callable remotely."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.other_borrower = (
            cls.env["res.partner"]
            .with_user(cls.officer2)
            .create(
                {
                    "name": "Other Portfolio Borrower",
                    "loan_is_borrower": True,
                    "country_id": cls.vn.id,
                    "tz": "Asia/Ho_Chi_Minh",
                    "loan_phone_ids": [(0, 0, {"number": "0902 222 333", "is_primary": True})],
                }
            )
        )
        cls.consent = cls.env["loan.consent"].create(
            {
                "partner_id": cls.borrower.id,
                "purpose": "marketing",
                "text_version": "MKT-1",
                "given_at": "2026-11-01 00:00:00",
            }
        )

    def _wizard(self, user, partner, debtor=None):
        return (
            self.env["loan.outreach.send"]
            .with_user(user)
            .create(
                {
                    "partner_id": partner.id,
                    "debtor_id": debtor.id if debtor else False,
                    "channel": "call",
                    "purpose": "service",
                    "body": "Called",
                }
            )
        )

    def _attempts(self, partner):
        return self.env["loan.outreach.attempt"].search_count([("partner_id", "=", partner.id)])

    @freeze_time(IN_HOURS)
    def test_send_wizard_reaches_only_the_users_portfolio(self):
        # another officer's borrower: no verdict shown, nothing logged, refused
        wizard = self._wizard(self.officer2, self.borrower)
        self.assertFalse(wizard.verdict_allowed)
        self.assertIn("outside your portfolio", wizard.verdict_reason)
        with self.assertRaises(AccessError):
            wizard.action_send()
        # a collector with no case of this borrower
        with self.assertRaises(AccessError):
            self._wizard(self.collector, self.borrower).action_send()
        self.assertEqual(self._attempts(self.borrower), 0)
        # the borrower's own officer, and the team lead of the borrower's team
        for user in (self.officer, self.teamlead):
            wizard = self._wizard(user, self.borrower)
            self.assertTrue(wizard.verdict_allowed, wizard.verdict_reason)
            wizard.action_send()
        self.assertEqual(self._attempts(self.borrower), 2)

    @freeze_time(IN_HOURS)
    def test_a_reference_is_contacted_about_a_borrower_they_are_related_to(self):
        # a reference alone: about which borrower?
        with self.assertRaisesRegex(AccessError, "choose the borrower"):
            self._wizard(self.officer, self.reference).action_send()
        # about a borrower the reference is not related to
        with self.assertRaisesRegex(AccessError, "not a related person"):
            self._wizard(self.officer2, self.reference, self.other_borrower).action_send()
        # about the borrower, by someone outside the borrower's portfolio
        with self.assertRaises(AccessError):
            self._wizard(self.officer2, self.reference, self.borrower).action_send()
        self.assertEqual(self._attempts(self.reference), 0)
        self._wizard(self.officer, self.reference, self.borrower).action_send()
        self.assertEqual(self._attempts(self.reference), 1)

    def test_rpc_refuses_contact_outside_the_portfolio(self):
        self._login(self.officer2)
        [saved] = self.call_kw(
            "loan.outreach.send",
            "web_save",
            [[], {"partner_id": self.borrower.id, "channel": "sms", "body": "Hello"}],
            {"specification": {"verdict_allowed": {}}},
        )
        self.assertFalse(saved["verdict_allowed"])
        message = self.call_kw_refused("loan.outreach.send", "action_send", [[saved["id"]]])
        self.assertIn("outside your portfolio", message)
        self.assertEqual(self._attempts(self.borrower), 0)

    def test_rpc_cannot_call_the_gate_itself(self):
        self._login(self.officer)
        for method, args in (
            ("gate_send", [self.borrower.id, "sms"]),
            ("gate_log_contact", [self.borrower.id, "call"]),
            ("gate_check", [self.borrower.id, "sms"]),
        ):
            message = self.call_kw_refused("loan.outreach.attempt", method, args)
            self.assertIn("cannot be called remotely", message)
        self.assertEqual(self._attempts(self.borrower), 0)

    def test_rpc_consent_withdrawal_only_in_the_portfolio(self):
        self._login(self.officer2)
        self.call_kw_refused("loan.consent", "action_withdraw", [[self.consent.id]])
        self.assertEqual(self.consent.state, "active")
        self._login(self.officer)
        self.call_kw("loan.consent", "action_withdraw", [[self.consent.id]])
        self.assertEqual(self.consent.state, "withdrawn")
