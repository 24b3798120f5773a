import random

from odoo import api, fields, models
from odoo.exceptions import ValidationError


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
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    bucket_ids = fields.Many2many("loan.collection.bucket", string="Buckets")
    product_ids = fields.Many2many("loan.product", string="Products")
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
        Case = self.env["loan.collection.case"].sudo()
        Promise = self.env["loan.promise"].sudo()
        Receipt = self.env["loan.receipt"].sudo()
        for strategy in self:
            cases = Case.search([("strategy_id", "=", strategy.id)]) if strategy.id else Case
            cured = cases.filtered(lambda c: c.state in ("resolved", "closed"))
            strategy.case_count = len(cases)
            strategy.cure_rate = 100.0 * len(cured) / len(cases) if cases else 0.0
            strategy.promises_kept = Promise.search_count(
                [("case_id", "in", cases.ids), ("state", "=", "kept")]
            )
            collected = 0.0
            for case in cases:
                receipts = Receipt.search(
                    [
                        ("partner_id", "=", case.partner_id.id),
                        ("state", "=", "posted"),
                        ("date", ">=", case.strategy_assigned_on or case.opened_on),
                    ]
                )
                collected += sum(receipts.mapped("amount"))
            strategy.collected = collected

    def _matches(self, case):
        self.ensure_one()
        if self.company_id != case.company_id:
            return False
        if self.bucket_ids and case.bucket_id not in self.bucket_ids:
            return False
        cur = case.currency_id
        if cur.compare_amounts(case.overdue_amount, self.min_amount) < 0:
            return False
        if self.max_amount and cur.compare_amounts(case.overdue_amount, self.max_amount) > 0:
            return False
        contracts = case.sudo().contract_ids
        if self.product_ids and not (contracts.product_id & self.product_ids):
            return False
        if self.min_score or self.max_score:
            score = max(contracts.application_id.mapped("score") or [0])
            if score < self.min_score or (self.max_score and score > self.max_score):
                return False
        return True

    @api.model
    def _assign(self, cases, day):
        """Give each case the first strategy (by sequence) whose rules it meets, or that
        strategy's challenger for the configured share of cases. The draw is seeded by the
        case and the strategy, so re-running a day assigns the same."""
        strategies = self.sudo().search([("is_challenger", "=", False)])
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

    @api.model
    def _run_steps(self, cases, day):
        """Carry out the steps that are due: messages go through the gate (and are logged on
        the case, blocked or not); call and visit steps put the case at the top of its queue
        for the day."""
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
                    case.sudo().write({"next_action_date": day, "next_action": step.name})
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
        "After (days)", default=0, help="Days after the case got the strategy."
    )
    template_id = fields.Many2one("mail.template", domain="[('model', '=', 'res.partner')]")
    message = fields.Text(help="Text sent when no template is set.")
