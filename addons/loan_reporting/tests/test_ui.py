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

    def test_manager_opens_the_lending_dashboards(self):
        manager = self.env.ref("loan_base.user_manager_demo", raise_if_not_found=False)
        if not manager:
            self.skipTest("the demo users are installed with demo data only")
        Dashboard = self.env["spreadsheet.dashboard"].with_user(manager)
        mine = Dashboard.search([("dashboard_group_id.name", "=", "Lending")])
        # a manager holds every lending role: all four dashboards
        self.assertEqual(len(mine), 4)
        self.start_tour(
            "/odoo/action-spreadsheet_dashboard.ir_actions_dashboard_action",
            "loan_reporting_dashboard_tour",
            login="manager",
        )
