from odoo.tests import HttpCase, tagged


@tagged("post_install", "-at_install")
class TestManagerUi(HttpCase):
    """The Lending Manager's contracts by collection bucket, with totals, in the browser."""

    def test_manager_contracts_by_bucket_with_totals(self):
        manager = self.env["res.users"].search([("login", "=", "manager")])
        if not manager:
            self.skipTest("needs the demo users")
        Contract = self.env["loan.contract"].with_user(manager)
        late = Contract.search([("collection_bucket_id.min_dpd", ">", 0)])
        self.assertTrue(late, "the demo has delinquent contracts in a bucket")
        self.start_tour(
            "/odoo/action-loan_origination.loan_contract_action",
            "loan_manager_contracts_tour",
            login="manager",
        )
