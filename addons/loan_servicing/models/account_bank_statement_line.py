import re

from odoo import fields, models
from odoo.exceptions import UserError

CONTRACT_NUMBER = re.compile(r"[A-Z]{1,5}/\d{4}/\d{3,}")


class AccountBankStatementLine(models.Model):
    _inherit = "account.bank.statement.line"

    loan_receipt_id = fields.Many2one(
        "loan.receipt", readonly=True, copy=False, index="btree_not_null"
    )

    def _loan_find_contract(self):
        """The contract a bank transfer pays: its number in the transfer's reference, or
        the borrower's only running contract."""
        self.ensure_one()
        Contract = self.env["loan.contract"]
        states = ("active", "overdue", "written_off")
        text = " ".join(
            filter(None, [self.payment_ref, self.ref, self.narration and str(self.narration)])
        )
        names = CONTRACT_NUMBER.findall((text or "").upper())
        if names:
            contract = Contract.search(
                [
                    ("name", "in", names),
                    ("state", "in", states),
                    ("company_id", "=", self.company_id.id),
                ],
                limit=2,
            )
            if len(contract) == 1:
                return contract
        if self.partner_id:
            contract = Contract.search(
                [("partner_id", "=", self.partner_id.id), ("state", "in", states)], limit=2
            )
            if len(contract) == 1:
                return contract
        return Contract

    def action_loan_match(self):
        """Turn the selected incoming bank transfers into loan receipts: each is allocated
        and posted, and the statement line is reconciled with the receipt's payment.
        Lines no contract can be found for are listed in a notification."""
        if not self.env.user.has_group("loan_base.group_loan_accountant"):
            raise UserError(self.env._("Only a Loan Accountant may record loan receipts."))
        todo = self.filtered(
            lambda line: line.amount > 0 and not line.is_reconciled and not line.loan_receipt_id
        )
        unmatched = self.browse()
        pairs = []
        for line in todo:
            contract = line._loan_find_contract()
            if not contract:
                unmatched |= line
                continue
            pairs.append((line, contract))
        receipts = self.env["loan.receipt"].create(
            [
                {
                    "contract_id": contract.id,
                    "amount": line.amount,
                    "date": line.date,
                    "journal_id": line.journal_id.id,
                    "reference": line.payment_ref,
                }
                for line, contract in pairs
            ]
        )
        if receipts:
            receipts._post()
        for (line, _contract), receipt in zip(pairs, receipts, strict=True):
            line._loan_reconcile_with(receipt)
        message = self.env._("%s bank transfers recorded as loan receipts.", len(receipts))
        if unmatched:
            message += " " + self.env._(
                "No contract found for: %s.", ", ".join(unmatched.mapped("payment_ref"))
            )
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "warning" if unmatched else "success",
                "message": message,
                "sticky": bool(unmatched),
            },
        }

    def _loan_reconcile_with(self, receipt):
        """The statement line's suspense counterpart becomes the payment's outstanding
        receipts account, and the two are reconciled: the money is in the bank once."""
        self.ensure_one()
        payment = receipt.payment_id
        outstanding = payment.outstanding_account_id
        _liquidity, suspense, _other = self._seek_for_lines()
        move = self.move_id.sudo()
        move.button_draft()
        suspense.sudo().write({"account_id": outstanding.id, "partner_id": receipt.partner_id.id})
        move.action_post()
        to_match = suspense | payment.move_id.line_ids.filtered(
            lambda x: x.account_id == outstanding
        )
        to_match.sudo().reconcile()
        self.sudo().loan_receipt_id = receipt
