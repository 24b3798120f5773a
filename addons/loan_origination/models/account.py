from odoo import fields, models


class AccountMove(models.Model):
    _inherit = "account.move"

    loan_contract_id = fields.Many2one(
        "loan.contract", index="btree_not_null", readonly=True, copy=False
    )


class AccountMoveLine(models.Model):
    _inherit = "account.move.line"

    # per line: one batched entry (accruals, end of day) may serve many contracts
    loan_contract_id = fields.Many2one(
        "loan.contract", index="btree_not_null", readonly=True, copy=False
    )


class AccountPayment(models.Model):
    _inherit = "account.payment"

    loan_refund_contract_id = fields.Many2one(
        "loan.contract", "Refund of Contract", index="btree_not_null", readonly=True, copy=False
    )
    loan_contract_id = fields.Many2one(
        "loan.contract", index="btree_not_null", readonly=True, copy=False
    )
