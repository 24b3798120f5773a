import random
from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import ValidationError

TRIGGERS = [
    ("captured", "Lead captured"),
    ("not_reached", "Not reached after N calls"),
    ("documents_missing", "Documents missing"),
    ("declined", "Application declined (re-marketing consent)"),
    ("repaid", "Loan repaid: repeat offer"),
]
STEP_KINDS = [
    ("sms", "SMS"),
    ("zalo", "Zalo ZNS"),
    ("email", "E-mail"),
    ("call", "Call task"),
    ("wait", "Wait"),
    ("condition", "Condition"),
    ("split", "A/B split"),
]
CONDITIONS = [
    ("no_application", "No application yet"),
    ("not_reached", "Not reached by phone"),
    ("has_consent", "Marketing consent active"),
]
EXITS = [
    ("converted", "Converted"),
    ("opted_out", "Opted out"),
    ("lost", "Lost"),
    ("condition", "Condition not met"),
    ("completed", "Completed"),
]


class LoanNurtureJourney(models.Model):
    """A journey built without code: a trigger enrols leads, steps send messages through
    the gate (marketing purpose: consent, quiet hours and caps apply), create call tasks,
    wait, test a condition or split A/B; a lead leaves when it converts, opts out or is
    lost."""

    _name = "loan.nurture.journey"
    _description = "Nurture Journey"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    trigger = fields.Selection(TRIGGERS, required=True, default="captured")
    attempts = fields.Integer(
        "Unanswered Calls", default=3, help="For 'not reached': calls without an answer."
    )
    campaign_id = fields.Many2one("utm.campaign", help="Only leads of this campaign.")
    step_ids = fields.One2many("loan.nurture.step", "journey_id", "Steps", copy=True)
    enrolment_ids = fields.One2many("loan.nurture.enrolment", "journey_id", "Enrolments")
    running_count = fields.Integer(compute="_compute_counts")
    converted_count = fields.Integer(compute="_compute_counts")
    opted_out_count = fields.Integer(compute="_compute_counts")

    def _compute_counts(self):
        groups = self.env["loan.nurture.enrolment"]._read_group(
            [("journey_id", "in", self.ids)], ["journey_id", "state", "exit_reason"], ["__count"]
        )
        for journey in self:
            rows = [(s, r, c) for j, s, r, c in groups if j == journey]
            journey.running_count = sum(c for s, _r, c in rows if s == "running")
            journey.converted_count = sum(c for _s, r, c in rows if r == "converted")
            journey.opted_out_count = sum(c for _s, r, c in rows if r == "opted_out")

    @api.model
    def _enrol_trigger(self, trigger, leads):
        """Enrol ``leads`` in the active journeys of ``trigger`` (once per journey)."""
        leads = leads.sudo().filtered(lambda lead: lead.partner_id and not lead.loan_blacklisted)
        if not leads:
            return self.env["loan.nurture.enrolment"]
        journeys = self.sudo().search(
            [("trigger", "=", trigger), ("company_id", "in", leads.company_id.ids)]
        )
        Enrolment = self.env["loan.nurture.enrolment"].sudo()
        created = Enrolment
        for journey in journeys:
            todo = leads.filtered(
                lambda lead, j=journey: (
                    lead.company_id == j.company_id
                    and (not j.campaign_id or lead.campaign_id == j.campaign_id)
                )
            )
            if trigger == "not_reached":
                todo = todo.filtered(
                    lambda lead, j=journey: lead._loan_unanswered_calls() >= j.attempts
                )
            already = set(
                Enrolment.search(
                    [("journey_id", "=", journey.id), ("lead_id", "in", todo.ids)]
                ).lead_id.ids
            )
            vals = [
                {
                    "journey_id": journey.id,
                    "lead_id": lead.id,
                    "partner_id": lead.partner_id.id,
                    "company_id": journey.company_id.id,
                    "step_id": journey.step_ids[:1].id,
                    "next_run_at": fields.Datetime.now(),
                }
                for lead in todo
                if lead.id not in already
            ]
            created |= Enrolment.create(vals)
        return created

    @api.model
    def _cron_enrol(self):
        """Triggers found by the data: documents missing for two days, declined
        applications whose person consented to marketing, repaid loans."""
        two_days = fields.Datetime.now() - timedelta(days=2)
        App = self.env["loan.application"].sudo()
        missing = App.search(
            [
                ("lead_id", "!=", False),
                ("stage_kind", "=", "open"),
                ("document_ids.state", "=", "missing"),
                ("create_date", "<", two_days),
            ]
        )
        self._enrol_trigger("documents_missing", missing.lead_id)
        declined = App.search([("lead_id", "!=", False), ("decision", "=", "declined")])
        consenting = declined.filtered(
            lambda app: self.env["loan.consent"]._has_consent(app.partner_id, "marketing")
        )
        self._enrol_trigger("declined", consenting.lead_id)
        repaid = (
            self.env["loan.contract"]
            .sudo()
            .search([("state", "=", "closed"), ("application_id.lead_id", "!=", False)])
        )
        self._enrol_trigger("repaid", repaid.application_id.lead_id)


