from odoo import api, fields, models
from odoo.addons.loan_base.engine import rates
from odoo.addons.loan_base.engine.exceptions import EngineError
from odoo.addons.loan_base.engine.money import to_decimal
from odoo.addons.loan_base.tools.engine_messages import engine_message
from odoo.exceptions import UserError, ValidationError


class LoanProduct(models.Model):
    """Origination's side of a product: the documents an application needs, who is
    eligible, and the scorecard of its credit analysis."""

    _inherit = "loan.product"

    scorecard_id = fields.Many2one(
        "loan.scorecard", help="Evaluated in credit analysis.", tracking=True
    )

    # documents and eligibility
    document_type_ids = fields.Many2many("loan.document.type", string="Required Documents")
    min_age = fields.Integer("Minimum Age", default=18)
    max_age = fields.Integer("Maximum Age at Maturity", default=65)
    min_income = fields.Monetary("Minimum Monthly Income")
    max_dti = fields.Float("Maximum DTI (%)", digits=(5, 2), help="0 means no limit.")
    max_exposure = fields.Monetary(
        "Maximum Exposure per Customer",
        help="Total consumer loans of one customer; Vietnam caps it at VND 100,000,000 "
        "(Circular 43/2016). 0 means no limit.",
    )

    @api.constrains("max_dti")
    def _check_max_dti(self):
        for product in self:
            if product.max_dti < 0:
                raise ValidationError(self.env._("Rates and percentages cannot be negative."))

    @api.constrains("min_age", "max_age")
    def _check_ages(self):
        for product in self:
            if product.min_age < 0 or (product.max_age and product.max_age < product.min_age):
                raise ValidationError(self.env._("The age range of the product is not valid."))

    def _loan_dti(self, instalment, income):
        """Instalment-to-income in percent, the engine's Decimal (4 decimals as a ratio);
        None without a positive monthly ``income``."""
        if to_decimal(income or 0) <= 0:
            return None
        try:
            return rates.instalment_to_income(instalment, income) * 100
        except EngineError as exc:
            raise UserError(engine_message(self.env, exc.code, exc.params)) from exc

    def _loan_dti_exceeded(self, dti):
        """Whether ``dti`` (percent, from :meth:`_loan_dti`) is above the product's maximum,
        compared in Decimal; never without a maximum or a ratio."""
        self.ensure_one()
        return bool(self.max_dti) and dti is not None and to_decimal(dti) > to_decimal(self.max_dti)
