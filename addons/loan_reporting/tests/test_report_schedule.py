import base64
import io
import re
from datetime import datetime

import openpyxl

from odoo.exceptions import AccessError, ValidationError
from odoo.tests import freeze_time, new_test_user, tagged

from .common import MONTH_ENDS, ReportingCommon


@tagged("post_install", "-at_install")
class TestReportSchedule(ReportingCommon):
    """Reports sent on a schedule: each recipient gets the report generated with their own
    rights, every delivery is logged, a failed one is tried again."""

    def _schedule(self, **vals):
        values = {
            "name": "Classification to leads",
            "report": "classification",
            "frequency": "daily",
            "hour": 7,
            "tz": "Asia/Ho_Chi_Minh",
            "user_ids": [(6, 0, [self.accountant.id, self.other_lead.id])],
        }
        values.update(vals)
        return self.env["loan.report.schedule"].with_user(self.lending_admin).create(values)

    def test_next_delivery_in_the_schedules_time_zone(self):
        with freeze_time("2026-12-04 10:00:00"):
            daily = self._schedule()
            monthly = self._schedule(frequency="monthly", monthday=1)
            weekly = self._schedule(frequency="weekly", weekday="0", hour=18)
        # 07:00 in Ho Chi Minh City is midnight UTC
        self.assertEqual(daily.next_run, datetime(2026, 12, 5, 0, 0))
        self.assertEqual(monthly.next_run, datetime(2027, 1, 1, 0, 0))
        self.assertEqual(weekly.next_run, datetime(2026, 12, 7, 11, 0))

    def test_recipients_must_be_entitled_to_the_report(self):
        with self.assertRaisesRegex(ValidationError, re.escape(self.officer.name)):
            self._schedule(user_ids=[(6, 0, [self.officer.id])])
        with self.assertRaisesRegex(ValidationError, re.escape(self.appraiser.name)):
            self._schedule(report="management_pack", user_ids=[(6, 0, [self.appraiser.id])])
        with self.assertRaisesRegex(ValidationError, "between 0 and 23"):
            self._schedule(hour=24)
        with self.assertRaises(AccessError):  # only administrators configure schedules
            self.env["loan.report.schedule"].with_user(self.manager).create(
                {"name": "x", "user_ids": [(6, 0, [self.manager.id])]}
            )

    def _cron(self, moment):
        # each report is generated on a read-only cursor of its own: here, one that sees
        # the test's transaction
        with freeze_time(moment), self.enter_registry_test_mode():
            self.env["loan.report.schedule"].with_context(queue_job__no_delay=True)._cron_deliver()

    def _deliver_now(self, schedule):
        """Run the scheduler on 4 December 2026, after the schedule's time: the list is
        that of 30 November."""
        schedule.sudo().next_run = "2026-12-01 00:00:00"
        self._cron("2026-12-04 10:00:00")
        return schedule.delivery_ids

    def test_each_recipient_gets_the_report_with_their_own_rights(self):
        schedule = self._schedule()
        deliveries = self._deliver_now(schedule)
        self.assertEqual(deliveries.mapped("state"), ["sent", "sent"])
        self.assertGreater(schedule.next_run, datetime(2026, 12, 1))
        rows = {}
        for delivery in deliveries.sudo():  # the mail queue is the system's
            self.assertEqual(delivery.mail_id.recipient_ids, delivery.user_id.partner_id)
            self.assertEqual(delivery.mail_id.attachment_ids, delivery.attachment_id)
            book = openpyxl.load_workbook(
                io.BytesIO(base64.b64decode(delivery.attachment_id.datas)), read_only=True
            )
            listed = list(book.worksheets[0].iter_rows(min_row=4, values_only=True))
            rows[delivery.user_id] = {r[0] for r in listed if r[0]}
        # the accountant sees every contract of the month end, the other team's lead none
        # of ours
        ours = set(self.mine.mapped("name"))
        self.assertTrue(ours & rows[self.accountant])
        self.assertFalse(ours & rows[self.other_lead])
        self.assertEqual(len(self.states[MONTH_ENDS[1]]), len(ours & rows[self.accountant]))

    def test_a_failed_delivery_is_logged_and_tried_again(self):
        lead = new_test_user(
            self.env, "t_noemail_lead", "loan_base.group_loan_appraiser", email=False
        )
        schedule = self._schedule(user_ids=[(6, 0, [lead.id])])
        delivery = self._deliver_now(schedule)
        self.assertEqual(delivery.state, "failed")
        self.assertEqual(delivery.attempts, 1)
        self.assertIn("e-mail", delivery.error)
        self.assertFalse(delivery.sudo().mail_id)
        lead.email = "lead@example.com"
        self._cron("2026-12-04 11:00:00")
        self.assertEqual(delivery.state, "sent")
        self.assertEqual(delivery.attempts, 2)
        self.assertTrue(delivery.sudo().mail_id)
