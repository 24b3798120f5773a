from odoo import api, fields, models
from odoo.addons.loan_base.engine import daycount, fees, rates, schedule
from odoo.addons.loan_base.engine.exceptions import EngineError
from odoo.addons.loan_base.engine.money import to_decimal
from odoo.addons.loan_base.tools.engine_messages import engine_message
from odoo.exceptions import UserError, ValidationError

COMPONENT_ORDERS = [
    ("penalty,fees,interest,principal", "Penalty, fees, interest, principal"),
    ("fees,interest,principal,penalty", "Fees, interest, principal, penalty"),
    ("interest,principal,fees,penalty", "Interest, principal, fees, penalty"),
    ("principal,interest,fees,penalty", "Principal, interest, fees, penalty"),
]

FEE_TYPES = [
    ("upfront_percent", "Upfront, % of the amount"),
    ("upfront_fixed", "Upfront, fixed amount"),
    ("insurance_percent", "Insurance, % of the amount, upfront"),
    ("service_instalment", "Service fee per instalment"),
]


def loan_schedule(terms, amount, term, start_date, first_due_date, rate, upfront, per_instalment):
    """Schedule, fees and effective annual rate from ``terms``: a product, or a contract
    whose frozen copies of the product's fields carry the same names."""
    annual = to_decimal(terms.rate if rate is None else rate) / 100
    try:
        schedule_terms = schedule.ScheduleTerms(
            principal=to_decimal(amount),
            annual_rate=annual,
            term=term,
            method=terms.schedule_method,
            frequency=terms.frequency,
            start_date=start_date,
            first_due_date=first_due_date or None,
            day_count=terms.day_count,
            rounding=to_decimal(terms.currency_id.rounding),
            rounding_mode=terms.rounding_mode,
            grace_principal=terms.grace_principal,
            grace_interest=terms.grace_interest,
            interest_basis=terms.interest_basis,
        )
        lines = schedule.build_schedule(schedule_terms)
        eir = rates.effective_annual_rate(
            schedule_terms.principal,
            lines,
            upfront_fees=upfront,
            periodic_fees=per_instalment,
            start_date=start_date,
        )
    except EngineError as exc:
        raise UserError(engine_message(terms.env, exc.code, exc.params)) from exc
    return {
        "terms": schedule_terms,
        "lines": lines,
        "upfront_fees": upfront,
        "instalment_fee": per_instalment,
        "totals": schedule.schedule_totals(lines),
        "eir": eir,
    }


