from odoo.exceptions import AccessError
from odoo.tests import tagged

from .common import CollectionCommon


@tagged("post_install", "-at_install")
class TestCollectionBorrower360(CollectionCommon):
    """Contracts by collection bucket; the borrower's cases from the partner form."""

    def test_contract_bucket_follows_the_end_of_day(self):
        contract = self._active_contract()
        current = self.env.ref("loan_collection.loan_collection_bucket_current")
        early = self.env.ref("loan_collection.loan_collection_bucket_1_30")
        self.assertEqual(contract.collection_bucket_id, current)
        self._run_to("2026-12-21")
        contract.invalidate_recordset()
        self.assertEqual(contract.dpd, 1)
        self.assertEqual(contract.collection_bucket_id, early)
        Contract = self.env["loan.contract"].with_user(self.accountant)
        self.assertIn(contract, Contract.search([("collection_bucket_id", "=", early.id)]))
        groups = dict(
            Contract._read_group(
                [("id", "=", contract.id)], ["collection_bucket_id"], ["outstanding_principal:sum"]
            )
        )
        self.assertEqual(groups[early], 20_000_000)

    def test_borrower_cases_button(self):
        contract = self._active_contract()
        self._run_to("2026-12-21")
        case = self._case(contract)
        self.assertTrue(case)
        borrower = self.borrower.with_user(self.collector)
        self.assertEqual(borrower.loan_case_count, 1)
        action = borrower.action_loan_view_cases()
        found = self.env["loan.collection.case"].with_user(self.collector).search(action["domain"])
        self.assertEqual(found, case)
        # the other team's collector does not see the case
        self.assertEqual(self.borrower.with_user(self.collector_b).loan_case_count, 0)
        # a consultant has no collection cases to count
        with self.assertRaises(AccessError):
            self.borrower.with_user(self.officer).read(["loan_case_count"])
