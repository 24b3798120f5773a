from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import UserError

CHANNELS = [
    ("call", "Call"),
    ("sms", "SMS"),
    ("email", "E-mail"),
    ("zalo", "Zalo"),
    ("visit", "Field visit"),
    ("letter", "Letter"),
]
MESSAGE_CHANNELS = ("sms", "email", "zalo")
OUTCOMES = [
    ("promise", "Promise to pay"),
    ("paid", "Says paid"),
    ("refused", "Refused to pay"),
    ("no_answer", "No answer"),
    ("wrong_number", "Wrong number"),
    ("dispute", "Disputes the debt"),
    ("third_party", "Third party answered"),
]
REACHED = ("promise", "paid", "refused", "dispute")


class LoanCollectionActivity(models.Model):
    """A contact made (or refused) on a collection case. Every one passes the outreach
    gate first: a contact the gate blocks is recorded as blocked, with the gate's reason,
    and never as made."""

    _name = "loan.collection.activity"
    _description = "Collection Activity"
    _order = "create_date desc, id desc"
    _check_company_auto = True

    case_id = fields.Many2one(
        "loan.collection.case", required=True, index=True, ondelete="cascade", check_company=True
    )
    partner_id = fields.Many2one(related="case_id.partner_id", store=True)
    company_id = fields.Many2one(related="case_id.company_id", store=True, index=True)
    currency_id = fields.Many2one(related="case_id.currency_id")
    user_id = fields.Many2one(
        "res.users", "Collector", required=True, default=lambda self: self.env.user, index=True
    )
    channel = fields.Selection(CHANNELS, required=True, default="call")
    outcome = fields.Selection(OUTCOMES)
    body = fields.Text("Message", help="Text of an SMS, Zalo message or e-mail.")
    note = fields.Text()
    promise_amount = fields.Monetary(help="Promised per instalment.")
    promise_date = fields.Date(help="Date of the first (or only) instalment.")
    promise_count = fields.Integer(
        "Instalments", default=1, help="A promise can be paid in several instalments."
    )
    promise_every_days = fields.Integer("Every (days)", default=30)
    state = fields.Selection(
        [("draft", "To Do"), ("done", "Done"), ("blocked", "Blocked by the gate")],
        required=True,
        default="draft",
        readonly=True,
    )
    gate_verdict = fields.Char(
        compute="_compute_gate_verdict", help="What the gate would say now, before contacting."
    )
    attempt_id = fields.Many2one("loan.outreach.attempt", readonly=True, copy=False)
    blocked_reason = fields.Char(readonly=True, copy=False)
    promise_id = fields.Many2one("loan.promise", readonly=True, copy=False)

    def _send_step(self, step):
        """A strategy's message, through the gate: sent, or recorded as blocked."""
        self.ensure_one()
        attempt = self.env["loan.outreach.attempt"].gate_send(
            self.case_id.partner_id,
            self.channel,
            purpose="debt",
            template=step.template_id or None,
            body=None if step.template_id else (step.message or step.name),
            origin=self.case_id,
        )
        self.write(
            {
                "state": "blocked" if attempt.state == "blocked" else "done",
                "attempt_id": attempt.id,
                "blocked_reason": attempt.reason if attempt.state == "blocked" else False,
            }
        )

    @api.depends("channel", "case_id")
    def _compute_gate_verdict(self):
        Gate = self.env["loan.outreach.attempt"]
        for activity in self:
            if not (activity.case_id and activity.channel):
                activity.gate_verdict = False
                continue
            verdict = Gate.gate_check(activity.partner_id, activity.channel, purpose="debt")
            activity.gate_verdict = (
                self.env._("Allowed") if verdict["allowed"] else verdict["reason"]
            )

    def action_done(self):
        """Contact through the gate and record what came of it."""
        Gate = self.env["loan.outreach.attempt"]
        for activity in self:
            if activity.state != "draft":
                raise UserError(self.env._("This activity was already recorded."))
            if activity.outcome == "promise" and not (
                activity.promise_amount > 0
                and activity.promise_date
                and activity.promise_count > 0
                and (activity.promise_count == 1 or activity.promise_every_days > 0)
            ):
                raise UserError(
                    self.env._(
                        "A promise needs an amount, a date and a positive number of instalments."
                    )
                )
            case = activity.case_id
            if activity.channel in MESSAGE_CHANNELS:
                if not activity.body:
                    raise UserError(self.env._("Write the message to send."))
                attempt = Gate.gate_send(
                    case.partner_id,
                    activity.channel,
                    purpose="debt",
                    body=activity.body,
                    origin=case,
                )
            else:
                attempt = Gate.gate_log_contact(
                    case.partner_id,
                    activity.channel,
                    purpose="debt",
                    answered=activity.outcome in REACHED + ("third_party",),
                    conversation=activity.outcome in REACHED,
                    note=activity.note,
                    origin=case,
                )
            if attempt.state == "blocked":
                activity.write(
                    {
                        "state": "blocked",
                        "attempt_id": attempt.id,
                        "blocked_reason": attempt.reason,
                        "outcome": False,
                    }
                )
                continue
            vals = {"state": "done", "attempt_id": attempt.id}
            if activity.outcome == "promise":
                today = fields.Date.context_today(self)
                promises = self.env["loan.promise"].create(
                    [
                        {
                            "case_id": case.id,
                            "amount": activity.promise_amount,
                            "date": activity.promise_date
                            + timedelta(days=n * activity.promise_every_days),
                            "date_from": today,
                            "sequence": n + 1,
                        }
                        for n in range(activity.promise_count)
                    ]
                )
                vals["promise_id"] = promises[0].id
                if len(promises) > 1:
                    promises[1:].write({"plan_first_id": promises[0].id})
                    promises[0].plan_first_id = promises[0]
                case.state = "promise"
            elif case.state == "open":
                case.state = "in_progress"
            activity.write(vals)
        blocked = self.filtered(lambda a: a.state == "blocked")
        if blocked:
            return {
                "type": "ir.actions.client",
                "tag": "display_notification",
                "params": {
                    "type": "danger",
                    "message": self.env._(
                        "The gate blocked this contact: %s", blocked[0].blocked_reason
                    ),
                    "sticky": True,
                },
            }
        return True
