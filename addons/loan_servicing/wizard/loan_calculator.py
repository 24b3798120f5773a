from markupsafe import Markup, escape

from odoo import api, fields, models
from odoo.exceptions import UserError


class LoanCalculator(models.TransientModel):
    """Schedule preview and effective annual rate of a product for an amount and term,
    for any consultant, from a product (and later from a lead)."""

    _name = "loan.calculator"
    _description = "Loan Calculator"

    product_id = fields.Many2one("loan.product", required=True)
    currency_id = fields.Many2one("res.currency", compute="_compute_currency_id")
    amount = fields.Monetary(required=True)
    term = fields.Integer("Term (instalments)", required=True)
    start_date = fields.Date("Disbursement Date", required=True, default=fields.Date.context_today)
    first_due_date = fields.Date()
    nominal_rate = fields.Float(related="product_id.rate")
    error = fields.Text(compute="_compute_schedule")
    instalment = fields.Monetary("First Instalment", compute="_compute_schedule")
    total_interest = fields.Monetary(compute="_compute_schedule")
    total_fees = fields.Monetary(compute="_compute_schedule")
    total_payable = fields.Monetary(compute="_compute_schedule")
    eir = fields.Float(
        "Effective Annual Rate (%)",
        digits=(7, 2),
        compute="_compute_schedule",
        help="IRR of every cash flow the borrower receives and pays, fees included, annualised.",
    )
    schedule_html = fields.Html("Schedule", compute="_compute_schedule", sanitize=False)

    @api.depends("product_id")
    def _compute_currency_id(self):
        # the company's currency until a product is chosen: no "0.00" for VND
        for calc in self:
            calc.currency_id = calc.product_id.currency_id or self.env.company.currency_id

    @api.onchange("product_id")
    def _onchange_product_id(self):
        if self.product_id:
            self.amount = self.amount or self.product_id.min_amount
            self.term = self.term or self.product_id.min_term

    @api.depends("product_id", "amount", "term", "start_date", "first_due_date")
    def _compute_schedule(self):
        for calc in self:
            calc.update(
                {
                    "error": False,
                    "instalment": 0.0,
                    "total_interest": 0.0,
                    "total_fees": 0.0,
                    "total_payable": 0.0,
                    "eir": 0.0,
                    "schedule_html": False,
                }
            )
            if not (calc.product_id and calc.start_date):
                continue
            try:
                result = calc.product_id._loan_schedule(
                    calc.amount, calc.term, calc.start_date, calc.first_due_date
                )
            except UserError as exc:
                calc.error = exc.args[0]
                continue
            lines, totals = result["lines"], result["totals"]
            fees = result["upfront_fees"] + result["instalment_fee"] * len(lines)
            calc.update(
                {
                    "instalment": float(lines[0].instalment + result["instalment_fee"]),
                    "total_interest": float(totals["interest"]),
                    "total_fees": float(fees),
                    "total_payable": float(totals["instalments"] + fees),
                    "eir": float(result["eir"] * 100),
                    "schedule_html": calc._render_schedule(result),
                }
            )

    def _render_schedule(self, result):
        cur = self.currency_id
        fee = result["instalment_fee"]
        head = (
            self.env._("No."),
            self.env._("Due Date"),
            self.env._("Days"),
            self.env._("Principal"),
            self.env._("Interest"),
            self.env._("Fees"),
            self.env._("Instalment"),
            self.env._("Balance"),
        )
        rows = [Markup("<tr><th>%s</th></tr>") % Markup("</th><th>").join(escape(h) for h in head)]
        for line in result["lines"]:
            cells = (
                str(line.seq),
                fields.Date.to_string(line.due_date),
                str(line.days),
                cur.format(float(line.principal)),
                cur.format(float(line.interest)),
                cur.format(float(fee)),
                cur.format(float(line.instalment + fee)),
                cur.format(float(line.closing_balance)),
            )
            rows.append(
                Markup("<tr><td>%s</td></tr>") % Markup("</td><td>").join(escape(c) for c in cells)
            )
        return Markup('<table class="table table-sm o_loan_schedule">%s</table>') % Markup("").join(
            rows
        )

    def action_check(self):
        """Raise the product's refusal, if any, as an error the user cannot miss."""
        self.ensure_one()
        self.product_id._loan_check_request(self.amount, self.term)
        return {"type": "ir.actions.act_window_close"}
