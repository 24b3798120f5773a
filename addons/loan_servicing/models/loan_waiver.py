from datetime import date
from decimal import Decimal

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.addons.loan_base.engine.money import to_decimal
from odoo.exceptions import AccessError, UserError, ValidationError

WAIVABLE = [("penalty", "Penalties"), ("fees", "Fees"), ("interest", "Interest")]
# component -> (waived field on the instalment, income account field on the product)
WAIVER_FIELDS = {
    "penalty": ("penalty_waived", "account_penalty_income_id"),
    "fees": ("fee_waived", "account_fee_income_id"),
    "interest": ("interest_waived", "account_interest_income_id"),
}


class LoanWaiverProgramme(models.Model):
    """A relief programme (hardship...) with a monthly budget that approvals cannot exceed,
    and the most each role may approve in one waiver."""

    _name = "loan.waiver.programme"
    _description = "Waiver Programme"
    _order = "name"
    _check_company_auto = True

    name = fields.Char(required=True, translate=True)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company, index=True
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    monthly_budget = fields.Monetary(required=True)
    limit_ids = fields.One2many("loan.waiver.limit", "programme_id", "Approval Limits", copy=True)
    used_this_month = fields.Monetary(compute="_compute_used")
    remaining_this_month = fields.Monetary(compute="_compute_used")

    def _used_in_month(self, day):
        """Approved waivers of the programme in the calendar month of ``day``, in the
        company currency."""
        self.ensure_one()
        start = date(day.year, day.month, 1)
        waivers = (
            self.env["loan.waiver"]
            .sudo()
            .search(
                [
                    ("programme_id", "=", self.id),
                    ("state", "=", "approved"),
                    ("date", ">=", start),
                    ("date", "<", start + relativedelta(months=1)),
                ]
            )
        )
        return sum(to_decimal(w.amount_company) for w in waivers)

    def _compute_used(self):
        today = fields.Date.context_today(self)
        for programme in self:
            used = programme._used_in_month(today) if programme.id else Decimal(0)
            programme.used_this_month = float(used)
            programme.remaining_this_month = programme.monthly_budget - float(used)

    def _limit_for(self, user):
        """The largest single waiver ``user`` may approve in this programme (0: none)."""
        self.ensure_one()
        groups = user.all_group_ids
        return max((lim.max_amount for lim in self.limit_ids if lim.group_id in groups), default=0)


class LoanWaiverLimit(models.Model):
    _name = "loan.waiver.limit"
    _description = "Waiver Approval Limit"
    _order = "max_amount"

    programme_id = fields.Many2one(
        "loan.waiver.programme", required=True, index=True, ondelete="cascade"
    )
    group_id = fields.Many2one("res.groups", "Role", required=True)
    currency_id = fields.Many2one(related="programme_id.currency_id")
    max_amount = fields.Monetary("Most per Waiver", required=True)


