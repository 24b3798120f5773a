import random
from datetime import datetime, timedelta

import pytz

from odoo import api, fields, models
from odoo.exceptions import ValidationError

from .loan_collection_case import OPEN_STATES


class LoanCollectionStrategy(models.Model):
    """What to do with a case, built by an administrator without code: rules (buckets,
    amount, products, a repayment-ability score) choose the strategy, whose ordered steps
    (channel, template, delay) the end of day carries out through the outreach gate. A
    strategy can have a challenger that a share of its cases gets at random; the results
    of both are compared on the strategy."""

    _name = "loan.collection.strategy"
    _description = "Collection Strategy"
    _order = "sequence, id"
    _check_company_auto = True

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    kind = fields.Selection(
        [("collection", "Collection cases"), ("pre_due", "Reminders before the due date")],
        required=True,
        default="collection",
        help="Reminders go to borrowers of current loans: each step is sent its number of "
        "days before an instalment falls due, and the amount rules apply to the instalment.",
    )
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    bucket_ids = fields.Many2many("loan.collection.bucket", string="Buckets")
    product_ids = fields.Many2many("loan.product", string="Products")
    segment_ids = fields.Many2many(
        "res.partner.category",
        string="Segments",
        help="Borrowers with one of these tags; none: every borrower.",
    )
    min_amount = fields.Monetary("Overdue from")
    max_amount = fields.Monetary("Overdue up to", help="0: no limit.")
    min_score = fields.Integer("Ability Score from", help="Score of the latest application.")
    max_score = fields.Integer("Ability Score up to", help="0: no limit.")
    step_ids = fields.One2many("loan.collection.strategy.step", "strategy_id", "Steps", copy=True)
    challenger_id = fields.Many2one(
        "loan.collection.strategy",
        domain="[('id', '!=', id)]",
        help="A share of the cases this strategy wins get the challenger instead.",
    )
    challenger_share = fields.Float("Challenger Share (%)", default=20.0)
    is_challenger = fields.Boolean(compute="_compute_is_challenger", store=True)
    # results, champion (this strategy) next to its challenger
    case_count = fields.Integer("Cases", compute="_compute_results")
    cure_rate = fields.Float("Cure Rate (%)", compute="_compute_results", digits=(5, 1))
    promises_kept = fields.Integer(compute="_compute_results")
    collected = fields.Monetary("Amount Collected", compute="_compute_results")

    @api.depends("challenger_id")
    def _compute_is_challenger(self):
        challengers = self.search([("challenger_id", "!=", False)]).challenger_id
        for strategy in self:
            strategy.is_challenger = strategy in challengers

    @api.constrains("challenger_share", "challenger_id")
    def _check_share(self):
        for strategy in self:
            if not 0 <= strategy.challenger_share <= 100:
                raise ValidationError(self.env._("A challenger share is between 0 and 100%."))
            if strategy.challenger_id.challenger_id:
                raise ValidationError(self.env._("A challenger has no challenger of its own."))

    def _compute_results(self):
        """Cases, cure rate, promises kept and money received since each case got the
        strategy: one query for all the strategies shown."""
        ids = [sid for sid in self.ids if isinstance(sid, int)]
        figures = {}
        if ids:
            self.env.flush_all()
            self.env.cr.execute(
                """
                SELECT c.strategy_id, COUNT(*),
                       COUNT(*) FILTER (WHERE c.state IN ('resolved', 'closed')),
                       SUM((SELECT COUNT(*) FROM loan_promise p
                            WHERE p.case_id = c.id AND p.state = 'kept')),
                       SUM((SELECT COALESCE(SUM(r.amount), 0) FROM loan_receipt r
                            WHERE r.partner_id = c.partner_id AND r.state = 'posted'
                              AND r.date >= COALESCE(c.strategy_assigned_on, c.opened_on)))
                FROM loan_collection_case c
                WHERE c.strategy_id = ANY(%s)
                GROUP BY c.strategy_id
                """,
                [ids],
            )
            figures = {row[0]: row[1:] for row in self.env.cr.fetchall()}
        for strategy in self:
            count, cured, kept, collected = figures.get(strategy.id, (0, 0, 0, 0))
            strategy.case_count = count
            strategy.cure_rate = 100.0 * cured / count if count else 0.0
            strategy.promises_kept = kept or 0
            strategy.collected = float(collected or 0)

    def _rules_match(self, company, partner, products, amount, currency, applications):
        """The rules of the strategy: company, products, segments, amount (overdue for a
        case, the instalment for a reminder) and ability score (the best application's)."""
        self.ensure_one()
        if self.company_id != company:
            return False
        if self.product_ids and not (products & self.product_ids):
            return False
        if self.segment_ids and not (partner.sudo().category_id & self.segment_ids):
            return False
        if currency.compare_amounts(amount, self.min_amount) < 0:
            return False
        if self.max_amount and currency.compare_amounts(amount, self.max_amount) > 0:
            return False
        if self.min_score or self.max_score:
            score = max(applications.mapped("score") or [0])
            if score < self.min_score or (self.max_score and score > self.max_score):
                return False
        return True

    def _matches(self, case):
        self.ensure_one()
        if self.bucket_ids and case.bucket_id not in self.bucket_ids:
            return False
        contracts = case.sudo().contract_ids
        return self._rules_match(
            case.company_id,
            case.partner_id,
            contracts.product_id,
            case.overdue_amount,
            case.currency_id,
            contracts.application_id,
        )

    @api.model
    def _assign(self, cases, day):
        """Give each case the first strategy (by sequence) whose rules it meets, or that
        strategy's challenger for the configured share of cases. The draw is seeded by the
        case and the strategy, so re-running a day assigns the same."""
        strategies = self.sudo().search(
            [("is_challenger", "=", False), ("kind", "=", "collection")]
        )
        for case in cases:
            strategy = next((s for s in strategies if s._matches(case)), self.browse())
            if not strategy:
                continue
            variant = "champion"
            if strategy.challenger_id and strategy.challenger_share:
                draw = random.Random("%s-%s" % (case.id, strategy.id)).random() * 100
                if draw < strategy.challenger_share:
                    strategy = strategy.challenger_id
                    variant = "challenger"
            if case.strategy_id == strategy:
                continue
            case.sudo().write(
                {
                    "strategy_id": strategy.id,
                    "strategy_variant": variant,
                    "strategy_assigned_on": day,
                    "strategy_step": 0,
                }
            )

    def _matches_instalment(self, line):
        """Pre-due rules, on the instalment falling due."""
        contract = line.contract_id
        return self._rules_match(
            contract.company_id,
            contract.partner_id,
            contract.product_id,
            line.instalment,
            contract.currency_id,
            contract.application_id,
        )

    @api.model
    def _send_pre_due_reminders(self, contract_ids, day):
        """Reminders for current loans: the step of the first matching pre-due strategy
        whose delay is the number of days left before an unpaid instalment falls due, sent
        through the gate. The instalment remembers it was reminded, so a re-run of the day
        sends nothing twice."""
        strategies = self.sudo().search([("kind", "=", "pre_due")])
        steps = strategies.step_ids.filtered(lambda s: s.channel in ("sms", "email", "zalo"))
        if not steps:
            return
        dates = sorted({day + timedelta(days=step.delay_days) for step in steps})
        self.env.flush_all()
        self.env.cr.execute(
            """
            SELECT l.id FROM loan_contract_line l
            JOIN loan_contract c ON c.id = l.contract_id
            WHERE l.contract_id = ANY(%s) AND c.state = 'active' AND l.due_date = ANY(%s)
              AND l.paid_date IS NULL
              AND (l.reminded_days IS NULL OR l.reminded_days > l.due_date - %s::date)
            ORDER BY l.contract_id, l.due_date
            """,
            [list(contract_ids), dates, day],
        )
        lines = self.env["loan.contract.line"].sudo().browse([r[0] for r in self.env.cr.fetchall()])
        Gate = self.env["loan.outreach.attempt"].sudo()
        for line in lines:
            days_left = (line.due_date - day).days
            strategy = next((s for s in strategies if s._matches_instalment(line)), None)
            step = (
                strategy
                and strategy.step_ids.filtered(
                    lambda s, d=days_left: (
                        s.delay_days == d and s.channel in ("sms", "email", "zalo")
                    )
                )[:1]
            )
            if not step:
                continue
            Gate.gate_send(
                line.contract_id.partner_id,
                step.channel,
                purpose="reminder",
                template=step.template_id or None,
                body=None if step.template_id else (step.message or step.name),
                origin=line.contract_id,
                defer=True,
            )
            line.reminded_days = days_left

    @api.model
    def _company_tz(self):
        return pytz.timezone(self.env.company.partner_id.tz or self.env.user.tz or "UTC")

    @api.model
    def _run_outreach(self, contract_ids, day):
        """The end of day's messages for the borrowers of ``contract_ids``: the due steps
        of their cases' strategies, and reminders before the due date, through the gate.
        The end of day runs at night: what the person's contact window blocks waits for
        its next opening in their time zone (the gate's ``defer``), and reminders count the
        days left from the day the job runs in the company (the morning after)."""
        day = fields.Date.to_date(day)
        send_day = max(day, datetime.now(pytz.utc).astimezone(self._company_tz()).date())
        partners = self.env["loan.contract"].sudo().browse(contract_ids).partner_id
        cases = (
            self.env["loan.collection.case"]
            .sudo()
            .search([("partner_id", "in", partners.ids), ("state", "in", OPEN_STATES)])
        )
        self._run_steps(cases, day, action_day=send_day)
        self._send_pre_due_reminders(contract_ids, send_day)

    @api.model
    def _run_steps(self, cases, day, action_day=None):
        """Carry out the steps due ``day`` (counted from the day the case got its strategy):
        messages go through the gate (and are logged on the case, blocked or not); call and
        visit steps set the case's next action for ``action_day`` (``day`` by default; the
        morning after, when the night's end of day sends them)."""
        action_day = action_day or day
        Activity = self.env["loan.collection.activity"].sudo()
        for case in cases.filtered("strategy_id"):
            elapsed = (day - (case.strategy_assigned_on or day)).days
            for step in case.strategy_id.step_ids.sorted("sequence"):
                if step.sequence <= case.strategy_step or step.delay_days > elapsed:
                    continue
                if step.channel in ("sms", "email", "zalo"):
                    activity = Activity.create(
                        {
                            "case_id": case.id,
                            "channel": step.channel,
                            "user_id": self.env.ref("base.user_root").id,
                            "body": step.message or step.name,
                        }
                    )
                    activity._send_step(step)
                else:
                    vals = {"next_action_date": action_day, "next_action": step.name}
                    if step.script_id:
                        vals["script_id"] = step.script_id.id
                    case.sudo().write(vals)
                    if step.channel == "visit" and case.user_id:
                        case._plan_visit(action_day, step.name)
                if (
                    step.queue_id
                    and step.queue_id != case.queue_id
                    and case.state not in ("fraud", "legal")
                ):
                    case.sudo().write({"queue_id": step.queue_id.id, "user_id": False})
                    case.message_post(
                        body=self.env._(
                            "Strategy step %(step)s: moved to %(queue)s.",
                            step=step.name,
                            queue=step.queue_id.name,
                        )
                    )
                case.sudo().strategy_step = step.sequence


