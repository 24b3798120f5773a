from odoo.exceptions import AccessError, UserError
from odoo.tests import freeze_time, new_test_user, tagged

from .common import CollectionWorkCommon


@tagged("post_install", "-at_install")
class TestTraining(CollectionWorkCommon):
    """Training sessions and the attendance that lets collectors work."""

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
