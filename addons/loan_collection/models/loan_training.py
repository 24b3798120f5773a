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


class LoanTrainingAttendance(models.Model):
    _name = "loan.training.attendance"
    _description = "Training Attendance"
    _order = "date desc, id desc"

    course_id = fields.Many2one("loan.training.course", required=True, index=True)
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


class ResUsers(models.Model):
    _inherit = "res.users"

    def _loan_check_conduct_training(self):
        """Refuse cases to a collector who has not passed, within its validity, every
        code-of-conduct course there is."""
        courses = self.env["loan.training.course"].sudo().search([("code_of_conduct", "=", True)])
        if not courses:
            return
        today = fields.Date.context_today(self)
        Attendance = self.env["loan.training.attendance"].sudo()
        for user in self:
            current = Attendance.search(
                [
                    ("user_id", "=", user.id),
                    ("course_id", "in", courses.ids),
                    ("passed", "=", True),
                    ("expiry_date", ">=", today),
                ]
            ).course_id
            if courses - current:
                raise UserError(
                    self.env._(
                        "%(user)s has no current code-of-conduct training (%(courses)s): no "
                        "collection case can be given to them.",
                        user=user.name,
                        courses=", ".join((courses - current).mapped("name")),
                    )
                )
