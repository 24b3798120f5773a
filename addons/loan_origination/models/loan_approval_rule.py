from odoo import api, fields, models
from odoo.exceptions import ValidationError


class LoanApprovalRule(models.Model):
    """The approval matrix: which group decides an application, by product, amount band
    and grade. The first matching rule (by sequence) applies; none means a Lending Manager."""

    _name = "loan.approval.rule"
    _description = "Approval Rule"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one("res.company", index=True, help="Empty: shared by companies.")
    product_ids = fields.Many2many("loan.product", string="Products", help="Empty: every product.")
    currency_id = fields.Many2one(
        "res.currency", required=True, default=lambda self: self.env.company.currency_id
    )
    min_amount = fields.Monetary("Amount From")
    max_amount = fields.Monetary("Amount Up To", help="0 means no upper limit.")
    grades = fields.Char(help="Comma-separated grades, e.g. A,B; empty means any grade.")
    group_id = fields.Many2one("res.groups", "Decided By", required=True)

    @api.constrains("min_amount", "max_amount")
    def _check_band(self):
        for rule in self:
            if rule.min_amount < 0 or (rule.max_amount and rule.max_amount < rule.min_amount):
                raise ValidationError(self.env._("The amount band of %s is not valid.", rule.name))

    def _matches(self, application):
        self.ensure_one()
        if self.product_ids and application.product_id not in self.product_ids:
            return False
        if self.currency_id != application.currency_id:
            return False
        cur = application.currency_id
        if cur.compare_amounts(application.amount, self.min_amount) < 0:
            return False
        if self.max_amount and cur.compare_amounts(application.amount, self.max_amount) > 0:
            return False
        grades = {g.strip() for g in (self.grades or "").split(",") if g.strip()}
        return not grades or application.grade in grades

    @api.model
    def _approver_group(self, application):
        rules = self.search([("company_id", "in", [application.company_id.id, False])])
        for rule in rules:
            if rule._matches(application):
                return rule.group_id
        return self.env.ref("loan_base.group_loan_manager")
