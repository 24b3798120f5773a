from datetime import timedelta

from odoo import api, fields, models
from odoo.addons.loan_base.engine import settlement
from odoo.addons.loan_base.engine.exceptions import EngineError
from odoo.addons.loan_base.engine.money import to_decimal
from odoo.addons.loan_base.tools.engine_messages import engine_message
from odoo.exceptions import AccessError, UserError


class LoanSettlement(models.Model):
    """An early settlement quote, valid on one date: the outstanding principal, the interest
    accrued since the last due date (day by day), everything due and unpaid (interest,
    fees, penalties), and the prepayment fee. Paying exactly the quote closes the contract:
    the instalments not yet due lose their unearned interest and fees."""

    _name = "loan.settlement"
    _description = "Early Settlement Quote"
    _inherit = ["mail.thread"]
    _order = "date desc, id desc"
    _check_company_auto = True

    name = fields.Char(required=True, readonly=True, default="/", copy=False)
    contract_id = fields.Many2one(
        "loan.contract",
        required=True,
        index=True,
        check_company=True,
        domain="[('state', 'in', ('active', 'overdue'))]",
    )
    partner_id = fields.Many2one(related="contract_id.partner_id", store=True)
    company_id = fields.Many2one(related="contract_id.company_id", store=True)
    currency_id = fields.Many2one(related="contract_id.currency_id", store=True)
    date = fields.Date("Settlement Date", required=True, default=fields.Date.context_today)
    valid_until = fields.Date(compute="_compute_amounts", store=True)
    principal = fields.Monetary("Outstanding Principal", compute="_compute_amounts", store=True)
    accrued_interest = fields.Monetary(compute="_compute_amounts", store=True)
    arrears = fields.Monetary(
        "Due and Unpaid",
        compute="_compute_amounts",
        store=True,
        help="Interest, fees and penalties of instalments already due.",
    )
    prepayment_fee = fields.Monetary(compute="_compute_amounts", store=True)
    total = fields.Monetary(compute="_compute_amounts", store=True)
    state = fields.Selection(
        [
            ("quoted", "Quoted"),
            ("paid", "Paid"),
            ("expired", "Expired"),
            ("cancelled", "Cancelled"),
        ],
        required=True,
        default="quoted",
        readonly=True,
        tracking=True,
    )
    receipt_id = fields.Many2one("loan.receipt", readonly=True, copy=False)

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("name", "/") == "/":
                vals["name"] = self.env["ir.sequence"].next_by_code("loan.settlement") or "/"
        return super().create(vals_list)

    @api.depends("contract_id", "date")
    def _compute_amounts(self):
        for quote in self:
            plan = quote._plan() if quote.contract_id and quote.date else None
            if not plan:
                quote.update(
                    {
                        "principal": 0,
                        "accrued_interest": 0,
                        "arrears": 0,
                        "prepayment_fee": 0,
                        "total": 0,
                        "valid_until": False,
                    }
                )
                continue
            quote.update(
                {
                    "principal": float(plan["principal"]),
                    "accrued_interest": float(plan["accrued"]),
                    "arrears": float(plan["arrears"]),
                    "prepayment_fee": float(plan["fee"]),
                    "total": float(plan["total"]),
                    "valid_until": quote.date,
                }
            )

    def _plan(self):
        """What settling on ``date`` costs, and how the schedule changes: a dict with the
        amounts (Decimals) and ``lines``, {line: (new interest, new fee)} for the
        instalments not yet due."""
        self.ensure_one()
        contract = self.contract_id.sudo()
        lines = contract.line_ids.sorted("sequence")
        instalments = [
            settlement.Instalment(
                line.id,
                line.due_date,
                interest=line.interest,
                interest_paid=line.interest_paid,
                fee_paid=line.fee_paid,
                **{"open_" + key: value for key, value in line._open_amounts().items()},
            )
            for line in lines
        ]
        try:
            quote = settlement.settlement_quote(
                instalments,
                contract.start_date,
                self.date,
                contract.prepayment_fee,
                to_decimal(contract.currency_id.rounding),
            )
        except EngineError as exc:
            raise UserError(engine_message(self.env, exc.code, exc.params)) from exc
        return {
            "principal": quote.principal,
            "accrued": quote.accrued,
            "arrears": quote.arrears,
            "fee": quote.fee,
            "total": quote.total,
            "lines": {lines.browse(line_id): new for line_id, new in quote.lines.items()},
        }

    def action_print(self):
        return self.env.ref("loan_servicing.action_report_loan_settlement").report_action(self)

    def action_send(self):
        """Send the quote to the borrower through the outreach gate."""
        self.ensure_one()
        template = self.env.ref("loan_servicing.mail_template_loan_settlement")
        channel = "email" if self.partner_id.email else "sms"
        return self.env["loan.outreach.attempt"].gate_send(
            self.partner_id, channel, purpose="service", template=template, origin=self
        )

    def action_settle(self):
        """Receive the quoted total on the settlement date: the instalments not yet due
        keep only the interest earned, the prepayment fee is charged, and the receipt
        closes the contract."""
        self.ensure_one()
        if not self.env.user.has_group("loan_base.group_loan_accountant"):
            raise AccessError(self.env._("Only a Loan Accountant may settle a loan."))
        return self._settle()

    def _settle(self, journal=None, reference=None):
        """:meth:`action_settle` into ``journal`` (the product's by default) with the bank's
        ``reference`` (the quote's name by default)."""
        self.ensure_one()
        if self.state != "quoted":
            raise UserError(self.env._("%s is not an open quote.", self.name))
        contract = self.contract_id
        contract._lock_for_servicing()
        plan = self._plan()
        cur = contract.currency_id
        if cur.compare_amounts(float(plan["total"]), self.total) != 0:
            raise UserError(
                self.env._(
                    "%(quote)s no longer matches the contract (a receipt or charge came in "
                    "since): make a new quote.",
                    quote=self.name,
                )
            )
        future = sorted(plan["lines"], key=lambda line: line.sequence)
        for line in future:
            interest, fee = plan["lines"][line]
            line.sudo().write({"interest": float(interest), "fee": float(fee)})
        if plan["fee"]:
            target = future[0] if future else contract.line_ids.sorted("sequence")[-1]
            target.sudo().fee = float(to_decimal(target.fee) + plan["fee"])
        receipt = self.env["loan.receipt"].create(
            {
                "contract_id": contract.id,
                "amount": float(plan["total"]),
                "date": self.date,
                "journal_id": journal.id if journal else False,
                "reference": reference or self.name,
                "settlement_id": self.id,
            }
        )
        receipt._post()
        if contract.state != "closed":
            raise UserError(self.env._("The settlement of %s left amounts open.", contract.name))
        self.write({"state": "paid", "receipt_id": receipt.id})
        contract.message_post(
            body=self.env._(
                "Settled early on %(date)s for %(total)s (%(quote)s).",
                date=self.date,
                total=cur.format(self.total),
                quote=self.name,
            )
        )
        return receipt

    @api.model
    def _cron_expire(self):
        """Daily: a quote not paid by its settlement date expires (a day of grace, so that
        every time zone's date has passed). Across companies: a system process."""
        stale = self.sudo().search(
            [
                ("state", "=", "quoted"),
                ("valid_until", "<", fields.Date.today() - timedelta(days=1)),
            ]
        )
        stale.write({"state": "expired"})
        return stale
