import re

from odoo import api, fields, models
from odoo.exceptions import UserError

CONTRACT_NUMBER = re.compile(r"[A-Z]{1,5}/\d{4}/\d{3,}")


class AccountBankStatementLine(models.Model):
    _inherit = "account.bank.statement.line"

    loan_receipt_ids = fields.One2many(
        "loan.receipt", "statement_line_id", "Loan Receipts (all)", readonly=True
    )
    loan_receipt_id = fields.Many2one(
        "loan.receipt",
        compute="_compute_loan_receipt_id",
        store=True,
        index="btree_not_null",
        help="The posted loan receipt booked on this bank transaction.",
    )

    @api.depends("loan_receipt_ids.state")
    def _compute_loan_receipt_id(self):
        for line in self:
            line.loan_receipt_id = line.loan_receipt_ids.filtered(
                lambda receipt: receipt.state == "posted"
            )[:1]

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
        and booked on the bank transaction's own entry, which is then reconciled.
        Lines no contract can be found for are listed in a notification. A large selection
        (a whole bank statement) is matched in queue_job jobs of ``loan.receipt_chunk_size``
        lines (500 by default) on the channel ``root.loan_receipt``."""
        if not self.env.user.has_group("loan_base.group_loan_accountant"):
            raise UserError(self.env._("Only a Loan Accountant may record loan receipts."))
        todo = self._loan_to_match()
        chunk_size = int(
            self.env["ir.config_parameter"].sudo().get_param("loan.receipt_chunk_size", 500)
        )
        if chunk_size > 0 and len(todo) > chunk_size:
            jobs = todo._loan_enqueue_match(chunk_size)
            return {
                "type": "ir.actions.client",
                "tag": "display_notification",
                "params": {
                    "type": "info",
                    "message": self.env._(
                        "%(lines)s bank transfers are being recorded as loan receipts in "
                        "%(jobs)s jobs.",
                        lines=len(todo),
                        jobs=jobs,
                    ),
                    "sticky": False,
                    "next": {"type": "ir.actions.client", "tag": "soft_reload"},
                },
            }
        receipts, unmatched = todo._loan_match()
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
                "next": {"type": "ir.actions.client", "tag": "soft_reload"},
            },
        }

    def _loan_to_match(self):
        return self.filtered(
            lambda line: line.amount > 0 and not line.is_reconciled and not line.loan_receipt_id
        )

    def _loan_enqueue_match(self, chunk_size):
        """One job per ``chunk_size`` lines; a borrower's lines stay in one chunk, so two
        jobs never wait for each other on one contract. Returns the number of jobs."""
        lines = self.sorted(lambda line: (line.partner_id.id or 0, line.payment_ref or "", line.id))
        chunks = []
        current = []
        for n, line in enumerate(lines):
            current.append(line.id)
            following = lines[n + 1] if n + 1 < len(lines) else None
            if len(current) >= chunk_size and (
                following is None or following.partner_id != line.partner_id or not line.partner_id
            ):
                chunks.append(current)
                current = []
        if current:
            chunks.append(current)
        for n, ids in enumerate(chunks):
            self.browse(ids).with_delay(
                channel="root.loan_receipt",
                description=self.env._(
                    "Bank transfers to loan receipts, chunk %(n)s of %(count)s",
                    n=n + 1,
                    count=len(chunks),
                ),
            )._loan_match_job()
        return len(chunks)

    def _loan_match_job(self):
        """A queue_job job: match the lines still to match (a rerun skips those done)."""
        receipts, unmatched = self._loan_to_match()._loan_match()
        return "%s receipts posted, %s lines without a contract" % (len(receipts), len(unmatched))

    def _loan_match(self):
        """Record ``self`` as receipts, each booked on its bank transaction's own entry and
        all posted in one batch. Returns (receipts, lines without a contract)."""
        unmatched = self.browse()
        pairs = []
        for line in self:
            contract = line._loan_find_contract()
            amount, currency = line._get_accounting_amounts_and_currencies()[:2]
            if not contract or contract.currency_id != currency:
                unmatched |= line
                continue
            pairs.append((line, contract, amount))
        receipts = self.env["loan.receipt"].create(
            [
                {
                    "contract_id": contract.id,
                    "amount": amount,
                    "date": line.date,
                    "journal_id": line.journal_id.id,
                    "reference": line.payment_ref,
                    "statement_line_id": line.id,
                }
                for line, contract, amount in pairs
            ]
        )
        if receipts:
            receipts._post()
        return receipts, unmatched

    def action_undo_reconciliation(self):
        """A bank transaction booked as a loan receipt is undone by reversing the receipt,
        which also restores the schedule it paid."""
        if not self.env.context.get("loan_undo_receipt"):
            booked = self.filtered("loan_receipt_id")
            if booked:
                raise UserError(
                    self.env._(
                        "%(lines)s: booked as loan receipts %(receipts)s. Reverse the receipts "
                        "instead.",
                        lines=", ".join(booked.mapped("display_name")),
                        receipts=", ".join(booked.loan_receipt_id.mapped("name")),
                    )
                )
        return super().action_undo_reconciliation()