class LoanCollectionStrategyStep(models.Model):
    _name = "loan.collection.strategy.step"
    _description = "Collection Strategy Step"
    _order = "strategy_id, sequence"

    strategy_id = fields.Many2one(
        "loan.collection.strategy", required=True, index=True, ondelete="cascade"
    )
    sequence = fields.Integer(required=True, default=10)
    name = fields.Char(required=True, translate=True)
    channel = fields.Selection(
        [
            ("sms", "SMS"),
            ("email", "E-mail"),
            ("zalo", "Zalo"),
            ("call", "Call"),
            ("visit", "Field visit"),
            ("letter", "Letter"),
        ],
        required=True,
        default="sms",
    )
    delay_days = fields.Integer(
        "After (days)",
        default=0,
        help="Days after the case got the strategy; for reminders, days before the due date.",
    )
    template_id = fields.Many2one("mail.template", domain="[('model', '=', 'res.partner')]")
    message = fields.Text(help="Text sent when no template is set.")
    script_id = fields.Many2one(
        "loan.collection.script", help="For a call or a visit: the script the collector follows."
    )
    queue_id = fields.Many2one(
        "loan.collection.queue",
        help="Move the case to this queue at this step (a field team, an agency, legal).",
    )


class LoanContractLine(models.Model):
    _inherit = "loan.contract.line"

    reminded_days = fields.Integer(
        "Reminded (days before due)", readonly=True, help="The latest pre-due reminder sent."
    )
