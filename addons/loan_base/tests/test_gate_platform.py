from odoo.addons.mail.tests.common import MockEmail
from odoo.tests import freeze_time, tagged

from .common import LoanBaseCommon

NIGHT = "2026-11-20 15:30:00"  # 22:30 in Ho Chi Minh City: outside the 07:00-21:00 window
MORNING = "2026-11-21 01:00:00"  # 08:00


@tagged("post_install", "-at_install")
class TestGatePlatformPaths(MockEmail, LoanBaseCommon):
    """Odoo's own ways to reach a person (the chatter, its followers' notifications, the
    SMS app) pass the outreach gate when the person is a borrower or related to one: a
    message waits for the person's window, a refused channel drops them, every contact is
    logged as an attempt; everyone else is reached as Odoo always does."""

    def _attempts(self, partner, channel="email"):
        return self.env["loan.outreach.attempt"].search(
            [("partner_id", "=", partner.id), ("channel", "=", channel)]
        )

    def _post(self, partners):
        """Post on the borrower's chatter to ``partners`` (Odoo sends the e-mails at once
        in tests); the e-mails of the message."""
        with self.mock_mail_gateway():
            message = self.borrower.with_user(self.officer).message_post(
                body="Your documents are ready.",
                partner_ids=partners.ids,
                message_type="comment",
                subtype_xmlid="mail.mt_comment",
            )
        return self.env["mail.mail"].sudo().search([("mail_message_id", "=", message.id)])

    def test_chatter_message_waits_for_the_borrowers_window_and_is_logged_once(self):
        colleague = self.env["res.partner"].create(
            {"name": "Not a borrower", "email": "colleague@example.com"}
        )
        with freeze_time(NIGHT):
            self._post(self.borrower | colleague)
        Mail = self.env["mail.mail"].sudo()
        to_colleague = Mail.search([("recipient_ids", "in", colleague.ids)])
        self.assertEqual(to_colleague.state, "sent", "the others get it at once")
        self.assertNotIn(self.borrower, to_colleague.recipient_ids)
        to_borrower = Mail.search([("recipient_ids", "in", self.borrower.ids)])
        self.assertEqual(len(to_borrower), 1)
        self.assertEqual(to_borrower.state, "outgoing", "held at night")
        self.assertEqual(to_borrower.mail_message_id, to_colleague.mail_message_id)
        self.assertEqual(str(to_borrower.scheduled_date), "2026-11-21 00:00:00")  # 07:00
        self.assertFalse(self._attempts(self.borrower))
        with freeze_time(MORNING), self.mock_mail_gateway():
            to_borrower.send()
            to_borrower.send()
        self.assertEqual(to_borrower.state, "sent")
        attempt = self._attempts(self.borrower)
        self.assertEqual((len(attempt), attempt.state), (1, "sent"))
        self.assertEqual(attempt.res_model, "res.partner")
        self.assertIn("documents are ready", attempt.body)
        self.assertFalse(self._attempts(colleague), "others are no lending contact")

    def test_a_refused_channel_drops_the_person_and_logs_the_refusal(self):
        self.borrower.loan_refuse_email = True
        with freeze_time(MORNING):
            mails = self._post(self.borrower)
        self.assertTrue(mails)
        self.assertEqual(mails.state, "cancel")
        self.assertFalse(self.borrower in mails.recipient_ids)
        attempt = self._attempts(self.borrower)
        self.assertEqual((attempt.state, attempt.reason_code), ("blocked", "channel_refused"))
        self.assertEqual(mails.failure_reason, attempt.reason)

    def test_the_sms_app_hands_a_borrowers_sms_to_the_gate(self):
        sms = self.env["sms.sms"].create(
            {"partner_id": self.borrower.id, "number": "+84901111567", "body": "Hello"}
        )
        with freeze_time(NIGHT):
            sms._send()
        self.assertEqual(sms.state, "canceled", "the SMS app does not send it itself")
        attempt = self._attempts(self.borrower, "sms")
        self.assertEqual((attempt.state, attempt.body), ("scheduled", "Hello"))
        self.assertEqual(attempt.phone_id, self.mobile, "to the borrower's own number")
        with freeze_time(MORNING):
            self.env["loan.outreach.attempt"].sudo()._cron_send_scheduled()
        self.assertEqual(attempt.state, "sent")
