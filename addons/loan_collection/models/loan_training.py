from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import UserError


class LoanTrainingCourse(models.Model):
    """A training course for collection staff; the code-of-conduct course must be current
    for a collector to be given cases."""

    _name = "loan.training.course"
    _description = "Collector Training Course"
    _order = "name"

    name = fields.Char(required=True, translate=True)
    active = fields.Boolean(default=True)
    code_of_conduct = fields.Boolean(
        help="Collectors get cases only while their attendance of this course is current."
    )
    validity_months = fields.Integer("Valid for (months)", default=12, required=True)
    attendance_ids = fields.One2many("loan.training.attendance", "course_id")
    session_ids = fields.One2many("loan.training.session", "course_id")


class LoanTrainingSession(models.Model):
    """A session of a course on a date: once held, each attendee's attendance is recorded
    (passed unless the trainer says otherwise) and runs until the course's validity ends."""

    _name = "loan.training.session"
    _description = "Training Session"
    _inherit = ["mail.thread"]
    _order = "date desc, id desc"

    course_id = fields.Many2one("loan.training.course", required=True, index=True)
    date = fields.Date(required=True, default=fields.Date.context_today, tracking=True)
    trainer_id = fields.Many2one("res.users", default=lambda self: self.env.user)
    location = fields.Char()
    attendee_ids = fields.Many2many("res.users", string="Attendees")
    failed_ids = fields.Many2many(
        "res.users",
        "loan_training_session_failed_rel",
        string="Did Not Pass",
        domain="[('id', 'in', attendee_ids)]",
    )
    state = fields.Selection(
        [("planned", "Planned"), ("done", "Held"), ("cancelled", "Cancelled")],
        required=True,
        default="planned",
        tracking=True,
    )
    attendance_ids = fields.One2many("loan.training.attendance", "session_id", readonly=True)

    @api.depends("course_id", "date")
    def _compute_display_name(self):
        for session in self:
            session.display_name = "%s (%s)" % (session.course_id.name or "", session.date or "")

    def action_done(self):
        """Record the attendance of everyone who came."""
        for session in self:
            if session.state != "planned":
                raise UserError(self.env._("Only a planned session can be held."))
            if not session.attendee_ids:
                raise UserError(self.env._("Record who attended the session first."))
            self.env["loan.training.attendance"].create(
                [
                    {
                        "course_id": session.course_id.id,
                        "session_id": session.id,
                        "user_id": user.id,
                        "date": session.date,
                        "passed": user not in session.failed_ids,
                    }
                    for user in session.attendee_ids
                ]
            )
            session.state = "done"
        return True

    def action_cancel(self):
        if any(session.state != "planned" for session in self):
            raise UserError(self.env._("Only a planned session can be cancelled."))
        self.state = "cancelled"
        return True


class LoanTrainingAttendance(models.Model):
    _name = "loan.training.attendance"
    _description = "Training Attendance"
    _order = "date desc, id desc"

    course_id = fields.Many2one("loan.training.course", required=True, index=True)
    session_id = fields.Many2one("loan.training.session", index="btree_not_null", readonly=True)
    user_id = fields.Many2one("res.users", required=True, index=True)
    date = fields.Date("Completed On", required=True, default=fields.Date.context_today)
    passed = fields.Boolean(default=True)
    expiry_date = fields.Date(compute="_compute_expiry_date", store=True)

    @api.depends("date", "course_id.validity_months")
    def _compute_expiry_date(self):
        for attendance in self:
            attendance.expiry_date = attendance.date and attendance.date + relativedelta(
                months=attendance.course_id.validity_months
            )