class LoanProduct(models.Model):
    """A loan product an administrator configures without code: amounts, terms, price,
    schedule rules, fees, penalties, waterfall, accounts and journals. Contracts copy its
    terms when they are made, so later edits never change a signed loan. Origination adds
    documents, eligibility and the scorecard."""

    _name = "loan.product"
    _description = "Loan Product"
    _inherit = ["mail.thread"]
    _order = "sequence, name"
    _check_company_auto = True

    name = fields.Char(required=True, translate=True, tracking=True)
    code = fields.Char(required=True, tracking=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True, tracking=True)
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    currency_id = fields.Many2one(
        "res.currency",
        required=True,
        default=lambda self: self.env.company.currency_id,
        tracking=True,
    )
    description = fields.Html(translate=True)

    # amounts and terms
    min_amount = fields.Monetary("Minimum Amount", required=True, tracking=True)
    max_amount = fields.Monetary("Maximum Amount", required=True, tracking=True)
    min_term = fields.Integer("Minimum Term", required=True, default=6, tracking=True)
    max_term = fields.Integer("Maximum Term", required=True, default=36, tracking=True)

    # price and schedule
    rate = fields.Float(
        "Nominal Annual Rate (%)",
        digits=(7, 4),
        required=True,
        tracking=True,
        help="Stated per year; interest follows the day count below.",
    )
    max_rate = fields.Float(
        "Rate Cap (%)",
        digits=(7, 4),
        tracking=True,
        help="Highest nominal annual rate a decision may set; 0 means the product rate.",
    )
    schedule_method = fields.Selection(
        [
            (schedule.ANNUITY, "Annuity (equal instalments)"),
            (schedule.EQUAL_PRINCIPAL, "Equal principal"),
            (schedule.FLAT, "Flat (add-on interest)"),
            (schedule.BULLET, "Interest only, principal at the end"),
        ],
        required=True,
        default=schedule.ANNUITY,
        tracking=True,
    )
    frequency = fields.Selection(
        [
            (schedule.MONTHLY, "Monthly"),
            (schedule.FORTNIGHTLY, "Fortnightly"),
            (schedule.WEEKLY, "Weekly"),
        ],
        required=True,
        default=schedule.MONTHLY,
    )
    day_count = fields.Selection(
        [
            (daycount.ACT_365F, "Actual/365 Fixed"),
            (daycount.ACT_ACT, "Actual/Actual"),
            (daycount.THIRTY_360, "30/360"),
        ],
        required=True,
        default=daycount.ACT_365F,
    )
    interest_basis = fields.Selection(
        [
            (schedule.DAILY, "Actual days of each period"),
            (schedule.PERIODIC, "Equal periods (rate / periods per year)"),
        ],
        required=True,
        default=schedule.DAILY,
        help="Vietnam: interest = balance x days x rate / 365 (Circular 14/2017).",
    )
    rounding_mode = fields.Selection(
        [
            ("half_up", "Half up"),
            ("half_even", "Half even (banker's)"),
            ("down", "Down"),
            ("up", "Up"),
        ],
        required=True,
        default="half_up",
    )
    grace_principal = fields.Integer("Grace on Principal (instalments)")
    grace_interest = fields.Integer("Grace on Interest (instalments)")

    # fees and penalties
    fee_ids = fields.One2many("loan.product.fee", "product_id", "Fees", copy=True)
    penalty_rate = fields.Float(
        "Late Penalty (% per day)",
        digits=(7, 4),
        help="Charged on overdue amounts for each day past due.",
    )
    penalty_cap = fields.Float("Penalty Cap (% of overdue)", digits=(7, 4), help="0 means no cap.")
    prepayment_fee = fields.Float("Prepayment Fee (% of prepaid principal)", digits=(7, 4))

    # receipts: the waterfall
    instalment_order = fields.Selection(
        [("oldest_first", "Oldest due first"), ("newest_first", "Newest due first")],
        required=True,
        default="oldest_first",
        help="Which instalments a receipt pays first.",
    )
    component_order = fields.Selection(
        COMPONENT_ORDERS,
        required=True,
        default="penalty,fees,interest,principal",
        help="Within one instalment, the order in which its amounts are paid.",
    )
    accrual_method = fields.Selection(
        [("due_date", "At each due date (period end)"), ("daily", "Daily")],
        required=True,
        default="due_date",
        help="When interest income is recognised: in full when an instalment falls due, or "
        "day by day over its period by the end of day.",
    )
    overpayment = fields.Selection(
        [("advance", "Keep as an advance"), ("prepay", "Prepay principal (re-amortised)")],
        required=True,
        default="advance",
        help="What a receipt beyond the instalments due does: wait for the next instalments, "
        "or repay principal early (less the prepayment fee) and lower the instalments.",
    )

    # accounting (defaults from the company's loan accounts, see res.company)
    disbursement_journal_id = fields.Many2one(
        "account.journal",
        domain="[('type', 'in', ('bank', 'cash'))]",
        check_company=True,
        tracking=True,
        help="Bank or cash journal the loan is paid out from.",
    )
    journal_id = fields.Many2one(
        "account.journal",
        "Loan Journal",
        domain="[('type', '=', 'general')]",
        check_company=True,
        help="Journal of the entries that move no money: fees, accruals, write-offs.",
    )
    account_receivable_id = fields.Many2one(
        "account.account",
        "Loan Receivable Account",
        domain="[('account_type', '=', 'asset_receivable')]",
        check_company=True,
        tracking=True,
        help="Debited with the principal at disbursement; its balance per contract is the "
        "outstanding principal.",
    )
    account_interest_income_id = fields.Many2one(
        "account.account",
        "Interest Income Account",
        domain="[('account_type', 'in', ('income', 'income_other'))]",
        check_company=True,
    )
    account_fee_income_id = fields.Many2one(
        "account.account",
        "Fee Income Account",
        domain="[('account_type', 'in', ('income', 'income_other'))]",
        check_company=True,
    )
    account_charges_receivable_id = fields.Many2one(
        "account.account",
        "Interest and Charges Receivable Account",
        domain="[('account_type', '=', 'asset_receivable')]",
        check_company=True,
        help="Debited with interest, fees and penalties as they are earned (accrual), "
        "credited by the receipts that pay them.",
    )
    account_advance_id = fields.Many2one(
        "account.account",
        "Customer Advances Account",
        domain="[('account_type', 'in', ('liability_current', 'liability_payable'))]",
        check_company=True,
        help="Holds what a borrower pays beyond what is due, until it is applied.",
    )
    write_off_dpd = fields.Integer(
        "Write-off after (days past due)",
        default=180,
        help="The end of day requests the write-off of a contract this late; 0: never.",
    )
    account_write_off_id = fields.Many2one(
        "account.account",
        "Write-off Expense Account",
        domain="[('account_type', 'in', ('expense', 'expense_other'))]",
        check_company=True,
    )
    account_recovery_income_id = fields.Many2one(
        "account.account",
        "Recovery Income Account",
        domain="[('account_type', 'in', ('income', 'income_other'))]",
        check_company=True,
        help="Credited with money received for a written-off loan.",
    )
    account_penalty_income_id = fields.Many2one(
        "account.account",
        "Penalty Income Account",
        domain="[('account_type', 'in', ('income', 'income_other'))]",
        check_company=True,
    )

    _code_company_unique = models.Constraint(
        "UNIQUE(code, company_id)", "A product code must be unique per company."
    )
    _amounts_valid = models.Constraint(
        "CHECK(min_amount > 0 AND max_amount >= min_amount)",
        "The minimum amount must be positive and not above the maximum.",
    )
    _terms_valid = models.Constraint(
        "CHECK(min_term >= 1 AND max_term >= min_term)",
        "The minimum term must be at least 1 and not above the maximum.",
    )

    @api.constrains("rate", "max_rate", "penalty_rate", "penalty_cap", "prepayment_fee")
    def _check_rates(self):
        for product in self:
            values = (
                product.rate,
                product.max_rate,
                product.penalty_rate,
                product.penalty_cap,
                product.prepayment_fee,
            )
            if any(v < 0 for v in values):
                raise ValidationError(self.env._("Rates and percentages cannot be negative."))
            if product.max_rate and product.max_rate < product.rate:
                raise ValidationError(
                    self.env._("The rate cap of %s is below its nominal rate.", product.name)
                )

    @api.constrains("grace_principal", "grace_interest", "min_term")
    def _check_grace(self):
        for product in self:
            if product.grace_principal < 0 or product.grace_interest < 0:
                raise ValidationError(self.env._("Grace periods cannot be negative."))
            if max(product.grace_principal, product.grace_interest) >= product.min_term:
                raise ValidationError(
                    self.env._("Grace periods must be shorter than the minimum term.")
                )

    @api.model_create_multi
    def create(self, vals_list):
        """New products start from their company's loan accounts and journals."""
        for vals in vals_list:
            company = self.env["res.company"].browse(vals.get("company_id")) or self.env.company
            for fname, value in company._loan_accounting_defaults().items():
                if value and not vals.get(fname):
                    vals[fname] = value
        return super().create(vals_list)

    def _loan_check_accounting(self):
        """Refuse, listing every gap, to post for a product whose accounting is incomplete."""
        self.ensure_one()
        needed = (
            "disbursement_journal_id",
            "journal_id",
            "account_receivable_id",
            "account_interest_income_id",
            "account_fee_income_id",
            "account_penalty_income_id",
            "account_charges_receivable_id",
            "account_advance_id",
            "account_write_off_id",
            "account_recovery_income_id",
        )
        missing = [
            self._fields[fname].get_description(self.env)["string"]
            for fname in needed
            if not self[fname]
        ]
        if missing:
            raise UserError(
                self.env._(
                    "Complete the accounting of the product %(product)s first: %(fields)s.",
                    product=self.display_name,
                    fields=", ".join(missing),
                )
            )

    # ---------------------------------------------------------------- requests
    def _loan_check_request(self, amount, term, rate=None):
        """Refuse, with every reason at once, a request the product does not allow."""
        self.ensure_one()
        problems = []
        cur = self.currency_id
        if amount is None or amount <= 0:
            problems.append(self.env._("The amount must be positive."))
        elif (
            cur.compare_amounts(amount, self.min_amount) < 0
            or cur.compare_amounts(amount, self.max_amount) > 0
        ):
            problems.append(
                self.env._(
                    "The amount %(amount)s is outside the product's range %(min)s - %(max)s.",
                    amount=cur.format(amount),
                    min=cur.format(self.min_amount),
                    max=cur.format(self.max_amount),
                )
            )
        if not term or not self.min_term <= term <= self.max_term:
            problems.append(
                self.env._(
                    "The term of %(term)s instalments is outside the product's range "
                    "%(min)s - %(max)s.",
                    term=term or 0,
                    min=self.min_term,
                    max=self.max_term,
                )
            )
        if rate is not None:
            cap = self.max_rate or self.rate
            if rate < 0 or rate > cap:
                problems.append(
                    self.env._(
                        "The rate of %(rate)s%% is above the product's cap of %(cap)s%%.",
                        rate=rate,
                        cap=cap,
                    )
                )
        if problems:
            raise UserError("\n".join([self.env._("%s:", self.display_name), *problems]))

    def _loan_fees(self, amount):
        """(upfront fees, fee per instalment) for ``amount``, rounded to the currency."""
        self.ensure_one()
        try:
            return fees.loan_fees(
                amount,
                [(fee.fee_type, fee.value) for fee in self.fee_ids],
                to_decimal(self.currency_id.rounding),
            )
        except EngineError as exc:
            raise UserError(engine_message(self.env, exc.code, exc.params)) from exc

    def _loan_schedule(self, amount, term, start_date, first_due_date=None, rate=None):
        """The schedule, fees and effective annual rate of a request, as plain values.

        Returns a dict: ``lines`` (engine lines), ``upfront_fees``, ``instalment_fee``,
        ``totals`` and ``eir`` (a fraction). Raises UserError on a request outside the
        product and on any engine error, translated."""
        self.ensure_one()
        self._loan_check_request(amount, term, rate)
        upfront, per_instalment = self._loan_fees(amount)
        return loan_schedule(
            self, amount, term, start_date, first_due_date, rate, upfront, per_instalment
        )

    def action_open_calculator(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Loan Calculator"),
            "res_model": "loan.calculator",
            "view_mode": "form",
            "target": "new",
            "context": {
                "default_product_id": self.id,
                "default_amount": self.min_amount,
                "default_term": self.min_term,
                "default_start_date": fields.Date.context_today(self),
            },
        }


class LoanProductFee(models.Model):
    _name = "loan.product.fee"
    _description = "Loan Product Fee"
    _order = "product_id, sequence, id"

    product_id = fields.Many2one("loan.product", required=True, index=True, ondelete="cascade")
    sequence = fields.Integer(default=10)
    name = fields.Char(required=True, translate=True)
    fee_type = fields.Selection(FEE_TYPES, "Type", required=True, default="upfront_percent")
    value = fields.Float(
        digits=(16, 4), required=True, help="A percentage or an amount in the product currency."
    )

    @api.constrains("fee_type", "value")
    def _check_value(self):
        for fee in self:
            if fee.value < 0:
                raise ValidationError(self.env._("A fee cannot be negative."))
            if fee.fee_type.endswith("_percent") and fee.value > 100:
                raise ValidationError(self.env._("A percentage fee cannot exceed 100%."))
