from odoo import api, fields, models
from odoo.addons.loan_base.engine import allocation
from odoo.addons.loan_base.engine.money import to_decimal
from odoo.tools import format_date

# engine component -> (paid field, amount field) on loan.contract.line
COMPONENT_FIELDS = {
    allocation.PRINCIPAL: ("principal_paid", "principal"),
    allocation.INTEREST: ("interest_paid", "interest"),
    allocation.FEES: ("fee_paid", "fee"),
    allocation.PENALTY: ("penalty_paid", "penalty"),
}


# engine component -> waived field on loan.contract.line
WAIVED = {
    allocation.INTEREST: "interest_waived",
    allocation.FEES: "fee_waived",
    allocation.PENALTY: "penalty_waived",
}


class LoanContractLine(models.Model):
    """An instalment of a contract's schedule: what is due, and what was paid, charged,
    waived and recognised against it."""

    _name = "loan.contract.line"
    _description = "Contract Schedule Line"
    _order = "contract_id, sequence"

    contract_id = fields.Many2one("loan.contract", required=True, index=True, ondelete="cascade")
    # copies of the contract's (immutable) currency and company, set at creation: batch
    # creation of schedules stays fast without resolving a related field per line
    currency_id = fields.Many2one("res.currency", required=True, readonly=True)
    company_id = fields.Many2one("res.company", required=True, readonly=True, index=True)
    sequence = fields.Integer("No.", required=True)
    due_date = fields.Date(required=True)
    period_start = fields.Date(
        readonly=True,
        help="The day its interest starts to run: the previous due date, the disbursement, "
        "or the restructure that made it.",
    )
    days = fields.Integer()
    opening_balance = fields.Monetary()
    principal = fields.Monetary()
    interest = fields.Monetary()
    fee = fields.Monetary()
    instalment = fields.Monetary()
    closing_balance = fields.Monetary("Balance")
    # servicing: what was paid, charged, waived and recognised
    principal_paid = fields.Monetary(readonly=True)
    interest_paid = fields.Monetary(readonly=True)
    fee_paid = fields.Monetary(readonly=True)
    penalty = fields.Monetary("Penalty Charged", readonly=True)
    penalty_paid = fields.Monetary(readonly=True)
    recognised = fields.Boolean(
        "Fully Recognised",
        readonly=True,
        help="Its interest and fees were posted to income (at the due date, or when paid earlier).",
    )
    interest_recognised = fields.Monetary(
        readonly=True, help="Interest recognised so far (daily accrual recognises it day by day)."
    )
    paid_date = fields.Date(readonly=True)
    dpd = fields.Integer("Days Past Due", readonly=True)
    amount_open = fields.Monetary("Open Amount", compute="_compute_amount_open")

    interest_waived = fields.Monetary(readonly=True)
    fee_waived = fields.Monetary(readonly=True)
    penalty_waived = fields.Monetary(readonly=True)

    @api.depends("sequence", "due_date", "contract_id")
    def _compute_display_name(self):
        """ "3/12, due 15/03/2026": the instalment's number out of its schedule's count,
        and its due date in the reader's date format."""
        counts = dict(
            self.sudo()._read_group(
                [("contract_id", "in", self.contract_id._origin.ids)],
                ["contract_id"],
                ["sequence:max"],
            )
        )
        for line in self:
            line.display_name = self.env._(
                "%(number)s/%(count)s, due %(date)s",
                number=line.sequence,
                count=counts.get(line.contract_id.sudo(), line.sequence),
                date=format_date(self.env, line.due_date),
            )

    @api.depends(
        "principal_paid",
        "interest_paid",
        "fee_paid",
        "penalty",
        "penalty_paid",
        "interest_waived",
        "fee_waived",
        "penalty_waived",
    )
    def _compute_amount_open(self):
        for line in self:
            line.amount_open = float(sum(line._open_amounts().values()))

    def _open_amounts(self):
        """Open amount per engine component (less what was paid or waived), as Decimals."""
        self.ensure_one()
        return {
            component: to_decimal(self[amount])
            - to_decimal(self[paid])
            - (to_decimal(self[WAIVED[component]]) if component in WAIVED else 0)
            for component, (paid, amount) in COMPONENT_FIELDS.items()
        }
