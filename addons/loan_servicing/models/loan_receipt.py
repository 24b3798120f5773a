from decimal import Decimal

from odoo import api, fields, models
from odoo.addons.loan_base.engine import allocation, schedule, settlement
from odoo.addons.loan_base.engine.exceptions import EngineError
from odoo.addons.loan_base.engine.money import to_decimal
from odoo.addons.loan_base.tools.engine_messages import engine_message
from odoo.exceptions import AccessError, UserError, ValidationError

from .loan_contract_line import COMPONENT_FIELDS


class LoanReceipt(models.Model):
    """Money received for a contract (phiếu thu): allocated by the engine over the
    schedule with the contract's waterfall, posted as one inbound payment whose entry
    credits the loan receivable with the principal paid and the interest and charges
    receivable with the rest, reconciled with the borrower's receivable lines."""

    _name = "loan.receipt"
    _description = "Loan Receipt"
    _inherit = ["mail.thread"]
    _order = "date desc, id desc"
    _check_company_auto = True

    name = fields.Char("Number", required=True, readonly=True, copy=False, default="/")
    contract_id = fields.Many2one(
        "loan.contract",
        required=True,
        index=True,
        check_company=True,
        domain="[('state', 'in', ('active', 'overdue', 'written_off'))]",
    )
    partner_id = fields.Many2one(related="contract_id.partner_id", store=True, index=True)
    company_id = fields.Many2one(related="contract_id.company_id", store=True, index=True)
    currency_id = fields.Many2one(related="contract_id.currency_id", store=True)
    date = fields.Date(required=True, default=fields.Date.context_today, tracking=True)
    amount = fields.Monetary(required=True, tracking=True)
    journal_id = fields.Many2one(
        "account.journal",
        domain="[('type', 'in', ('bank', 'cash'))]",
        check_company=True,
        help="Bank or cash journal the money came in; the product's disbursement journal by "
        "default.",
    )
    reference = fields.Char(help="Bank transfer reference, cashier voucher number...")
    state = fields.Selection(
        [("draft", "Draft"), ("posted", "Posted"), ("reversed", "Reversed")],
        required=True,
        default="draft",
        readonly=True,
        tracking=True,
        index=True,
    )
    line_ids = fields.One2many("loan.receipt.line", "receipt_id", "Allocation", readonly=True)
    advance_amount = fields.Monetary(
        "Kept as Advance", readonly=True, help="Paid beyond everything due, held for later."
    )
    payment_id = fields.Many2one("account.payment", readonly=True, copy=False)
    statement_line_id = fields.Many2one(
        "account.bank.statement.line",
        "Bank Transaction",
        readonly=True,
        copy=False,
        index="btree_not_null",
        check_company=True,
        help="The bank statement line this receipt was matched to: the receipt is booked on "
        "the bank transaction's own entry, whose suspense item becomes its credits.",
    )
    move_id = fields.Many2one(
        "account.move",
        "Journal Entry",
        compute="_compute_move_id",
        store=True,
        index="btree_not_null",
    )
    recognition_move_id = fields.Many2one(
        "account.move",
        readonly=True,
        copy=False,
        help="Interest and fees of instalments paid before their due date, recognised when paid.",
    )
    recognised_line_ids = fields.Many2many(
        "loan.contract.line", string="Recognised Instalments", readonly=True, copy=False
    )
    reversal_move_ids = fields.Many2many("account.move", string="Reversal Entries", copy=False)
    reversed_date = fields.Date(readonly=True, copy=False)
    settlement_id = fields.Many2one("loan.settlement", readonly=True, copy=False)
    prepaid_amount = fields.Monetary(
        "Principal Prepaid", readonly=True, copy=False, help="Applied to principal not yet due."
    )
    recovery = fields.Boolean(
        readonly=True, copy=False, help="Received for a written-off loan: recovery income."
    )

    _amount_positive = models.Constraint("CHECK(amount > 0)", "A receipt amount must be positive.")

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if "amount" in vals and not vals["amount"] > 0:
                raise ValidationError(
                    self.env._("A receipt amount must be positive, not %s.", vals["amount"])
                )
            if vals.get("name", "/") == "/":
                vals["name"] = self.env["ir.sequence"].next_by_code("loan.receipt") or "/"
        return super().create(vals_list)

    @api.depends("payment_id.move_id", "statement_line_id.move_id")
    def _compute_move_id(self):
        for receipt in self:
            receipt.move_id = receipt.payment_id.move_id or receipt.statement_line_id.move_id

    def _check_accountant(self):
        if not self.env.user.has_group("loan_base.group_loan_accountant"):
            raise AccessError(self.env._("Only a Loan Accountant may post or reverse receipts."))

    # ---------------------------------------------------------------- posting
    def action_post(self):
        self._check_accountant()
        self._post()
        return True

    def _post(self):
        """Post the receipts, in one batch: each is allocated in turn (two receipts of one
        contract see each other), then all their payments are created, posted and
        reconciled together, which is where accounting spends its time."""
        if any(receipt.state != "draft" for receipt in self):
            raise UserError(
                self.env._(
                    "Already posted: %s.",
                    ", ".join(self.filtered(lambda r: r.state != "draft").mapped("name")),
                )
            )
        self.contract_id._lock_for_servicing()
        # see account.payment._search_reconciled_invoice_ids: receipts post no invoices
        self = self.with_context(loan_skip_entry_payments=True)
        recoveries = self.filtered(lambda r: r.contract_id.state == "written_off")
        for receipt in recoveries:
            receipt._post_recovery()
        todo = []
        for receipt in self.sorted(lambda r: (r.date, r.id)) - recoveries:
            todo.append(receipt._allocate_and_apply())
        if not todo:
            return
        banked = [item for item in todo if item["receipt"].statement_line_id]
        paid = [item for item in todo if not item["receipt"].statement_line_id]
        if paid:
            payments = self._create_payments(paid)
            payments.action_post()
        if banked:
            self._book_on_statement_lines(banked)
        self._reconcile(todo)
        for item in todo:
            receipt = item["receipt"]
            payment = item.get("payment_record")
            receipt.write(
                {
                    "state": "posted",
                    "payment_id": payment.id if payment else False,
                    "advance_amount": float(item["advance"]),
                    "prepaid_amount": float(item["prepaid"]),
                    "recognition_move_id": item["recognition"].id if item["recognition"] else False,
                    "recognised_line_ids": [fields.Command.set(item["early"].ids)],
                    "journal_id": item["move"].journal_id.id,
                }
            )
        self.env["loan.receipt.line"].create([vals for item in todo for vals in item["lines"]])
        self.contract_id._refresh_balances()

    @api.model
    def _create_payments(self, todo):
        """The payments of ``todo`` and their journal entries, each in one batch per company.
        Odoo generates the entry of a payment given its own lines (write-offs) one payment
        at a time; here the payments are created bare, then all their entries at once
        from the lines Odoo would have made, with the contract on each entry and line."""
        Payment = self.env["account.payment"]
        Move = self.env["account.move"]
        payments = Payment.browse()
        for company, items in self._group_by_company(todo).items():
            write_offs = [item["payment"].pop("write_off_line_vals", []) for item in items]
            batch = Payment.with_company(company).create([item["payment"] for item in items])
            move_vals = []
            for payment, write_off in zip(batch, write_offs, strict=True):
                if not payment.outstanding_account_id:
                    raise UserError(
                        self.env._(
                            "The journal %s has no outstanding receipts account: set one on its "
                            "incoming payment method.",
                            payment.journal_id.display_name,
                        )
                    )
                contract_id = payment.loan_contract_id.id
                vals = payment._generate_move_vals(write_off_line_vals=write_off)
                vals["loan_contract_id"] = contract_id
                for command in vals["line_ids"]:
                    command[2]["loan_contract_id"] = contract_id
                move_vals.append(vals)
            moves = Move.with_company(company).create(move_vals)
            for payment, move in zip(batch, moves, strict=True):
                payment.move_id = move
            batch.state = "in_process"
            payments |= batch
        for item, payment in zip(todo, payments, strict=True):
            item["payment_record"] = payment
            item["move"] = payment.move_id
        return payments

    @api.model
    def _book_on_statement_lines(self, todo):
        """Book the receipts of ``todo`` on their bank statement lines' own entries, as
        Odoo's bank reconciliation does: each suspense item becomes the receipt's credits
        (loan receivable for the principal, charges receivable, prepayment fee, advance).
        No payment and no second entry: the money is in the bank once, the bank
        transaction is reconciled, and jobs matching one bank journal never queue for its
        numbering."""
        bookings = []
        for item in todo:
            receipt = item["receipt"]
            vals = item["payment"]
            suspense, credits = receipt._statement_credits(
                receipt.statement_line_id,
                vals["destination_account_id"],
                vals["memo"],
                vals["write_off_line_vals"],
            )
            bookings.append((receipt, suspense, credits))
        moves = self._write_on_statement_lines(bookings)
        for item, move in zip(todo, moves, strict=True):
            item["move"] = move

    def _statement_credits(self, st_line, account_id, label, others):
        """The suspense item of ``st_line`` and the credit items that replace it:
        ``others``, and on ``account_id`` what they leave (if anything), so the entry stays
        balanced to the unit in the company currency."""
        if st_line.loan_receipt_id or st_line.is_reconciled:
            raise UserError(
                self.env._("The bank transaction %s is already reconciled.", st_line.display_name)
            )
        amount, currency = st_line._get_accounting_amounts_and_currencies()[:2]
        if currency != self.currency_id or currency.compare_amounts(amount, self.amount):
            raise UserError(
                self.env._(
                    "Receipt %(receipt)s does not match the bank transaction %(line)s: "
                    "%(amount)s %(currency)s was received.",
                    receipt=self.name,
                    line=st_line.display_name,
                    amount=amount,
                    currency=currency.name,
                )
            )
        _liquidity, suspense, _other = st_line._seek_for_lines()
        if len(suspense) != 1:
            raise UserError(
                self.env._(
                    "The bank transaction %s has no single suspense item to book a receipt on.",
                    st_line.display_name,
                )
            )
        cur = self.currency_id
        contract = self.contract_id
        first = {
            "name": label,
            "account_id": account_id,
            "partner_id": contract.partner_id.id,
            "currency_id": cur.id,
            "amount_currency": suspense.amount_currency
            - sum(line["amount_currency"] for line in others),
            "balance": suspense.balance - sum(line["balance"] for line in others),
        }
        credits = [first, *others]
        if not first["amount_currency"] and others:
            credits = list(others)
        for line in credits:
            line["loan_contract_id"] = contract.id
        return suspense, credits

    @api.model
    def _write_on_statement_lines(self, bookings):
        """Replace the suspense item of each (receipt, suspense item, credits) of
        ``bookings`` by its credits on its bank transaction's posted entry, all items in one
        batch (a write of an entry costs the same for one item as for hundreds). Returns
        the entries."""
        Line = (
            self.env["account.move.line"]
            .sudo()
            .with_context(
                # the entries are checked for balance below, once all their items are in;
                # bank entries have no invoice, tax or payment-term items to synchronise
                check_move_validity=False,
                skip_invoice_sync=True,
                skip_account_move_synchronization=True,
                skip_readonly_check=True,
                force_delete=True,
                loan_skip_entry_payments=True,
                # the suspense item is replaced, not deleted: the receipt, named on each
                # new item, is the trail (one chatter message per item would double the
                # cost of matching a bank statement)
                tracking_disable=True,
            )
        )
        moves = [suspense.move_id for _receipt, suspense, _credits in bookings]
        Line.create(
            [
                dict(line, move_id=suspense.move_id.id)
                for _receipt, suspense, credits in bookings
                for line in credits
            ]
        )
        Line.union(*(suspense for _receipt, suspense, _credits in bookings)).unlink()
        entries = self.env["account.move"].union(*moves)
        unbalanced = entries._get_unbalanced_moves({"records": entries})
        if unbalanced:
            raise UserError(
                self.env._(
                    "The bank entries %s would not balance.",
                    ", ".join(entries.browse([row[0] for row in unbalanced]).mapped("name")),
                )
            )
        # the contract (and the borrower, where the bank did not name one) on each entry
        groups = {}
        for move, (receipt, _suspense, _credits) in zip(moves, bookings, strict=True):
            key = (receipt.contract_id, receipt.partner_id if not move.partner_id else None)
            groups[key] = groups.get(key, self.env["account.move"]) | move
        for (contract, partner), group in groups.items():
            vals = {"loan_contract_id": contract.id}
            if partner:
                vals["partner_id"] = partner.id
            group.sudo().with_context(
                skip_readonly_check=True, skip_account_move_synchronization=True
            ).write(vals)
        return moves

    @api.model
    def _group_by_company(self, todo):
        groups = {}
        for item in todo:
            groups.setdefault(item["receipt"].company_id, []).append(item)
        # payments are created company by company; keep ``todo`` in that order
        todo[:] = [item for items in groups.values() for item in items]
        return groups

    def _reconcile(self, todo):
        """The principal repaid settles the open loan receivable of the contract. The open
        receivables of every contract of the batch are read in one search and reconciled
        in one plan."""
        Line = self.env["account.move.line"]
        credits = {}
        for item in todo:
            receivable = item["receipt"].contract_id.product_id.account_receivable_id
            credit = item["move"].line_ids.filtered(
                lambda x, acc=receivable: x.account_id == acc and x.amount_currency < 0
            )
            if credit:
                key = (item["receipt"].contract_id.id, receivable.id)
                credits[key] = credits.get(key, Line) | credit
        if not credits:
            return
        debits = {}
        for line in Line.search(
            [
                ("loan_contract_id", "in", list({key[0] for key in credits})),
                ("account_id", "in", list({key[1] for key in credits})),
                ("parent_state", "=", "posted"),
                ("reconciled", "=", False),
                ("amount_residual_currency", ">", 0),
            ],
            order="date, id",
        ):
            key = (line.loan_contract_id.id, line.account_id.id)
            debits[key] = debits.get(key, Line) | line
        plans = [credit | debits[key] for key, credit in credits.items() if key in debits]
        if plans:
            Line._reconcile_plan(plans)

    def _allocate_and_apply(self):
        """Allocate this receipt over its contract and write the allocation; return what
        its payment needs."""
        self.ensure_one()
        contract = self.contract_id
        if contract.state not in ("active", "overdue"):
            raise UserError(
                self.env._(
                    "%(contract)s is %(state)s: it takes no receipts.",
                    contract=contract.name,
                    state=dict(contract._fields["state"]._description_selection(self.env))[
                        contract.state
                    ],
                )
            )
        if self.date < contract.disbursed_date:
            raise UserError(
                self.env._("A receipt cannot predate the disbursement of %s.", contract.name)
            )
        cur = self.currency_id
        amount = to_decimal(cur.round(self.amount))
        result = self._allocate(amount)
        by_line = {}
        for line_id, component, paid in result.lines:
            by_line.setdefault(line_id, {})[component] = paid
        lines = self.env["loan.contract.line"].browse(list(by_line))
        # interest and fees of instalments paid before they fall due are recognised now
        early = lines.filtered(lambda line: not line.recognised)
        recognition = contract._recognise(early, self.date, self.name) if early else None
        charges = sum(
            (
                paid
                for parts in by_line.values()
                for component, paid in parts.items()
                if component != allocation.PRINCIPAL
            ),
            Decimal(0),
        )
        advance = result.remaining
        prepaid = fee = Decimal(0)
        anchor = None
        if result.prepayment:
            prepaid, fee, advance, anchor = self._prepay(result.prepayment, by_line)
        for line in lines:
            vals = {}
            for component, paid in by_line[line.id].items():
                field = COMPONENT_FIELDS[component][0]
                vals[field] = float(to_decimal(line[field]) + paid)
            # schedule lines are the engine's: only this allocation writes them (sudo)
            line.sudo().write(vals)
            if not any(line._open_amounts().values()):
                line.sudo().paid_date = self.date
        allocated = list(result.lines)
        if prepaid:
            allocated.append((anchor.id, allocation.PRINCIPAL, prepaid))
        return {
            "receipt": self,
            "prepaid": prepaid,
            "payment": self._payment_vals(amount, charges, advance, fee),
            "advance": advance,
            "recognition": recognition,
            "early": early,
            "lines": [
                {
                    "receipt_id": self.id,
                    "contract_line_id": line_id,
                    "component": component,
                    "amount": float(paid),
                }
                for line_id, component, paid in allocated
            ],
        }

    def _post_recovery(self):
        """Money for a written-off loan: all of it is recovery income."""
        contract = self.contract_id
        product = contract.product_id
        product._loan_check_accounting()
        company = contract.company_id
        cur = self.currency_id
        amount = cur.round(self.amount)
        label = self.env._("Recovery, %s", contract.name)
        account = product.account_recovery_income_id
        if self.statement_line_id:
            suspense, credits = self._statement_credits(
                self.statement_line_id, account.id, label, []
            )
            move = self._write_on_statement_lines([(self, suspense, credits)])[0]
            payment = self.env["account.payment"]
        else:
            journal = self.journal_id or product.disbursement_journal_id
            write_off = {
                "name": label,
                "account_id": account.id,
                "partner_id": contract.partner_id.id,
                "currency_id": cur.id,
                "amount_currency": -amount,
                "balance": -cur._convert(amount, company.currency_id, company, self.date),
            }
            payment = (
                self.env["account.payment"]
                .with_company(company)
                .create(
                    {
                        "payment_type": "inbound",
                        "partner_type": "customer",
                        "partner_id": contract.partner_id.id,
                        "amount": amount,
                        "currency_id": cur.id,
                        "date": self.date,
                        "journal_id": journal.id,
                        "destination_account_id": product.account_receivable_id.id,
                        "memo": " ".join(filter(None, [self.name, contract.name, self.reference])),
                        "loan_contract_id": contract.id,
                        "write_off_line_vals": [write_off],
                    }
                )
            )
            move = payment.move_id
            move.write({"loan_contract_id": contract.id})
            move.line_ids.write({"loan_contract_id": contract.id})
            payment.action_post()
        self.write(
            {
                "state": "posted",
                "payment_id": payment.id,
                "recovery": True,
                "journal_id": move.journal_id.id,
            }
        )
        contract._refresh_balances()

    def _allocate(self, amount):
        """The engine's allocation of ``amount`` over what the contract owes. Keeping the
        rest as an advance (the default), every open instalment, due or not, is owed (paying
        ahead is paying the next instalments). Applying it as a prepayment, the instalments
        due and the running one are owed, and the rest prepays principal."""
        contract = self.contract_id
        prepay = contract.overpayment == allocation.PREPAY
        dues = []
        running = False
        for line in contract.line_ids.sorted("due_date"):
            open_amounts = line._open_amounts()
            if not any(open_amounts.values()):
                continue
            if prepay and line.due_date > self.date:
                if running:
                    continue
                running = True
            dues.append(allocation.Due(line.id, line.due_date, **open_amounts))
        try:
            return allocation.allocate(
                amount,
                dues,
                instalment_order=contract.instalment_order or allocation.OLDEST_FIRST,
                component_order=(contract.component_order or "").split(","),
                overpayment=allocation.PREPAY if prepay else allocation.ADVANCE,
            )
        except EngineError as exc:
            raise UserError(engine_message(self.env, exc.code, exc.params)) from exc

    def _prepay(self, prepayment, by_line):
        """Apply ``prepayment`` to principal: the prepayment fee comes out of it first; the
        principal prepaid is booked on the last instalment this receipt reached and the
        instalments after it are re-amortised (same rate, same dates, lower instalments).
        Returns (principal prepaid, fee, rest kept as advance, the instalment booked)."""
        contract = self.contract_id
        cur = contract.currency_id
        lines = contract.line_ids.sorted("sequence")
        reached = lines.filtered(lambda line: line.id in by_line or line.due_date <= self.date)
        anchor = reached[-1:] or lines[:1]
        future = lines.filtered(lambda line: line.sequence > anchor.sequence)
        open_principal = sum((to_decimal(line.principal) for line in future), Decimal(0))
        if (
            not future
            or open_principal <= 0
            or any(line.principal_paid or line.interest_paid or line.fee_paid for line in future)
        ):
            return Decimal(0), Decimal(0), prepayment, anchor
        try:
            terms = schedule.ScheduleTerms(
                principal=open_principal,
                annual_rate=to_decimal(contract.rate) / 100,
                term=len(future),
                method=contract.schedule_method,
                frequency=contract.frequency,
                start_date=anchor.due_date,
                first_due_date=future[0].due_date,
                day_count=contract.day_count,
                rounding=to_decimal(cur.rounding),
                rounding_mode=contract.rounding_mode,
                interest_basis=contract.interest_basis,
            )
            result = settlement.prepay(prepayment, terms, contract.prepayment_fee)
        except EngineError as exc:
            raise UserError(engine_message(self.env, exc.code, exc.params)) from exc
        prepaid, fee, rest, vals = result.principal, result.fee, result.rest, result.lines
        anchor.sudo().write(
            {
                "principal": float(to_decimal(anchor.principal) + prepaid),
                "principal_paid": float(to_decimal(anchor.principal_paid) + prepaid),
                "closing_balance": float(to_decimal(anchor.closing_balance) - prepaid),
            }
        )
        for n, line in enumerate(future):
            new = vals[n] if n < len(vals) else None
            line.sudo().write(
                {
                    "opening_balance": float(new.opening_balance) if new else 0.0,
                    "principal": float(new.principal) if new else 0.0,
                    "interest": float(new.interest) if new else 0.0,
                    "instalment": float(new.instalment + to_decimal(line.fee)) if new else 0.0,
                    "closing_balance": float(new.closing_balance) if new else 0.0,
                    "due_date": new.due_date if new else line.due_date,
                }
            )
        return prepaid, fee, rest, anchor

    def _payment_vals(self, amount, charges, advance, fee=0):
        """One inbound payment: bank debit ``amount``; credits the loan receivable with the
        principal (its counterpart line), the charges receivable and the advances."""
        contract = self.contract_id
        product = contract.product_id
        product._loan_check_accounting()
        company = contract.company_id
        cur = self.currency_id
        journal = self.journal_id or product.disbursement_journal_id

        def line(label, account, value):
            return {
                "name": label,
                "account_id": account.id,
                "partner_id": contract.partner_id.id,
                "currency_id": cur.id,
                "amount_currency": -float(value),
                "balance": -cur._convert(float(value), company.currency_id, company, self.date),
            }

        write_off = [
            line(label, account, value)
            for label, account, value in (
                (
                    self.env._("Interest and charges, %s", contract.name),
                    product.account_charges_receivable_id,
                    charges,
                ),
                (
                    self.env._("Prepayment fee, %s", contract.name),
                    product.account_fee_income_id,
                    fee,
                ),
                (
                    self.env._("Advance payment, %s", contract.name),
                    product.account_advance_id,
                    advance,
                ),
            )
            if value
        ]
        return {
            "payment_type": "inbound",
            "partner_type": "customer",
            "partner_id": contract.partner_id.id,
            "amount": float(amount),
            "currency_id": cur.id,
            "date": self.date,
            "journal_id": journal.id,
            "destination_account_id": product.account_receivable_id.id,
            "memo": " ".join(filter(None, [self.name, contract.name, self.reference])),
            "loan_contract_id": contract.id,
            "write_off_line_vals": write_off,
        }

    def action_print_voucher(self):
        """The receipt voucher (phiếu thu, form 01-TT) of posted receipts."""
        if self.filtered(lambda r: r.state != "posted"):
            raise UserError(self.env._("Only posted receipts have a receipt voucher."))
        return self.env.ref("loan_servicing.action_report_loan_receipt_voucher").report_action(self)

    # ---------------------------------------------------------------- reversal
    def action_reverse(self):
        """Undo a receipt exactly: its entries are reversed and its allocation removed.
        Receipts of a contract are reversed newest first."""
        self._check_accountant()
        for receipt in self:
            receipt._reverse()
        return True

    def _reverse(self):
        self.ensure_one()
        if self.state != "posted":
            raise UserError(self.env._("Only a posted receipt can be reversed."))
        if self.settlement_id or self.prepaid_amount:
            raise UserError(
                self.env._(
                    "%s settled the loan or prepaid principal, which changed the schedule: it "
                    "cannot be reversed here.",
                    self.name,
                )
            )
        contract = self.contract_id
        contract._lock_for_servicing()
        later = self.search(
            [
                ("contract_id", "=", contract.id),
                ("state", "=", "posted"),
                ("id", "!=", self.id),
                "|",
                ("date", ">", self.date),
                "&",
                ("date", "=", self.date),
                ("id", ">", self.id),
            ]
        )
        if later:
            raise UserError(
                self.env._(
                    "Reverse the later receipts of %(contract)s first: %(receipts)s.",
                    contract=contract.name,
                    receipts=", ".join(later.mapped("name")),
                )
            )
        today = fields.Date.context_today(self)
        moves = self.payment_id.move_id | self.recognition_move_id
        moves.line_ids.remove_move_reconcile()
        if self.statement_line_id:
            # booked on the bank transaction: it goes back to the bank suspense account, to
            # be matched again, and its entry keeps no trace of the receipt but the chatter
            self.statement_line_id.sudo().with_context(
                loan_undo_receipt=True
            ).action_undo_reconciliation()
        reversals = moves._reverse_moves(
            [
                {"date": max(today, move.date), "ref": self.env._("Reversal of %s", self.name)}
                for move in moves
            ],
            cancel=True,
        )
        reversals.line_ids.write({"loan_contract_id": contract.id})
        for rline in self.line_ids:
            line = rline.contract_line_id
            field = COMPONENT_FIELDS[rline.component][0]
            line.sudo().write({field: float(to_decimal(line[field]) - to_decimal(rline.amount))})
        touched = self.line_ids.contract_line_id.sudo()
        touched.filtered(lambda line: any(line._open_amounts().values())).paid_date = False
        self.recognised_line_ids.sudo().recognised = False
        # the payment's entry stays posted and reversed (an audit trail), not cancelled
        self.payment_id.write({"state": "canceled"})
        self.write(
            {
                "state": "reversed",
                "reversed_date": today,
                "reversal_move_ids": [fields.Command.set(reversals.ids)],
            }
        )
        contract._refresh_balances()


class LoanReceiptLine(models.Model):
    _name = "loan.receipt.line"
    _description = "Loan Receipt Allocation"
    _order = "receipt_id, id"

    receipt_id = fields.Many2one("loan.receipt", required=True, index=True, ondelete="cascade")
    contract_line_id = fields.Many2one(
        "loan.contract.line", "Instalment", required=True, index=True, ondelete="restrict"
    )
    due_date = fields.Date(related="contract_line_id.due_date")
    component = fields.Selection(
        [
            (allocation.PENALTY, "Penalty"),
            (allocation.FEES, "Fees"),
            (allocation.INTEREST, "Interest"),
            (allocation.PRINCIPAL, "Principal"),
        ],
        required=True,
    )
    currency_id = fields.Many2one(related="receipt_id.currency_id")
    amount = fields.Monetary(required=True)

    @api.depends("receipt_id", "contract_line_id", "component")
    def _compute_display_name(self):
        components = dict(self._fields["component"]._description_selection(self.env))
        for line in self:
            line.display_name = self.env._(
                "%(receipt)s: %(component)s of %(instalment)s",
                receipt=line.receipt_id.name,
                component=components.get(line.component, ""),
                instalment=line.contract_line_id.display_name,
            )
