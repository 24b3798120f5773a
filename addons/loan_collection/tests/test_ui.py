from odoo.tests import HttpCase, tagged


@tagged("post_install", "-at_install")
class TestAdminTour(HttpCase):
    """The lending administrator configures lending in the browser, on demo data."""

    def test_admin_configures_lending(self):
        admin = self.env.ref("loan_base.user_lendingadmin_demo", raise_if_not_found=False)
        if not admin:
            self.skipTest("the demo users are installed with demo data only")
        product = self.env.ref("loan_origination.loan_product_cash_vnd_demo")
        self.start_tour(
            "/odoo/action-loan_origination.loan_product_action/%d" % product.id,
            "loan_admin_tour",
            login="lendingadmin",
        )
        self.assertEqual(product.max_amount, 80_000_000)
        self.assertEqual(product.write_uid, admin)
        stage = self.env["loan.application.stage"].search([("name", "=", "Tour field check")])
        self.assertEqual(len(stage), 1)
        self.assertTrue(stage.require_score)
        strategy = self.env["loan.collection.strategy"].search(
            [("name", "=", "Tour gentle strategy")]
        )
        self.assertEqual(len(strategy), 1)
        self.assertEqual(strategy.step_ids.mapped("name"), ["Tour first SMS"])
        self.assertEqual(strategy.step_ids.delay_days, 3)
        self.assertEqual(strategy.create_uid, admin)
        policy = self.env.ref("loan_base.loan_contact_policy_vn")
        self.assertEqual(policy.min_gap_minutes, 90)
        self.assertEqual(policy.write_uid, admin)