class LoanNurtureStep(models.Model):
    _name = "loan.nurture.step"
    _description = "Nurture Journey Step"
    _order = "journey_id, sequence, id"

    journey_id = fields.Many2one("loan.nurture.journey", required=True, ondelete="cascade")
    company_id = fields.Many2one(related="journey_id.company_id", store=True, index=True)
    sequence = fields.Integer(default=10)
    name = fields.Char(required=True, translate=True)
    kind = fields.Selection(STEP_KINDS, required=True, default="sms")
    variant = fields.Selection(
        [("all", "Everyone"), ("a", "Variant A"), ("b", "Variant B")],
        default="all",
        required=True,
        help="After an A/B split, the step runs for its variant only.",
    )
    body = fields.Text("Message", translate=True)
    subject = fields.Char(translate=True)
    wait_hours = fields.Integer("Wait (hours)", default=24)
    condition = fields.Selection(CONDITIONS)
    split_percent = fields.Integer("Share of Variant A (%)", default=50)

    @api.constrains("kind", "body", "condition", "split_percent", "wait_hours")
    def _check_step(self):
        for step in self:
            if step.kind in ("sms", "zalo", "email") and not step.body:
                raise ValidationError(self.env._("Step %s needs a message.", step.name))
            if step.kind == "condition" and not step.condition:
                raise ValidationError(self.env._("Step %s needs a condition.", step.name))
            if step.kind == "split" and not 0 < step.split_percent < 100:
                raise ValidationError(
                    self.env._("The split of step %s must be between 1 and 99%%.", step.name)
                )
            if step.kind == "wait" and step.wait_hours <= 0:
                raise ValidationError(self.env._("Step %s must wait a positive time.", step.name))