class LoanWaiver(models.Model):
    """Relief of interest, fees or penalties already due on a contract: requested, then
    approved by someone else within their limit and the programme's monthly budget, and
    posted against the income it had been recognised in."""

    _name = "loan.waiver"
    _description = "Loan Waiver"
    _inherit = ["loan.approval.mixin"]
    _order = "date desc, id desc"
    _loan_sequence = "loan.waiver"

    programme_id = fields.Many2one("loan.waiver.programme", required=True, check_company=True)
    component = fields.Selection(WAIVABLE, required=True, default="penalty")
    amount = fields.Monetary(required=True, tracking=True)
    amount_company = fields.Monetary(
        "Amount in Company Currency",
        currency_field="company_currency_id",
        compute="_compute_amount_company",
        store=True,
    )
    company_currency_id = fields.Many2one(
        related="company_id.currency_id", string="Company Currency"
    )
    reason_id = fields.Many2one(
        "loan.decision.reason", required=True, domain="[('kind', '=', 'waiver')]"
    )
    date = fields.Date(required=True, default=fields.Date.context_today)
    move_id = fields.Many2one("account.move", readonly=True, copy=False)

    @api.depends("amount", "currency_id", "company_id", "date")
    def _compute_amount_company(self):
        for waiver in self:
            company = waiver.company_id
            if not (company and waiver.currency_id):
                waiver.amount_company = 0.0
                continue
            waiver.amount_company = waiver.currency_id._convert(
                waiver.amount, company.currency_id, company, waiver.date or fields.Date.today()
            )

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if "amount" in vals and not vals["amount"] > 0:
                raise ValidationError(
                    self.env._("A waiver amount must be positive, not %s.", vals["amount"])
                )
        return super().create(vals_list)

    def _due_lines(self):
        """Instalments already due, oldest first, with the open amount of the component."""
        self.ensure_one()
        field = {"penalty": "penalty", "fees": "fees", "interest": "interest"}[self.component]
        return [
            (line, line._open_amounts()[field])
            for line in self.contract_id.line_ids.sorted("due_date")
            if line.due_date <= self.date and line.recognised
        ]

    def _check_submit(self):
        open_amount = sum((amount for _line, amount in self._due_lines()), Decimal(0))
        if to_decimal(self.amount) > open_amount:
            raise UserError(
                self.env._(
                    "%(waiver)s asks for %(amount)s but only %(open)s is due and unpaid.",
                    waiver=self.name,
                    amount=self.currency_id.format(self.amount),
                    open=self.currency_id.format(float(open_amount)),
                )
            )

    def _check_approver_group(self):
        """Only the programme's approvers decide its waivers, refusals included: a role
        with an approval limit in it."""
        programme = self.programme_id.sudo()
        if not programme._limit_for(self.env.user) > 0:
            raise AccessError(
                self.env._(
                    "You have no approval limit in %s: only its approvers decide its waivers.",
                    programme.name,
                )
            )

    def _apply(self):
        self.ensure_one()
        programme = self.programme_id.sudo()
        limit = programme._limit_for(self.env.user)
        company_cur = self.company_id.currency_id
        if company_cur.compare_amounts(self.amount_company, limit) > 0:
            raise UserError(
                self.env._(
                    "%(waiver)s (%(amount)s) is over your approval limit of %(limit)s in "
                    "%(programme)s.",
                    waiver=self.name,
                    amount=company_cur.format(self.amount_company),
                    limit=company_cur.format(limit),
                    programme=programme.name,
                )
            )
        # one approval at a time per programme: the budget check and the approval are atomic
        self.env.cr.execute(
            "SELECT id FROM loan_waiver_programme WHERE id = %s FOR NO KEY UPDATE", [programme.id]
        )
        used = programme._used_in_month(self.date)
        remaining = to_decimal(programme.monthly_budget) - used
        if to_decimal(self.amount_company) > remaining:
            raise UserError(
                self.env._(
                    "%(waiver)s (%(amount)s) exceeds what remains of this month's budget of "
                    "%(programme)s: %(remaining)s.",
                    waiver=self.name,
                    amount=company_cur.format(self.amount_company),
                    programme=programme.name,
                    remaining=company_cur.format(float(remaining)),
                )
            )
        contract = self.contract_id
        contract._lock_for_servicing()
        left = to_decimal(self.amount)
        waived_field, income_field = WAIVER_FIELDS[self.component]
        for line, open_amount in self._due_lines():
            part = min(left, open_amount)
            if part > 0:
                line.sudo().write({waived_field: float(to_decimal(line[waived_field]) + part)})
                left -= part
        if left > 0:
            raise UserError(self.env._("%s is more than what is due and unpaid now.", self.name))
        move = self._post(income_field)
        self.write({"state": "approved", "approved_by_id": self.env.uid, "move_id": move.id})
        contract._refresh_balances()
        contract.message_post(
            body=self.env._(
                "Waiver %(waiver)s of %(amount)s (%(component)s) approved by %(user)s.",
                waiver=self.name,
                amount=self.currency_id.format(self.amount),
                component=dict(WAIVABLE)[self.component],
                user=self.env.user.name,
            )
        )

    def _post(self, income_field):
        """Dr the income the amount had been recognised in, Cr the charges receivable."""
        contract = self.contract_id
        product = contract.product_id
        return contract._loan_post_transfer(
            self.date,
            self.env._("Waiver %(waiver)s, %(contract)s", waiver=self.name, contract=contract.name),
            self.reason_id.name,
            product[income_field],
            product.account_charges_receivable_id,
            self.amount,
        )
