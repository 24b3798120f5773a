import base64
import logging
from datetime import datetime, time, timedelta

import pytz
from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.addons.base.models.res_partner import _tz_get
from odoo.exceptions import AccessError, ValidationError

from .loan_portfolio import month_end

_logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 3
# report: (report action, wizard model that checks the caller and the data)
REPORTS = {
    "management_pack": (
        "loan_reporting.loan_management_pack_xlsx_report",
        "loan.management.pack",
    ),
    "classification": (
        "loan_reporting.loan_classification_xlsx_report",
        "loan.classification.list",
    ),
}


class LoanReportSchedule(models.Model):
    """A report sent by e-mail on a schedule: each recipient gets it generated with their
    own access rights, on a read-only cursor; every delivery is logged and a failed one
    tried again."""

    _name = "loan.report.schedule"
    _description = "Scheduled Report"
    _order = "name"
    _check_company_auto = True

    name = fields.Char(required=True, translate=True)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    report = fields.Selection(
        [
            ("management_pack", "Management pack"),
            ("classification", "Month-end classification list"),
        ],
        required=True,
        default="management_pack",
    )
    report_format = fields.Selection([("xlsx", "XLSX")], "Format", required=True, default="xlsx")
    period = fields.Selection(
        [
            ("last_month", "Last month"),
            ("last_12_months", "Last twelve months"),
            ("month_to_date", "Month to date"),
        ],
        required=True,
        default="last_month",
        help="The classification list is always that of the last month end.",
    )
    frequency = fields.Selection(
        [("daily", "Daily"), ("weekly", "Weekly"), ("monthly", "Monthly")],
        required=True,
        default="monthly",
    )
    weekday = fields.Selection(
        [
            ("0", "Monday"),
            ("1", "Tuesday"),
            ("2", "Wednesday"),
            ("3", "Thursday"),
            ("4", "Friday"),
            ("5", "Saturday"),
            ("6", "Sunday"),
        ],
        default="0",
    )
    monthday = fields.Integer("Day of Month", default=1, help="1 to 28.")
    hour = fields.Integer(default=7, help="Local hour of the delivery, 0 to 23.")
    tz = fields.Selection(_tz_get, "Time Zone", required=True, default="Asia/Ho_Chi_Minh")
    user_ids = fields.Many2many("res.users", string="Recipients", required=True)
    next_run = fields.Datetime("Next Delivery", readonly=True, copy=False)
    delivery_ids = fields.One2many("loan.report.delivery", "schedule_id", "Deliveries")

    @api.constrains("hour", "monthday")
    def _check_time(self):
        for schedule in self:
            if not 0 <= schedule.hour <= 23:
                raise ValidationError(
                    self.env._("The hour of %s must lie between 0 and 23.", schedule.name)
                )
            if not 1 <= schedule.monthday <= 28:
                raise ValidationError(
                    self.env._("The day of month of %s must lie between 1 and 28.", schedule.name)
                )

    @api.constrains("user_ids", "report", "company_id")
    def _check_recipients(self):
        """A recipient must be an internal user of the company who may read the report:
        it is generated with their rights, never with the sender's."""
        for schedule in self:
            for user in schedule.user_ids:
                if user.share or schedule.company_id not in user.company_ids:
                    raise ValidationError(
                        self.env._(
                            "%(user)s cannot receive %(schedule)s: only internal users of "
                            "%(company)s receive lending reports.",
                            user=user.name,
                            schedule=schedule.name,
                            company=schedule.company_id.name,
                        )
                    )
                if not schedule._readable_by(user):
                    raise ValidationError(
                        self.env._(
                            "%(user)s cannot receive %(schedule)s: their access rights do "
                            "not include this report.",
                            user=user.name,
                            schedule=schedule.name,
                        )
                    )

    def _readable_by(self, user):
        self.ensure_one()
        wizard = REPORTS[self.report][1]
        return self.env[wizard].with_user(user).has_access("create")

    @api.model_create_multi
    def create(self, vals_list):
        schedules = super().create(vals_list)
        schedules._plan()
        return schedules

    def write(self, vals):
        result = super().write(vals)
        if {"frequency", "weekday", "monthday", "hour", "tz", "active"} & set(vals):
            self._plan()
        return result

    # ------------------------------------------------------------------ timing
    def _next_after(self, moment):
        """The first delivery time strictly after ``moment`` (naive UTC), as naive UTC."""
        self.ensure_one()
        zone = pytz.timezone(self.tz or "UTC")
        local = pytz.utc.localize(moment).astimezone(zone).replace(tzinfo=None)
        day = local.date()
        for _n in range(400):
            if self._runs_on(day):
                candidate = zone.localize(datetime.combine(day, time(self.hour)))
                candidate = candidate.astimezone(pytz.utc).replace(tzinfo=None)
                if candidate > moment:
                    return candidate
            day += timedelta(days=1)
        return None

    def _runs_on(self, day):
        if self.frequency == "weekly":
            return day.weekday() == int(self.weekday or 0)
        if self.frequency == "monthly":
            return day.day == self.monthday
        return True

    def _plan(self, after=None):
        for schedule in self:
            moment = after or fields.Datetime.now()
            schedule.next_run = schedule.active and schedule._next_after(moment) or False

    def _period(self, today):
        """(first, last) date of the report's period, seen on ``today`` (local)."""
        self.ensure_one()
        first_of_month = today.replace(day=1)
        if self.period == "month_to_date":
            return first_of_month, today
        last = first_of_month - timedelta(days=1)
        if self.period == "last_12_months":
            return first_of_month - relativedelta(months=12), last
        return last.replace(day=1), last

    def _data(self, today):
        self.ensure_one()
        first, last = self._period(today)
        if self.report == "classification":
            day = month_end(today.replace(day=1) - timedelta(days=1))
            return {"date": fields.Date.to_string(day), "company_ids": [self.company_id.id]}
        return {"date_from": fields.Date.to_string(first), "date_to": fields.Date.to_string(last)}

    # ------------------------------------------------------------------ sending
    @api.model
    def _cron_deliver(self):
        """Every schedule due: one delivery per recipient, queued; then the next time."""
        now = fields.Datetime.now()
        Delivery = self.env["loan.report.delivery"].sudo()
        # failed deliveries of earlier runs tried again, up to MAX_ATTEMPTS
        for delivery in Delivery.search(
            [("state", "=", "failed"), ("attempts", "<", MAX_ATTEMPTS)]
        ):
            delivery.with_delay(channel="root.loan_report", max_retries=1)._deliver()
        for schedule in self.sudo().search([("next_run", "<=", now)]):
            zone = pytz.timezone(schedule.tz or "UTC")
            today = pytz.utc.localize(now).astimezone(zone).date()
            deliveries = Delivery.create(
                [
                    {
                        "schedule_id": schedule.id,
                        "user_id": user.id,
                        "company_id": schedule.company_id.id,
                        "period_date": today,
                    }
                    for user in schedule.user_ids
                ]
            )
            schedule._plan(after=now)
            for delivery in deliveries:
                delivery.with_delay(channel="root.loan_report", max_retries=1)._deliver()


