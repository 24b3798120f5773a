from decimal import Decimal

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.addons.loan_base.engine import schedule
from odoo.addons.loan_base.engine.exceptions import EngineError
from odoo.addons.loan_base.engine.money import to_decimal
from odoo.addons.loan_base.tools.engine_messages import engine_message
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import format_date

SNAPSHOT_FIELDS = (
    "sequence",
    "due_date",
    "principal",
    "interest",
    "fee",
    "penalty",
    "principal_paid",
    "interest_paid",
    "fee_paid",
    "penalty_paid",
    "interest_waived",
    "fee_waived",
    "penalty_waived",
)


# thirty years of monthly instalments: the longest a restructured consumer loan runs
MAX_TERM = 360


class LoanRestructure(models.Model):
    """A new repayment plan from a date for a borrower in difficulty: the instalments not
    yet due (and, if capitalised, the arrears) are replaced by a new schedule built by the
    engine with a new term, rate and grace. Requested, then approved by someone else; the
    replaced schedule is kept, the contract counts its restructures and is watched."""

    _name = "loan.restructure"
    _description = "Loan Restructure"
    _inherit = ["loan.approval.mixin"]
    _order = "date desc, id desc"
    _loan_sequence = "loan.restructure"

    date = fields.Date("Effective Date", required=True, default=fields.Date.context_today)
    term = fields.Integer("New Term (instalments)", required=True, default=12)
    rate = fields.Float("New Nominal Rate (%)", digits=(7, 4), required=True)
    grace_principal = fields.Integer("Grace on Principal (instalments)")
    capitalise_arrears = fields.Boolean(
        help="Add what is due and unpaid (principal, interest, fees, penalties) to the new "
        "principal; otherwise it stays due as it is."
    )
    watch_months = fields.Integer("Watch Period (months)", default=6)
    reason_id = fields.Many2one(
        "loan.decision.reason", required=True, domain="[('kind', '=', 'restructure')]"
    )
    new_principal = fields.Monetary(readonly=True, copy=False)
    capitalised = fields.Monetary(readonly=True, copy=False)
    move_id = fields.Many2one("account.move", readonly=True, copy=False)
    old_line_ids = fields.One2many(
        "loan.restructure.line", "restructure_id", "Replaced Schedule", readonly=True
    )

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if "rate" not in vals and vals.get("contract_id"):
                vals["rate"] = self.env["loan.contract"].browse(vals["contract_id"]).rate
        return super().create(vals_list)

    @api.constrains("term", "rate", "grace_principal", "watch_months")
    def _check_terms(self):
        for rec in self:
            if rec.term < 1 or rec.rate < 0 or rec.grace_principal < 0 or rec.watch_months < 0:
                raise ValidationError(
                    self.env._("%s: the term must be positive, the others not negative.", rec.name)
                )
            if rec.term > MAX_TERM:
                raise ValidationError(
                    self.env._(
                        "%(name)s: a term of %(term)s instalments is longer than %(max)s.",
                        name=rec.name,
                        term=rec.term,
                        max=MAX_TERM,
                    )
                )
            if rec.grace_principal >= rec.term:
                raise ValidationError(
                    self.env._("%s: the grace period must be shorter than the term.", rec.name)
                )
            cap = rec.contract_id.product_id.max_rate or rec.contract_id.product_id.rate
            if rec.contract_id and rec.rate > cap:
                raise ValidationError(
                    self.env._(
                        "%(name)s: the rate of %(rate)s%% is above the product's cap of %(cap)s%%.",
                        name=rec.name,
                        rate=rec.rate,
                        cap=cap,
                    )
                )

    def _check_approver_group(self):
        if not self.env.user.has_group("loan_base.group_loan_approver"):
            raise AccessError(self.env._("Only a Credit Approver may decide a restructure."))

    def _apply(self):
        contract = self.contract_id
        contract._lock_for_servicing()
        if contract.state not in ("active", "overdue"):
            raise UserError(
                self.env._("%s is not being repaid: it cannot be restructured.", contract.name)
            )
        cur = contract.currency_id
        rounding = to_decimal(cur.rounding)
        lines = contract.line_ids.sorted("sequence")
        unrecognised = lines.filtered(
            lambda line: line.due_date <= self.date and not line.recognised
        )
        if unrecognised:
            contract._recognise(unrecognised, self.date, self.name)
        replaced = lines.filtered(
            lambda line: (
                line.due_date > self.date
                or (self.capitalise_arrears and any(line._open_amounts().values()))
            )
        )
        if not replaced:
            raise UserError(self.env._("%s has nothing left to reschedule.", contract.name))
        principal = sum((line._open_amounts()["principal"] for line in replaced), 0)
        arrears = sum(
            (
                sum(v for k, v in line._open_amounts().items() if k != "principal")
                for line in replaced
                if line.due_date <= self.date
            ),
            0,
        )
        new_principal = principal + arrears
        try:
            terms = schedule.ScheduleTerms(
                principal=new_principal,
                annual_rate=to_decimal(self.rate) / 100,
                term=self.term,
                method=contract.schedule_method,
                frequency=contract.frequency,
                start_date=self.date,
                day_count=contract.day_count,
                rounding=rounding,
                rounding_mode=contract.rounding_mode,
                grace_principal=self.grace_principal,
                interest_basis=contract.interest_basis,
            )
            new_lines = schedule.build_schedule(terms)
        except EngineError as exc:
            raise UserError(engine_message(self.env, exc.code, exc.params)) from exc
        # the replaced schedule is kept; the replaced instalments keep only what was paid
        self.env["loan.restructure.line"].create(
            [
                {"restructure_id": self.id, **{f: line[f] for f in SNAPSHOT_FIELDS}}
                for line in replaced
            ]
        )
        for line in replaced:
            line.sudo().write(
                {
                    "principal": line.principal_paid,
                    "interest": line.interest_paid + line.interest_waived,
                    "fee": line.fee_paid + line.fee_waived,
                    "penalty": line.penalty_paid + line.penalty_waived,
                    "instalment": line.principal_paid + line.interest_paid + line.fee_paid,
                    "paid_date": line.paid_date or self.date,
                }
            )
        start = max(lines.mapped("sequence")) + 1
        self.env["loan.contract.line"].sudo().create(
            [
                {
                    "contract_id": contract.id,
                    "currency_id": cur.id,
                    "company_id": contract.company_id.id,
                    "sequence": start + n,
                    "due_date": line.due_date,
                    # interest of the new schedule runs from the restructure
                    "period_start": new_lines[n - 1].due_date if n else self.date,
                    "days": line.days,
                    "opening_balance": float(line.opening_balance),
                    "principal": float(line.principal),
                    "interest": float(line.interest),
                    "fee": 0.0,
                    "instalment": float(line.instalment),
                    "closing_balance": float(line.closing_balance),
                }
                for n, line in enumerate(new_lines)
            ]
        )
        # income recognised on the replaced instalments beyond what they now keep
        dropped = Decimal(0)
        for old, line in zip(self.old_line_ids, replaced, strict=True):
            if old.due_date <= self.date:
                continue
            extra = to_decimal(line.interest_recognised) - to_decimal(line.interest)
            if line.recognised:
                extra += to_decimal(old.fee) - to_decimal(line.fee)
            if extra > 0:
                dropped += extra
            line.sudo().interest_recognised = min(line.interest_recognised, line.interest)
        if dropped:
            contract._unrecognise(float(dropped), self.date, self.name)
        move = self._post_capitalisation(arrears) if arrears else False
        self.write(
            {
                "state": "approved",
                "approved_by_id": self.env.uid,
                "new_principal": float(new_principal),
                "capitalised": float(arrears),
                "move_id": move.id if move else False,
            }
        )
        contract.sudo().write(
            {
                "rate": self.rate,
                "restructure_count": contract.restructure_count + 1,
                "watch_until": self.date + relativedelta(months=self.watch_months),
                "maturity_date": new_lines[-1].due_date,
            }
        )
        contract._refresh_balances()
        contract.message_post(
            body=self.env._(
                "Restructured from %(date)s (%(name)s): %(principal)s over %(term)s "
                "instalments at %(rate)s%%, approved by %(user)s.",
                date=self.date,
                name=self.name,
                principal=cur.format(float(new_principal)),
                term=self.term,
                rate=self.rate,
                user=self.env.user.name,
            )
        )

    def _post_capitalisation(self, arrears):
        """The arrears become principal: Dr loan receivable, Cr interest and charges
        receivable (overdue principal already is on the loan receivable)."""
        product = self.contract_id.product_id
        return self.contract_id._loan_post_transfer(
            self.date,
            self.env._("Arrears capitalised, %s", self.name),
            self.name,
            product.account_receivable_id,
            product.account_charges_receivable_id,
            arrears,
        )


class LoanRestructureLine(models.Model):
    _name = "loan.restructure.line"
    _description = "Replaced Schedule Line"
    _order = "restructure_id, sequence"

    restructure_id = fields.Many2one(
        "loan.restructure", required=True, index=True, ondelete="cascade"
    )
    currency_id = fields.Many2one(related="restructure_id.currency_id")
    sequence = fields.Integer("No.")
    due_date = fields.Date()
    principal = fields.Monetary()
    interest = fields.Monetary()
    fee = fields.Monetary()
    penalty = fields.Monetary()
    principal_paid = fields.Monetary()
    interest_paid = fields.Monetary()
    fee_paid = fields.Monetary()
    penalty_paid = fields.Monetary()
    interest_waived = fields.Monetary()
    fee_waived = fields.Monetary()
    penalty_waived = fields.Monetary()

    @api.depends("restructure_id", "sequence", "due_date")
    def _compute_display_name(self):
        for line in self:
            line.display_name = self.env._(
                "%(restructure)s: former instalment %(number)s, due %(date)s",
                restructure=line.restructure_id.name,
                number=line.sequence,
                date=format_date(self.env, line.due_date),
            )
