from collections.abc import Collection

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

    def _search_reconciled_payment_ids(self, operator, value):
        """See account.payment._search_reconciled_invoice_ids: while servicing posts, its
        own payments (those of a contract) are reconciled with loan entries only, never
        with an invoice, so they are left out of the question."""
        ids = [value] if isinstance(value, int) else value
        if (
            self.env.context.get("loan_skip_entry_payments")
            and operator in ("in", "=")
            and isinstance(ids, Collection)
            and not isinstance(ids, str)
            and all(isinstance(x, int) for x in ids)
        ):
            payments = self.env["account.payment"].browse(ids)
            value = payments.filtered(lambda payment: not payment.loan_contract_id).ids
            if not value:
                return fields.Domain.FALSE
            operator = "in"
        return super()._search_reconciled_payment_ids(operator, value)


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

    def _search_reconciled_invoice_ids(self, operator, value):
        """Only invoices (sale and purchase documents, receipts) are ever among a payment's
        reconciled invoices, yet Odoo answers this search (which every change of a move's
        payment state triggers) by computing the reconciled payments of every move given,
        in a query that grows with the whole ledger. Servicing posts thousands of plain
        entries at once (context key ``loan_skip_entry_payments``): it asks only about the
        invoices among them, which gives the same answer."""
        ids = [value] if isinstance(value, int) else value
        if (
            self.env.context.get("loan_skip_entry_payments")
            and operator in ("in", "=")
            and isinstance(ids, Collection)
            and not isinstance(ids, str)
            and all(isinstance(x, int) for x in ids)
        ):
            moves = self.env["account.move"].browse(ids)
            value = moves.filtered(lambda move: move.is_invoice(True)).ids
            if not value:
                return fields.Domain.FALSE
            operator = "in"
        return super()._search_reconciled_invoice_ids(operator, value)

    def action_loan_print_voucher(self):
        """The receipt voucher (money in) or payment voucher (money out) of the payment."""
        return self.env.ref(
            "loan_servicing.action_report_loan_outbound_payment_voucher"
        ).report_action(self)