class LoanReportDelivery(models.Model):
    """One report sent to one person: when, what, and how it went."""

    _name = "loan.report.delivery"
    _description = "Report Delivery"
    _order = "create_date desc, id desc"
    _check_company_auto = True

    schedule_id = fields.Many2one(
        "loan.report.schedule", required=True, index=True, ondelete="cascade", readonly=True
    )
    user_id = fields.Many2one("res.users", "Recipient", required=True, readonly=True)
    company_id = fields.Many2one("res.company", required=True, index=True, readonly=True)
    period_date = fields.Date("Report Date", required=True, readonly=True)
    state = fields.Selection(
        [("pending", "Pending"), ("sent", "Sent"), ("failed", "Failed")],
        default="pending",
        required=True,
        readonly=True,
        index=True,
    )
    attempts = fields.Integer(readonly=True, default=0)
    error = fields.Text(readonly=True)
    sent_at = fields.Datetime(readonly=True)
    mail_id = fields.Many2one("mail.mail", readonly=True)
    attachment_id = fields.Many2one("ir.attachment", readonly=True)

    def _render(self):
        """The report's file, generated as the recipient on a read-only cursor (a replica
        when ``db_replica_host`` is set): (file name, bytes)."""
        self.ensure_one()
        schedule = self.schedule_id
        action_xmlid, wizard_model = REPORTS[schedule.report]
        with self.env.registry.cursor(readonly=True) as cr:
            env = api.Environment(
                cr,
                self.user_id.id,
                dict(
                    self.env.context,
                    allowed_company_ids=[self.company_id.id],
                    lang=self.user_id.lang,
                    tz=schedule.tz,
                ),
            )
            data = env[wizard_model]._checked_data(schedule._data(self.period_date))
            action = env.ref(action_xmlid)
            content, _kind = env["ir.actions.report"]._render_xlsx(
                action.report_name, [], data=data
            )
            name = "%s %s.xlsx" % (schedule.name, self.period_date)
        return name, content

    def _deliver(self):
        """Generate and e-mail the report to its recipient; a failure is recorded and
        tried again by the scheduler."""
        for delivery in self.sudo():
            if delivery.state == "sent":
                continue
            delivery.attempts += 1
            try:
                if not delivery.user_id.active or not delivery.schedule_id._readable_by(
                    delivery.user_id
                ):
                    raise AccessError(
                        self.env._("%s may no longer read this report.", delivery.user_id.name)
                    )
                if not delivery.user_id.email:
                    raise ValidationError(
                        self.env._("%s has no e-mail address.", delivery.user_id.name)
                    )
                name, content = delivery._render()
            except Exception as exc:  # recorded on the delivery, tried again later
                _logger.info("report delivery %s failed: %s", delivery.id, exc)
                delivery.write({"state": "failed", "error": str(exc)})
                continue
            attachment = self.env["ir.attachment"].create(
                {
                    "name": name,
                    "datas": base64.b64encode(content),
                    "res_model": delivery._name,
                    "res_id": delivery.id,
                    "mimetype": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                }
            )
            schedule = delivery.schedule_id
            mail = self.env["mail.mail"].create(
                {
                    "subject": name.removesuffix(".xlsx"),
                    "email_to": delivery.user_id.email_formatted,
                    "recipient_ids": [(6, 0, delivery.user_id.partner_id.ids)],
                    "email_from": schedule.company_id.email_formatted
                    or self.env.user.email_formatted,
                    "body_html": self.env._(
                        "<p>%(report)s, attached, as your access rights show it.</p>",
                        report=schedule.name,
                    ),
                    "attachment_ids": [(6, 0, attachment.ids)],
                    "auto_delete": False,
                }
            )
            delivery.write(
                {
                    "state": "sent",
                    "error": False,
                    "sent_at": fields.Datetime.now(),
                    "mail_id": mail.id,
                    "attachment_id": attachment.id,
                }
            )
