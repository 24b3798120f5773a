from odoo.tests import HttpCase, tagged


@tagged("post_install", "-at_install")
class TestReportingUi(HttpCase):
    """The Lending Manager reads the portfolio of a month and downloads the month-end
    classification list, in the browser, on demo data."""

    def test_manager_filters_a_month_and_downloads_the_list(self):
        manager = self.env.ref("loan_base.user_manager_demo", raise_if_not_found=False)
        if not manager:
            self.skipTest("the demo users are installed with demo data only")
        Snapshot = self.env["loan.portfolio.snapshot"].with_user(manager)
        self.assertTrue(Snapshot.search_count([]), "the demo has month-end snapshots")
        self.start_tour(
            "/odoo/action-loan_reporting.loan_portfolio_daily_action",
            "loan_reporting_manager_tour",
            login="manager",
        )