class LoanNurtureEnrolment(models.Model):
    """One lead in one journey: where it is, when it runs next, how it left."""

    _name = "loan.nurture.enrolment"
    _description = "Journey Enrolment"
    _order = "id desc"

    journey_id = fields.Many2one(
        "loan.nurture.journey", required=True, index=True, ondelete="cascade"
    )
    lead_id = fields.Many2one("crm.lead", required=True, index=True, ondelete="cascade")
    user_id = fields.Many2one(related="lead_id.user_id", string="Consultant")
    partner_id = fields.Many2one("res.partner", required=True, index=True)
    company_id = fields.Many2one("res.company", required=True, index=True)
    step_id = fields.Many2one("loan.nurture.step", "Next Step")
    next_run_at = fields.Datetime(index=True)
    variant = fields.Selection([("a", "A"), ("b", "B")])
    state = fields.Selection(
        [("running", "Running"), ("done", "Left")], default="running", required=True, index=True
    )
    exit_reason = fields.Selection(EXITS)
    left_at = fields.Datetime()
    log = fields.Text(readonly=True)

    _journey_lead_uniq = models.Constraint(
        "UNIQUE(journey_id, lead_id)", "A lead goes through a journey once."
    )

    def _exit(self, reason):
        self.write({"state": "done", "exit_reason": reason, "left_at": fields.Datetime.now()})

    def _append(self, line):
        self.log = ((self.log or "") + line + "\n")[-4000:]

    @api.model
    def _loan_record_refusal(self, partner, channel, when=None):
        """The person refused marketing: consent withdrawn, journeys left."""
        consents = (
            self.env["loan.consent"]
            .sudo()
            .search(
                [
                    ("partner_id", "=", partner.id),
                    ("purpose", "=", "marketing"),
                    ("state", "=", "active"),
                ]
            )
        )
        if consents:
            consents.write(
                {"withdrawn_at": when or fields.Datetime.now(), "withdrawal_channel": channel}
            )
            for consent in consents:
                consent.message_post(body=self.env._("Refused by the person (%s).", channel))
        self.sudo().search([("partner_id", "=", partner.id), ("state", "=", "running")])._exit(
            "opted_out"
        )

    def _exit_reason_now(self):
        """Why this enrolment leaves now, or None."""
        lead = self.lead_id
        if not lead.active or lead.won_status == "lost":
            return "lost"
        trigger = self.journey_id.trigger
        if trigger in ("captured", "not_reached") and lead.loan_application_ids:
            return "converted"
        if trigger in ("declined", "repaid") and lead.loan_application_ids.filtered(
            lambda app: app.create_date > self.create_date
        ):
            return "converted"
        if not self.env["loan.consent"]._has_consent(self.partner_id, "marketing"):
            return "opted_out"
        return None

    @api.model
    def _cron_run(self, limit=1000):
        due = self.sudo().search(
            [("state", "=", "running"), ("next_run_at", "<=", fields.Datetime.now())],
            limit=limit,
            order="next_run_at, id",
        )
        for enrolment in due:
            enrolment._run()
        return len(due)

    def _run(self):
        """Run the steps due now, up to the next wait."""
        self.ensure_one()
        Gate = self.env["loan.outreach.attempt"].sudo()
        for _guard in range(50):
            reason = self._exit_reason_now()
            if reason:
                self._exit(reason)
                return
            step = self.step_id
            if not step:
                self._exit("completed")
                return
            following = self.journey_id.step_ids.filtered(
                lambda s, st=step: (s.sequence, s.id) > (st.sequence, st.id)
            )[:1]
            if step.variant != "all" and step.variant != self.variant:
                self.step_id = following
                continue
            now = fields.Datetime.now()
            if step.kind in ("sms", "zalo", "email"):
                attempt = Gate.gate_send(
                    self.partner_id,
                    step.kind,
                    purpose="marketing",
                    body=step.body,
                    subject=step.subject,
                    origin=self,
                    defer=True,
                )
                self._append("%s %s: %s" % (now, step.name, attempt.state))
            elif step.kind == "call":
                self.lead_id.activity_schedule(
                    "mail.mail_activity_data_call",
                    summary=step.name,
                    user_id=self.lead_id.user_id.id or self.env.uid,
                )
                self._append("%s %s: call task" % (now, step.name))
            elif step.kind == "wait":
                self.write(
                    {"step_id": following.id, "next_run_at": now + timedelta(hours=step.wait_hours)}
                )
                return
            elif step.kind == "condition":
                if not self._condition(step.condition):
                    self._exit("condition")
                    return
            elif step.kind == "split":
                self.variant = "a" if random.randint(1, 100) <= step.split_percent else "b"
            self.step_id = following
        self.next_run_at = fields.Datetime.now() + timedelta(hours=1)

    def _condition(self, condition):
        lead = self.lead_id
        if condition == "no_application":
            return not lead.loan_application_ids
        if condition == "not_reached":
            return not lead.loan_first_contact_at
        if condition == "has_consent":
            return self.env["loan.consent"]._has_consent(self.partner_id, "marketing")
        return True
