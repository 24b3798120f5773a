import base64
from decimal import Decimal

from odoo import fields
from odoo.addons.loan_base.tests.common import LoanBaseCommon
from odoo.tests import freeze_time, new_test_user


class LoanServicingCommon(LoanBaseCommon):
    """A VND cash product, a sales team, and helpers that make a contract, sign it, pay it
    out and take receipts, each as the role that owns the step."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.appraiser = new_test_user(cls.env, "t_appraiser", "loan_base.group_loan_appraiser")
        cls.approver = new_test_user(cls.env, "t_approver", "loan_base.group_loan_approver")
        cls.accountant = new_test_user(
            cls.env, "t_accountant", "loan_base.group_loan_accountant", name="Kế toán Test"
        )
        cls.sales_team = cls.env["loan.team"].create(
            {
                "name": "Test sales team",
                "leader_id": cls.appraiser.id,
                "member_ids": [(6, 0, [cls.officer.id])],
            }
        )
        vnd = cls.env.ref("base.VND")
        vnd.active = True
        cls.product = cls.env["loan.product"].create(cls._product_vals(vnd))

    @classmethod
    def _product_vals(cls, currency):
        return {
            "name": "Test cash",
            "code": "T-APP",
            "currency_id": currency.id,
            "min_amount": 5_000_000,
            "max_amount": 70_000_000,
            "min_term": 6,
            "max_term": 36,
            "rate": 28.0,
        }

    def _add_fees(self):
        self.product.write(
            {
                "fee_ids": [
                    (0, 0, {"name": "Insurance", "fee_type": "insurance_percent", "value": 5}),
                    (0, 0, {"name": "Service", "fee_type": "service_instalment", "value": 12000}),
                ]
            }
        )

    def _contract(self, amount=20_000_000, term=12, start_date=None):
        """A contract awaiting signature for the borrower, made by the officer of the sales
        team, starting today (or ``start_date``)."""
        Contract = self.env["loan.contract"].sudo()
        return Contract.create(
            Contract._loan_contract_vals(
                self.borrower,
                self.product,
                amount,
                term,
                start_date or fields.Date.context_today(Contract),
                user_id=self.officer.id,
                team_id=self.sales_team.id,
            )
        ).sudo(False)

    def _reasons(self, kind):
        return self.env["loan.decision.reason"].search([("kind", "=", kind)], limit=1)

    def _approved(self, fees=True):
        """(application or None, contract awaiting signature): how the loan came to be is
        origination's business, which overrides this."""
        if fees:
            self._add_fees()
        return None, self._contract()

    def _sign(self, contract, user=None):
        contract = contract.with_user(user or self.officer)
        contract.write(
            {"signed_file": base64.b64encode(b"%PDF-1.4 signed"), "signed_filename": "signed.pdf"}
        )
        contract.action_mark_signed()

    def _active_contract(self, **product_vals):
        """A 20,000,000 VND, 12-month contract disbursed on 2026-11-20 (first due
        2026-12-20), as the accountant's record."""
        if product_vals:
            self.product.write(product_vals)
        with freeze_time("2026-11-20 03:00:00"):
            _app, contract = self._approved()
            contract.write(
                {"signed_file": base64.b64encode(b"%PDF-1.4"), "signed_filename": "s.pdf"}
            )
            contract.action_mark_signed()
            contract.with_user(self.accountant).action_disburse()
        return contract.with_user(self.accountant)

    def _pay(self, contract, amount, date="2026-12-20"):
        receipt = (
            self.env["loan.receipt"]
            .with_user(self.accountant)
            .create({"contract_id": contract.id, "amount": amount, "date": date})
        )
        with freeze_time(date):
            receipt.action_post()
        return receipt

    def _capitalise_arrears(self, contract, day, term):
        """A hardship restructure of ``contract`` on ``day`` over ``term`` instalments that
        capitalises the arrears, requested by the accountant and approved by the approver."""
        plan = (
            self.env["loan.restructure"]
            .with_user(self.accountant)
            .create(
                {
                    "contract_id": contract.id,
                    "date": day,
                    "term": term,
                    "capitalise_arrears": True,
                    "reason_id": self.env.ref(
                        "loan_servicing.loan_decision_reason_restructure_hardship"
                    ).id,
                }
            )
        )
        plan.action_submit()
        plan.with_user(self.approver).action_approve()
        return plan

    def _assert_disbursement_books(self, contract):
        """The posted disbursement entry of ``contract``: receivable, fee income and bank."""
        contract = contract.with_user(self.accountant)
        product = self.product
        payment = contract.disbursement_payment_id
        move = payment.move_id
        self.assertEqual(payment.payment_type, "outbound")
        self.assertEqual(payment.partner_id, contract.partner_id)
        self.assertEqual(move.state, "posted")
        self.assertEqual(move.journal_id, product.disbursement_journal_id)
        self.assertEqual(move.loan_contract_id, contract)
        lines = move.line_ids
        self.assertTrue(lines)
        self.assertEqual(set(lines.loan_contract_id.ids), {contract.id})
        self.assertAlmostEqual(sum(lines.mapped("debit")), sum(lines.mapped("credit")), 2)
        by_account = {
            account: sum(
                lines.filtered(lambda x, a=account: x.account_id == a).mapped("amount_currency")
            )
            for account in lines.account_id
        }
        fees = contract.upfront_fees
        self.assertEqual(fees, 1_000_000, "5% insurance on 20,000,000 withheld")
        self.assertEqual(by_account[product.account_receivable_id], 20_000_000)
        self.assertEqual(by_account[product.account_fee_income_id], -fees)
        self.assertEqual(by_account[payment.outstanding_account_id], -(20_000_000 - fees))
        self.assertEqual(payment.amount, contract.net_disbursed)
        self.assertEqual(contract.net_disbursed, 19_000_000)
        # the borrower's receivable equals the schedule's principal
        principal = sum(Decimal(str(p)) for p in contract.line_ids.mapped("principal"))
        self.assertEqual(Decimal(str(contract.receivable_balance)), principal)
        self.assertEqual(contract.receivable_balance, contract.amount)
        receivable = self.env["account.move.line"].search(
            [
                ("partner_id", "=", contract.partner_id.id),
                ("account_id", "=", product.account_receivable_id.id),
                ("parent_state", "=", "posted"),
            ]
        )
        self.assertEqual(sum(receivable.mapped("amount_currency")), contract.amount)
