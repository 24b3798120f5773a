from decimal import Decimal

from odoo import api, fields, models
from odoo.addons.loan_base.engine.allocation import vn_loan_group
from odoo.addons.loan_base.engine.money import to_decimal
from odoo.addons.loan_base.tools.dpd_bands import band_for_dpd, overlapping
from odoo.exceptions import AccessError, UserError, ValidationError


class LoanContract(models.Model):
    """Servicing state of a contract: balances kept by receipts, arrears by the
    end-of-day batch (see loan.eod.run)."""

    _inherit = "loan.contract"

    outstanding_principal = fields.Monetary(
        readonly=True, copy=False, help="Principal disbursed and not yet repaid."
    )
    advance_balance = fields.Monetary(
        "Advance Held", readonly=True, copy=False, help="Paid beyond everything due."
    )
    advance_refunded = fields.Monetary(readonly=True, copy=False)
    refund_payment_ids = fields.One2many(
        "account.payment", "loan_refund_contract_id", "Refunds", readonly=True
    )
    dpd = fields.Integer("Days Past Due", readonly=True, copy=False)
    overdue_amount = fields.Monetary(readonly=True, copy=False)
    classification_id = fields.Many2one("loan.classification", readonly=True, copy=False)
    receipt_ids = fields.One2many("loan.receipt", "contract_id", "Receipts", readonly=True)
    restructure_count = fields.Integer("Restructures", readonly=True, copy=False)
    written_off_amount = fields.Monetary(readonly=True, copy=False)
    written_off_date = fields.Date(readonly=True, copy=False)
    recovered_amount = fields.Monetary(
        readonly=True, copy=False, help="Received after the write-off."
    )
    watch_until = fields.Date(
        readonly=True, copy=False, help="A restructured loan is watched until this date."
    )
    receipt_count = fields.Integer(compute="_compute_receipt_count")

    def _compute_receipt_count(self):
        counts = dict(
            self.env["loan.receipt"]._read_group(
                [("contract_id", "in", self.ids), ("state", "=", "posted")],
                ["contract_id"],
                ["__count"],
            )
        )
        for contract in self:
            contract.receipt_count = counts.get(contract, 0)

    def _write_off_amounts(self):
        """What a write-off takes off the books now, as Decimals: the outstanding principal,
        and the interest, fees and penalties recognised and unpaid."""
        self.ensure_one()
        principal = Decimal(0)
        charges = Decimal(0)
        for line in self.line_ids:
            open_amounts = line._open_amounts()
            principal += open_amounts["principal"]
            if line.recognised:
                charges += open_amounts["interest"] + open_amounts["fees"]
            else:  # accrued day by day so far
                accrued = to_decimal(line.interest_recognised) - (
                    to_decimal(line.interest) - open_amounts["interest"]
                )
                charges += max(accrued, Decimal(0))
            charges += open_amounts["penalty"]
        return principal, charges

    def _lock_for_servicing(self):
        """Row lock until the transaction ends. A receipt waits while the end-of-day batch
        or another receipt works on the same contract, then sees their result."""
        self.env.cr.execute(
            "SELECT id FROM loan_contract WHERE id IN %s ORDER BY id FOR NO KEY UPDATE",
            [tuple(self.ids)],
        )
        self.invalidate_recordset()
        self.line_ids.invalidate_recordset()

    def _recognise(self, lines, date, origin):
        """Post the interest and fees of ``lines`` to income, against the interest and
        charges receivable: one entry, one debit per instalment."""
        self.ensure_one()
        product = self.product_id
        product._loan_check_accounting()
        company = self.company_id
        cur = self.currency_id

        def amounts(value):
            balance = cur._convert(value, company.currency_id, company, date)
            return {"amount_currency": value, "balance": balance, "currency_id": cur.id}

        move_lines = []
        interest = fee = 0.0
        for line in lines:
            rest = cur.round(line.interest - line.interest_recognised)
            total = cur.round(rest + line.fee)
            interest += rest
            fee += line.fee
            if not cur.is_zero(total):
                move_lines.append(
                    {
                        "name": self.env._(
                            "%(contract)s instalment %(seq)s", contract=self.name, seq=line.sequence
                        ),
                        "account_id": product.account_charges_receivable_id.id,
                        "partner_id": self.partner_id.id,
                        "date_maturity": line.due_date,
                        "loan_contract_id": self.id,
                        **amounts(total),
                    }
                )
        for value, account, label in (
            (interest, product.account_interest_income_id, self.env._("Interest")),
            (fee, product.account_fee_income_id, self.env._("Service fees")),
        ):
            if not cur.is_zero(value):
                move_lines.append(
                    {
                        "name": "%s, %s" % (label, self.name),
                        "account_id": account.id,
                        "partner_id": self.partner_id.id,
                        "loan_contract_id": self.id,
                        **amounts(-cur.round(value)),
                    }
                )
        for line in lines:
            line.sudo().write({"recognised": True, "interest_recognised": line.interest})
        if not move_lines:
            return self.env["account.move"]
        return self.env["account.move"]._loan_post_entry(
            company,
            product.journal_id.id,
            date,
            self.env._("Interest recognised, %s", origin),
            move_lines,
            contract=self,
        )

    def _loan_post_transfer(self, date, ref, label, debit_account, credit_account, amount):
        """Post ``amount`` (contract currency) from ``credit_account`` to ``debit_account``
        in the product's loan journal, both items on the borrower and the contract. The
        servicing decision behind it was authorised already: posted as system."""
        self.ensure_one()
        self.product_id._loan_check_accounting()
        company, cur = self.company_id, self.currency_id
        amount = cur.round(float(amount))
        balance = cur._convert(amount, company.currency_id, company, date)
        common = {
            "name": label,
            "partner_id": self.partner_id.id,
            "currency_id": cur.id,
            "loan_contract_id": self.id,
        }
        return self.env["account.move"]._loan_post_entry(
            company,
            self.product_id.journal_id.id,
            date,
            ref,
            [
                dict(common, account_id=debit_account.id, amount_currency=amount, balance=balance),
                dict(
                    common, account_id=credit_account.id, amount_currency=-amount, balance=-balance
                ),
            ],
            contract=self,
        )

    def _unrecognise(self, amount, date, origin):
        """Take back interest recognised on instalments a restructure replaced: Dr
        interest income, Cr interest and charges receivable."""
        self.ensure_one()
        return self._loan_post_transfer(
            date,
            self.env._("Unearned interest reversed, %s", origin),
            origin,
            self.product_id.account_interest_income_id,
            self.product_id.account_charges_receivable_id,
            amount,
        )

    def _refresh_balances(self):
        """Principal outstanding, advance held and open/closed state after a receipt."""
        for contract in self:
            lines = contract.line_ids
            paid = sum(to_decimal(p) for p in lines.mapped("principal_paid"))
            scheduled = sum(to_decimal(p) for p in lines.mapped("principal"))
            advance = sum(
                to_decimal(a)
                for a in contract.receipt_ids.filtered(lambda r: r.state == "posted").mapped(
                    "advance_amount"
                )
            )
            settled = all(not any(line._open_amounts().values()) for line in contract.line_ids)
            if contract.state == "written_off":
                recovered = sum(
                    to_decimal(r.amount)
                    for r in contract.receipt_ids.filtered(lambda r: r.state == "posted")
                    if r.recovery
                )
                contract.write({"recovered_amount": float(recovered)})
                continue
            vals = {
                "outstanding_principal": float(scheduled - paid),
                "advance_balance": float(advance - to_decimal(contract.advance_refunded)),
            }
            if settled and contract.state in ("active", "overdue"):
                vals["state"] = "closed"
            elif not settled and contract.state == "closed":
                vals["state"] = "overdue" if contract.dpd else "active"
            contract.write(vals)

    def action_refund_advance(self):
        """Pay the advance held back to the borrower (a payment voucher): an outgoing
        payment debiting the customer advances account."""
        if not self.env.user.has_group("loan_base.group_loan_accountant"):
            raise AccessError(self.env._("Only a Loan Accountant may refund a borrower."))
        for contract in self:
            contract._lock_for_servicing()
            contract._refresh_balances()
            cur = contract.currency_id
            amount = cur.round(contract.advance_balance)
            if cur.compare_amounts(amount, 0) <= 0:
                raise UserError(self.env._("%s holds no advance to refund.", contract.name))
            product = contract.product_id
            product._loan_check_accounting()
            company = contract.company_id
            today = fields.Date.context_today(self)
            payment = (
                self.env["account.payment"]
                .with_company(company)
                .create(
                    {
                        "payment_type": "outbound",
                        "partner_type": "customer",
                        "partner_id": contract.partner_id.id,
                        "amount": amount,
                        "currency_id": cur.id,
                        "date": today,
                        "journal_id": product.disbursement_journal_id.id,
                        "destination_account_id": product.account_receivable_id.id,
                        "memo": self.env._("Refund of the advance, %s", contract.name),
                        "loan_contract_id": contract.id,
                        "loan_refund_contract_id": contract.id,
                        "write_off_line_vals": [
                            {
                                "name": self.env._("Refund of the advance, %s", contract.name),
                                "account_id": product.account_advance_id.id,
                                "partner_id": contract.partner_id.id,
                                "currency_id": cur.id,
                                "amount_currency": amount,
                                "balance": cur._convert(
                                    amount, company.currency_id, company, today
                                ),
                            }
                        ],
                    }
                )
            )
            payment.move_id.write({"loan_contract_id": contract.id})
            payment.move_id.line_ids.write({"loan_contract_id": contract.id})
            payment.action_post()
            contract.write({"advance_refunded": contract.advance_refunded + amount})
            contract._refresh_balances()
            contract.message_post(
                body=self.env._(
                    "Advance of %(amount)s refunded (%(payment)s).",
                    amount=cur.format(amount),
                    payment=payment.display_name,
                )
            )
        return True

    def action_view_receipts(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Receipts of %s", self.name),
            "res_model": "loan.receipt",
            "view_mode": "list,form",
            "domain": [("contract_id", "=", self.id)],
            "context": {"default_contract_id": self.id},
        }

    def action_new_receipt(self):
        self.ensure_one()
        if self.state not in ("active", "overdue", "written_off"):
            raise UserError(self.env._("%s takes no receipts.", self.name))
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Receipt for %s", self.name),
            "res_model": "loan.receipt",
            "view_mode": "form",
            "context": {"default_contract_id": self.id},
        }

    def action_settlement_quote(self):
        self.ensure_one()
        quote = self.env["loan.settlement"].create({"contract_id": self.id})
        return {
            "type": "ir.actions.act_window",
            "res_model": "loan.settlement",
            "res_id": quote.id,
            "view_mode": "form",
        }

    @api.model
    def _loan_classification_for(self, dpd):
        """The classification of ``dpd`` days past due: the engine's debt group rule on the
        day ranges of the classifications."""
        return band_for_dpd(self.env["loan.classification"].search([]), dpd, vn_loan_group)


class LoanClassification(models.Model):
    """Loan classification by days past due (VN debt groups 1-5 of Circular 11/2021 as an
    editable preset), applied by the end-of-day batch."""

    _name = "loan.classification"
    _description = "Loan Classification"
    _order = "min_dpd"

    name = fields.Char(required=True, translate=True)
    code = fields.Char(required=True)
    min_dpd = fields.Integer("From (days past due)", required=True)
    max_dpd = fields.Integer("To (days past due)", required=True, help="-1: no upper limit.")
    provision_rate = fields.Float("Specific Provision (%)", digits=(5, 2))

    @api.constrains("min_dpd", "max_dpd")
    def _check_range(self):
        for rec in self:
            if rec.min_dpd < 0 or (rec.max_dpd != -1 and rec.max_dpd < rec.min_dpd):
                raise ValidationError(self.env._("The day range of %s is not valid.", rec.name))

    @api.constrains("min_dpd", "max_dpd")
    def _check_overlap(self):
        pair = overlapping(self.search([]))
        if pair:
            raise ValidationError(
                self.env._(
                    "The classifications %(first)s and %(second)s overlap: a day past due "
                    "must fall in one class only.",
                    first=pair[0].name,
                    second=pair[1].name,
                )
            )
