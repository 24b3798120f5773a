from decimal import Decimal

from odoo import fields
from odoo.addons.queue_job.tests.common import trap_jobs
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import freeze_time, new_test_user, tagged

from .common import LoanServicingCommon

PAID_FIELDS = ("principal_paid", "interest_paid", "fee_paid", "penalty_paid")


def dec(value):
    return Decimal(str(value))


@tagged("post_install", "-at_install")
class TestReceipt(LoanServicingCommon):
    """Receipts allocated by the contract's waterfall, posted and reversible, exactly."""

    def _state(self, contract):
        return [
            (line.id, *(dec(line[f]) for f in PAID_FIELDS), line.recognised, line.paid_date)
            for line in contract.line_ids
        ] + [
            (
                contract.state,
                dec(contract.outstanding_principal),
                dec(contract.advance_balance),
                dec(contract.receivable_balance),
            )
        ]

    def _vnd_bank(self):
        """The bank account borrowers pay into, in the contracts' currency."""
        return self.env["account.journal"].create(
            {
                "name": "VND bank",
                "type": "bank",
                "code": "VNDB",
                "currency_id": self.product.currency_id.id,
            }
        )

    def _assert_ties_out(self, contract):
        self.assertEqual(dec(contract.receivable_balance), dec(contract.outstanding_principal))
        lines = contract.line_ids
        principal_paid = sum(dec(p) for p in lines.mapped("principal_paid"))
        scheduled = sum(dec(p) for p in lines.mapped("principal"))
        self.assertEqual(dec(contract.outstanding_principal), scheduled - principal_paid)

    def test_partial_receipt_default_waterfall(self):
        contract = self._active_contract()
        first = contract.line_ids[0]
        amount = 12_000 + 100_000  # the fee, then part of the interest
        self.assertLess(100_000, first.interest)
        receipt = self._pay(contract, amount)
        self.assertEqual(receipt.state, "posted")
        self.assertEqual(
            (first.fee_paid, first.interest_paid, first.principal_paid), (12_000, 100_000, 0)
        )
        self.assertEqual(
            [(r.contract_line_id, r.component, r.amount) for r in receipt.line_ids],
            [(first, "fees", 12_000), (first, "interest", 100_000)],
        )
        self.assertFalse(first.paid_date)
        self.assertEqual(contract.outstanding_principal, 20_000_000)
        self._assert_ties_out(contract)
        # the entry: bank debit, charges receivable credit, nothing on the loan receivable
        move = receipt.move_id
        self.assertEqual(move.state, "posted")
        charges = move.line_ids.filtered(
            lambda x: x.account_id == self.product.account_charges_receivable_id
        )
        self.assertEqual(sum(charges.mapped("credit")), amount)
        self.assertAlmostEqual(
            sum(move.line_ids.mapped("debit")), sum(move.line_ids.mapped("credit"))
        )

    def test_several_instalments_and_overpayment(self):
        contract = self._active_contract()
        lines = contract.line_ids
        two = sum(dec(line.instalment) for line in lines[:2])
        receipt = self._pay(contract, float(two + 5_000))
        for line in lines[:2]:
            self.assertFalse(line.amount_open)
            self.assertEqual(str(line.paid_date), "2026-12-20")
        third = lines[2]
        self.assertEqual((third.fee_paid, third.interest_paid), (5_000, 0))
        principal = sum(dec(line.principal) for line in lines[:2])
        self.assertEqual(dec(contract.outstanding_principal), dec(20_000_000) - principal)
        self._assert_ties_out(contract)
        self.assertEqual(receipt.advance_amount, 0)
        # the principal repaid is reconciled with the disbursement's receivable
        disbursement = contract.disbursement_move_id.line_ids.filtered(
            lambda x: x.account_id == self.product.account_receivable_id
        )
        self.assertEqual(dec(disbursement.amount_residual_currency), dec(20_000_000) - principal)
        # paying everything left and 50,000 more closes the contract and keeps an advance
        rest = sum(dec(line.amount_open) for line in contract.line_ids)
        last = self._pay(contract, float(rest + 50_000), "2026-12-21")
        self.assertEqual(last.advance_amount, 50_000)
        self.assertEqual(contract.state, "closed")
        self.assertEqual(contract.outstanding_principal, 0)
        self.assertEqual(contract.advance_balance, 50_000)
        self._assert_ties_out(contract)
        advance_lines = last.move_id.line_ids.filtered(
            lambda x: x.account_id == self.product.account_advance_id
        )
        self.assertEqual(sum(advance_lines.mapped("credit")), 50_000)
        # the advance is paid back to the borrower (a payment voucher)
        with self.assertRaises(UserError):
            contract.with_user(self.officer).action_refund_advance()
        contract.action_refund_advance()
        self.assertEqual(contract.advance_balance, 0)
        refund = contract.refund_payment_ids
        self.assertEqual((refund.payment_type, refund.amount), ("outbound", 50_000))
        debit = refund.move_id.line_ids.filtered(
            lambda x: x.account_id == self.product.account_advance_id
        )
        self.assertEqual(debit.debit, 50_000)
        with self.assertRaises(UserError):
            contract.action_refund_advance()
        voucher = (
            self.env["ir.actions.report"]
            .with_user(self.accountant)
            .with_context(lang=self.accountant.lang)
            ._render_qweb_html(
                "loan_servicing.action_report_loan_outbound_payment_voucher", refund.ids
            )[0]
            .decode()
        )
        self.assertIn(contract.name, voucher)
        self.assertIn("50,000", voucher)
        # interest of instalments paid before they fell due was recognised when paid
        self.assertTrue(all(contract.line_ids.mapped("recognised")))
        income = self.env["account.move.line"].search(
            [
                ("loan_contract_id", "=", contract.id),
                ("account_id", "=", self.product.account_interest_income_id.id),
                ("parent_state", "=", "posted"),
            ]
        )
        total_interest = sum(dec(i) for i in contract.line_ids.mapped("interest"))
        self.assertEqual(-sum(dec(x) for x in income.mapped("amount_currency")), total_interest)

    def test_other_waterfall_newest_first_principal_first(self):
        contract = self._active_contract(
            instalment_order="newest_first", component_order="principal,interest,fees,penalty"
        )
        self.assertEqual(contract.instalment_order, "newest_first")
        last = contract.line_ids[-1]
        amount = float(dec(last.principal) + 1_000)
        receipt = self._pay(contract, amount)
        self.assertEqual(
            [(r.contract_line_id, r.component, dec(r.amount)) for r in receipt.line_ids],
            [(last, "principal", dec(last.principal)), (last, "interest", dec(1_000))],
        )
        self.assertEqual(dec(contract.outstanding_principal), dec(20_000_000) - dec(last.principal))
        self._assert_ties_out(contract)

    def test_reversal_restores_the_previous_state_exactly(self):
        contract = self._active_contract()
        self._pay(contract, 500_000)
        before = self._state(contract)
        receipt = self._pay(contract, 3_000_000, "2026-12-22")
        self.assertNotEqual(self._state(contract), before)
        self.assertTrue(receipt.recognition_move_id, "instalment 2 was paid ahead")
        # an earlier receipt cannot be reversed while a later one stands
        earlier = contract.receipt_ids.filtered(lambda r: r != receipt)
        with self.assertRaises(UserError) as err:
            earlier.action_reverse()
        self.assertIn(receipt.name, str(err.exception))
        with self.assertRaises(AccessError):
            receipt.with_user(self.officer).action_reverse()
        receipt.action_reverse()
        self.assertEqual(receipt.state, "reversed")
        self.assertEqual(self._state(contract), before)
        self.assertEqual(receipt.payment_id.state, "canceled")
        self.assertEqual(len(receipt.reversal_move_ids), 2)
        self._assert_ties_out(contract)

    def test_refusals(self):
        contract = self._active_contract()
        Receipt = self.env["loan.receipt"]
        with self.assertRaises(AccessError):
            Receipt.with_user(self.collector).create(
                {"contract_id": contract.id, "amount": 1_000, "date": "2026-12-20"}
            )
        draft = Receipt.with_user(self.accountant).create(
            {"contract_id": contract.id, "amount": 1_000, "date": "2026-11-01"}
        )
        with self.assertRaises(AccessError):
            draft.with_user(self.officer).action_post()
        with self.assertRaises(UserError) as err:
            draft.action_post()
        self.assertIn("predate", str(err.exception))
        self.assertEqual(draft.state, "draft")
        self.assertFalse(draft.payment_id)
        with self.assertRaises(ValidationError):
            Receipt.with_user(self.accountant).create(
                {"contract_id": contract.id, "amount": -5, "date": "2026-12-20"}
            )

    def test_settlement_quote_equals_what_closes_the_contract(self):
        contract = self._active_contract(prepayment_fee=3.0)
        lines = contract.line_ids
        self._pay(contract, lines[0].instalment)
        quote = (
            self.env["loan.settlement"]
            .with_user(self.officer)
            .create({"contract_id": contract.id, "date": "2027-01-05"})
        )
        second = lines[1]
        principal = dec(20_000_000) - dec(lines[0].principal)
        days = (second.due_date - lines[0].due_date).days
        accrued = round(dec(second.interest) * 16 / days)
        fee = round(principal * 3 / 100)
        self.assertEqual(dec(quote.principal), principal)
        self.assertEqual(dec(quote.accrued_interest), accrued)
        self.assertEqual(dec(quote.prepayment_fee), fee)
        self.assertEqual(quote.arrears, 0)
        self.assertEqual(dec(quote.total), principal + accrued + fee)
        attempt = quote.action_send()
        self.assertIn(attempt.state, ("sent", "blocked"))
        with self.assertRaises(UserError):
            quote.with_user(self.officer).action_settle()
        with freeze_time("2027-01-05"):
            receipt = quote.with_user(self.accountant).action_settle()
        self.assertEqual(dec(receipt.amount), dec(quote.total))
        self.assertEqual(receipt.advance_amount, 0)
        self.assertEqual(quote.state, "paid")
        self.assertEqual(contract.state, "closed")
        self.assertEqual(contract.outstanding_principal, 0)
        self.assertEqual(contract.receivable_balance, 0)
        self.assertFalse(any(contract.line_ids.mapped("amount_open")))
        with self.assertRaises(UserError):
            receipt.action_reverse()

    def test_waivers_within_role_limits_and_the_monthly_budget(self):
        contract = self._active_contract()
        self.env["loan.eod.run"].sudo().search([]).unlink()
        self.env["loan.eod.run"].sudo().create({"business_date": "2026-11-19", "state": "done"})
        self.env["loan.eod.run"].with_user(self.accountant).with_context(
            queue_job__no_delay=True
        ).run_to("2026-12-25")
        first = contract.line_ids[0]
        self.assertTrue(first.recognised)
        manager = new_test_user(self.env, "t_wmanager", "loan_base.group_loan_manager")
        programme = self.env["loan.waiver.programme"].create(
            {
                "name": "Hardship",
                "monthly_budget": 400_000,
                "limit_ids": [
                    (
                        0,
                        0,
                        {
                            "group_id": self.env.ref("loan_base.group_loan_approver").id,
                            "max_amount": 200_000,
                        },
                    ),
                    (
                        0,
                        0,
                        {
                            "group_id": self.env.ref("loan_base.group_loan_manager").id,
                            "max_amount": 2_000_000,
                        },
                    ),
                ],
            }
        )
        self.assertEqual(programme.currency_id, self.company.currency_id)
        reason = self.env.ref("loan_servicing.loan_decision_reason_waiver_hardship")
        Waiver = self.env["loan.waiver"].with_user(self.accountant)

        def request(amount):
            waiver = Waiver.create(
                {
                    "contract_id": contract.id,
                    "programme_id": programme.id,
                    "component": "interest",
                    "amount": amount,
                    "reason_id": reason.id,
                    "date": "2026-12-25",
                }
            )
            waiver.action_submit()
            return waiver

        big = request(300_000)
        with self.assertRaises(UserError) as err:
            big.action_approve()  # the requester
        self.assertIn("another person", str(err.exception))
        with self.assertRaises(UserError) as err:
            big.with_user(self.approver).action_approve()
        self.assertIn("over your approval limit", str(err.exception))
        self.assertEqual(big.state, "to_approve")
        # refusing is deciding too: not for someone without a limit in the programme
        clerk = new_test_user(self.env, "t_accountant_b", "loan_base.group_loan_accountant")
        with self.assertRaisesRegex(UserError, "no approval limit"):
            big.with_user(clerk).action_refuse()
        self.assertEqual(big.state, "to_approve")
        big.with_user(manager).action_approve()
        self.assertEqual(big.state, "approved")
        self.assertEqual(first.interest_waived, 300_000)
        self.assertEqual(
            dec(first.amount_open),
            dec(first.instalment) + dec(first.penalty) - dec(300_000),
        )
        charges = big.move_id.line_ids.filtered(
            lambda x: x.account_id == self.product.account_charges_receivable_id
        )
        self.assertEqual(sum(charges.mapped("credit")), 300_000)
        self._assert_ties_out(contract)
        # 100,000 left this month: a 150,000 waiver is refused even within the limit
        small = request(150_000)
        with self.assertRaises(UserError) as err:
            small.with_user(manager).action_approve()
        self.assertIn("remains of this month's budget", str(err.exception))
        self.assertEqual(small.state, "to_approve")
        self.assertEqual(first.interest_waived, 300_000)
        # more than is due is refused at once
        with self.assertRaises(UserError):
            request(10_000_000)

    def test_restructure_with_capitalised_arrears_sums_exactly(self):
        contract = self._active_contract()
        self._pay(contract, contract.line_ids[0].instalment)
        # instalment 2 (2027-01-20) is left unpaid; the plan changes on 2027-02-01
        second = contract.line_ids[1]
        Restructure = self.env["loan.restructure"].with_user(self.accountant)
        plan = Restructure.create(
            {
                "contract_id": contract.id,
                "date": "2027-02-01",
                "term": 24,
                "rate": 20.0,
                "grace_principal": 2,
                "capitalise_arrears": True,
                "reason_id": self.env.ref(
                    "loan_servicing.loan_decision_reason_restructure_hardship"
                ).id,
            }
        )
        plan.action_submit()
        with self.assertRaises(UserError):
            plan.action_approve()  # an accountant is no approver
        requester = plan.with_user(self.approver)
        with self.assertRaises(ValidationError):
            Restructure.create(
                {
                    "contract_id": contract.id,
                    "term": 12,
                    "rate": 90.0,
                    "reason_id": plan.reason_id.id,
                }
            )
        open_principal = dec(20_000_000) - dec(contract.line_ids[0].principal)
        arrears = dec(second.interest) + dec(second.fee)
        old_count = len(contract.line_ids)
        requester.action_approve()
        self.assertEqual(plan.state, "approved")
        self.assertEqual(dec(plan.capitalised), arrears)
        self.assertEqual(dec(plan.new_principal), open_principal + arrears)
        new_lines = contract.line_ids.filtered(lambda x: x.sequence > old_count)
        self.assertEqual(len(new_lines), 24)
        self.assertEqual(
            sum(dec(p) for p in new_lines.mapped("principal")), open_principal + arrears
        )
        self.assertEqual(new_lines.sorted("sequence")[-1].closing_balance, 0)
        self.assertTrue(all(line.principal == 0 for line in new_lines.sorted("sequence")[:2]))
        self.assertEqual(len(plan.old_line_ids), 11, "the replaced schedule is kept")
        self.assertFalse(
            any(contract.line_ids.filtered(lambda x: x.sequence <= old_count).mapped("amount_open"))
        )
        self.assertEqual(contract.restructure_count, 1)
        self.assertEqual(str(contract.watch_until), "2027-08-01")
        self.assertEqual(contract.rate, 20.0)
        self._assert_ties_out(contract)
        # a requester never approves their own plan
        other = Restructure.with_user(self.approver).create(
            {
                "contract_id": contract.id,
                "date": "2027-03-01",
                "term": 12,
                "reason_id": plan.reason_id.id,
            }
        )
        other.action_submit()
        with self.assertRaises(UserError) as err:
            other.action_approve()
        self.assertIn("another person", str(err.exception))

    def test_write_off_after_days_past_due_and_recovery(self):
        contract = self._active_contract(write_off_dpd=30, penalty_rate=0.05)
        self.env["loan.eod.run"].sudo().search([]).unlink()
        self.env["loan.eod.run"].sudo().create({"business_date": "2026-11-19", "state": "done"})
        self.env["loan.eod.run"].with_user(self.accountant).with_context(
            queue_job__no_delay=True
        ).run_to("2027-01-19")
        self.assertEqual(contract.dpd, 30)
        request = self.env["loan.write.off"].search([("contract_id", "=", contract.id)])
        self.assertEqual((request.state, request.automatic), ("to_approve", True))
        with self.assertRaises(UserError):
            request.with_user(self.accountant).action_approve()  # not a manager
        manager = new_test_user(self.env, "t_womanager", "loan_base.group_loan_manager")
        request.with_user(manager).action_approve()
        self.assertEqual(contract.state, "written_off")
        self.assertEqual(contract.outstanding_principal, 0)
        self.assertEqual(contract.receivable_balance, 0, "nothing left on the loan receivable")
        self.assertEqual(request.principal, 20_000_000)
        move = request.move_id
        expense = move.line_ids.filtered(
            lambda x: x.account_id == self.product.account_write_off_id
        )
        self.assertEqual(dec(expense.debit), dec(request.principal) + dec(request.charges))
        self.assertGreater(request.charges, 0, "recognised interest and penalties go too")
        # money received later is a recovery
        recovery = self._pay(contract, 1_500_000, "2027-02-01")
        self.assertTrue(recovery.recovery)
        self.assertFalse(recovery.line_ids, "no allocation on a written-off loan")
        income = recovery.move_id.line_ids.filtered(
            lambda x: x.account_id == self.product.account_recovery_income_id
        )
        self.assertEqual(income.credit, 1_500_000)
        self.assertEqual(contract.recovered_amount, 1_500_000)
        self.assertEqual(contract.receivable_balance, 0)
        # a requester never approves their own write-off
        other = self._active_contract()
        own = (
            self.env["loan.write.off"]
            .with_user(manager)
            .create(
                {
                    "contract_id": other.id,
                    "reason_id": self.env.ref(
                        "loan_servicing.loan_decision_reason_write_off_deceased"
                    ).id,
                }
            )
        )
        own.action_submit()
        with self.assertRaises(UserError) as err:
            own.action_approve()
        self.assertIn("another person", str(err.exception))

    def test_statements_and_vouchers(self):
        contract = self._active_contract()
        receipt = self._pay(contract, 1_000_000)
        # as the web client prints: in the user's language (the demo company's is Vietnamese)
        Report = (
            self.env["ir.actions.report"]
            .with_user(self.accountant)
            .with_context(lang=self.accountant.lang)
        )

        def html(report, ids):
            return Report._render_qweb_html(report, ids)[0].decode()

        voucher = html("loan_servicing.action_report_loan_receipt_voucher", receipt.ids)
        self.assertIn(receipt.name, voucher)
        self.assertIn(contract.name, voucher)
        self.assertIn("1,000,000", voucher)
        statement = html("loan_servicing.action_report_loan_contract_statement", contract.ids)
        self.assertIn(receipt.name, statement)
        self.assertEqual(
            statement.count("<tr>") - 2, 12 + 1, "two headers, 12 instalments, 1 receipt"
        )
        borrower = html(
            "loan_servicing.action_report_loan_borrower_statement", contract.partner_id.ids
        )
        self.assertIn(contract.name, borrower)
        payment = html("loan_servicing.action_report_loan_payment_voucher", contract.ids)
        self.assertIn(contract.disbursement_payment_id.name, payment)

    def test_overpayment_prepays_principal_and_lowers_the_instalments(self):
        contract = self._active_contract(overpayment="prepay", prepayment_fee=2.0)
        lines = contract.line_ids.sorted("sequence")
        old_instalment = lines[5].instalment
        first = lines[0]
        extra = 5_100_000  # 5,000,000 of principal and its 2% fee
        # on the first due date: instalment 1 is due, instalment 2 runs, the rest prepays
        receipt = self._pay(
            contract, float(dec(first.instalment) + dec(lines[1].instalment) + extra)
        )
        self.assertEqual(receipt.prepaid_amount, 5_000_000)
        self.assertEqual(receipt.advance_amount, 0)
        fee = receipt.move_id.line_ids.filtered(
            lambda x: (
                x.account_id == self.product.account_fee_income_id
                and x.name.startswith("Prepayment fee")
            )
        )
        self.assertEqual(fee.credit, 100_000)
        self.assertFalse(lines[0].amount_open or lines[1].amount_open)
        # the schedule still carries the whole principal, and the rest is re-amortised
        self.assertEqual(sum(dec(p) for p in lines.mapped("principal")), dec(20_000_000))
        self.assertLess(lines[5].instalment, old_instalment)
        self.assertEqual(lines[-1].closing_balance, 0)
        self.assertEqual(
            dec(contract.outstanding_principal),
            sum(dec(x.principal) for x in lines[2:]),
        )
        self._assert_ties_out(contract)
        with self.assertRaises(UserError):
            receipt.action_reverse()

    def test_bank_statement_line_matched_to_a_receipt(self):
        contract = self._active_contract()
        first = contract.line_ids.sorted("sequence")[0]
        journal = self._vnd_bank()
        Line = self.env["account.bank.statement.line"]
        transfer = Line.create(
            {
                "journal_id": journal.id,
                "date": "2026-12-20",
                "payment_ref": "CK tra no hop dong %s" % contract.name,
                "amount": first.instalment,
            }
        )
        stranger = Line.create(
            {"journal_id": journal.id, "date": "2026-12-20", "payment_ref": "???", "amount": 5}
        )
        # the contract named, but the money came in another currency: not this loan's money
        euro = self.env.ref("base.EUR")
        euro.active = True
        euro_bank = self.env["account.journal"].create(
            {"name": "EUR bank", "type": "bank", "code": "EURB", "currency_id": euro.id}
        )
        dollars = Line.create(
            {
                "journal_id": euro_bank.id,
                "date": "2026-12-20",
                "payment_ref": "CK tra no hop dong %s" % contract.name,
                "amount": 100,
            }
        )
        self.assertNotEqual(dollars.currency_id, contract.currency_id)
        with freeze_time("2026-12-20"):
            action = (transfer | stranger | dollars).with_user(self.accountant).action_loan_match()
        self.assertEqual(action["params"]["type"], "warning", "two transfers had no contract")
        receipt = transfer.loan_receipt_id
        self.assertEqual(receipt.state, "posted")
        self.assertEqual(receipt.journal_id, journal)
        self.assertEqual(receipt.statement_line_id, transfer)
        self.assertFalse(first.amount_open)
        self.assertTrue(transfer.is_reconciled)
        self.assertFalse(stranger.loan_receipt_id)
        self.assertFalse(dollars.loan_receipt_id)
        # booked on the bank transaction's own entry: no payment, no suspense item left,
        # the principal paid settles the loan receivable
        self.assertFalse(receipt.payment_id)
        self.assertEqual(receipt.move_id, transfer.move_id)
        self.assertEqual(receipt.move_id.state, "posted")
        _liquidity, suspense, credits = transfer._seek_for_lines()
        self.assertFalse(suspense)
        self.assertEqual(
            sum(dec(x) for x in credits.mapped("amount_currency")), -dec(first.instalment)
        )
        self.assertEqual(credits.loan_contract_id, contract)
        principal = credits.filtered(lambda x: x.account_id == self.product.account_receivable_id)
        self.assertEqual(-dec(principal.amount_currency), dec(first.principal))
        self.assertTrue(principal.reconciled)
        self._assert_ties_out(contract)
        with self.assertRaises(UserError):
            transfer.with_user(self.officer).action_loan_match()
        # undoing the bank reconciliation behind the receipt's back is refused
        with self.assertRaises(UserError):
            transfer.action_undo_reconciliation()
        # reversing the receipt puts the money back in suspense, to be matched again
        before_receipt = self._state(contract)
        with freeze_time("2026-12-21"):
            receipt.with_user(self.accountant).action_reverse()
        self.assertEqual(receipt.state, "reversed")
        self.assertFalse(transfer.loan_receipt_id)
        self.assertFalse(transfer.is_reconciled)
        self.assertTrue(transfer._seek_for_lines()[1], "back in the bank suspense account")
        self.assertEqual(first.amount_open, first.instalment)
        self._assert_ties_out(contract)
        with freeze_time("2026-12-21"):
            transfer.with_user(self.accountant).action_loan_match()
        self.assertEqual(transfer.loan_receipt_id.state, "posted")
        self.assertNotEqual(transfer.loan_receipt_id, receipt)
        self.assertEqual(self._state(contract)[-1], before_receipt[-1])

    # ------------------------------------------------------------ batches
    def _more_contracts(self, count):
        """``count`` more disbursed contracts of the product, each of its own borrower."""
        partners = self.env["res.partner"].create(
            [{"name": "Batch borrower %d" % n, "loan_is_borrower": True} for n in range(count)]
        )
        apps = self.env["loan.application"].create(
            [
                {"partner_id": p.id, "product_id": self.product.id, "amount": 12_000_000, "term": 6}
                for p in partners
            ]
        )
        Contract = self.env["loan.contract"]
        with freeze_time("2026-11-20 03:00:00"):
            contracts = Contract.create(
                [
                    Contract._prepare_contract_vals(app, fields.Date.to_date("2026-11-20"))
                    for app in apps
                ]
            )
            contracts.write({"state": "signed"})
            for contract in contracts:
                contract._disburse(fields.Date.to_date("2026-11-20"))
        return contracts.with_user(self.accountant)

    def test_batch_of_several_borrowers(self):
        contracts = self._active_contract() | self._more_contracts(2)
        self.assertEqual(len(contracts.partner_id), 3)
        Receipt = self.env["loan.receipt"].with_user(self.accountant)
        receipts = Receipt.create(
            [
                {
                    "contract_id": c.id,
                    "amount": c.line_ids.sorted("sequence")[0].instalment,
                    "date": "2026-12-20",
                }
                for c in contracts
            ]
        )
        with freeze_time("2026-12-20"):
            receipts.action_post()
        self.assertEqual(receipts.mapped("state"), ["posted"] * 3)
        self.assertEqual(len(receipts.payment_id), 3, "one payment (one voucher) per receipt")
        self.assertEqual(len(receipts.payment_id.move_id), 3)
        for receipt in receipts:
            contract = receipt.contract_id
            move = receipt.payment_id.move_id
            self.assertEqual(move.state, "posted")
            self.assertEqual(move.loan_contract_id, contract)
            self.assertEqual(move.line_ids.loan_contract_id, contract)
            self.assertEqual(move.partner_id, contract.partner_id)
            self.assertFalse(contract.line_ids.sorted("sequence")[0].amount_open)
            # the principal repaid is matched with this borrower's disbursement, nobody else's
            credit = receipt.payment_id.move_id.line_ids.filtered(
                lambda x: x.account_id == self.product.account_receivable_id
            )
            self.assertTrue(credit.reconciled)
            matched = credit.matched_debit_ids.debit_move_id
            self.assertEqual(matched.move_id, contract.disbursement_move_id)
            self.assertEqual(matched.partner_id, contract.partner_id)
            self._assert_ties_out(contract)

    def test_a_failing_receipt_rolls_the_batch_back(self):
        contracts = self._active_contract() | self._more_contracts(2)
        before = {c: self._state(c) for c in contracts}
        moves_before = self.env["account.move"].search_count([])
        Receipt = self.env["loan.receipt"].with_user(self.accountant)
        receipts = Receipt.create(
            [
                {
                    "contract_id": c.id,
                    "amount": c.line_ids.sorted("sequence")[0].instalment,
                    # the last one predates its disbursement: refused
                    "date": "2026-12-20" if n < 2 else "2026-11-01",
                }
                for n, c in enumerate(contracts)
            ]
        )
        with freeze_time("2026-12-20"), self.assertRaises(UserError):
            receipts.action_post()
        receipts.invalidate_recordset()
        contracts.invalidate_recordset()
        contracts.line_ids.invalidate_recordset()
        self.assertEqual(receipts.mapped("state"), ["draft"] * 3)
        self.assertFalse(receipts.payment_id)
        self.assertFalse(receipts.line_ids)
        self.assertEqual(self.env["account.move"].search_count([]), moves_before)
        for contract in contracts:
            self.assertEqual(self._state(contract), before[contract], "nothing half-written")

    def test_bank_statement_in_chunk_jobs(self):
        contracts = self._active_contract() | self._more_contracts(2)
        self.env["ir.config_parameter"].sudo().set_param("loan.receipt_chunk_size", 2)
        journal = self._vnd_bank()
        transfers = self.env["account.bank.statement.line"].create(
            [
                {
                    "journal_id": journal.id,
                    "date": "2026-12-20",
                    "payment_ref": "Tra no %s" % c.name,
                    "amount": c.line_ids.sorted("sequence")[0].instalment,
                }
                for c in contracts
            ]
        )
        with freeze_time("2026-12-20"), trap_jobs() as trap:
            action = transfers.with_user(self.accountant).action_loan_match()
            self.assertEqual(action["params"]["type"], "info")
            trap.assert_jobs_count(2)
            self.assertEqual(
                {(job.func.__name__, job.channel) for job in trap.enqueued_jobs},
                {("_loan_match_job", "root.loan_receipt")},
            )
            self.assertFalse(transfers.loan_receipt_id, "nothing is matched before the jobs run")
            trap.perform_enqueued_jobs()
        for transfer, contract in zip(transfers, contracts, strict=True):
            receipt = transfer.loan_receipt_id
            self.assertEqual(receipt.contract_id, contract)
            self.assertEqual(receipt.state, "posted")
            self.assertTrue(transfer.is_reconciled)
            self.assertFalse(contract.line_ids.sorted("sequence")[0].amount_open)
            self._assert_ties_out(contract)
        # a job run again (queue_job retries) finds nothing left to do
        with freeze_time("2026-12-20"):
            transfers.with_user(self.accountant)._loan_match_job()
        self.assertEqual(
            len(self.env["loan.receipt"].search([("contract_id", "in", contracts.ids)])), 3
        )
