from datetime import timedelta, timezone
from zoneinfo import ZoneInfo

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError

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
    direction = fields.Selection(
        [("outbound", "We contact them"), ("inbound", "They contacted us")],
        required=True,
        default="outbound",
        help="Inbound: the borrower or the person called in, wrote or walked in. It is "
        "recorded as inbound and the contact policy does not block it.",
    )
    related_person_id = fields.Many2one(
        "loan.related.person",
        "Reference",
        domain="[('partner_id', '=', partner_id)]",
        help="Contact a person related to the borrower (a reference, a guarantor...) "
        "instead of the borrower.",
    )
    contact_partner_id = fields.Many2one(
        "res.partner",
        "Contacted",
        compute="_compute_contact_partner_id",
        store=True,
        index=True,
        help="The borrower, or the related person contacted.",
    )
    discuss_debt = fields.Boolean(
        "Speaks of the Debt",
        compute="_compute_discuss_debt",
        store=True,
        readonly=False,
        help="Whether the contact is about the debt. With a person who is not obliged to "
        "pay, the contact policy may forbid it: ask them only to have the borrower call "
        "back.",
    )
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
        [
            ("draft", "To Do"),
            ("scheduled", "Waiting for the window"),
            ("done", "Done"),
            ("blocked", "Blocked by the gate"),
        ],
        required=True,
        default="draft",
        readonly=True,
    )
    gate_verdict = fields.Char(
        compute="_compute_gate_verdict", help="What the gate would say now, before contacting."
    )
    gate_allowed = fields.Boolean(compute="_compute_gate_verdict")
    attempt_id = fields.Many2one("loan.outreach.attempt", readonly=True, copy=False)
    blocked_reason = fields.Char(readonly=True, copy=False)
    promise_id = fields.Many2one("loan.promise", readonly=True, copy=False)
    qa_review_ids = fields.One2many("loan.qa.review", "activity_id", "QA Reviews", readonly=True)
    qa_review_count = fields.Integer(compute="_compute_qa_review_count")

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
            defer=True,
        )
        self.attempt_id = attempt
        self._sync_from_attempt()

    def _sync_from_attempt(self):
        """The state of a strategy's message follows its attempt: sent (done), waiting for
        the person's contact window, or blocked with the gate's reason."""
        for activity in self:
            attempt = activity.attempt_id
            state = {"blocked": "blocked", "scheduled": "scheduled"}.get(attempt.state, "done")
            activity.write(
                {
                    "state": state,
                    "blocked_reason": attempt.reason if state == "blocked" else False,
                }
            )

    @api.depends("qa_review_ids")
    def _compute_qa_review_count(self):
        for activity in self:
            activity.qa_review_count = len(activity.qa_review_ids)

    @api.depends("case_id", "related_person_id")
    def _compute_contact_partner_id(self):
        for activity in self:
            activity.contact_partner_id = (
                activity.related_person_id.person_id or activity.case_id.partner_id
            )

    @api.depends("related_person_id")
    def _compute_discuss_debt(self):
        for activity in self:
            person = activity.related_person_id
            activity.discuss_debt = not person or person.is_obligor

    @api.depends(
        "channel", "direction", "case_id", "related_person_id", "discuss_debt", "attempt_id"
    )
    def _compute_gate_verdict(self):
        Gate = self.env["loan.outreach.attempt"]
        for activity in self:
            if not (activity.case_id and activity.channel):
                activity.gate_verdict = False
                activity.gate_allowed = False
                continue
            if activity.attempt_id:
                # the contact began: the verdict is the one the gate gave then
                activity.gate_allowed = activity.attempt_id.state == "sent"
                activity.gate_verdict = activity.attempt_id.reason
                continue
            if activity.direction == "inbound":
                activity.gate_verdict = self.env._(
                    "Inbound: recorded as such, the contact policy does not apply."
                )
                activity.gate_allowed = True
                continue
            partner, debtor, purpose = activity._gate_parties()
            verdict = Gate.gate_check(partner, activity.channel, purpose=purpose, debtor=debtor)
            activity.gate_allowed = verdict["allowed"]
            activity.gate_verdict = verdict["reason"]

    def _gate_parties(self):
        """Who is contacted, whose debt it is about and the purpose given to the gate: the
        borrower about the debt, or a related person, about the debt only when the
        collector means to speak of it (the gate's third-party rules judge that)."""
        self.ensure_one()
        # the saved records: in the dialog, the form's copies may not hold their fields
        borrower = self.case_id._origin.partner_id
        if not self.related_person_id:
            return borrower, borrower, "debt"
        return (
            self.related_person_id._origin.person_id,
            borrower,
            "debt" if self.discuss_debt else "locate",
        )

    @api.model
    def _greeting(self, partner):
        """The script's greeting (good morning, afternoon or evening) for the hour it is
        where ``partner`` lives (else where the user is), at the gate's clock."""
        tz = partner.tz or self.env.user.tz or "UTC"
        now = self.env["loan.outreach.attempt"]._gate_now().replace(tzinfo=timezone.utc)
        hour = now.astimezone(ZoneInfo(tz)).hour
        if 4 <= hour < 12:
            return self.env._("Good morning")
        if 12 <= hour < 18:
            return self.env._("Good afternoon")
        return self.env._("Good evening")

    def _is_placed_contact(self):
        """An outbound call, visit or letter: the gate judges it when it is placed."""
        return self.direction == "outbound" and self.channel not in MESSAGE_CHANNELS

    def _gate_start(self):
        """Ask the gate now, as the contact is placed, and log the attempt: made, or
        blocked (then the activity is blocked and the contact must not happen)."""
        self.ensure_one()
        partner, debtor, purpose = self._gate_parties()
        attempt = self.env["loan.outreach.attempt"].gate_log_contact(
            partner, self.channel, purpose=purpose, debtor=debtor, origin=self.case_id
        )
        vals = {"attempt_id": attempt.id}
        if attempt.state == "blocked":
            vals.update(state="blocked", blocked_reason=attempt.reason, outcome=False)
        self.write(vals)
        return attempt

    def _blocked_notification(self):
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "danger",
                "message": self.env._("The gate blocked this contact: %s", self.blocked_reason),
                "sticky": True,
            },
        }

    def action_call(self):
        """Place the call (or the visit, the letter): the gate decides at this moment, before
        the contact happens. Blocked, it is refused and logged as blocked; allowed, the
        attempt is logged as made now, and the outcome recorded afterwards completes it."""
        self.ensure_one()
        if self.state != "draft" or self.attempt_id:
            raise UserError(self.env._("This contact was already placed or recorded."))
        if not self._is_placed_contact():
            raise UserError(
                self.env._(
                    "Only an outbound call, visit or letter is placed: record a message or an "
                    "inbound contact directly."
                )
            )
        if self._gate_start().state == "blocked":
            return self._blocked_notification()
        return {
            "type": "ir.actions.act_window",
            "res_model": self._name,
            "res_id": self.id,
            "views": [(False, "form")],
            "target": "new",
            "context": self.env.context,
        }

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
            partner, debtor, purpose = activity._gate_parties()
            if (
                activity.outcome == "promise"
                and activity.related_person_id
                and not activity.related_person_id.is_obligor
            ):
                raise UserError(
                    self.env._(
                        "%s is not obliged to pay: only the borrower, a co-borrower or a "
                        "guarantor can promise to pay.",
                        partner.display_name,
                    )
                )
            if activity.direction == "inbound":
                attempt = Gate.gate_log_contact(
                    partner,
                    activity.channel,
                    purpose=purpose,
                    debtor=debtor,
                    conversation=activity.outcome in REACHED,
                    note=activity.body or activity.note,
                    origin=case,
                    direction="inbound",
                )
            elif activity.channel in MESSAGE_CHANNELS:
                if not activity.body:
                    raise UserError(self.env._("Write the message to send."))
                attempt = Gate.gate_send(
                    partner,
                    activity.channel,
                    purpose=purpose,
                    body=activity.body,
                    debtor=debtor,
                    origin=case,
                )
            else:
                # placed now unless it was placed already (action_call): the outcome
                # completes the attempt the gate allowed then
                attempt = activity.attempt_id or activity._gate_start()
                if attempt.state == "sent":
                    attempt.sudo().write(
                        {
                            "answered": activity.outcome in REACHED + ("third_party",),
                            "conversation": activity.outcome in REACHED,
                            "body": activity.note,
                        }
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
            return blocked[0]._blocked_notification()
        return True

    def action_qa_review(self):
        """A reviewer (team lead, compliance) reviews this contact: its QA review, opened
        on the first active scorecard when there is none yet."""
        self.ensure_one()
        Review = self.env["loan.qa.review"]
        if not (
            self.env.user.has_group("loan_base.group_loan_collection_lead")
            or self.env.user.has_group("loan_base.group_loan_compliance")
        ):
            raise AccessError(self.env._("Only a team lead or compliance reviews calls."))
        if self.state != "done":
            raise UserError(self.env._("Only a contact that was made can be reviewed."))
        if self.user_id == self.env.user:
            raise UserError(self.env._("Nobody reviews their own calls."))
        review = self.qa_review_ids[:1]
        if not review:
            scorecard = self.env["loan.qa.scorecard"].search([], limit=1)
            if not scorecard:
                raise UserError(self.env._("Create a QA scorecard first."))
            review = Review.create({"activity_id": self.id, "scorecard_id": scorecard.id})
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Call QA Review"),
            "res_model": "loan.qa.review",
            "res_id": review.id,
            "view_mode": "form",
        }


class LoanOutreachAttempt(models.Model):
    _inherit = "loan.outreach.attempt"

    def _gate_scheduled_done(self):
        """A strategy's message waiting for the window was sent or blocked: its contact on
        the case says so."""
        res = super()._gate_scheduled_done()
        self.env["loan.collection.activity"].sudo().search(
            [("attempt_id", "in", self.ids)]
        )._sync_from_attempt()
        return res
