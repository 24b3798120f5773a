from odoo.addons.mail.tests.common import MockEmail
from odoo.tests import freeze_time, tagged

from .common import CollectionWorkCommon

NIGHT = "2026-12-21 15:30:00"  # 22:30 in Ho Chi Minh City
MORNING = "2026-12-22 01:00:00"  # 08:00


@tagged("post_install", "-at_install")
class TestHelpdeskGate(MockEmail, CollectionWorkCommon):
    """helpdesk_mgmt e-mails the ticket's partner when a ticket reaches a closing stage:
    for a borrower, that e-mail passes the outreach gate like any other contact."""

    def _close(self, ticket):
        """Move the ticket to the closing stage and send what helpdesk_mgmt sends then: its
        stage template, as mail's tracking sends it (``_message_track_post_template``)."""
        with self.mock_mail_gateway():
            ticket.stage_id = self.env.ref("helpdesk_mgmt.helpdesk_ticket_stage_done")
            template, kwargs = ticket._track_template({"stage_id"})["stage_id"]
            self.assertEqual(kwargs.pop("composition_mode"), "mass_mail")
            ticket.message_mail_with_source(template, message_type="auto_comment", **kwargs)
        return (
            self.env["mail.mail"]
            .sudo()
            .search([("model", "=", "helpdesk.ticket"), ("res_id", "=", ticket.id)])
        )

    def _ticket(self):
        self.company.email = "care@lender.example.com"  # the template's sender
        return (
            self.env["helpdesk.ticket"]
            .with_context(tracking_disable=False)
            .create(
                {
                    "name": "Statement request",
                    "description": "<p>Please send my statement.</p>",
                    "partner_id": self.borrower.id,
                }
            )
        )

    def test_closing_a_borrowers_ticket_at_night_waits_for_the_morning(self):
        with freeze_time(NIGHT):
            mails = self._close(self._ticket())
        self.assertTrue(mails, "the stage's template made its e-mail")
        self.assertEqual(mails.state, "outgoing")
        self.assertEqual(str(mails.scheduled_date), "2026-12-22 00:00:00")  # 07:00
        with freeze_time(MORNING), self.mock_mail_gateway():
            mails.send()
        self.assertEqual(mails.state, "sent")
        attempt = self.env["loan.outreach.attempt"].search(
            [("partner_id", "=", self.borrower.id), ("channel", "=", "email")]
        )
        self.assertEqual((attempt.state, attempt.res_model), ("sent", "helpdesk.ticket"))

    def test_a_borrower_who_refuses_e_mail_gets_none_from_the_helpdesk(self):
        self.borrower.loan_refuse_email = True
        with freeze_time(MORNING):
            mails = self._close(self._ticket())
        self.assertEqual(mails.state, "cancel")
        attempt = self.env["loan.outreach.attempt"].search(
            [("partner_id", "=", self.borrower.id), ("channel", "=", "email")]
        )
        self.assertEqual((attempt.state, attempt.reason_code), ("blocked", "channel_refused"))
