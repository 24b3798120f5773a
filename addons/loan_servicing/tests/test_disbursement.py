from decimal import Decimal

from odoo.exceptions import UserError
from odoo.tests import freeze_time, tagged

from .common import LoanServicingCommon


@tagged("post_install", "-at_install")
class TestDisbursement(LoanServicingCommon):
    """A signed contract paid out in real accounting, exactly once, by a Loan Accountant."""

    def _signed_contract(self):
        _app, contract = self._approved()
        self._sign(contract)
        return contract

    @freeze_time("2026-11-20 03:00:00")
    def test_disbursement_refusals_write_nothing(self):
        _app, contract = self._approved()
        accountant_view = contract.with_user(self.accountant)
        with self.assertRaises(UserError) as err:
            accountant_view.action_disburse()
        self.assertIn("must be signed", str(err.exception))
        self._sign(contract)
        receivable = self.product.account_receivable_id
        self.product.with_user(self.lending_admin).write(
            {"account_receivable_id": False, "disbursement_journal_id": False}
        )
        with self.assertRaises(UserError) as err:
            accountant_view.action_disburse()
        for label in ("Loan Receivable Account", "Disbursement Journal"):
            self.assertIn(label, str(err.exception))
        self.assertEqual(contract.state, "signed")
        self.assertFalse(
            self.env["account.payment"].search([("loan_contract_id", "=", contract.id)])
        )
        self.product.account_receivable_id = receivable
        self.product.disbursement_journal_id = self.company.loan_disbursement_journal_id
        accountant_view.action_disburse()
        self._assert_disbursement_books(contract)

    def test_disbursed_later_schedule_runs_from_the_disbursement_date(self):
        with freeze_time("2026-11-20 03:00:00"):
            contract = self._signed_contract()
        self.assertEqual(str(contract.first_due_date), "2026-12-20")
        with freeze_time("2026-11-25 03:00:00"):
            contract.with_user(self.accountant).action_disburse()
        self.assertEqual(str(contract.start_date), "2026-11-25")
        self.assertEqual(str(contract.disbursed_date), "2026-11-25")
        self.assertEqual(str(contract.first_due_date), "2026-12-25")
        lines = contract.line_ids
        self.assertEqual(len(lines), 12)
        self.assertEqual(
            sum(Decimal(str(p)) for p in lines.mapped("principal")), Decimal(20_000_000)
        )
        self.assertEqual(lines[-1].closing_balance, 0)
        self.assertTrue(contract._principal_check())
        self.assertEqual(contract.receivable_balance, 20_000_000)

    @freeze_time("2026-11-20 03:00:00")
    def test_company_loan_accounts_are_created_once(self):
        company = self.company
        accounts = (
            company.loan_receivable_account_id
            | company.loan_fee_income_account_id
            | company.loan_interest_income_account_id
        )
        self.assertEqual(len(accounts), 3)
        self.assertEqual(company.loan_receivable_account_id.account_type, "asset_receivable")
        self.assertTrue(company.loan_receivable_account_id.reconcile)
        count = self.env["account.account"].search_count([])
        company._loan_setup_accounting()
        self.assertEqual(self.env["account.account"].search_count([]), count)
        self.assertEqual(self.product.account_receivable_id, company.loan_receivable_account_id)
        self.assertEqual(self.product.journal_id, company.loan_journal_id)
