from odoo import api, fields, models


class AccountMove(models.Model):
    _inherit = "account.move"

    loan_contract_id = fields.Many2one(
        "loan.contract", index="btree_not_null", readonly=True, copy=False
    )

    @api.model
    def _loan_post_entry(self, company, journal_id, date, ref, line_vals, contract=None):
        """Create and post a journal entry of servicing: the decision behind it (a receipt,
        a restructure, a write-off, the end of day) was authorised already, so it is
        posted as system, in ``company``."""
        move = (
            self.sudo()
            .with_company(company)
            .create(
                {
                    "move_type": "entry",
                    "journal_id": journal_id,
                    "date": date,
                    "ref": ref,
                    "loan_contract_id": contract.id if contract else False,
                    "line_ids": [fields.Command.create(vals) for vals in line_vals],
                }
            )
        )
        move.action_post()
        return move


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

    def action_loan_print_voucher(self):
        """The receipt voucher (money in) or payment voucher (money out) of the payment."""
        return self.env.ref(
            "loan_servicing.action_report_loan_outbound_payment_voucher"
        ).report_action(self)
